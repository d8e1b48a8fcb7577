"""Criteo audiences (API 2027-01): `POST /audiences/search` with `limit`/`offset` paging; each audience
lists the ad sets linked to it, which is how a client reads an ad set's audience."""

from __future__ import annotations

from typing import Any

from reconciler.sandbox.common.routing import Operations
from reconciler.sandbox.criteo import inputs as read
from reconciler.sandbox.criteo.calls import Call, Handler
from reconciler.sandbox.criteo.problems import ProblemResponse, Rejected, validation
from reconciler.sandbox.criteo.seed import PLATFORM

OPERATIONS: Operations[Handler] = Operations()

DEFAULT_LIMIT = 50
MAX_LIMIT = 100


def _query_int(call: Call, name: str, default: int, low: int, high: int | None) -> int:
    raw = call.query.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        value = low - 1
    if value < low or (high is not None and value > high):
        bounds = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise ProblemResponse(
            400,
            [
                validation(
                    "invalid-query-parameter", f"Invalid {name}", f"{name} must be an integer {bounds}."
                )
            ],
        )
    return value


def _segments(node: Any) -> set[str]:
    if not isinstance(node, dict):
        return set()
    found = {str(node["audienceSegmentId"])} if node.get("audienceSegmentId") else set()
    for child in [*(node.get("and") or []), *(node.get("or") or []), node.get("not")]:
        found |= _segments(child)
    return found


@OPERATIONS.serves("POST", "/audiences/search")
def search(call: Call) -> tuple[int, dict[str, Any]]:
    """Filters adSetIds, advertiserIds, audienceIds, audienceSegmentIds (AND-combined)."""
    limit = _query_int(call, "limit", DEFAULT_LIMIT, 0, MAX_LIMIT)
    offset = _query_int(call, "offset", 0, 0, None)
    unknown: list[str] = []
    code = "invalid-search"
    wanted: dict[str, list[str] | None] = {
        "adSetIds": None,
        "advertiserIds": None,
        "audienceIds": None,
        "audienceSegmentIds": None,
    }
    try:
        top = read.root(call.json(empty={}), unknown)
        data = top.obj("data", code)
        if data is not None:
            data.get("type")
            attributes = data.obj("attributes", code)
            if attributes is not None:
                for name in wanted:
                    wanted[name] = read.id_list(attributes, name, code)
                attributes.finish()
            data.finish()
        top.finish()
    except Rejected as rejected:
        raise ProblemResponse(400, [rejected.problem]) from None
    call.warnings.extend(read.unknown_warnings(unknown))

    linked: dict[str, list[str]] = {}
    for ad_set in call.tx.all(PLATFORM, "ad_set"):
        if ad_set.get("audienceId"):
            linked.setdefault(ad_set["audienceId"], []).append(ad_set["id"])
    matches = []
    for audience in call.tx.all(PLATFORM, "audience"):
        ad_sets = linked.get(audience["id"], [])
        if wanted["audienceIds"] is not None and audience["id"] not in wanted["audienceIds"]:
            continue
        if wanted["advertiserIds"] is not None and audience["advertiserId"] not in wanted["advertiserIds"]:
            continue
        if wanted["adSetIds"] is not None and not set(ad_sets) & set(wanted["adSetIds"]):
            continue
        if wanted["audienceSegmentIds"] is not None and not _segments(audience.get("algebra")) & set(
            wanted["audienceSegmentIds"]
        ):
            continue
        matches.append(
            {
                "type": "Audience",
                "id": audience["id"],
                "attributes": {
                    "advertiserId": audience["advertiserId"],
                    "name": audience["name"],
                    "adSetIds": ad_sets,
                    "algebra": audience.get("algebra"),
                    "createdAt": audience["createdAt"],
                    "updatedAt": audience["updatedAt"],
                },
            }
        )
    page = matches[offset : offset + limit]
    return 200, call.envelope(page, meta={"limit": limit, "offset": offset, "totalItems": len(matches)})
