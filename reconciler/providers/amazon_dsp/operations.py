"""Amazon DSP changes → operations (pure): which calls carry out a create, an update or a retirement, and
in which order. Campaigns and ad groups are created without a state and activated by a `final` PATCH once
everything below them exists ("activation cannot be done during campaign or ad group creation"); flights
are deleted, then updated, then created; tracked products are deleted before they are added again;
conversion definitions are associated (ADD, again for a changed `isOptimized`) and dissociated (REMOVE) in
one request between the campaign's create and its activation ("you must associate conversion definitions to
the campaign" before a COST_PER_ACTION campaign runs); a target
set becomes deletes and posts of single targets. Every payload carries the advertiser (the account header
of its call).

Two rules need the live objects, so they are checked here, at plan time: a flight that has started cannot
be deleted, and no new ad group may use a deprecated inventory type.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from reconciler.errors import PlatformError, ValidationFailed
from reconciler.model import Action, Change, Operation
from reconciler.providers.amazon_dsp import kinds, mapping
from reconciler.providers.amazon_dsp.checks import DEPRECATED_INVENTORY
from reconciler.providers.base import located
from reconciler.providers.kit.provider import operation

FLIGHTS_ON_CREATE = 12
"""The campaign guide: "During campaign creation, you may create up to 12 flights in the campaign creation
request." More are added with the flights endpoint once the campaign exists."""


def operations(change: Change, advertiser: str, now: datetime | None = None) -> list[Operation]:
    """The operations of one change; `now` (default: the current time) tells which flights have started."""
    kind = change.address.kind
    if kind == "campaign":
        ops = _campaign(change, now or datetime.now(UTC))
    elif kind == "ad_group":
        ops = _ad_group(change)
    elif kind == "targets":
        ops = _targets(change)
    elif kind == "creative_association":
        ops = _association(change)
    else:
        raise PlatformError(f"{change.address}: Amazon DSP has no kind `{kind}`")
    for op in ops:
        op.payload[mapping.ADVERTISER] = advertiser
    return ops


def _active(desired: Mapping[str, Any]) -> bool:
    return str(desired.get("state", "")).upper() == "ACTIVE"


# -- campaigns ----------------------------------------------------------------------------------------


def _campaign(change: Change, now: datetime) -> list[Operation]:
    desired = change.desired
    if change.action == Action.RETIRE:
        return [operation(kinds.RETIRE_CAMPAIGN, change)]
    if change.action == Action.CREATE:
        flights = sorted(desired.get("flights") or [], key=lambda f: str(f.get("startDateTime", "")))
        create = operation(kinds.CREATE_CAMPAIGN, change, {**desired, "flights": flights[:FLIGHTS_ON_CREATE]})
        ops = [create]
        if flights[FLIGHTS_ON_CREATE:]:
            ops.append(
                operation(kinds.CREATE_FLIGHTS, change, {"flights": flights[FLIGHTS_ON_CREATE:]}, after=ops)
            )
        products = desired.get("trackedProducts") or []
        if products:
            ops.append(operation(kinds.ADD_PRODUCTS, change, {"products": products}, after=[create]))
        ops += _conversions(change, [], desired.get("conversionDefinitions") or [], after=[create])
        if _active(desired):
            ops.append(operation(kinds.ACTIVATE_CAMPAIGN, change))
        return ops
    paths = [f.path for f in change.fields]
    patch = mapping.patch_body(
        desired, paths, skip=("flights", "trackedProducts", "conversionDefinitions", "state")
    )
    if "state" in paths and not _active(desired):
        patch["state"] = desired.get("state")
    ops = [operation(kinds.PATCH_CAMPAIGN, change, patch)] if patch else []
    for field in change.fields:
        if field.path == "flights":
            ops.extend(_flights(change, field.old or [], field.new or [], now))
        elif field.path == "trackedProducts":
            ops.extend(_products(change, field.old or [], field.new or []))
        elif field.path == "conversionDefinitions":
            ops.extend(_conversions(change, field.old or [], field.new or []))
    if "state" in paths and _active(desired):
        ops.append(operation(kinds.ACTIVATE_CAMPAIGN, change))
    return ops


def _flights(
    change: Change, old: Sequence[Mapping[str, Any]], new: Sequence[Mapping[str, Any]], now: datetime
) -> list[Operation]:
    """Flights are identified by their start: delete, then update, then create (in that order)."""
    have = {mapping.instant(f.get("startDateTime")): f for f in old}
    want = {mapping.instant(f.get("startDateTime")): f for f in new}
    gone = [start for start in have if start not in want]
    started = [s for s in gone if str(s) <= now.strftime("%Y-%m-%dT%H:%M:%SZ")]
    if started:
        raise ValidationFailed(
            [
                located(
                    change,
                    "flights",
                    f"the flight starting {start} has started: Amazon DSP cannot delete it",
                    "keep the flight in the manifest (you may lower its budget or end it sooner)",
                )
                for start in started
            ]
        )
    changed = [
        dict(want[s])
        for s in want
        if s in have
        and mapping.canonical_key(mapping.flight_from_wire(want[s]))
        != mapping.canonical_key(mapping.flight_from_wire(have[s]))
    ]
    added = [dict(want[s]) for s in want if s not in have]
    ops: list[Operation] = []
    if gone:
        ops.append(operation(kinds.DELETE_FLIGHTS, change, {"starts": gone}))
    if changed:
        ops.append(operation(kinds.UPDATE_FLIGHTS, change, {"flights": changed}, after=ops))
    if added:
        ops.append(operation(kinds.CREATE_FLIGHTS, change, {"flights": added}, after=ops))
    return ops


