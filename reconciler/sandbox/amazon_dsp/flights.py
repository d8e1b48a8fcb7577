"""Campaign flights: the flight rules the campaign guide states (at most 12 current and future flights and
150 in all, at most 12 in a campaign create, a started flight stays), the inline flights of a campaign
create or PATCH (full replacement), and the flights endpoints `POST|PATCH /dsp/v1/campaigns/{id}/flights`,
`.../flights/list` and `.../flights/delete`.

Nothing stricter than the guides: they give flight dates and budgets no order, range or overlap rule, so a
flight that ends before it starts, a budget of 0 or overlapping flights are stored as sent; they require
flights on a campaign create only, so the last flight may be deleted."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reconciler.sandbox.amazon_dsp import inputs as read
from reconciler.sandbox.amazon_dsp import objects
from reconciler.sandbox.amazon_dsp.calls import Call, Handler, batch_items, each, page
from reconciler.sandbox.amazon_dsp.errors import ItemError
from reconciler.sandbox.amazon_dsp.seed import COUNTERS, PLATFORM
from reconciler.sandbox.common.routing import Operations

OPERATIONS: Operations[Handler] = Operations()
FLIGHTS = "/dsp/v1/campaigns/{campaignId}/flights"

MAX_CURRENT = 12
MAX_TOTAL = 150
MAX_ON_CREATE = 12
FIELDS = ("startDateTime", "endDateTime", "budgetAmount")


def parse(item: Any, path: str, current: dict[str, Any] | None = None) -> dict[str, Any]:
    """A flight from the wire (merged into `current` when updating one)."""
    flight = read.obj(item, path)
    read.check_keys(flight, path, (*FIELDS, "flightId"), () if current is not None else ("flightId",))
    merged = dict(current or {})
    for key in ("startDateTime", "endDateTime"):
        value = read.date_time(flight, key, path, required=current is None)
        if value is not None:
            merged[key] = value
    budget = read.number(flight, "budgetAmount", path, required=current is None)
    if budget is not None:
        merged["budgetAmount"] = budget
    return merged


def check(flights: list[dict[str, Any]], now: float) -> None:
    """The rules on a campaign's whole set of flights."""
    moment = read.at(now)
    current = [f for f in flights if read.to_time(f["endDateTime"]) > moment]
    if len(current) > MAX_CURRENT:
        raise ItemError(
            "TOO_MANY_FLIGHTS",
            f"A campaign can have at most {MAX_CURRENT} current and future flights (this would make "
            f"{len(current)}).",
        )
    if len(flights) > MAX_TOTAL:
        raise ItemError(
            "TOO_MANY_TOTAL_FLIGHTS",
            f"A campaign can have at most {MAX_TOTAL} flights in total (this would make {len(flights)}).",
        )


def started(flight: dict[str, Any], now: float) -> bool:
    return read.to_time(flight["startDateTime"]) <= read.at(now)


def refuse_started(flight: dict[str, Any], now: float) -> None:
    if started(flight, now):
        raise ItemError(
            "FLIGHT_ALREADY_STARTED",
            f"Flight {flight['flightId']} started at {flight['startDateTime']}: a started flight cannot be "
            "deleted.",
        )


def new_id(call: Call) -> str:
    return call.tx.next_id("amazon_dsp.flight", COUNTERS["flight"])


def inline_on_create(call: Call, value: Any, path: str) -> list[dict[str, Any]]:
    """The `flights: {"flights": [...]}` of a campaign create (1..12 flights)."""
    items = value.get("flights") if isinstance(value, dict) else value
    if not isinstance(items, list) or not items:
        raise ItemError(
            "FLIGHTS_REQUIRED", f"{path} needs at least one flight: flights are required on create."
        )
    if len(items) > MAX_ON_CREATE:
        raise ItemError(
            "TOO_MANY_FLIGHTS",
            f"{path}: at most {MAX_ON_CREATE} flights in a campaign create (got {len(items)}).",
        )
    made = [parse(item, f"{path}.flights[{i}]") for i, item in enumerate(items)]
    check(made, call.now)
    for flight in made:
        flight["flightId"] = new_id(call)
    return made


