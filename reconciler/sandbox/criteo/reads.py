"""Reads of stored Criteo objects: the one whose id is in the path (a 404 problem when there is none), and a
search (`{"filters": {"<kind>Ids": [...]}}`, AND-combined, no pagination; the body's unknown fields become
warnings, a malformed body the 400 answer)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from reconciler.sandbox.criteo import inputs as read
from reconciler.sandbox.criteo.calls import Call
from reconciler.sandbox.criteo.inputs import Obj
from reconciler.sandbox.criteo.problems import ProblemResponse, Rejected, not_found
from reconciler.sandbox.criteo.seed import PLATFORM

SEARCH = "invalid-search"


def in_path(call: Call, kind: str, instance: str | None = None) -> dict[str, Any]:
    """The stored `kind` object whose id is the path's `{<kind>-id}`."""
    name = kind.replace("_", "-")
    object_id = call.params[f"{name}-id"]
    doc = call.tx.get(PLATFORM, kind, object_id)
    if doc is None:
        raise ProblemResponse(404, [not_found(name, object_id, instance)])
    return doc


def _nothing(top: Obj) -> None:
    return None


def search(
    call: Call, kind: str, filters: Mapping[str, str], rest: Callable[[Obj], Any] = _nothing
) -> tuple[list[dict[str, Any]], Any]:
    """The stored `kind` objects whose fields are among the ids of the body's filters (filter → the field it
    filters on), and what `rest` reads of the rest of the body."""
    unknown: list[str] = []
    try:
        top = read.root(call.json(empty={}), unknown)
        given = top.obj("filters", SEARCH)
        wanted: dict[str, list[str] | None] = {}
        for name, field in filters.items():
            wanted[field] = None if given is None else read.id_list(given, name, SEARCH, empty_is_absent=True)
        if given is not None:
            given.finish()
        more = rest(top)
        top.finish()
    except Rejected as rejected:
        raise ProblemResponse(400, [rejected.problem]) from None
    call.warnings.extend(read.unknown_warnings(unknown))
    found = [
        doc
        for doc in call.tx.all(PLATFORM, kind)
        if all(ids is None or doc[field] in ids for field, ids in wanted.items())
    ]
    return found, more
