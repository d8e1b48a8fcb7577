"""Every rule of the AppLovin emulator's rules table (reconciler/sandbox/applovin/rules.py) is answered, as
`error.rule`, by the request this table gives for it, and every rule has a vendor source:
`test_rule[<rule>]` is the sandbox test a rules document can name for each rule."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from reconciler.sandbox.applovin.rules import RULES
from reconciler.sandbox.applovin.seed import OAUTH_APPS, SOURCE_APPS
from tests.media import gif, mp4, png
from tests.sandbox.applovin.conftest import API, TOKEN, AppLovin

pytestmark = pytest.mark.anyio

THIRD = OAUTH_APPS[1]
BANNER = "https://res1.applovin.com/sandbox/banner.png"


class World:
    """A logged-in client, a way to open another sandbox client, and a campaign and creative set."""

    def __init__(self, applovin: AppLovin, connect: Callable[..., httpx.AsyncClient]) -> None:
        self.applovin, self.connect = applovin, connect
        self.campaign = self.creative_set = ""

    async def setup(self) -> None:
        self.campaign = await self.applovin.campaign()
        self.creative_set = await self.applovin.creative_set(self.campaign)

    async def call(self, method: str, path: str, body: Any = None, **kwargs: Any) -> httpx.Response:
        return await self.applovin.call(
            method, path.format(c=self.campaign, s=self.creative_set), body, **kwargs
        )

    async def asset(self, **fields: Any) -> httpx.Response:
        return await self.applovin.asset(self.creative_set, **fields)

    async def token(self, **form: str) -> httpx.Response:
        return await self.applovin.http.post(TOKEN, data=form)

    async def third_party(self, **form: str) -> httpx.Response:
        return await self.token(client_id=THIRD["client_id"], client_secret=THIRD["client_secret"], **form)

    async def authorize(self, **query: str) -> httpx.Response:
        params = {
            "client_id": THIRD["client_id"],
            "redirect_uri": THIRD["redirect_uri"],
            "response_type": "code",
            "scope": "campaigns:read",
            "state": "s",
            **query,
        }
        return await self.applovin.http.get("/applovin/oauth/initialize", params=params)


Trigger = Callable[[World], Awaitable[httpx.Response]]


async def throttled(w: World) -> httpx.Response:
    async with w.connect(rate_limit_per_minute=1) as http:
        other = AppLovin(http)
        await other.login()
        await other.call("GET", "/campaigns")
        return await other.call("GET", "/campaigns")


async def read_only_token(w: World) -> httpx.Response:
    reader = AppLovin(w.applovin.http)
    await reader.login(scope="campaigns:read")
    return await reader.call("POST", "/campaign", {"name": "x"})


async def ad_renamed_to_a_number(w: World) -> httpx.Response:
    await w.asset(type="IMG_BANNER", asset=BANNER)
    [ad] = await w.applovin.ok("GET", f"/ads/{w.creative_set}")
    return await w.call("POST", f"/ad/{ad['id']}", {"name": 7})


async def added_twice(w: World) -> httpx.Response:
    await w.asset(type="TXT_TITLE", asset="Title")
    return await w.asset(type="TXT_TITLE", asset="Another title")


async def android_devices(w: World) -> httpx.Response:
    campaign = await w.applovin.campaign(platform="android", package_name="com.acme.puzzle")
    return await w.call("POST", f"/campaign_targets/{campaign}", {"device_types": ["phone"]})


async def used_code(w: World) -> httpx.Response:
    location = (await w.authorize()).headers["location"]
    code = httpx.URL(location).params["code"]
    grant = {"grant_type": "authorization_code", "code": code, "redirect_uri": THIRD["redirect_uri"]}
    await w.third_party(**grant)
    return await w.third_party(**grant)


TRIGGERS: dict[str, Trigger] = {
    "json-body": lambda w: w.call("POST", "/campaign", None, content=b"[1"),
    "form-body": lambda w: w.call("POST", "/creative_set_assets/{s}", None, content=b"x"),
    "route-not-found": lambda w: w.call("GET", "/nothing/here"),
    "object-not-found": lambda w: w.call("GET", "/campaign/0123"),
    "rate-limited": throttled,
    "oauth-client": lambda w: w.token(grant_type="client_credentials", client_id="a"),
    "oauth-grant-type": lambda w: w.third_party(grant_type="client_credentials", scope="campaigns:read"),
    "oauth-parameter": lambda w: w.token(
        grant_type="client_credentials", client_id="a", client_secret="b", scope="campaigns:read", code="c"
    ),
    "oauth-code": used_code,
    "oauth-refresh-token": lambda w: w.third_party(grant_type="refresh_token", refresh_token="unknown"),
    "oauth-scope": lambda w: w.token(
        grant_type="client_credentials", client_id="a", client_secret="b", scope="everything:write"
    ),
    "oauth-authorize": lambda w: w.authorize(response_type="token"),
    "token-required": lambda w: w.applovin.http.get(API + "/campaigns"),
    "scope-required": read_only_token,
    "campaign-id-on-create": lambda w: w.call("POST", "/campaign", {"name": "x", "campaign_id": "1"}),
    "campaign-name-required": lambda w: w.call("POST", "/campaign", {"platform": "ios"}),
    "campaign-field-value": lambda w: w.call("POST", "/campaign", {"name": "x", "bid_type": "CPM"}),
    "campaign-bundle-id-ios-only": lambda w: w.call(
        "POST", "/campaign", {"name": "x", "platform": "android", "bundle_id": "com.a"}
    ),
    "campaign-package-name-ios": lambda w: w.call(
        "POST", "/campaign", {"name": "x", "platform": "ios", "package_name": "com.a"}
    ),
    "campaign-read-only": lambda w: w.call("POST", "/campaign/{c}", {"platform": "android"}),
    "targets-field-value": lambda w: w.call("POST", "/campaign_targets/{c}", {"countries": {}}),
    "targets-country-code": lambda w: w.call(
        "POST", "/campaign_targets/{c}", {"countries": [{"country": "usa", "bid": 1, "budget": 1}]}
    ),
    "targets-default-or-each-country": lambda w: w.call(
        "POST",
        "/campaign_targets/{c}",
        {"countries": [{"country": "DEFAULT", "bid": 1, "budget": 9}, {"country": "us", "budget": 1}]},
    ),
    "targets-budget-per-campaign-or-country": lambda w: w.call(
        "POST", "/campaign_targets/{c}", {"countries": [{"country": "DEFAULT", "bid": 1}, {"country": "us"}]}
    ),
    "targets-bid-per-campaign-or-country": lambda w: w.call(
        "POST", "/campaign_targets/{c}", {"countries": [{"country": "us", "budget": 1}]}
    ),
    "targets-device-types": lambda w: w.call("POST", "/campaign_targets/{c}", {"device_types": ["watch"]}),
    "targets-device-types-ios-only": android_devices,
    "creative-set-id-on-create": lambda w: w.call(
        "POST", "/creative_set", {"id": "1", "campaign_id": w.campaign}
    ),
    "creative-set-campaign": lambda w: w.call("POST", "/creative_set", {"name": "x"}),
    "creative-set-field-value": lambda w: w.call("POST", "/creative_set/{s}", {"name": 7}),
    "creative-set-language": lambda w: w.call("POST", "/creative_set/{s}", {"languages": ["xx"]}),
    "creative-set-country-code": lambda w: w.call("POST", "/creative_set/{s}", {"countries": ["usa"]}),
    "creative-set-size": lambda w: w.call("POST", "/creative_set/{s}/sizes", {"VIDEO": True}),
    "asset-type": lambda w: w.asset(type="IMG_HUGE", asset=BANNER),
    "asset-flag": lambda w: w.asset(type="IMG_BANNER", asset=BANNER, update="maybe"),
    "asset-content": lambda w: w.asset(type="IMG_BANNER", asset="just words"),
    "asset-rating": lambda w: w.asset(type="TXT_RATING", asset="4.2"),
    "asset-update-or-add": added_twice,
    "asset-file-kind": lambda w: w.asset(type="IMG_BANNER", files={"file": ("clip.mp4", mp4(320, 50, 5))}),
    "asset-image-size": lambda w: w.asset(type="IMG_BANNER", files={"file": ("b.png", png(640, 100))}),
    "asset-orientation": lambda w: w.asset(type="IMG_INTER_P", files={"file": ("l.gif", gif(1920, 1080))}),
    "asset-video-length": lambda w: w.asset(
        type="VID_SHORT_P", files={"file": ("v.mp4", mp4(720, 1280, 15))}
    ),
    "ad-field-value": ad_renamed_to_a_number,
    "source-bids-page": lambda w: w.call("GET", "/source_bids/{c}", params={"offset": -1}),
    "source-app": lambda w: w.call("POST", "/source_bids/{c}", [{"app_id": "nope", "country": "us"}]),
    "source-bid-row": lambda w: w.call(
        "POST", "/source_bids/{c}", [{"app_id": SOURCE_APPS[0][0], "country": "us", "bid_value": "x"}]
    ),
    "source-bid-country-code": lambda w: w.call(
        "POST", "/source_bids/{c}", [{"app_id": SOURCE_APPS[0][0], "country": "usa", "bid_value": 1}]
    ),
    "source-bid-one-override": lambda w: w.call(
        "POST",
        "/source_bids/{c}",
        [{"app_id": SOURCE_APPS[0][0], "country": "us", "bid_value": 1, "bid_override_percentage": 5}],
    ),
}


def test_every_rule_has_a_trigger_and_a_source() -> None:
    assert set(TRIGGERS) == set(RULES)
    for name, rule in RULES.items():
        assert rule.source.split(" ", 1)[0].rstrip(":") in {"GUIDE", "FACTS"}, name
        assert rule.message, name


@pytest.mark.parametrize("rule", sorted(TRIGGERS))
async def test_rule(rule: str, applovin: AppLovin, connect: Callable[..., httpx.AsyncClient]) -> None:
    world = World(applovin, connect)
    await world.setup()
    response = await TRIGGERS[rule](world)
    assert response.status_code >= 400, response.text
    assert response.json()["error"]["rule"] == rule, response.text
