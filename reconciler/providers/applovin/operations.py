"""AppLovin changes → operations (pure): which calls carry out a create, an update or a retirement, with
request bodies that hold only what changed.

A new campaign is created with its status as the manifest sets it, and a new creative set with its sizes:
both calls take those fields (the guide's campaign and creative set field tables), so no second call
follows a create. Later size switches go through `/creative_set/{id}/sizes`, the guide's endpoint "to
enable or disable one or more creative sizes in a creative set".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reconciler.errors import PlatformError
from reconciler.model import Action, Change, Operation
from reconciler.providers.applovin import kinds, mapping
from reconciler.providers.kit.provider import operation


def operations(change: Change) -> list[Operation]:
    kind = change.address.kind
    if change.action == Action.RETIRE:
        return [operation(kinds.RETIRE.get(kind, kinds.FORGET), change, {})]
    build = _BUILDERS.get(kind)
    if build is None:
        raise PlatformError(f"{change.address}: AppLovin has no kind `{kind}`")
    return build(change)


def _changed(change: Change) -> dict[str, Any]:
    """Path → old value of each changed field."""
    return {f.path: f.old for f in change.fields}


def _top(paths: Mapping[str, Any]) -> set[str]:
    return {p.split(".", 1)[0] for p in paths}


def _campaign(change: Change) -> list[Operation]:
    if change.action == Action.CREATE:
        return [operation(kinds.CREATE_CAMPAIGN, change, mapping.campaign_create_body(change.desired))]
    body = mapping.campaign_update_body(_top(_changed(change)), change.desired)
    return [operation(kinds.UPDATE_CAMPAIGN, change, body)] if body else []


def _targets(change: Change) -> list[Operation]:
    if change.action == Action.CREATE:
        body = mapping.targets_body(change.desired, None)
        return [operation(kinds.POST_TARGETS, change, body, parent="campaign")]
    old = _changed(change)
    body = mapping.targets_body(change.desired, {"countries": old.get("countries")}, _top(old))
    return [operation(kinds.UPDATE_TARGETS, change, body)] if body else []


def _creative_set(change: Change) -> list[Operation]:
    desired = change.desired
    if change.action == Action.CREATE:
        body = mapping.creative_set_body(desired)
        if desired.get("sizes"):
            body["sizes"] = dict(desired["sizes"])
        return [operation(kinds.CREATE_CREATIVE_SET, change, body, parent="campaign")]
    old = _changed(change)
    ops = []
    body = mapping.creative_set_body(desired, _top(old))
    if body:
        ops.append(operation(kinds.UPDATE_CREATIVE_SET, change, body))
    sizes = {p.split(".", 1)[1]: desired["sizes"][p.split(".", 1)[1]] for p in old if p.startswith("sizes.")}
    if "sizes" in old and isinstance(desired.get("sizes"), Mapping):
        sizes.update(mapping.sizes_body(desired["sizes"], old["sizes"] or {}))
    if sizes:
        ops.append(operation(kinds.POST_SIZES, change, sizes))
    return ops


def _asset(change: Change) -> list[Operation]:
    payload = {"type": change.address.path[-1], "content": change.desired.get("content")}
    if "file" in change.scope:
        payload["file"] = change.scope["file"]
    if change.action == Action.CREATE:
        return [operation(kinds.UPLOAD_ASSET, change, payload, parent="creative_set")]
    return [operation(kinds.REPLACE_ASSET, change, {**payload, "update": True}, parent="creative_set")]


def _ad(change: Change) -> list[Operation]:
    body: dict[str, Any] = {k: change.desired[k] for k in ("name", "status") if k in change.desired}
    if change.action == Action.CREATE:
        payload = {**body, "size": change.desired.get("size"), "template": change.desired.get("template")}
        return [operation(kinds.CLAIM_AD, change, payload, parent="creative_set")]
    changed = _top(_changed(change))
    body = {k: v for k, v in body.items() if k in changed}
    return [operation(kinds.UPDATE_AD, change, body)] if body else []


def _source_bids(change: Change) -> list[Operation]:
    overrides = change.desired.get("overrides") or {}
    if change.action == Action.CREATE:
        rows = mapping.source_bid_rows(overrides, overrides, ())
        return [operation(kinds.POST_SOURCE_BIDS, change, {"rows": rows}, parent="campaign")]
    old = _changed(change)
    touched = {p.split(".")[1] for p in old if p.startswith("overrides.")}
    removed = set(old.get("keys") or []) - set(overrides)
    rows = mapping.source_bid_rows(overrides, touched, removed)
    return [operation(kinds.UPDATE_SOURCE_BIDS, change, {"rows": rows})] if rows else []


def _sources(change: Change) -> list[Operation]:
    apps = change.desired.get("apps") or {}
    if change.action == Action.CREATE:
        rows = [{"app_id": a, "status": s} for a, s in sorted(apps.items())]
        return [operation(kinds.POST_SOURCES, change, {"rows": rows}, parent="campaign")]
    touched = sorted({p.split(".")[1] for p in _changed(change) if p.startswith("apps.")})
    rows = [{"app_id": a, "status": apps[a]} for a in touched if a in apps]
    return [operation(kinds.UPDATE_SOURCES, change, {"rows": rows})] if rows else []


_BUILDERS = {
    "campaign": _campaign,
    "targets": _targets,
    "creative_set": _creative_set,
    "asset": _asset,
    "ad": _ad,
    "source_bids": _source_bids,
    "sources": _sources,
}
