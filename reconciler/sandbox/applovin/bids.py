"""AppLovin source-bid overrides and source (publisher app) switches of a campaign.

- `GET /source_bids/{campaign_id}?limit=&offset=` → `{"limit", "offset", "source_bids": [...],
  "total_row_count"}`; rows `{app_id, app_id_external, bid_override_percentage, bid_value, country}`
  with "default" for a value that is not overridden, ordered by app then country. Without `limit` every
  row is returned; `limit` ≥ 1, `offset` ≥ 0.
- `POST /source_bids/{campaign_id}`: a JSON array of rows (or `{"source_bids": [...]}`), checked as a
  whole (one bad row refuses the request, naming it). `app_id` must be a source app (see fixtures
  `apps`), `country` a two-letter code; at most one of `bid_value` and `bid_override_percentage` (100
  means twice the bid) is other than "default" (a missing value is "default"; the guide bounds
  neither); both "default" clears the override. `app_id_external` is ignored. Answer:
  `{"updated": n, "total_row_count": n}`.
- `GET /sources/{campaign_id}?limit=&offset=` → `{"limit", "offset", "sources": [{app_id,
  app_id_external, status}], "total_row_count"}` over every source app (status true unless switched
  off). `POST /sources/{campaign_id}`: JSON array (or `{"sources": [...]}`) of `{app_id, status}`.
  Answer: `{"updated": n, "total_row_count": n}`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from reconciler.sandbox.applovin.calls import Call, Handler
from reconciler.sandbox.applovin.campaigns import campaign_or_404
from reconciler.sandbox.applovin.errors import invalid
from reconciler.sandbox.applovin.seed import PLATFORM, SOURCE_APP_IDS, SOURCE_APPS
from reconciler.sandbox.common.routing import Operations

OPERATIONS: Operations[Handler] = Operations()

DEFAULT = "default"
_COUNTRY = re.compile(r"^[a-z]{2}$")


def _page(call: Call, total: int) -> tuple[int, int]:
    def whole(name: str, default: int) -> int:
        raw = call.query.get(name)
        if raw is None or raw == "":
            return default
        try:
            return int(raw)
        except ValueError:
            raise invalid("source-bids-page", f"{name} must be a whole number") from None

    limit = whole("limit", total)
    offset = whole("offset", 0)
    if "limit" in call.query and limit < 1:
        raise invalid("source-bids-page", "limit must be at least 1")
    if offset < 0:
        raise invalid("source-bids-page", "offset must not be negative")
    return limit, offset


def _rows(call: Call, key: str) -> list[Any]:
    body = call.json()
    rows = body.get(key) if isinstance(body, dict) else body
    if not isinstance(rows, list):
        raise invalid("json-body", f"the body must be a JSON array of rows (or {{{key!r}: [...]}})")
    return rows


def _app(row: Any, where: str) -> str:
    if not isinstance(row, dict):
        raise invalid("source-bid-row", f"{where} must be an object")
    app_id = row.get("app_id")
    if not isinstance(app_id, str) or app_id not in SOURCE_APP_IDS:
        raise invalid("source-app", f"{where}: app_id {app_id!r} is not a known source app")
    return app_id


def _value(row: dict[str, Any], name: str, where: str) -> Any:
    value = row.get(name, DEFAULT)
    if value is None or value == DEFAULT:
        return DEFAULT
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            raise invalid("source-bid-row", f'{where}: {name} must be a number or "default"') from None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise invalid("source-bid-row", f'{where}: {name} must be a number or "default"')
    return value


def _stored(call: Call, kind: str) -> tuple[str, dict[str, Any]]:
    """The campaign of the path (404 when there is none) and its stored `kind` document (`{}` before the
    first write)."""
    campaign_id = campaign_or_404(call.tx, call.params["campaign_id"])["campaign_id"]
    return campaign_id, call.tx.get(PLATFORM, kind, campaign_id) or {}


def _listed(call: Call, key: str, rows: list[dict[str, Any]]) -> tuple[int, Any]:
    """The page of `rows` the query's `limit` and `offset` ask for, under `key`."""
    limit, offset = _page(call, len(rows))
    return 200, {
        "limit": limit,
        "offset": offset,
        key: rows[offset : offset + limit],
        "total_row_count": len(rows),
    }


@OPERATIONS.serves("GET", "/source_bids/{campaign_id}")
def get_source_bids(call: Call) -> tuple[int, Any]:
    _, doc = _stored(call, "source_bids")
    stored = doc.get("rows", {})
    rows = [
        {**stored[key], "app_id_external": SOURCE_APP_IDS[stored[key]["app_id"]]} for key in sorted(stored)
    ]
    return _listed(call, "source_bids", rows)


def _write(
    call: Call, kind: str, field: str, apply_row: Callable[[dict[str, Any], Any, str], None]
) -> tuple[int, dict[str, Any]]:
    """Apply the rows of the body (a JSON array, or one under `kind`) one by one to the entries under
    `field` of the campaign's `kind` document, checked as a whole: how many rows, and the entries."""
    campaign_id, doc = _stored(call, kind)
    rows = _rows(call, kind)
    entries = doc.setdefault(field, {})
    for index, row in enumerate(rows):
        apply_row(entries, row, f"row {index}")
    call.tx.put(PLATFORM, kind, campaign_id, doc)
    return len(rows), entries


def _bid_row(overrides: dict[str, Any], row: Any, where: str) -> None:
    app_id = _app(row, where)
    country = row.get("country")
    if not isinstance(country, str) or not _COUNTRY.match(country.lower()):
        raise invalid(
            "source-bid-country-code", f"{where}: country {country!r} is not a two-letter country code"
        )
    value = _value(row, "bid_value", where)
    percentage = _value(row, "bid_override_percentage", where)
    if value != DEFAULT and percentage != DEFAULT:
        raise invalid(
            "source-bid-one-override",
            f"{where}: at most one of bid_value and bid_override_percentage may be other than default",
        )
    key = f"{app_id}:{country.lower()}"
    if value == DEFAULT and percentage == DEFAULT:
        overrides.pop(key, None)
    else:
        overrides[key] = {
            "app_id": app_id,
            "country": country.lower(),
            "bid_value": value,
            "bid_override_percentage": percentage,
        }


@OPERATIONS.serves("POST", "/source_bids/{campaign_id}")
def post_source_bids(call: Call) -> tuple[int, Any]:
    updated, overrides = _write(call, "source_bids", "rows", _bid_row)
    return 200, {"updated": updated, "total_row_count": len(overrides)}


@OPERATIONS.serves("GET", "/sources/{campaign_id}")
def get_sources(call: Call) -> tuple[int, Any]:
    _, doc = _stored(call, "sources")
    off = doc.get("apps", {})
    rows = [
        {"app_id": app_id, "app_id_external": external, "status": off.get(app_id, True)}
        for app_id, external in SOURCE_APPS
    ]
    return _listed(call, "sources", rows)


def _source_row(switched_off: dict[str, Any], row: Any, where: str) -> None:
    app_id = _app(row, where)
    status = row.get("status")
    if not isinstance(status, bool):
        raise invalid("source-bid-row", f"{where}: status must be a JSON boolean")
    if status:
        switched_off.pop(app_id, None)
    else:
        switched_off[app_id] = False


@OPERATIONS.serves("POST", "/sources/{campaign_id}")
def post_sources(call: Call) -> tuple[int, Any]:
    updated, _ = _write(call, "sources", "apps", _source_row)
    return 200, {"updated": updated, "total_row_count": len(SOURCE_APPS)}
