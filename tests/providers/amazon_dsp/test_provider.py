"""The Amazon DSP provider's I/O logic over a scripted client: names, target sets (waiting for the
defaults of a new ad group, packing sets into requests of 1000, per-set failures), and what interrupted
creates of ad groups made."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pytest

from reconciler.errors import ValidationFailed
from reconciler.model import Address, Operation, Resource, SourceLocation
from reconciler.providers.amazon_dsp.kinds import CREATE_AD_GROUP, PUT_TARGETS, REPLACE_TARGETS
from reconciler.providers.amazon_dsp.provider import AmazonDspProvider
from reconciler.providers.base import ProviderConfig
from tests.providers.fake_time import Clock

ADVERTISER = "520724305968518499"
AD_GROUP = Address("amazon_dsp", "ad_group", ("q1", "display"))


class ScriptedClient:
    """Answers discovery and target lists from `rows`, records writes; a target write fails for the ad groups
    in `refuse`; an ad group create answers the ids in `ad_group_ids`."""

    label = "Amazon DSP"

    def __init__(self) -> None:
        self.locations: list[dict[str, Any]] = []
        self.targets: Callable[[], list[dict[str, Any]]] = list
        self.writes: list[tuple[str, Any]] = []
        self.refuse: set[str] = set()
        self.ad_group_ids: list[str] = []
        self.ad_groups: list[dict[str, Any]] = []
        self.lists = 0
        self.listed: list[Sequence[str]] = []

    async def find_locations(
        self, advertiser: str, filters: Sequence[Mapping[str, Any]]
    ) -> list[dict[str, Any]]:
        self.lists += 1
        values = [f["value"].strip("*").lower() for f in filters]
        return [r for r in self.locations if any(v in r["name"].lower() for v in values)]

    async def list_targets(
        self, advertiser: str, ad_group_ids: Sequence[str], types: Sequence[str]
    ) -> list[dict[str, Any]]:
        self.lists += 1
        return self.targets()

    async def list_ad_groups(
        self, advertiser: str, ids: Sequence[str] = (), campaign_ids: Sequence[str] = ()
    ) -> list[dict[str, Any]]:
        self.listed.append(list(campaign_ids))
        return [g for g in self.ad_groups if g["campaignId"] in campaign_ids]

    async def _targets(self, name: str, targets: Sequence[dict[str, Any]]) -> dict[str, Any]:
        self.writes.append((name, list(targets)))
        errors = [
            {"index": i, "errorCode": "INVALID", "errorMessage": "bad domain"}
            for i, t in enumerate(targets)
            if t["adGroupId"] in self.refuse
        ]
        return {"requestId": "r", **({"error": errors} if errors else {})}

    async def create_targets(self, advertiser: str, targets: Sequence[dict[str, Any]]) -> dict[str, Any]:
        return await self._targets("create_targets", targets)

    async def delete_targets(self, advertiser: str, targets: Sequence[dict[str, Any]]) -> dict[str, Any]:
        return await self._targets("delete_targets", targets)

    async def create_ad_groups(self, advertiser: str, ad_groups: Sequence[dict[str, Any]]) -> dict[str, Any]:
        self.writes.append(("create_ad_groups", list(ad_groups)))
        return {"success": [{"index": i, "adGroupId": g} for i, g in enumerate(self.ad_group_ids)]}

    async def aclose(self) -> None:
        return None


def provider(client: ScriptedClient, clock: Clock | None = None) -> AmazonDspProvider:
    clock = clock or Clock()
    return AmazonDspProvider(
        ProviderConfig(base_url="http://sandbox/amazon-dsp"),
        client=client,  # type: ignore[arg-type]
        clock=clock,
        sleep=clock.sleep,  # type: ignore[arg-type]
    )


def located_targets(targets: list[dict[str, Any]]) -> Resource:
    return Resource(
        Address("amazon_dsp", "targets", ("q1", "display", "location")),
        {"targets": targets},
        parent=AD_GROUP,
        scope={"advertiserId": ADVERTISER},
        locations={"targets.0.geoLocation": SourceLocation("campaigns/q1.yaml", 40, 15)},
    )


def test_names_resolve_to_ids_and_targets_are_sorted_again() -> None:
    client = ScriptedClient()
    client.locations = [
        {"geoLocationId": "zz", "name": "New York"},
        {"geoLocationId": "nyc", "name": "New York City"},
    ]
    resource = located_targets(
        [{"geoLocation": {"name": "new york"}, "negative": False}, {"geoLocation": "aa", "negative": False}]
    )
    [resolved] = asyncio.run(provider(client).resolve([resource]))
    assert resolved.attributes == {
        "targets": [{"geoLocation": "aa", "negative": False}, {"geoLocation": "zz", "negative": False}]
    }


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Springfield", "2 locations are named 'Springfield': 'Springfield' (il), 'Springfield' (mo)"),
        ("Atlantis", "no location is named 'Atlantis' (candidates: none)"),
    ],
)
def test_unresolvable_names_are_located_errors_with_candidates(name: str, expected: str) -> None:
    client = ScriptedClient()
    client.locations = [
        {"geoLocationId": "il", "name": "Springfield"},
        {"geoLocationId": "mo", "name": "Springfield"},
    ]
    with pytest.raises(ValidationFailed) as failed:
        asyncio.run(
            provider(client).resolve([located_targets([{"geoLocation": {"name": name}, "negative": False}])])
        )
    [problem] = failed.value.diagnostics
    assert str(problem).startswith("campaigns/q1.yaml:40:15: error amazon_dsp.targets.q1/display/location")
    assert expected in problem.message


def _device(ad_group_id: str, device: str) -> dict[str, Any]:
    return {
        "adGroupId": ad_group_id,
        "negative": False,
        "targetDetails": {"deviceTarget": {"deviceType": device, "targetType": "DEVICE"}},
    }


def test_a_new_ad_groups_defaults_are_awaited_then_replaced() -> None:
    """The ad group is made in this apply: its DEVICE defaults appear 5 s later, then are replaced."""
    client = ScriptedClient()
    clock = Clock()
    p = provider(client, clock)
    client.ad_group_ids = ["9"]
    made = Operation(
        "create_ad_group:x",
        AD_GROUP,
        CREATE_AD_GROUP,
        {"name": "AG", "inventoryType": "DISPLAY", "campaignId": "1", "advertiserId": ADVERTISER},
    )
    [created] = asyncio.run(p.execute(CREATE_AD_GROUP, [made], {}))
    assert created.ok and created.id == "9"
    appears = clock.now + 5
    client.targets = lambda: (
        [_device("9", d) for d in ("DESKTOP", "PHONE", "TABLET")] if clock.now >= appears else []
    )
    address = Address("amazon_dsp", "targets", ("q1", "display", "device"))
    op = Operation(
        "put_targets:x",
        address,
        PUT_TARGETS,
        {
            "type": "device",
            "targets": [{"deviceType": "PHONE", "negative": False}],
            "advertiserId": ADVERTISER,
        },
        refs={"adGroupId": AD_GROUP},
    )
    [result] = asyncio.run(p.execute(PUT_TARGETS, [op], {AD_GROUP: "9"}))
    assert result.ok and result.id == "9/DEVICE"
    assert client.lists > 1 and clock.now >= appears
    [(name, body)] = client.writes[1:]
    assert name == "delete_targets"
    assert sorted(t["targetDetails"]["deviceTarget"]["deviceType"] for t in body) == ["DESKTOP", "TABLET"]


def test_target_sets_share_requests_of_1000_and_fail_alone() -> None:
    client = ScriptedClient()
    client.refuse = {"2"}
    ops = []
    ids = {}
    for n in range(1, 4):
        ad_group = Address("amazon_dsp", "ad_group", ("q1", f"g{n}"))
        ids[ad_group] = str(n)
        domains = [
            {
                "domainTargetDetails": {
                    "domainName": {"domainName": f"d{i}.example", "domainTargetType": "DOMAIN_NAME"}
                },
                "negative": True,
            }
            for i in range(400)
        ]
        ops.append(
            Operation(
                f"put_targets:{n}",
                Address("amazon_dsp", "targets", ("q1", f"g{n}", "domain")),
                REPLACE_TARGETS,
                {
                    "type": "domain",
                    "targets": domains,
                    "delete": [],
                    "add": domains,
                    "advertiserId": ADVERTISER,
                },
                id=f"{n}/DOMAIN",
            )
        )
    results = asyncio.run(provider(client).execute(REPLACE_TARGETS, ops, ids))
    assert [len(body) for _, body in client.writes] == [800, 400]
    assert [r.ok for r in results] == [True, False, True]
    assert results[1].error == "DOMAIN targets of ad group 2: bad domain (INVALID)"


def test_a_new_ad_groups_type_without_defaults_is_written_without_a_read() -> None:
    """The platform adds no LOCATION targets to a new ad group: its location set is posted without a read."""
    client = ScriptedClient()
    p = provider(client)
    client.ad_group_ids = ["9"]
    made = Operation(
        "create_ad_group:x",
        AD_GROUP,
        CREATE_AD_GROUP,
        {"name": "AG", "inventoryType": "DISPLAY", "campaignId": "1", "advertiserId": ADVERTISER},
    )
    asyncio.run(p.execute(CREATE_AD_GROUP, [made], {}))
    op = Operation(
        "put_targets:y",
        Address("amazon_dsp", "targets", ("q1", "display", "location")),
        PUT_TARGETS,
        {
            "type": "location",
            "targets": [{"geoLocation": "US", "negative": False}],
            "advertiserId": ADVERTISER,
        },
        refs={"adGroupId": AD_GROUP},
    )
    [result] = asyncio.run(p.execute(PUT_TARGETS, [op], {AD_GROUP: "9"}))
    assert result.ok and result.id == "9/LOCATION"
    assert client.lists == 0
    assert [name for name, _ in client.writes] == ["create_ad_groups", "create_targets"]


def test_ad_groups_left_under_way_are_found_by_name_under_their_own_campaign_with_one_list() -> None:
    client = ScriptedClient()
    client.ad_groups = [
        {"adGroupId": "610000000000000001", "campaignId": "600000000000000001", "name": "display"},
        {"adGroupId": "610000000000000002", "campaignId": "600000000000000002", "name": "display"},
        {"adGroupId": "610000000000000003", "campaignId": "600000000000000002", "name": "video"},
    ]

    def ad_group(campaign: str, name: str) -> Resource:
        address = Address("amazon_dsp", "ad_group", (campaign, name))
        return Resource(address, {"name": name}, scope={"advertiserId": ADVERTISER})

    created = [
        (ad_group("q1", "display"), "600000000000000001"),
        (ad_group("q2", "display"), "600000000000000002"),
        (ad_group("q2", "audio"), "600000000000000002"),  # never made
    ]
    made = asyncio.run(provider(client).find_created(created))
    assert made == {
        Address("amazon_dsp", "ad_group", ("q1", "display")): ["610000000000000001"],
        Address("amazon_dsp", "ad_group", ("q2", "display")): ["610000000000000002"],
    }
    assert client.listed == [["600000000000000001", "600000000000000002"]]  # one list for both campaigns