def _products(
    change: Change, old: Sequence[Mapping[str, Any]], new: Sequence[Mapping[str, Any]]
) -> list[Operation]:
    have = {mapping.product_key(p): dict(p) for p in old}
    want = {mapping.product_key(p): dict(p) for p in new}
    replaced = [k for k in want if k in have and mapping.product_from_wire(want[k]) != have[k]]
    delete = [have[k] for k in have if k not in want or k in replaced]
    add = [want[k] for k in want if k not in have or k in replaced]
    ops: list[Operation] = []
    if delete:
        ops.append(operation(kinds.DELETE_PRODUCTS, change, {"products": delete}))
    if add:
        ops.append(operation(kinds.ADD_PRODUCTS, change, {"products": add}, after=ops))
    return ops


def _conversions(
    change: Change,
    old: Sequence[Mapping[str, Any]],
    new: Sequence[Mapping[str, Any]],
    after: Sequence[Operation] = (),
) -> list[Operation]:
    """One `conversionDefinitionAssociations` change list: REMOVE what is no longer listed, ADD what is new
    or whose `isOptimized` changed."""
    have = {str(d.get("conversionDefinitionId")): d.get("isOptimized") is True for d in old}
    want = {str(d.get("conversionDefinitionId")): d.get("isOptimized") is True for d in new}
    changes: list[dict[str, Any]] = [
        {"conversionDefinitionId": i, "operation": "REMOVE"} for i in have if i not in want
    ]
    changes += [
        {"conversionDefinitionId": i, "operation": "ADD", "isOptimized": optimized}
        for i, optimized in want.items()
        if have.get(i) != optimized
    ]
    return [operation(kinds.SET_CONVERSIONS, change, {"changes": changes}, after=after)] if changes else []


# -- ad groups, targets, associations -----------------------------------------------------------------


def _ad_group(change: Change) -> list[Operation]:
    desired = change.desired
    if change.action == Action.RETIRE:
        return [operation(kinds.RETIRE_AD_GROUP, change)]
    if change.action == Action.CREATE:
        inventory = str(desired.get("inventoryType", ""))
        if inventory in DEPRECATED_INVENTORY:
            raise ValidationFailed(
                [
                    located(
                        change,
                        "inventoryType",
                        f"Amazon DSP no longer creates {inventory} ad groups (deprecated since June 30, "
                        "2025); existing ones keep running",
                        f"use {DEPRECATED_INVENTORY[inventory]} for a new ad group",
                    )
                ]
            )
        ops = [operation(kinds.CREATE_AD_GROUP, change, desired, parent="campaignId")]
        if _active(desired):
            ops.append(operation(kinds.ACTIVATE_AD_GROUP, change))
        return ops
    paths = [f.path for f in change.fields]
    patch = mapping.patch_body(desired, paths, skip=("state",))
    if "state" in paths and not _active(desired):
        patch["state"] = desired.get("state")
    ops = [operation(kinds.PATCH_AD_GROUP, change, patch)] if patch else []
    if "state" in paths and _active(desired):
        ops.append(operation(kinds.ACTIVATE_AD_GROUP, change))
    return ops


def _targets(change: Change) -> list[Operation]:
    type_key = change.address.path[-1]
    if change.action == Action.RETIRE:
        return [operation(kinds.DELETE_TARGET_SET, change, {"type": type_key})]
    targets = list(change.desired.get("targets") or [])
    if change.action == Action.CREATE:
        return [
            operation(kinds.PUT_TARGETS, change, {"type": type_key, "targets": targets}, parent="adGroupId")
        ]
    old = next((f.old for f in change.fields if f.path == "targets"), None) or []
    delete, add = mapping.target_delta(old, targets)
    if not delete and not add:
        return []
    return [
        operation(
            kinds.REPLACE_TARGETS,
            change,
            {"type": type_key, "targets": targets, "delete": delete, "add": add},
        )
    ]


def _association(change: Change) -> list[Operation]:
    if change.action == Action.RETIRE:
        return [operation(kinds.DELETE_ASSOCIATION, change)]
    if change.action == Action.CREATE:
        return [operation(kinds.CREATE_ASSOCIATION, change, change.desired, parent="adGroupId")]
    return [operation(kinds.PATCH_ASSOCIATION, change, change.desired)]
