"""How the sandbox stores an ad group's targets: one `targets` document per (ad group, target type), id
`<adGroupId>:<details key>`, so that a list filtered by type (the reconciler's reads) loads only those and
not the 168 day parts every ad group gets by default.

A new ad group's default targets are not written out: one small `default_targets` record (its inventory
type, eligible exchanges, first target id and when they become visible) stands for them, and a type's
document is made from it when first read (`expanded`) — exactly the document that would have been
stored — until a write stores that type's document. Pure: the handlers read and write the documents."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from reconciler.sandbox.amazon_dsp.defaults import default_details

DEFAULTS_KIND = "default_targets"
"""The kind of the record standing for an ad group's default targets (id: the ad group's)."""


def row_id(ad_group_id: str, key: str) -> str:
    """The id of the document holding an ad group's targets of one details key (`dayPartTarget`, …)."""
    return f"{ad_group_id}:{key}"


def defaults_record(
    advertiser_id: str, inventory_type: str, exchange_ids: Sequence[str], first_id: str, visible_at: float
) -> dict[str, Any]:
    """The record standing for an ad group's default targets, numbered from `first_id` on."""
    return {
        "advertiserId": advertiser_id,
        "inventoryType": inventory_type,
        "exchangeIds": list(exchange_ids),
        "firstTargetId": first_id,
        "visibleAt": visible_at,
    }


def default_count(inventory_type: str, exchange_ids: Sequence[str]) -> int:
    """How many default targets (and target ids) a new ad group gets."""
    return len(default_details(inventory_type, tuple(exchange_ids)))


@lru_cache(maxsize=64)
def _by_key(inventory_type: str, exchange_ids: tuple[str, ...]) -> dict[str, list[tuple[int, Any]]]:
    """(offset from the first id, details) of the default targets, by details key."""
    found: dict[str, list[tuple[int, Any]]] = {}
    for offset, (key, inner) in enumerate(default_details(inventory_type, exchange_ids)):
        found.setdefault(key, []).append((offset, inner))
    return found


def expanded(ad_group_id: str, record: dict[str, Any], key: str) -> dict[str, Any] | None:
    """The document of the ad group's default targets of one details key, as stored documents read
    (keys in sorted order); None when it has no default target of that key."""
    made = _by_key(record["inventoryType"], tuple(record["exchangeIds"])).get(key)
    if not made:
        return None
    first = int(record["firstTargetId"])
    targets = [
        {
            "adGroupId": ad_group_id,
            "adProduct": "AMAZON_DSP",
            "state": "ENABLED",
            "negative": False,
            "targetDetails": {key: inner},
            "targetId": str(first + offset),
            "visibleAt": record["visibleAt"],
        }
        for offset, inner in made
    ]
    doc = {"adGroupId": ad_group_id, "advertiserId": record["advertiserId"], "targets": targets}
    result: dict[str, Any] = json.loads(json.dumps(doc, sort_keys=True))
    return result


def in_order(targets: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Targets in the order they were made (their ids count up)."""
    return sorted(targets, key=lambda t: (len(t["targetId"]), t["targetId"]))
