"""The discovery lists a manifest's names resolve through, and the exchanges list: `POST
/dsp/v1/geoLocations/list`, `/audiences/list`, `/advertisedProductCategories/list`, `/adCreatives/list`
and `/inventorySourceExchanges/list`. Filters are `[{"field", "value", "include"}]`: values of one field
are OR-ed, fields AND-ed, `include: false` excludes; a NAME value matches equal names ignoring case, or
with `*` as a wildcard.

Also `GET /dsp/geoLocations`, the path the campaign guide names ("To retrieve the geoLocation ID, you will
use the geoLocations discovery endpoint, /dsp/geoLocations."), with the query of Amazon's reference:
`geoLocationIdFilter` (ids, comma-separated), `textQuery` (part of a name, any case), `maxResults` (1 to
100, default 10) and `nextToken`; it answers `{"geoLocations": [...], "nextToken"}` with the same items."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from reconciler.sandbox.amazon_dsp.associations import matches
from reconciler.sandbox.amazon_dsp.calls import Call, Handler, page
from reconciler.sandbox.amazon_dsp.errors import bad_request
from reconciler.sandbox.amazon_dsp.seed import PLATFORM
from reconciler.sandbox.common.routing import Operations

OPERATIONS: Operations[Handler] = Operations()
CREATIVE_FIELDS = ("adCreativeId", "advertiserId", "name", "adCreativeFormatType", "creativeType")
"""The stored creative's fields `/adCreatives/list` shows as they are."""

Field = Callable[[Mapping[str, Any]], list[str]]


def _filters(body: Mapping[str, Any], fields: Mapping[str, Field]) -> Callable[[Mapping[str, Any]], bool]:
    raw = body.get("filters", [])
    if not isinstance(raw, list):
        raise bad_request("INVALID_ARGUMENT", 'filters must be a list of {"field", "value", "include"}.')
    included: dict[str, set[str]] = {}
    excluded: dict[str, set[str]] = {}
    for i, entry in enumerate(raw):
        if not isinstance(entry, dict) or not isinstance(entry.get("value"), str):
            raise bad_request("INVALID_ARGUMENT", f'filters[{i}] must be {{"field", "value", "include"}}.')
        name = entry.get("field")
        if name not in fields:
            raise bad_request(
                "INVALID_ARGUMENT",
                f"filters[{i}].field {name!r} is not valid here; use one of {', '.join(fields)}.",
            )
        (included if entry.get("include", True) is not False else excluded).setdefault(str(name), set()).add(
            entry["value"]
        )

    def keep(item: Mapping[str, Any]) -> bool:
        for name, values in included.items():
            if not matches(values, *fields[name](item)):
                return False
        return not any(matches(values, *fields[name](item)) for name, values in excluded.items())

    return keep


def _one(key: str) -> Field:
    return lambda item: [str(item[key])]


def _listing(
    path: str,
    kind: str,
    key: str,
    fields: Mapping[str, Field],
    shown: Callable[[dict[str, Any]], dict[str, Any]],
    scoped: bool = False,
) -> Handler:
    """The handler of `POST path`: the `kind` documents (the account's own when `scoped`) that pass the
    filters on `fields`, shown under `key`."""

    @OPERATIONS.serves("POST", path)
    def serve(call: Call) -> tuple[int, dict[str, Any]]:
        body = call.body()
        keep = _filters(body, fields)
        found = [
            shown(doc)
            for doc in call.tx.all(PLATFORM, kind)
            if (not scoped or doc["advertiserId"] == call.account_id) and keep(doc)
        ]
        return 200, page(body, found, key, total=True)

    return serve


def _same(doc: dict[str, Any]) -> dict[str, Any]:
    return doc


def _creative(doc: dict[str, Any]) -> dict[str, Any]:
    return {
        **{name: doc[name] for name in CREATIVE_FIELDS},
        "adCreativeModerationStatus": doc["moderationStatus"],
    }


geo_locations = _listing(
    "/dsp/v1/geoLocations/list",
    "geo_location",
    "geoLocations",
    {"NAME": _one("name"), "CATEGORY": _one("category")},
    _same,
)
audiences = _listing(
    "/dsp/v1/audiences/list",
    "audience",
    "audiences",
    {"NAME": _one("name"), "CATEGORY": _one("category"), "AUDIENCE_ID": _one("audienceId")},
    _same,
)
product_categories = _listing(
    "/dsp/v1/advertisedProductCategories/list",
    "product_category",
    "advertisedProductCategories",
    {"NAME": _one("name")},
    _same,
)
creatives = _listing(
    "/dsp/v1/adCreatives/list",
    "creative",
    "adCreatives",
    {
        "NAME": _one("name"),
        "AD_CREATIVE_ID": _one("adCreativeId"),
        "FORMAT_TYPE": lambda c: [c["adCreativeFormatType"], c["creativeType"]],
    },
    _creative,
    scoped=True,
)
exchanges = _listing(
    "/dsp/v1/inventorySourceExchanges/list",
    "exchange",
    "inventorySourceExchanges",
    {
        "NAME": _one("name"),
        "INVENTORY_TYPE": lambda e: list(e["inventoryTypes"]),
        "INVENTORY_SOURCE_TYPE": _one("inventorySourceType"),
    },
    _same,
)


GEO_PAGE = 10


@OPERATIONS.serves("GET", "/dsp/geoLocations")
def geo_locations_by_query(call: Call) -> tuple[int, dict[str, Any]]:
    """`GET /dsp/geoLocations?geoLocationIdFilter&textQuery&maxResults&nextToken`."""
    ids = {i.strip() for i in call.query.get("geoLocationIdFilter", "").split(",") if i.strip()}
    text = call.query.get("textQuery", "").strip().lower()
    found = [
        doc
        for doc in call.tx.all(PLATFORM, "geo_location")
        if (not ids or doc["geoLocationId"] in ids) and text in doc["name"].lower()
    ]
    size = call.query.get("maxResults") or GEO_PAGE
    return 200, page({"maxResults": size, "nextToken": call.query.get("nextToken")}, found, "geoLocations")
