"""Every code of the Criteo emulator's rules table (reconciler/sandbox/criteo/rules.py) is answered by the
request this table gives for it, and every code it lists has a vendor source: `test_rule[<code>]` is the
sandbox test a rules document can name for each rule."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from reconciler.sandbox.criteo.rules import RULES, WARNINGS
from tests.sandbox.conftest import API, Clock, Criteo, ad_set_body, campaign_body

pytestmark = pytest.mark.anyio

C, U = "campaign--ad-set-create-check--", "campaign--ad-set-update-check--"
CC, CU = "campaign--campaign-create-check--", "campaign--campaign-update-check--"
AD_SET, CAMPAIGN = "123467", "358313"


class World:
    """What a trigger may use: the logged-in client, the app factory and the clock."""

    def __init__(self, criteo: Criteo, make_app: Callable[..., Starlette], clock: Clock) -> None:
        self.criteo, self.make_app, self.clock = criteo, make_app, clock

    async def call(self, method: str, path: str, body: Any = None, **kwargs: Any) -> httpx.Response:
        return await self.criteo.call(method, path, body, **kwargs)

    async def patch(self, attributes: dict[str, Any], ad_set_id: str = AD_SET) -> httpx.Response:
        item = {"type": "PatchAdSet", "id": ad_set_id, "attributes": attributes}
        return await self.call("PATCH", "/ad-sets", {"data": [item]})

    async def patch_campaign(self, item: dict[str, Any]) -> httpx.Response:
        return await self.call("PATCH", "/campaigns", {"data": [{"type": "PatchCampaign", **item}]})

    async def token(self, **form: str) -> httpx.Response:
        return await self.criteo.http.post("/criteo/oauth2/token", data=form)


Trigger = Callable[[World], Awaitable[httpx.Response]]


def create(**changes: Any) -> Trigger:
    return lambda w: w.call("POST", "/ad-sets", ad_set_body(**changes))


def patch(**attributes: Any) -> Trigger:
    return lambda w: w.patch(attributes)


async def expired(w: World) -> httpx.Response:
    w.clock.advance(901)
    return await w.call("GET", f"/ad-sets/{AD_SET}")


async def throttled(w: World) -> httpx.Response:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=w.make_app(rate_limit_per_minute=1)), base_url="http://sandbox"
    ) as http:
        other = Criteo(http)
        await other.login("throttled-app")
        await other.call("GET", f"/ad-sets/{AD_SET}")
        return await other.call("GET", f"/ad-sets/{AD_SET}")


async def archived_start(w: World) -> httpx.Response:
    await w.criteo.http.post(f"/_sandbox/criteo/ad-sets/{AD_SET}/archive")
    return await w.call("POST", "/ad-sets/start", {"data": [{"type": "AdSetId", "id": AD_SET}]})


async def bare(w: World, method: str, path: str, **headers: str) -> httpx.Response:
    return await w.criteo.http.request(method, API + path, headers=headers)


TRIGGERS: dict[str, Trigger] = {
    "invalid-json": lambda w: w.call(
        "POST", "/ad-sets", None, content=b"{", headers={"content-type": "application/json"}
    ),
    "invalid-body": lambda w: w.call("PATCH", "/ad-sets", {"data": {}}),
    "route-not-found": lambda w: bare(w, "GET", "/nothing-here"),
    "invalid-search": lambda w: w.call("POST", "/ad-sets/search", {"filters": {"adSetIds": "123467"}}),
    "invalid-query-parameter": lambda w: w.call("POST", "/audiences/search", {}, params={"limit": 101}),
    "unsupported-grant-type": lambda w: w.token(grant_type="password", client_id="a", client_secret="b"),
    "invalid-client-credentials": lambda w: w.token(grant_type="client_credentials", client_id="a"),
    "authorization-token-missing": lambda w: bare(w, "GET", f"/ad-sets/{AD_SET}"),
    "authorization-token-invalid": lambda w: bare(w, "GET", f"/ad-sets/{AD_SET}", authorization="Bearer x"),
    "authorization-token-expired": expired,
    "too-many-requests": throttled,
    "ad-set-not-found": lambda w: w.call("GET", "/ad-sets/424242"),
    "campaign-not-found": lambda w: w.call("GET", "/campaigns/424242"),
    "advertiser-not-found": lambda w: w.call("POST", "/campaigns", campaign_body(advertiserId="424242")),
    "audience-not-found": lambda w: w.call(
        "PUT", f"/ad-sets/{AD_SET}/audience", {"data": {"attributes": {"audienceId": "424242"}}}
    ),
    "invalid-audience-link": lambda w: w.call(
        "PUT", f"/ad-sets/{AD_SET}/audience", {"data": {"attributes": {"audienceId": True}}}
    ),
    C + "invalid-configuration": create(name=None),
    C + "invalid-dataset": create(datasetId="56790"),
    C + "invalid-media-type-configuration": create(objective="videoViews"),
    C + "start-date-after-end-date": create(
        schedule={"startDate": "2027-07-26T00:00:00Z", "endDate": "2027-07-04T00:00:00Z"}
    ),
    C + "invalid-bid-amount": create(bidding={"costController": "COS", "bidAmount": -1}),
    C + "invalid-frequency-capping": create(targeting={"frequencyCapping": {"frequency": "advanced"}}),
    C + "invalid-geolocation": create(
        targeting={"frequencyCapping": None, "geoLocation": {"countries": {"operand": "in", "values": []}}}
    ),
    C + "invalid-delivery-limitations": create(
        targeting={"frequencyCapping": None, "deliveryLimitations": {"devices": ["watch"]}}
    ),
    C + "invalid-attribution-configuration": create(attributionConfiguration={"attributionMethod": "x"}),
    C + "invalid-budget": create(
        budget={"budgetStrategy": "capped", "budgetRenewal": "daily", "budgetAmount": 9}
    ),
    U + "invalid-configuration": lambda w: w.call("PATCH", "/ad-sets", {"data": [{"attributes": {}}]}),
    U + "empty-name": patch(name=""),
    U + "empty-start-date": patch(scheduling={"startDate": {"value": None}}),
    U + "start-date-after-end-date": patch(
        scheduling={
            "startDate": {"value": "2027-07-26T00:00:00Z"},
            "endDate": {"value": "2027-07-04T00:00:00Z"},
        }
    ),
    U + "invalid-bid-amount": patch(bidding={"bidAmount": {"value": -2}}),
    U + "invalid-frequency-capping": patch(
        targeting={"frequencyCapping": {"value": {"frequency": "advanced"}}}
    ),
    U + "invalid-geolocation": patch(
        targeting={"geoLocation": {"countries": {"value": {"operand": "undefined", "values": ["FR"]}}}}
    ),
    U + "invalid-delivery-limitations": patch(targeting={"deliveryLimitations": {"environments": ["tv"]}}),
    U + "invalid-attribution-configuration": patch(attributionConfiguration={"lookbackWindow": "1Y"}),
    U + "invalid-budget": patch(budget={"budgetStrategy": "capped"}),
    U + "too-many-ad-sets": lambda w: w.call(
        "PATCH", "/ad-sets", {"data": [{"type": "PatchAdSet", "id": AD_SET, "attributes": {}}] * 51}
    ),
    "campaign--ad-set-start-check--archived": archived_start,
    CC + "invalid-configuration": lambda w: w.call("POST", "/campaigns", campaign_body(goal=None)),
    CC + "invalid-spend-limit": lambda w: w.call(
        "POST", "/campaigns", campaign_body(spendLimit={"spendLimitType": "capped"})
    ),
    CC + "invalid-budget-automation": lambda w: w.call(
        "POST", "/campaigns", campaign_body(budgetAutomation={"enabled": True})
    ),
    CU + "invalid-configuration": lambda w: w.patch_campaign({"attributes": {}}),
    CU + "invalid-spend-limit": lambda w: w.patch_campaign(
        {"id": CAMPAIGN, "attributes": {"spendLimit": {"spendLimitType": "capped"}}}
    ),
    CU + "invalid-budget-automation": lambda w: w.patch_campaign(
        {"id": CAMPAIGN, "attributes": {"budgetAutomation": {"enabled": True}}}
    ),
    "unknown-field": create(color="blue"),
}


def test_every_code_has_a_trigger_and_a_source() -> None:
    assert set(TRIGGERS) == set(RULES) | set(WARNINGS)
    for code, rule in {**RULES, **WARNINGS}.items():
        assert rule.source.split(" ", 1)[0].rstrip(":") in {"GUIDE", "SPEC", "FACTS"}, code
        assert rule.message, code


@pytest.mark.parametrize("code", sorted(TRIGGERS))
async def test_rule(code: str, criteo: Criteo, make_app: Callable[..., Starlette], clock: Clock) -> None:
    response = await TRIGGERS[code](World(criteo, make_app, clock))
    body = response.json()
    answered = [p["code"] for p in body.get("errors", []) + body.get("warnings", [])]
    assert code in answered, response.text
    if code in RULES:
        assert response.status_code >= 400 or body["data"] in ([], None), response.text
