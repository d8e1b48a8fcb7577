"""The naive client reconciler is compared with: it reads the same manifests and creates every object with
its own API call, 10 calls at once, level after level (campaigns, then what hangs below them, then the
activations), waiting out 429s. This is the script a user would write without the tool, and it runs as one:
`python -m bench.naive PLATFORM PROJECT BASE_URL` prints its calls, 429s and seconds as JSON.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import sys
import time
from collections.abc import Awaitable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bench.api import Amazon, Criteo

CONCURRENCY = 10
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class NaiveRun:
    seconds: float
    calls: int
    throttled: int
    """Answers 429 the naive client received (and waited out)."""


def manifests(root: Path, platform: str) -> list[dict[str, Any]]:
    """The project's manifests of one platform, as plain data with date-times back in their ISO form."""
    found = []
    for path in sorted((root / "campaigns").glob("*.yaml")):
        document = _wire(yaml.load(path.read_text(), Loader=Loader))
        if document.get("platform") == platform:
            found.append(document)
    return found


def _wire(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, dict):
        return {k: _wire(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_wire(v) for v in value]
    return value


async def _each(calls: Iterable[Awaitable[Any]]) -> list[Any]:
    return list(await asyncio.gather(*calls))


def _created(answer: dict[str, Any], field: str) -> str:
    if answer.get("error") or not answer.get("success"):
        raise RuntimeError(f"a create failed: {answer}")
    return str(answer["success"][0][field])


def _without(item: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: v for k, v in item.items() if k not in keys}


async def amazon(root: Path, base: str) -> NaiveRun:
    """Create the project's Amazon DSP portfolio one object a call."""
    started = time.perf_counter()
    documents = manifests(root, "amazon_dsp")
    advertiser = str(documents[0]["advertiserId"])
    async with Amazon(base, advertiser, "bench-naive", CONCURRENCY) as api:
        campaigns = [c for d in documents for c in d["campaigns"]]

        async def create_campaign(campaign: dict[str, Any]) -> str:
            body = _without(campaign, "key", "state", "adGroups", "trackedProducts")
            body.update(advertiserId=advertiser, flights={"flights": campaign["flights"]})
            answer = await api.call("POST", "/dsp/v1/campaigns", json={"campaigns": [body]})
            return _created(answer, "campaignId")

        campaign_ids = await _each(create_campaign(c) for c in campaigns)
        groups = [
            (cid, g) for cid, c in zip(campaign_ids, campaigns, strict=True) for g in c.get("adGroups", [])
        ]

        async def create_ad_group(campaign_id: str, group: dict[str, Any]) -> str:
            body = {**_without(group, "key", "state", "targets", "creatives"), "campaignId": campaign_id}
            return _created(
                await api.call("POST", "/dsp/v1/adGroups", json={"adGroups": [body]}), "adGroupId"
            )

        products = [
            api.call(
                "POST",
                f"/dsp/v1/campaigns/{cid}/conversionTracking/products",
                json={"productTrackingList": c["trackedProducts"]},
            )
            for cid, c in zip(campaign_ids, campaigns, strict=True)
            if c.get("trackedProducts")
        ]
        created = await asyncio.gather(_each(create_ad_group(*g) for g in groups), _each(products))
        group_ids: list[str] = created[0]
        below = []
        for group_id, (_, group) in zip(group_ids, groups, strict=True):
            for target_type, items in (group.get("targets") or {}).items():
                for item in items:
                    below.append(
                        api.call(
                            "POST",
                            "/dsp/v1/targets",
                            json={"targets": [_target(group_id, target_type, item)]},
                        )
                    )
            for creative in group.get("creatives", []):
                association = {
                    "adGroupId": group_id,
                    "adCreativeId": str(creative["creative"]),
                    "state": "ACTIVE",
                }
                path = "/dsp/v1/adCreatives/associations/adGroups"
                below.append(api.call("POST", path, json={"associations": [association]}))
        await _each(below)
        activations = [
            api.call("PATCH", "/dsp/v1/adGroups", json={"adGroups": [{"adGroupId": gid, "state": "ACTIVE"}]})
            for gid, (_, g) in zip(group_ids, groups, strict=True)
            if g.get("state") == "ACTIVE"
        ]
        activations += [
            api.call(
                "PATCH", "/dsp/v1/campaigns", json={"campaigns": [{"campaignId": cid, "state": "ACTIVE"}]}
            )
            for cid, c in zip(campaign_ids, campaigns, strict=True)
            if c.get("state") == "ACTIVE"
        ]
        await _each(activations)
    return NaiveRun(time.perf_counter() - started, api.calls + 1, api.throttled)


def _target(ad_group_id: str, target_type: str, item: dict[str, Any]) -> dict[str, Any]:
    """A manifest target (`location`, `audience`) as the guide's `POST /dsp/v1/targets` item."""
    details = {k: str(v) for k, v in item.items() if k != "negative"}
    details["targetType"] = target_type.upper()
    return {
        "adGroupId": ad_group_id,
        "adProduct": "AMAZON_DSP",
        "state": "ENABLED",
        "negative": bool(item.get("negative", False)),
        "targetDetails": {f"{target_type}Target": details},
    }


async def criteo(root: Path, base: str) -> NaiveRun:
    """Create the project's Criteo portfolio one object a call (starts and audience links one by one too)."""
    started = time.perf_counter()
    documents = manifests(root, "criteo")
    async with Criteo(base, "bench-naive", CONCURRENCY) as api:
        campaigns = [(str(d["advertiserId"]), c) for d in documents for c in d["campaigns"]]

        async def create_campaign(advertiser: str, campaign: dict[str, Any]) -> str:
            attributes = {**_without(campaign, "key", "adSets"), "advertiserId": advertiser}
            created = await api.data(
                "POST", "/campaigns", {"data": {"type": "Campaign", "attributes": attributes}}
            )
            return str(created["id"])

        campaign_ids = await _each(create_campaign(*c) for c in campaigns)
        ad_sets = [(cid, s) for cid, (_, c) in zip(campaign_ids, campaigns, strict=True) for s in c["adSets"]]

        async def create_ad_set(campaign_id: str, ad_set: dict[str, Any]) -> str:
            attributes = {**_without(ad_set, "key", "activation", "audience"), "campaignId": campaign_id}
            created = await api.data(
                "POST", "/ad-sets", {"data": {"type": "AdSet", "attributes": attributes}}
            )
            return str(created["id"])

        ad_set_ids = await _each(create_ad_set(*s) for s in ad_sets)
        after = []
        for ad_set_id, (_, ad_set) in zip(ad_set_ids, ad_sets, strict=True):
            if ad_set.get("activation") in ("on", True):
                after.append(
                    api.call(
                        "POST",
                        "/2027-01/marketing-solutions/ad-sets/start",
                        json={"data": [{"id": ad_set_id, "type": "AdSetId"}]},
                    )
                )
            if ad_set.get("audience"):
                link = {
                    "id": ad_set_id,
                    "type": "AdSetAudience",
                    "attributes": {"audienceId": str(ad_set["audience"])},
                }
                after.append(
                    api.call(
                        "PUT",
                        f"/2027-01/marketing-solutions/ad-sets/{ad_set_id}/audience",
                        json={"data": link},
                    )
                )
        await _each(after)
    return NaiveRun(time.perf_counter() - started, api.calls + 1, api.throttled)


def main(argv: list[str]) -> int:
    platform, root, base = argv
    clients = {"amazon_dsp": amazon, "criteo": criteo}
    done = asyncio.run(clients[platform](Path(root), base))
    print(json.dumps({"seconds": done.seconds, "calls": done.calls, "throttled": done.throttled}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
