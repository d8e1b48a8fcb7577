"""Criteo changes → operations (pure): which calls carry out a create, an update or a retirement, in which
order (an ad set's audience is linked, then it is started, after its create or patch), and which fields an
update's PATCH carries (the patch units its changed fields touch)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from reconciler.errors import PlatformError
from reconciler.model import Action, Change, Operation
from reconciler.providers.criteo import kinds
from reconciler.providers.kit.provider import operation


def operations(change: Change) -> list[Operation]:
    if change.address.kind == "campaign":
        return _campaign(change)
    if change.address.kind == "ad_set":
        return _ad_set(change)
    raise PlatformError(f"{change.address}: Criteo has no kind `{change.address.kind}`")


def _campaign(change: Change) -> list[Operation]:
    if change.action == Action.CREATE:
        payload = {**change.desired, "advertiserId": change.scope.get("advertiserId")}
        return [operation(kinds.CREATE_CAMPAIGN, change, payload)]
    if change.action == Action.RETIRE:
        return [operation(kinds.FORGET_CAMPAIGN, change)]
    paths = [f.path for f in change.fields]
    payload = changed_subset(paths, change.desired, CAMPAIGN_PATCH_UNITS)
    return [operation(kinds.PATCH_CAMPAIGN, change, payload)] if payload else []


def _after_campaign_patch(change: Change, payload: dict[str, object]) -> list[str]:
    """An ad set budget waits for its campaign's patch in the same plan, if any: "Manual budget updates are
    not supported when the linked marketing campaign has budget automation enabled" (PatchAdSetBudgetV26Q1),
    so a budget set as automation is turned off must follow that change."""
    if "budget" not in payload or change.parent is None:
        return []
    return [f"{kinds.PATCH_CAMPAIGN.name}:{change.parent}"]


def _ad_set(change: Change) -> list[Operation]:
    desired = change.desired
    if change.action == Action.RETIRE:
        return [operation(kinds.RETIRE_AD_SET, change)]
    if change.action == Action.CREATE:
        payload = dict(desired)
        if change.parent is None:
            payload["campaignId"] = change.scope.get("campaignId")
        ops = [
            operation(
                kinds.CREATE_AD_SET,
                change,
                payload,
                parent="campaignId",
                after=_after_campaign_patch(change, payload),
            )
        ]
        if desired.get("audience") is not None:
            ops.append(
                operation(kinds.LINK_AUDIENCE, change, {"audience": desired["audience"]}, after=ops[:1])
            )
        if desired.get("activation") == "on":
            ops.append(operation(kinds.START_AD_SET, change, after=ops))
        return ops
    paths = [f.path for f in change.fields]
    others = [p for p in paths if p.split(".")[0] not in ("activation", "audience")]
    payload = changed_subset(others, desired, AD_SET_PATCH_UNITS)
    ops = (
        [operation(kinds.PATCH_AD_SET, change, payload, after=_after_campaign_patch(change, payload))]
        if payload
        else []
    )
    if "audience" in paths:
        ops.append(operation(kinds.LINK_AUDIENCE, change, {"audience": desired.get("audience")}))
    if "activation" in paths:
        if desired.get("activation") == "on":
            ops.append(operation(kinds.START_AD_SET, change, after=ops))
        else:
            ops.append(operation(kinds.STOP_AD_SET, change))
    return ops


# -- which fields a change touches ---------------------------------------------------------------------

# The smallest pieces of an ad set / campaign that a PATCH sends whole (dotted canonical paths).
AD_SET_PATCH_UNITS = (
    "name",
    "schedule.startDate",
    "schedule.endDate",
    "bidding.bidAmount",
    "targeting.frequencyCapping",
    "targeting.geoLocation.countries",
    "targeting.geoLocation.subdivisions",
    "targeting.geoLocation.zipCodes",
    "targeting.deliveryLimitations.devices",
    "targeting.deliveryLimitations.operatingSystems",
    "targeting.deliveryLimitations.environments",
    "budget.budgetStrategy",
    "budget.budgetRenewal",
    "budget.budgetDeliverySmoothing",
    "budget.budgetDeliveryWeek",
    "budget.pacingBehavior",
    "budget.budgetAmount",
    "attributionConfiguration",
)
CAMPAIGN_PATCH_UNITS = ("spendLimit", "budgetAutomation")

_ABSENT = object()


def _value_at(values: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted path; None below an explicit None; `_ABSENT` when not written."""
    node: Any = values
    for part in path.split("."):
        if node is None:
            return None
        if not isinstance(node, Mapping) or part not in node:
            return _ABSENT
        node = node[part]
    return node


def changed_subset(paths: Iterable[str], desired: Mapping[str, Any], units: Sequence[str]) -> dict[str, Any]:
    """The canonical subset of `desired` covering every patch unit that a changed path touches."""
    changed = list(paths)
    subset: dict[str, Any] = {}
    for unit in units:
        touched = any(p == unit or unit.startswith(p + ".") or p.startswith(unit + ".") for p in changed)
        if not touched:
            continue
        value = _value_at(desired, unit)
        if value is _ABSENT:
            continue
        node = subset
        *parents, leaf = unit.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    return subset
