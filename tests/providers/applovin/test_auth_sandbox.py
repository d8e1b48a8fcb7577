"""TokenSource against the AppLovin sandbox in-process: scopes reach the token, expired tokens are renewed,
and third-party refresh tokens rotate with the spent ones refused by the platform."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from starlette.applications import Starlette

from reconciler.providers.applovin.auth import TokenSource
from reconciler.providers.base import ProviderConfig
from reconciler.sandbox import create_app

pytestmark = pytest.mark.anyio
API = "/applovin/campaign_management/v1"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def app(tmp_path: Path) -> Starlette:
    return create_app(tmp_path / "sandbox.sqlite")


@pytest.fixture
async def http(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sandbox") as c:
        yield c


async def third_party(http: httpx.AsyncClient) -> dict[str, Any]:
    apps = (await http.get("/_sandbox/fixtures")).json()["applovin"]["oauth_apps"]
    return dict(next(a for a in apps if a["kind"] == "third_party"))


def tokens_for(app: Starlette, client: dict[str, Any], **options: Any) -> TokenSource:
    config = ProviderConfig(
        base_url="http://sandbox/applovin",
        credentials={"client_id": client["client_id"], "client_secret": client["client_secret"]},
        transport=httpx.ASGITransport(app=app),
        options=options,
    )
    return TokenSource(config)


async def call(http: httpx.AsyncClient, token: str, method: str = "GET", path: str = "/campaigns") -> int:
    response = await http.request(method, API + path, headers={"Authorization": f"Bearer {token}"}, json={})
    return response.status_code


async def test_first_party_scopes_reach_the_token_and_a_401_is_renewed(
    app: Starlette, http: httpx.AsyncClient
) -> None:
    tokens = tokens_for(
        app, {"client_id": "acme-first-party", "client_secret": "x"}, scopes=["campaigns:read"]
    )
    token = await tokens.token()
    assert await call(http, token) == 200
    assert await call(http, token, "POST", "/campaign") == 403, "only the configured scope was granted"
    assert (await http.post("/_sandbox/applovin/tokens/expire")).status_code == 200
    assert await call(http, token) == 401
    assert await tokens.token() == token, "the client does not know yet: the 401 tells it"
    renewed = await tokens.refreshed(token)
    assert renewed != token and await call(http, renewed) == 200


async def test_third_party_login_then_rotation_shared_by_two_token_sources(
    app: Starlette, http: httpx.AsyncClient, tmp_path: Path
) -> None:
    client = await third_party(http)
    options = {
        "auth": "third_party",
        "redirect_uri": client["redirect_uri"],
        "token_file": str(tmp_path / "t.json"),
    }
    login = tokens_for(app, client, **options)
    redirect = await login.consent_in_sandbox(login.authorization_url("s1"))
    assert parse_qs(urlsplit(redirect).query)["state"] == ["s1"]
    await login.authorize(login.code_from_redirect(redirect, "s1"))
    spent = [json.loads((tmp_path / "t.json").read_text())["refresh_token"]]

    first, second = tokens_for(app, client, **options), tokens_for(app, client, **options)
    access = await asyncio.gather(first.token(), second.token())
    assert all([await call(http, a) == 200 for a in access])
    spent.append(json.loads((tmp_path / "t.json").read_text())["refresh_token"])
    await first.refreshed(access[0])
    newest = json.loads((tmp_path / "t.json").read_text())["refresh_token"]
    assert newest not in spent
    for old in spent:
        answer = await http.post(
            "/applovin/oauth/v1/access_token",
            data={
                "grant_type": "refresh_token",
                "client_id": client["client_id"],
                "client_secret": client["client_secret"],
                "refresh_token": old,
            },
        )
        assert answer.status_code == 400 and "already used" in answer.json()["error"]["message"]
    third = tokens_for(app, client, **options)
    assert await call(http, await third.token()) == 200, "the stored token is the newest, still valid one"
