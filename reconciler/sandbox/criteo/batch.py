"""Writes of objects: a create (the body read into a new stored object; its unknown fields become warnings,
a refusal the 400 answer), and batch writes (`{"data": [...]}`), each item carried out or refused on its
own, in a savepoint, successes in `data` and refusals in `errors` at `@data/<index>`, as Criteo's PATCH,
start and stop do."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reconciler.sandbox.criteo import inputs as read
from reconciler.sandbox.criteo.calls import Call, Handler
from reconciler.sandbox.criteo.inputs import Obj
from reconciler.sandbox.criteo.problems import Problem, ProblemResponse, Rejected, not_found, validation
from reconciler.sandbox.criteo.seed import PLATFORM

Attributes = Callable[[Call, Obj, str], dict[str, Any]]
"""Reads the attributes of a create into the object to store (given the create's invalid-configuration
code)."""
Shown = Callable[[dict[str, Any], float], Any]
"""The read model of a stored object at a moment."""
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


def creates(
    kind: str, counter: str, first_id: int, prefix: str, shown: Shown
) -> Callable[[Attributes], Handler]:
    """Make a create's handler of the function that reads its attributes (of `{"data": {"type",
    "attributes"}}`): the object is stored as a new `kind` under the next id of `counter` and answered
    (201) as `shown`; the body's unknown fields become warnings, a refusal (codes `prefix`...) the 400."""

    def handler(attributes: Attributes) -> Handler:
        def create(call: Call) -> tuple[int, dict[str, Any]]:
            code = prefix + "invalid-configuration"
            unknown: list[str] = []
            try:
                top = read.root(call.json(), unknown)
                data = top.obj("data", code, required=True)
                assert data is not None
                data.get("type")
                a = data.obj("attributes", code, required=True)
                assert a is not None
                data.finish()
                top.finish()
                doc = attributes(call, a, code)
                a.finish()
            except Rejected as rejected:
                raise ProblemResponse(400, [rejected.problem]) from None
            finally:
                call.warnings.extend(read.unknown_warnings(unknown))
            doc["id"] = call.tx.next_id(counter, first_id)
            call.tx.put(PLATFORM, kind, doc["id"], doc)
            return 201, call.envelope(shown(doc, call.now))

        return create

    return handler


def patched(
    call: Call, item: Any, index: int, unknown: list[str], code: str, kind: str
) -> tuple[dict[str, Any], Obj | None]:
    """The stored `kind` object an item of a batch patch (`{"id", "attributes"}`) names, and the item's
    attributes (None when it has none)."""
    entry = read.root(item, unknown, f"/data/{index}")
    object_id = read.item_id(entry, code)
    doc = call.tx.get(PLATFORM, kind, object_id)
    if doc is None:
        raise Rejected(not_found(kind.replace("_", "-"), object_id))
    attributes = entry.obj("attributes", code)
    entry.finish()
    return doc, attributes


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
