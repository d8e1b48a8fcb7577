"""Batch writes (`{"data": [...]}`): each item is carried out or refused on its own, in a savepoint,
successes in `data` and refusals in `errors` at `@data/<index>`, as Criteo's PATCH, start and stop do."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reconciler.sandbox.criteo import inputs as read
from reconciler.sandbox.criteo.calls import Call
from reconciler.sandbox.criteo.problems import Problem, ProblemResponse, Rejected, validation

ApplyOne = Callable[[Call, Any, int, list[str]], str]


def items(call: Call) -> list[Any]:
    """The items of the body's `data` list (none when `data` is null)."""
    body = call.json()
    if not isinstance(body, dict):
        raise ProblemResponse(
            400, [validation("invalid-body", "Invalid body", "The body must be a JSON object.")]
        )
    found = body.get("data")
    if found is None:
        return []
    if not isinstance(found, list):
        raise ProblemResponse(
            400, [validation("invalid-body", "Invalid body", "data must be a list.", "/data")]
        )
    return found


def each(call: Call, batch: list[Any], apply_one: ApplyOne, result_type: str) -> tuple[int, dict[str, Any]]:
    """Process items one by one; `apply_one` returns the id of the object it changed."""
    done: list[dict[str, Any]] = []
    errors: list[Problem] = []
    for index, item in enumerate(batch):
        unknown: list[str] = []
        try:
            with call.tx.savepoint():
                object_id = apply_one(call, item, index, unknown)
        except Rejected as rejected:
            errors.append(rejected.problem.at(f"@data/{index}"))
        else:
            done.append({"type": result_type, "id": object_id})
        call.warnings.extend(read.unknown_warnings(unknown, f"@data/{index}"))
    return 200, call.envelope(done, errors)
