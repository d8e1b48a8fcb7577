"""AppLovin OAuth in the sandbox: client credentials with scopes, the third-party flow, refresh-token
rotation, scope enforcement, expiry, the error envelope and the rate limit."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from reconciler.sandbox.applovin.seed import OAUTH_APPS
from tests.sandbox.applovin.conftest import API, TOKEN, AppLovin
from tests.sandbox.conftest import Clock

pytestmark = pytest.mark.anyio

THIRD = OAUTH_APPS[1]
FIRST = OAUTH_APPS[0]


async def _consent(http: httpx.AsyncClient, **query: str) -> httpx.Response:
    params = {
        "client_id": THIRD["client_id"],
        "redirect_uri": THIRD["redirect_uri"],
        "response_type": "code",
        "scope": "campaigns:write creatives:read",
        "state": "ab13221308fe6abad1d1",
        **query,
    }
    return await http.get("/applovin/oauth/initialize", params={k: v for k, v in params.items() if v})


def _grant(**form: str) -> dict[str, str]:
    return {"client_id": THIRD["client_id"], "client_secret": THIRD["client_secret"], **form}


async def test_third_party_flow_and_refresh_rotation(connect: Callable[..., httpx.AsyncClient]) -> None:
    async with connect() as http:
        redirect = await _consent(http)
        assert redirect.status_code == 302
        location = urlsplit(redirect.headers["location"])
        assert f"{location.scheme}://{location.netloc}{location.path}" == THIRD["redirect_uri"]
        query = parse_qs(location.query)
        assert query["state"] == ["ab13221308fe6abad1d1"]
        code = query["code"][0]

        wrong_uri = await http.post(
            TOKEN,
            data=_grant(grant_type="authorization_code", code=code, redirect_uri="https://evil.example/"),
        )
        assert wrong_uri.status_code == 400 and wrong_uri.json()["error"]["code"] == "invalid_grant"
        first = await http.post(
            TOKEN, data=_grant(grant_type="authorization_code", code=code, redirect_uri=THIRD["redirect_uri"])
        )
        assert first.status_code == 200, first.text
        tokens = first.json()
        assert tokens["expires_in"] == 3600 and tokens["scope"] == "campaigns:write creatives:read"
        again = await http.post(
            TOKEN, data=_grant(grant_type="authorization_code", code=code, redirect_uri=THIRD["redirect_uri"])
        )
        assert again.status_code == 400  # a code works once

        refreshed = await http.post(
            TOKEN, data=_grant(grant_type="refresh_token", refresh_token=tokens["refresh_token"])
        )
        assert refreshed.status_code == 200
        newer = refreshed.json()
        assert newer["refresh_token"] != tokens["refresh_token"]
        reused = await http.post(
            TOKEN, data=_grant(grant_type="refresh_token", refresh_token=tokens["refresh_token"])
        )
        assert reused.status_code == 400 and "already used" in reused.json()["error"]["message"]
        narrowed = await http.post(
            TOKEN,
            data=_grant(
                grant_type="refresh_token", refresh_token=newer["refresh_token"], scope="creatives:read"
            ),
        )
        assert narrowed.status_code == 200 and narrowed.json()["scope"] == "creatives:read"

        client = AppLovin(http, newer["access_token"])
        assert (await client.call("GET", "/campaigns")).status_code == 200
        assert (await client.call("GET", "/source_bids/29d66efc22ae53a201e1532265b83f12")).status_code == 403


async def test_refresh_tokens_expire_after_30_days(
    connect: Callable[..., httpx.AsyncClient], clock: Clock
) -> None:
    async with connect() as http:
        code = parse_qs(urlsplit((await _consent(http)).headers["location"]).query)["code"][0]
        grant = await http.post(
            TOKEN, data=_grant(grant_type="authorization_code", code=code, redirect_uri=THIRD["redirect_uri"])
        )
        clock.advance(30 * 24 * 3600 + 1)
        late = await http.post(
            TOKEN, data=_grant(grant_type="refresh_token", refresh_token=grant.json()["refresh_token"])
        )
    assert late.status_code == 400 and "expired" in late.json()["error"]["message"]


@pytest.mark.parametrize(
    ("query", "needle"),
    [
        ({"state": ""}, "state"),
        ({"redirect_uri": "https://other.example/cb"}, "redirect_uri does not match"),
        ({"response_type": "token"}, "response_type"),
        ({"scope": "campaigns:admin"}, "unknown scope"),
        ({"client_id": FIRST["client_id"]}, "not a registered third-party"),
    ],
)
async def test_bad_authorization_requests_are_refused(
    connect: Callable[..., httpx.AsyncClient], query: dict[str, str], needle: str
) -> None:
    async with connect() as http:
        response = await _consent(http, **query)
    assert response.status_code == 400 and needle in response.json()["error"]["message"]


@pytest.mark.parametrize(
    ("form", "status", "code"),
    [
        ({"grant_type": "client_credentials", "scope": "campaigns:read"}, 200, None),
        ({"grant_type": "client_credentials"}, 400, "invalid_scope"),
        (
            {"grant_type": "client_credentials", "scope": "campaigns:read", "client_secret": "bad"},
            401,
            "invalid_client",
        ),
        ({"grant_type": "password", "scope": "campaigns:read"}, 400, "unsupported_grant_type"),
        ({"grant_type": "client_credentials", "scope": "x:y"}, 400, "invalid_scope"),
    ],
)
async def test_client_credentials(
    connect: Callable[..., httpx.AsyncClient], form: dict[str, str], status: int, code: str | None
) -> None:
    data = {"client_id": FIRST["client_id"], "client_secret": FIRST["client_secret"], **form}
    async with connect() as http:
        response = await http.post(TOKEN, data=data)
    assert response.status_code == status, response.text
    if code:
        assert response.json()["error"]["code"] == code
    else:
        assert response.json()["expires_in"] == 3600 and "refresh_token" not in response.json()


async def test_a_read_only_app_cannot_ask_for_write(connect: Callable[..., httpx.AsyncClient]) -> None:
    reader = OAUTH_APPS[2]
    async with connect() as http:
        response = await http.post(
            TOKEN,
            data={
                "client_id": reader["client_id"],
                "client_secret": reader["client_secret"],
                "grant_type": "client_credentials",
                "scope": "campaigns:write",
            },
        )
    assert response.status_code == 400 and "not granted" in response.json()["error"]["message"]


async def test_scopes_are_enforced_and_write_implies_read(connect: Callable[..., httpx.AsyncClient]) -> None:
    async with connect() as http:
        client = AppLovin(http)
        await client.login("campaigns:read")
        assert (await client.call("GET", "/campaigns")).status_code == 200
        refused = await client.call("POST", "/campaign", {"name": "x"})
        assert refused.status_code == 403
        assert refused.json() == {
            "error": {
                "code": "forbidden",
                "message": "the access token lacks the campaigns:write scope",
                "rule": "scope-required",
            }
        }
        await client.login("creatives:write")
        assert (await client.call("GET", "/ads/nope")).status_code == 404  # read allowed, set unknown
        assert (await client.call("GET", "/campaigns")).status_code == 403


async def test_tokens_expire_after_an_hour(applovin: AppLovin, clock: Clock) -> None:
    assert (await applovin.call("GET", "/campaigns")).status_code == 200
    clock.advance(3600)
    expired = await applovin.call("GET", "/campaigns")
    assert expired.status_code == 401 and expired.json()["error"]["code"] == "unauthorized"
    applovin.token = "not-a-token"
    assert (await applovin.call("GET", "/campaigns")).status_code == 401


async def test_429_with_retry_after(connect: Callable[..., httpx.AsyncClient], clock: Clock) -> None:
    async with connect(rate_limit_per_minute=3) as http:
        client = AppLovin(http)
        await client.login()
        statuses = [(await client.call("GET", "/campaigns")).status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        throttled = await client.call("GET", "/campaigns")
        assert throttled.json()["error"]["code"] == "rate_limited"
        assert 1 <= int(throttled.headers["retry-after"]) <= 60
        clock.advance(60)
        assert (await client.call("GET", "/campaigns")).status_code == 200


async def test_unknown_paths_use_the_error_envelope(applovin: AppLovin) -> None:
    response = await applovin.http.get(API + "/nothing/here")
    assert response.status_code == 404 and response.json()["error"]["rule"] == "route-not-found"
    assert set(response.json()["error"]) == {"code", "message", "rule"}


async def test_the_default_sandbox_credentials_take_both_flows(
    connect: Callable[..., httpx.AsyncClient],
) -> None:
    """`client_id: sandbox` (what reconciler sends when a project names no credentials): client
    credentials, and the third-party flow with whatever redirect URI the project registers."""
    async with connect() as http:
        direct = await http.post(
            TOKEN,
            data={
                "grant_type": "client_credentials",
                "client_id": "sandbox",
                "client_secret": "sandbox",
                "scope": "campaigns:read",
            },
        )
        assert direct.status_code == 200, direct.text
        redirect_uri = "https://project.example/oauth_code?team=ua"
        redirect = await _consent(http, client_id="sandbox", redirect_uri=redirect_uri)
        assert redirect.status_code == 302, redirect.text
        location = redirect.headers["location"]
        assert location.startswith(redirect_uri + "&code=")
        code = parse_qs(urlsplit(location).query)["code"][0]
        grant = {"client_id": "sandbox", "client_secret": "sandbox", "grant_type": "authorization_code"}
        elsewhere = await http.post(
            TOKEN, data={**grant, "code": code, "redirect_uri": "https://other.example/"}
        )
        assert elsewhere.status_code == 400 and elsewhere.json()["error"]["code"] == "invalid_grant"
        tokens = await http.post(TOKEN, data={**grant, "code": code, "redirect_uri": redirect_uri})
        assert tokens.status_code == 200, tokens.text
        assert tokens.json()["refresh_token"]
        fixtures = (await http.get("/_sandbox/fixtures")).json()["applovin"]["oauth_apps"]
        assert {"client_id": "sandbox", "kind": "sandbox"}.items() <= fixtures[-1].items()
