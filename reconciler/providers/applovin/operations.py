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
from reconciler.model import Action, Address, Change, Operation, Verb
from reconciler.providers.applovin import mapping
from reconciler.providers.applovin.kinds import (
    CLAIM_AD,
    CREATE_CAMPAIGN,
    CREATE_CREATIVE_SET,
    FORGET,
    POST_SIZES,
    POST_SOURCE_BIDS,
    POST_SOURCES,
    POST_TARGETS,
    REPLACE_ASSET,
    RETIRE,
    UPDATE_AD,
    UPDATE_CAMPAIGN,
    UPDATE_CREATIVE_SET,
    UPDATE_SOURCE_BIDS,
    UPDATE_SOURCES,
    UPDATE_TARGETS,
    UPLOAD_ASSET,
)


def operations(change: Change) -> list[Operation]:
    kind = change.address.kind
    if change.action == Action.RETIRE:
        return [_op(RETIRE.get(kind, FORGET), change, {})]
    build = _BUILDERS.get(kind)
    if build is None:
        raise PlatformError(f"{change.address}: AppLovin has no kind `{kind}`")
    return build(change)


def _op(verb: Verb, change: Change, payload: dict[str, Any], **extra: Any) -> Operation:
    return Operation(f"{verb.name}:{change.address}", change.address, verb, payload, id=change.id, **extra)


def _parent(change: Change, name: str) -> dict[str, Address]:
    """The parent's address under `name`, for the writer to fill in its id."""
    return {name: change.parent} if change.parent else {}


def _changed(change: Change) -> dict[str, Any]:
    """Path → old value of each changed field."""
    return {f.path: f.old for f in change.fields}


def _top(paths: Mapping[str, Any]) -> set[str]:
    return {p.split(".", 1)[0] for p in paths}


def _campaign(change: Change) -> list[Operation]:
    if change.action == Action.CREATE:
        return [_op(CREATE_CAMPAIGN, change, mapping.campaign_create_body(change.desired))]
    body = mapping.campaign_update_body(_top(_changed(change)), change.desired)
    return [_op(UPDATE_CAMPAIGN, change, body)] if body else []


def _targets(change: Change) -> list[Operation]:
    if change.action == Action.CREATE:
        body = mapping.targets_body(change.desired, None)
        return [_op(POST_TARGETS, change, body, refs=_parent(change, "campaign"))]
    old = _changed(change)
    body = mapping.targets_body(change.desired, {"countries": old.get("countries")}, _top(old))
    return [_op(UPDATE_TARGETS, change, body)] if body else []


def _creative_set(change: Change) -> list[Operation]:
    desired = change.desired
    if change.action == Action.CREATE:
        body = mapping.creative_set_body(desired)
        if desired.get("sizes"):
            body["sizes"] = dict(desired["sizes"])
        return [_op(CREATE_CREATIVE_SET, change, body, refs=_parent(change, "campaign"))]
    old = _changed(change)
    ops = []
    body = mapping.creative_set_body(desired, _top(old))
    if body:
        ops.append(_op(UPDATE_CREATIVE_SET, change, body))
    sizes = {p.split(".", 1)[1]: desired["sizes"][p.split(".", 1)[1]] for p in old if p.startswith("sizes.")}
    if "sizes" in old and isinstance(desired.get("sizes"), Mapping):
        sizes.update(mapping.sizes_body(desired["sizes"], old["sizes"] or {}))
    if sizes:
        ops.append(_op(POST_SIZES, change, sizes))
    return ops


def _asset(change: Change) -> list[Operation]:
    payload = {"type": change.address.path[-1], "content": change.desired.get("content")}
    if "file" in change.scope:
        payload["file"] = change.scope["file"]
    refs = _parent(change, "creative_set")
    if change.action == Action.CREATE:
        return [_op(UPLOAD_ASSET, change, payload, refs=refs)]
    return [_op(REPLACE_ASSET, change, {**payload, "update": True}, refs=refs)]


def _ad(change: Change) -> list[Operation]:
    body: dict[str, Any] = {k: change.desired[k] for k in ("name", "status") if k in change.desired}
    if change.action == Action.CREATE:
        payload = {**body, "size": change.desired.get("size"), "template": change.desired.get("template")}
        return [_op(CLAIM_AD, change, payload, refs=_parent(change, "creative_set"))]
    changed = _top(_changed(change))
    body = {k: v for k, v in body.items() if k in changed}
    return [_op(UPDATE_AD, change, body)] if body else []


def _source_bids(change: Change) -> list[Operation]:
    overrides = change.desired.get("overrides") or {}
    if change.action == Action.CREATE:
        rows = mapping.source_bid_rows(overrides, overrides, ())
        return [_op(POST_SOURCE_BIDS, change, {"rows": rows}, refs=_parent(change, "campaign"))]
    old = _changed(change)
    touched = {p.split(".")[1] for p in old if p.startswith("overrides.")}
    removed = set(old.get("keys") or []) - set(overrides)
    rows = mapping.source_bid_rows(overrides, touched, removed)
    return [_op(UPDATE_SOURCE_BIDS, change, {"rows": rows})] if rows else []


def _sources(change: Change) -> list[Operation]:
    apps = change.desired.get("apps") or {}
    if change.action == Action.CREATE:
        rows = [{"app_id": a, "status": s} for a, s in sorted(apps.items())]
        return [_op(POST_SOURCES, change, {"rows": rows}, refs=_parent(change, "campaign"))]
    touched = sorted({p.split(".")[1] for p in _changed(change) if p.startswith("apps.")})
    rows = [{"app_id": a, "status": apps[a]} for a in touched if a in apps]
    return [_op(UPDATE_SOURCES, change, {"rows": rows})] if rows else []


_BUILDERS = {
    "campaign": _campaign,
    "targets": _targets,
    "creative_set": _creative_set,
    "asset": _asset,
    "ad": _ad,
    "source_bids": _source_bids,
    "sources": _sources,
}
