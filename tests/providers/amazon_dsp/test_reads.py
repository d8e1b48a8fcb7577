"""Amazon DSP reads against the sandbox in-process: a provider that has resolved nothing and planned nothing
reads objects from their `ObjectRef`s alone (the advertiser in their scope), and skips the calls only
fields the project does not set would need."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

from reconciler.errors import PlatformError
from reconciler.model import Address, Operation
from reconciler.providers.amazon_dsp.kinds import CREATE_CAMPAIGN
from reconciler.providers.amazon_dsp.provider import AmazonDspProvider
from reconciler.providers.base import ObjectRef, ProviderConfig
from reconciler.sandbox import create_app

GUIDE, OTHER = "520724305968518499", "520724305968518500"
FLIGHT = {"startDateTime": "2030-01-01T00:00:00Z", "endDateTime": "2030-03-31T23:59:59Z", "budgetAmount": 10}


def provider(app: object) -> AmazonDspProvider:
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    return AmazonDspProvider(ProviderConfig(base_url="http://sandbox/amazon-dsp", transport=transport))


def campaign(key: str) -> Address:
    return Address("amazon_dsp", "campaign", (key,))


def create(key: str, advertiser: str) -> Operation:
    payload = {
        "name": key,
        "optimization": {"bidStrategy": "SPEND_BUDGET_IN_FULL", "goalSetting": {"kpi": "REACH"}},
        "flights": [FLIGHT],
        "frequencies": [{"frequencyType": "UNCAPPED"}],
        "advertiserId": advertiser,
    }
    return Operation(f"create_campaign:{key}", campaign(key), CREATE_CAMPAIGN, payload)


def test_a_fresh_provider_reads_from_its_refs_alone(tmp_path: Path) -> None:
    app = create_app(tmp_path / "s.sqlite")

    async def run() -> None:
        writer = provider(app)
        made = await writer.execute(CREATE_CAMPAIGN, [create("g", GUIDE), create("o", OTHER)], {})
        assert [r.ok for r in made] == [True, True]
        await writer.aclose()
        reader = provider(app)
        refs = [
            ObjectRef(
                campaign("g"), str(made[0].id), {"advertiserId": GUIDE}, frozenset({"name", "flights"})
            ),
            ObjectRef(
                campaign("o"), str(made[1].id), {"advertiserId": OTHER}, frozenset({"trackedProducts"})
            ),
        ]
        live = await reader.read(refs)
        assert (
            live[campaign("g")].attributes["name"] == "g"
            and "trackedProducts" not in live[campaign("g")].attributes
        )
        assert live[campaign("o")].attributes["trackedProducts"] == []
        assert reader.client.session.calls == 1 + 2 + 1  # the token, a list per advertiser, one products GET
        await reader.aclose()

    asyncio.run(run())


def test_an_object_without_an_advertiser_cannot_be_read(tmp_path: Path) -> None:
    reader = provider(create_app(tmp_path / "s.sqlite"))
    with pytest.raises(PlatformError, match="has no advertiser in the state"):
        asyncio.run(reader.read([ObjectRef(campaign("x"), "1")]))
