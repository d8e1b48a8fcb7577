"""Criteo auth and throttling in the sandbox: client-credentials tokens, 401s, and the rate limit."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from starlette.applications import Starlette

from tests.sandbox.conftest import API, Clock, Criteo

pytestmark = pytest.mark.anyio


def client(app: Starlette) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sandbox")


async def test_token_response_has_the_sdk_fields(make_app: Callable[..., Starlette]) -> None:
    async with client(make_app()) as http:
        response = await http.post(
            "/criteo/oauth2/token",
            data={"grant_type": "client_credentials", "client_id": "any", "client_secret": "thing"},
        )
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 900
    assert body["refresh_token"] is None
    assert len(body["access_token"]) > 20


@pytest.mark.parametrize(
    ("form", "status"),
    [
        ({"grant_type": "client_credentials", "client_id": "a", "client_secret": ""}, 401),
        ({"grant_type": "client_credentials", "client_secret": "b"}, 401),
        ({"grant_type": "password", "client_id": "a", "client_secret": "b"}, 400),
    ],
)
async def test_token_request_without_credentials_is_refused(
    make_app: Callable[..., Starlette], form: dict[str, str], status: int
) -> None:
    async with client(make_app()) as http:
        response = await http.post("/criteo/oauth2/token", data=form)
    assert response.status_code == status
    assert "access_token" not in response.json()


@pytest.mark.parametrize(
    ("authorization", "code"),
    [
        (None, "authorization-token-missing"),
        ("Bearer not-a-token", "authorization-token-invalid"),
        ("Basic abc", "authorization-token-invalid"),
    ],
)
async def test_calls_without_a_valid_token_get_401(
    make_app: Callable[..., Starlette], authorization: str | None, code: str
) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    async with client(make_app()) as http:
        response = await http.get(f"{API}/ad-sets/123467", headers=headers)
    assert response.status_code == 401
    [problem] = response.json()["errors"]
    assert problem["type"] == "authentication"
    assert problem["code"] == code
    assert problem["title"] and problem["detail"] and problem["traceIdentifier"]
    assert "x-ratelimit-limit" not in response.headers


async def test_tokens_expire_after_their_ttl(make_app: Callable[..., Starlette], clock: Clock) -> None:
    async with client(make_app(token_ttl_seconds=5)) as http:
        criteo = Criteo(http)
        await criteo.login()
        assert (await criteo.call("GET", "/ad-sets/123467")).status_code == 200
        clock.advance(4.9)
        assert (await criteo.call("GET", "/ad-sets/123467")).status_code == 200
        clock.advance(0.2)
        expired = await criteo.call("GET", "/ad-sets/123467")
        assert expired.status_code == 401
        assert expired.json()["errors"][0]["code"] == "authorization-token-expired"
        await criteo.login()
        assert (await criteo.call("GET", "/ad-sets/123467")).status_code == 200


async def test_rate_limit_per_client_and_minute(make_app: Callable[..., Starlette], clock: Clock) -> None:
    async with client(make_app(rate_limit_per_minute=3)) as http:
        first, second = Criteo(http), Criteo(http)
        await first.login("app-one")
        await second.login("app-two")
        remaining = []
        for _ in range(3):
            response = await first.call("POST", "/campaigns/search", {"filters": {}})
            assert response.status_code == 200
            assert response.headers["x-ratelimit-limit"] == "3"
            remaining.append(response.headers["x-ratelimit-remaining"])
        assert remaining == ["2", "1", "0"]

        throttled = await first.call("GET", "/campaigns/358313")
        assert throttled.status_code == 429
        [problem] = throttled.json()["errors"]
        assert problem["type"] == "quota"
        minute_end = (int(clock.now) // 60 + 1) * 60
        assert throttled.headers["x-ratelimit-limit"] == "3"
        assert throttled.headers["x-ratelimit-remaining"] == "0"
        assert throttled.headers["x-ratelimit-reset"] == str(minute_end)
        assert "retry-after" not in throttled.headers

        other = await second.call("GET", "/campaigns/358313")
        assert other.status_code == 200
        assert other.headers["x-ratelimit-remaining"] == "2"

        clock.now = minute_end
        again = await first.call("GET", "/campaigns/358313")
        assert again.status_code == 200
        assert again.headers["x-ratelimit-remaining"] == "2"


async def test_rate_limit_holds_across_app_instances(make_app: Callable[..., Starlette]) -> None:
    async with (
        client(make_app(rate_limit_per_minute=2)) as one,
        client(make_app(rate_limit_per_minute=2)) as two,
    ):
        criteo = Criteo(one)
        token = await criteo.login()
        assert (await criteo.call("GET", "/campaigns/358313")).status_code == 200
        same_client_elsewhere = Criteo(two, token)
        assert (await same_client_elsewhere.call("GET", "/campaigns/358313")).status_code == 200
        assert (await criteo.call("GET", "/campaigns/358313")).status_code == 429
