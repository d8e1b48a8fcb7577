"""The AppLovin provider over a scripted transport: pages, composite ids, ad claims and settling."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable

import httpx

from reconciler.model import Address, Operation, Severity
from reconciler.providers.applovin.client import PAGE
from reconciler.providers.applovin.kinds import CLAIM_AD, UPDATE_SOURCE_BIDS
from reconciler.providers.applovin.provider import AppLovinProvider
from reconciler.providers.base import ObjectRef, ProviderConfig

API = "/applovin/campaign_management/v1"


class Tokens:
    def __init__(self) -> None:
        self.refreshes = 0

    async def token(self) -> str:
        return "t1" if not self.refreshes else "t2"

    async def refreshed(self, stale: str | None = None) -> str:
        self.refreshes += 1
        return "t2"

    async def aclose(self) -> None:
        pass


def make(handler: Callable[[httpx.Request], httpx.Response]) -> tuple[AppLovinProvider, list[httpx.Request]]:
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return handler(request)

    config = ProviderConfig(base_url="http://sandbox/applovin", transport=httpx.MockTransport(record))

    async def no_sleep(_: float) -> None:
        return None

    return AppLovinProvider(config, tokens=Tokens(), sleep=no_sleep), seen


ROWS = [
    {"app_id": f"app{i}", "country": "us", "bid_value": 1.5, "bid_override_percentage": "default"}
    for i in range(2500)
]


def paged(request: httpx.Request) -> httpx.Response:
    limit, offset = int(request.url.params["limit"]), int(request.url.params["offset"])
    return httpx.Response(
        200,
        json={
            "limit": limit,
            "offset": offset,
            "total_row_count": len(ROWS),
            "source_bids": ROWS[offset : offset + min(limit, 1000)],
        },
    )


async def _source_bids_are_read_page_by_page_until_the_total() -> None:
    provider, seen = make(paged)
    address = Address("applovin", "source_bids", ("ua",))
    live = await provider.read([ObjectRef(address, "c1")])
    assert len(live[address].attributes["keys"]) == 2500
    assert [int(r.url.params["offset"]) for r in seen] == [0, 1000, 2000]
    assert all(int(r.url.params["limit"]) == PAGE for r in seen)


async def _source_bid_rows_go_in_one_request_and_a_401_refreshes_once() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.headers["authorization"] == "Bearer t1":
            return httpx.Response(401, json={"error": {"code": "invalid_token", "message": "expired"}})
        return httpx.Response(200, json={})

    provider, seen = make(handler)
    op = Operation(
        "k", Address("applovin", "source_bids", ("ua",)), UPDATE_SOURCE_BIDS, {"rows": ROWS}, id="c1"
    )
    [result] = await provider.execute(op.verb, [op], {})
    assert result.ok and result.id == "c1"
    assert [r.headers["authorization"] for r in seen] == ["Bearer t1", "Bearer t2"]
    assert len(json.loads(seen[-1].content)) == 2500


SET = {
    "id": "s1",
    "name": "Portrait",
    "sizes": {"INTER": True},
    "assets": [
        {"type": "IMG_INTER_P", "asset": "https://res/p.png", "status": "ready"},
        {"type": "IMG_INTER_L", "asset": "https://res/l.png", "status": "ready"},
        {
            "type": "VID_SHORT_P",
            "asset": "https://res/v.mp4",
            "status": "error",
            "error_message": "bad codec",
        },
    ],
    "ads": [{"id": "ad9", "size": "INTER", "template": "Standard", "name": "x", "status": True}],
}


def sets(request: httpx.Request) -> httpx.Response:
    if request.url.path == f"{API}/creative_sets/c1":
        return httpx.Response(200, json=[SET])
    if request.url.path == f"{API}/ad/ad9":
        return httpx.Response(200, json={"id": "ad9"})
    return httpx.Response(404, json={"error": {"code": "not_found", "message": "no such object"}})


async def _creative_sets_assets_and_ads_are_read_through_their_campaign() -> None:
    provider, seen = make(sets)
    s = Address("applovin", "creative_set", ("ua", "p"))
    asset = Address("applovin", "asset", ("ua", "p", "VID_SHORT_P"))
    ad = Address("applovin", "ad", ("ua", "p", "std"))
    gone = Address("applovin", "asset", ("ua", "p", "TXT_TITLE"))
    live = await provider.read(
        [
            ObjectRef(s, "c1/s1"),
            ObjectRef(asset, "c1/s1/VID_SHORT_P"),
            ObjectRef(ad, "c1/s1/INTER/Standard"),
            ObjectRef(gone, "c1/s1/TXT_TITLE"),
        ]
    )
    assert live[s].attributes["sizes"] == {"INTER": True}
    assert live[asset].attributes["status"] == "error"
    assert live[ad].attributes["ad_id"] == "ad9"
    assert gone not in live
    assert len(seen) == 1


def listed(request: httpx.Request) -> httpx.Response:
    if request.url.path == f"{API}/campaigns":
        return httpx.Response(
            200,
            json=[
                {"campaign_id": f"c{i}", "name": f"UA {i}", "status": True, "bid_type": "CPI"}
                for i in range(1, 4)
            ],
        )
    if request.url.path.startswith(f"{API}/campaign_targets/"):
        return httpx.Response(200, json={"countries": {}})
    return httpx.Response(404, json={"error": {"code": "not_found", "message": "no such object"}})


async def _campaigns_are_read_with_one_call_for_all() -> None:
    provider, seen = make(listed)
    refs = [ObjectRef(Address("applovin", "campaign", (f"ua{i}",)), f"c{i}") for i in range(1, 5)]
    targets = ObjectRef(Address("applovin", "targets", ("ua1",)), "c1")
    live = await provider.read([*refs, targets])
    assert [live[r.address].attributes["name"] for r in refs[:3]] == ["UA 1", "UA 2", "UA 3"]
    assert refs[3].address not in live  # gone from AppLovin
    assert targets.address in live
    paths = sorted(r.url.path.removeprefix(API) for r in seen)
    assert paths == ["/campaign_targets/c1", "/campaigns"]


async def _a_claimed_ad_gets_its_name_and_a_failed_asset_is_an_apply_error() -> None:
    provider, seen = make(sets)
    ad = Address("applovin", "ad", ("ua", "p", "std"))
    parent = Address("applovin", "creative_set", ("ua", "p"))
    op = Operation(
        "claim",
        ad,
        CLAIM_AD,
        {"size": "INTER", "template": "Standard", "name": "Std"},
        refs={"creative_set": parent},
    )
    [result] = await provider.execute(provider.verbs()["claim_ad"], [op], {parent: "c1/s1"})
    assert result.ok and result.id == "c1/s1/INTER/Standard"
    assert json.loads(seen[-1].content) == {"name": "Std"}
    asset = Address("applovin", "asset", ("ua", "p", "VID_SHORT_P"))
    [error] = await provider.settle([ObjectRef(asset, "c1/s1/VID_SHORT_P")], wait=True, progress=None)
    assert error.severity == Severity.ERROR and error.address == str(asset) and "bad codec" in error.message
    assert await provider.settle([ObjectRef(asset, "c1/s1/VID_SHORT_P")], wait=False, progress=None) == []


async def _an_ad_whose_assets_failed_is_not_waited_for() -> None:
    provider, _ = make(sets)
    parent = Address("applovin", "creative_set", ("ua", "p"))
    op = Operation(
        "claim",
        Address("applovin", "ad", ("ua", "p", "v")),
        CLAIM_AD,
        {"size": "INTER", "template": "Portrait — Under 15s"},
        refs={"creative_set": parent},
    )
    [result] = await provider.execute(provider.verbs()["claim_ad"], [op], {parent: "c1/s1"})
    assert not result.ok and "bad codec" in result.error


def test_source_bids_are_read_page_by_page_until_the_total() -> None:
    asyncio.run(_source_bids_are_read_page_by_page_until_the_total())


def test_source_bid_rows_go_in_one_request_and_a_401_refreshes_once() -> None:
    asyncio.run(_source_bid_rows_go_in_one_request_and_a_401_refreshes_once())


def test_creative_sets_assets_and_ads_are_read_through_their_campaign() -> None:
    asyncio.run(_creative_sets_assets_and_ads_are_read_through_their_campaign())


def test_campaigns_are_read_with_one_call_for_all() -> None:
    asyncio.run(_campaigns_are_read_with_one_call_for_all())


def test_a_claimed_ad_gets_its_name_and_a_failed_asset_is_an_apply_error() -> None:
    asyncio.run(_a_claimed_ad_gets_its_name_and_a_failed_asset_is_an_apply_error())


def test_an_ad_whose_assets_failed_is_not_waited_for() -> None:
    asyncio.run(_an_ad_whose_assets_failed_is_not_waited_for())
