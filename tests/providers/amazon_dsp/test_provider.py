"""The Amazon DSP provider's I/O logic over a scripted client: names, target sets (waiting for the
defaults of a new ad group, packing sets into requests of 1000, per-set failures)."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

import pytest

from reconciler.errors import ValidationFailed
from reconciler.model import Address, Operation, Resource, SourceLocation
from reconciler.providers.amazon_dsp.provider import VERBS, AmazonDspProvider
from reconciler.providers.base import ProviderConfig

ADVERTISER = "520724305968518499"
AD_GROUP = Address("amazon_dsp", "ad_group", ("q1", "display"))


class ScriptedClient:
    """Answers list calls from `rows` and records writes; a target write fails for `refuse`."""

    def __init__(self) -> None:
        self.rows: dict[str, list[dict[str, Any]]] = {}
        self.writes: list[tuple[str, str, Any]] = []
        self.refuse: set[str] = set()
        self.lists = 0

    async def list_all(
        self, path: str, advertiser: str, body: Mapping[str, Any], key: str
    ) -> list[dict[str, Any]]:
        self.lists += 1
        rows = self.rows.get(path, [])
        if path.endswith("/list") and "filters" in body and isinstance(body["filters"], list):
            value = body["filters"][0]["value"]
            rows = [r for r in rows if value.lower() in r["name"].lower()]
        return list(rows)

    async def request(
        self, method: str, path: str, advertiser: str, *, json: Any = None, idempotent: bool = False
    ) -> dict[str, Any]:
        self.writes.append((method, path, json))
        errors = [
            {"index": i, "errorCode": "INVALID", "errorMessage": "bad domain"}
            for i, t in enumerate(json.get("targets", []))
            if t["adGroupId"] in self.refuse
        ]
        return {"requestId": "r", **({"error": errors} if errors else {})}

    async def aclose(self) -> None:
        return None


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


def provider(client: ScriptedClient, clock: Clock | None = None) -> AmazonDspProvider:
    clock = clock or Clock()
    return AmazonDspProvider(
        ProviderConfig(base_url="http://sandbox/amazon-dsp"),
        client=client,
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
    client.rows["/dsp/v1/geoLocations/list"] = [
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
    client.rows["/dsp/v1/geoLocations/list"] = [
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
    client = ScriptedClient()
    clock = Clock()
    p = provider(client, clock)
    p._created_ad_groups["9"] = (clock.now, "DISPLAY")
    polls = 0

    async def list_all(path: str, advertiser: str, body: Mapping[str, Any], key: str) -> list[dict[str, Any]]:
        nonlocal polls
        polls += 1
        return [_device("9", d) for d in ("DESKTOP", "PHONE", "TABLET")] if clock.now >= 1005 else []

    client.list_all = list_all  # type: ignore[method-assign]
    address = Address("amazon_dsp", "targets", ("q1", "display", "device"))
    op = Operation(
        "put_targets:x",
        address,
        VERBS["put_targets"],
        {
            "type": "device",
            "targets": [{"deviceType": "PHONE", "negative": False}],
            "advertiserId": ADVERTISER,
        },
        refs={"adGroupId": AD_GROUP},
    )
    [result] = asyncio.run(p.execute(p.verbs()["put_targets"], [op], {AD_GROUP: "9"}))
    assert result.ok and result.id == "9/DEVICE"
    assert polls > 1 and clock.now >= 1005
    [(_, path, body)] = client.writes
    assert path == "/dsp/v1/targets/deleteByObject"
    assert sorted(t["targetDetails"]["deviceTarget"]["deviceType"] for t in body["targets"]) == [
        "DESKTOP",
        "TABLET",
    ]


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
                VERBS["replace_targets"],
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
    results = asyncio.run(provider(client).execute(VERBS["replace_targets"], ops, ids))
    assert [len(body["targets"]) for _, _, body in client.writes] == [800, 400]
    assert [r.ok for r in results] == [True, False, True]
    assert results[1].error == "DOMAIN targets of ad group 2: bad domain (INVALID)"
