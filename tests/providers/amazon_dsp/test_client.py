"""The Amazon DSP client against the sandbox in-process: Login with Amazon, headers, pages, throttling,
errors without secrets."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

from reconciler.errors import CredentialsError
from reconciler.providers.amazon_dsp.client import AmazonApiError, AmazonDspClient
from reconciler.providers.base import ProviderConfig
from reconciler.providers.kit.http import Timing
from reconciler.sandbox import create_app
from reconciler.sandbox.amazon_dsp.settings import Settings as AmazonSettings
from reconciler.sandbox.settings import SandboxSettings

ADVERTISER = "520724305968518499"
SECRET = "very-secret-value"


def client_for(tmp_path: Path, settings: SandboxSettings | None = None, **kwargs: object) -> AmazonDspClient:
    app = create_app(tmp_path / "s.sqlite", settings)
    config = ProviderConfig(
        base_url="http://sandbox/amazon-dsp",
        transport=httpx.ASGITransport(app=app),
        credentials={"client_id": "acme", "client_secret": SECRET, "refresh_token": "Atzr|secret-refresh"},
    )
    return AmazonDspClient(config, **kwargs)  # type: ignore[arg-type]


def test_every_page_of_a_list_with_one_token(tmp_path: Path) -> None:
    async def run() -> None:
        client = client_for(tmp_path)
        rows = await client.find_audiences(ADVERTISER, [])
        assert len(rows) > 600 and len({r["audienceId"] for r in rows}) == len(rows)
        assert client.session.calls == 1 + -(-len(rows) // 100)  # the token, then one call a page
        assert client.token_requests == 1
        await client.aclose()

    asyncio.run(run())


def test_throttled_calls_wait_the_advertised_delay_and_succeed(tmp_path: Path) -> None:
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        await asyncio.sleep(min(seconds, 1.05))

    async def run() -> None:
        client = client_for(
            tmp_path,
            SandboxSettings(platforms={"amazon_dsp": AmazonSettings(rate_limit_per_second=2)}),
            timing=Timing(sleep=sleep),
        )
        canada = [{"field": "NAME", "value": "Canada", "include": True}]
        found = await asyncio.gather(*(client.find_locations(ADVERTISER, canada) for _ in range(5)))
        assert all([r["name"] for r in rows] == ["Canada"] for rows in found)
        await client.aclose()

    asyncio.run(run())
    assert waits and waits[0] >= 1  # the advertised second, then the pace of the limit learned from it


def test_a_refused_call_names_the_status_and_message_but_no_secret(tmp_path: Path) -> None:
    async def run() -> None:
        client = client_for(tmp_path)
        with pytest.raises(AmazonApiError) as refused:
            await client.create_campaigns(ADVERTISER, [])
        assert refused.value.status == 400
        assert "POST /dsp/v1/campaigns failed with HTTP 400" in refused.value.message
        assert SECRET not in refused.value.message and "secret-refresh" not in repr(client)
        await client.aclose()

    asyncio.run(run())


def test_a_real_endpoint_needs_every_credential() -> None:
    client = AmazonDspClient(
        ProviderConfig(base_url="https://advertising-api.amazon.com", credentials={"client_id": "x"})
    )
    with pytest.raises(CredentialsError) as missing:
        asyncio.run(client.list_campaigns(ADVERTISER))
    assert "`client_id`, `client_secret` and `refresh_token` are required" in missing.value.message
