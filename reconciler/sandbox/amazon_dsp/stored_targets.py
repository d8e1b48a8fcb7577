"""How the sandbox stores an ad group's targets: one `targets` document per (ad group, target type), id
`<adGroupId>:<details key>`, so that a list filtered by type (the reconciler's reads) loads only those and
not the 168 day parts every ad group gets by default. Pure: the handlers read and write the documents."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def row_id(ad_group_id: str, key: str) -> str:
    """The id of the document holding an ad group's targets of one details key (`dayPartTarget`, …)."""
    return f"{ad_group_id}:{key}"


def rows(
    ad_group_id: str, advertiser_id: str, targets: Iterable[dict[str, Any]]
) -> dict[str, dict[str, Any]]:
    """The documents (by id) holding these targets of one ad group, one per details key."""
    found: dict[str, dict[str, Any]] = {}
    for target in targets:
        doc = found.setdefault(
            row_id(ad_group_id, next(iter(target["targetDetails"]))),
            {"adGroupId": ad_group_id, "advertiserId": advertiser_id, "targets": []},
        )
        doc["targets"].append(target)
    return found


def in_order(targets: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Targets in the order they were made (their ids count up)."""
    return sorted(targets, key=lambda t: (len(t["targetId"]), t["targetId"]))