def replace_inline(call: Call, current: list[dict[str, Any]], value: Any, path: str) -> list[dict[str, Any]]:
    """The flights of a campaign PATCH: a full replacement (with flightId: update; without: create;
    left out: delete, refused for a started flight)."""
    items = value.get("flights") if isinstance(value, dict) else value
    if not isinstance(items, list):
        raise read.invalid(path, 'must be {"flights": [...]} (or null to leave the flights alone).')
    by_id = {f["flightId"]: f for f in current}
    kept: list[dict[str, Any]] = []
    for i, item in enumerate(items):
        where = f"{path}.flights[{i}]"
        flight_id = item.get("flightId") if isinstance(item, dict) else None
        if flight_id is None:
            kept.append({**parse(item, where), "flightId": None})
            continue
        if str(flight_id) not in by_id:
            raise ItemError(
                "FLIGHT_NOT_FOUND", f"{where}.flightId {flight_id} is not a flight of this campaign."
            )
        kept.append(parse(item, where, by_id.pop(str(flight_id))))
    for gone in by_id.values():
        refuse_started(gone, call.now)
    check(kept, call.now)
    for flight in kept:
        if flight["flightId"] is None:
            flight["flightId"] = new_id(call)
    return kept


# -- the flights endpoints -------------------------------------------------------------------------


def _save(call: Call, doc: dict[str, Any]) -> None:
    doc["lastUpdatedDateTime"] = read.render_time(read.at(call.now))
    call.tx.put(PLATFORM, "campaign", doc["campaignId"], doc)


def _each(
    call: Call, key: str, change: Callable[[Call, dict[str, Any], Any, int], str]
) -> tuple[int, dict[str, Any]]:
    """The items under `key` one by one, each changing the flights of the path's campaign; `change`
    returns the flightId it made, changed or deleted."""
    items = batch_items(call.body(), key, MAX_TOTAL)

    def one(call: Call, item: Any, index: int) -> dict[str, Any]:
        doc = objects.campaign_in_path(call, writing=True)
        flight_id = change(call, doc, item, index)
        _save(call, doc)
        return {"flightId": flight_id}

    objects.campaign_in_path(call, writing=True)
    return each(call, items, one)


def _created(call: Call, doc: dict[str, Any], item: Any, index: int) -> str:
    flight = parse(item, f"flights[{index}]")
    check([*doc["flights"], flight], call.now)
    flight["flightId"] = new_id(call)
    doc["flights"].append(flight)
    return str(flight["flightId"])


def _updated(call: Call, doc: dict[str, Any], item: Any, index: int) -> str:
    path = f"flights[{index}]"
    flight_id = read.string(read.obj(item, path), "flightId", path, required=True)
    found = [f for f in doc["flights"] if f["flightId"] == flight_id]
    if not found:
        raise ItemError("FLIGHT_NOT_FOUND", f"{path}.flightId {flight_id} is not a flight of this campaign.")
    changed = parse(item, path, found[0])
    doc["flights"] = [changed if f["flightId"] == flight_id else f for f in doc["flights"]]
    check(doc["flights"], call.now)
    return str(flight_id)


def _deleted(call: Call, doc: dict[str, Any], item: Any, index: int) -> str:
    found = [f for f in doc["flights"] if f["flightId"] == str(item)]
    if not found:
        raise ItemError("FLIGHT_NOT_FOUND", f"flightIds[{index}] {item} is not a flight of this campaign.")
    refuse_started(found[0], call.now)
    doc["flights"] = [f for f in doc["flights"] if f["flightId"] != str(item)]
    return str(item)


@OPERATIONS.serves("POST", FLIGHTS)
def create(call: Call) -> tuple[int, dict[str, Any]]:
    """`POST /dsp/v1/campaigns/{campaignId}/flights` → 207 with the new flightIds."""
    return _each(call, "flights", _created)


@OPERATIONS.serves("PATCH", FLIGHTS)
def update(call: Call) -> tuple[int, dict[str, Any]]:
    """`PATCH /dsp/v1/campaigns/{campaignId}/flights`: items with flightId and the fields to change."""
    return _each(call, "flights", _updated)


@OPERATIONS.serves("POST", FLIGHTS + "/delete")
def delete(call: Call) -> tuple[int, dict[str, Any]]:
    """`POST /dsp/v1/campaigns/{campaignId}/flights/delete` with `{"flightIds": [...]}`."""
    return _each(call, "flightIds", _deleted)


@OPERATIONS.serves("POST", FLIGHTS + "/list")
def listing(call: Call) -> tuple[int, dict[str, Any]]:
    """`POST /dsp/v1/campaigns/{campaignId}/flights/list` → `{"flights": [...], "nextToken"}`."""
    body = call.body()
    doc = objects.campaign_in_path(call)
    return 200, page(body, render(doc["flights"]), "flights")


def render(flights: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [dict(f) for f in sorted(flights, key=lambda f: read.to_time(f["startDateTime"]))]
