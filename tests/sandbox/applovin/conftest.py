"""Fixtures of the AppLovin sandbox tests: an in-process AppLovin client (httpx over ASGITransport)
logged in with client credentials, a controllable clock, and helpers for common objects."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

import reconciler.sandbox.applovin.settings as applovin_settings
from reconciler.sandbox import SandboxSettings, create_app
from tests.sandbox.conftest import Clock

API = "/applovin/campaign_management/v1"
TOKEN = "/applovin/oauth/v1/access_token"
ALL = "campaigns:write creatives:write source_bids:write"


@dataclass
class AppLovin:
    http: httpx.AsyncClient
    token: str = ""

    async def login(self, scope: str = ALL, client_id: str = "test-client") -> httpx.Response:
        response = await self.http.post(
            TOKEN,
            data={
                "grant_type": "client_credentials",
                "client_id": client_id,
                "client_secret": "secret",
                "scope": scope,
            },
        )
        if response.status_code == 200:
            self.token = response.json()["access_token"]
        return response

    async def call(self, method: str, path: str, body: Any = None, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        if body is not None:
            kwargs["json"] = body
        return await self.http.request(method, API + path, headers=headers, **kwargs)

    async def ok(self, method: str, path: str, body: Any = None, **kwargs: Any) -> Any:
        response = await self.call(method, path, body, **kwargs)
        assert response.status_code == 200, response.text
        return response.json()

    async def campaign(self, **fields: Any) -> str:
        body = {"name": "Puzzle", "platform": "ios", "package_name": "1234567890", **fields}
        return str((await self.ok("POST", "/campaign", body))["campaign_id"])

    async def creative_set(self, campaign_id: str, **fields: Any) -> str:
        body = {"name": "Set", "campaign_id": campaign_id, "languages": ["en"], **fields}
        return str((await self.ok("POST", "/creative_set", body))["id"])

    async def asset(self, set_id: str, **fields: str) -> httpx.Response:
        files = fields.pop("files", None)
        return await self.call("POST", f"/creative_set_assets/{set_id}", data=fields, files=files)


@pytest.fixture
def make_app(tmp_path: Path, clock: Clock) -> Callable[..., Starlette]:
    def make(**settings: Any) -> Starlette:
        general = {k: settings.pop(k) for k in ("clock", "faults") if k in settings}
        general.setdefault("clock", clock)
        own = applovin_settings.Settings(**settings)  # this emulator's knobs
        return create_app(tmp_path / "s.sqlite", SandboxSettings(**general, platforms={"applovin": own}))

    return make


@pytest.fixture
def connect(make_app: Callable[..., Starlette]) -> Callable[..., httpx.AsyncClient]:
    def open_client(**settings: Any) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=make_app(**settings))
        return httpx.AsyncClient(transport=transport, base_url="http://sandbox")

    return open_client


@pytest.fixture
async def applovin(connect: Callable[..., httpx.AsyncClient]) -> AsyncIterator[AppLovin]:
    async with connect() as http:
        client = AppLovin(http)
        assert (await client.login()).status_code == 200
        yield client
