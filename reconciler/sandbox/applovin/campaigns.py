"""AppLovin campaigns and campaign targets.

- `GET /campaign/{campaign_id}` → the campaign object; `POST /campaign` (no id: create, answer 200 with
  the new object and its `campaign_id`, a 32-hex string) and `POST /campaign/{campaign_id}` (update:
  only the fields sent change). `GET /campaigns` → a JSON array of campaign objects.
  Writable: `name` (required at creation, a non-empty string), `status` (JSON boolean, false at creation
  unless sent), `tracking_method`, `category`. Set at creation only: `bid_type` (default CPI),
  `platform` (shown as ios when not sent: a sandbox choice, the guide names no default), `bundle_id`
  (iOS only), `package_name` (digits when the request says `platform: ios`), `goal_period` (null or a
  whole number; the guide gives no range). On update these read-only fields, and `campaign_id`, are
  ignored when equal to the stored value and refused (400) when different; the statistics (`clicks`,
  `created`, `impressions`, `installs`, `spend`) and fields the guide does not list are ignored.
- `GET /campaign_targets/{campaign_id}` → `{bid_type, countries, device_types, os_major_version_min}`;
  `countries` lists the active countries only: `{country, bid, budget, click_url, impression_url,
  disabled: false}` (`DEFAULT` upper case, country codes lower case, absent values null).
  `POST /campaign_targets/{campaign_id}` updates only the countries it names: fields sent replace the
  stored ones, fields not sent are kept, `null` or `""` clears one; `disabled: true` disables a country
  (its values are forgotten, so re-adding it starts afresh). After the update either an active DEFAULT
  carries the values (its bid and budget, and URLs if any) and no other country carries any, or every
  active country has its own `bid` and `budget`. `device_types` (`phone`, `tablet`, `other`; iOS only,
  [] = all) and `os_major_version_min` (any integer, or null: the guide gives no range) replace the
  stored values when sent; `bid_type` is read-only
  and ignored, as are fields the guide does not list. The answer is the targets as GET returns them.
Every refusal names its rule (rules.py).
"""

from __future__ import annotations

import hashlib
import re
import time
from typing import Any

from reconciler.sandbox.applovin.calls import Call, Handler
from reconciler.sandbox.applovin.errors import invalid, not_found
from reconciler.sandbox.applovin.seed import (
    APP_PLATFORMS,
    BID_TYPES,
    DEVICE_TYPES,
    PLATFORM,
    TRACKING_METHODS,
)
from reconciler.sandbox.common.routing import Operations
from reconciler.sandbox.store import Tx

OPERATIONS: Operations[Handler] = Operations()

WRITABLE = ("name", "status", "tracking_method", "category")
CREATE_ONLY = ("bid_type", "platform", "bundle_id", "package_name", "goal_period")
VALUE_FIELDS = ("bid", "budget", "click_url", "impression_url")
_COUNTRY = re.compile(r"^[a-z]{2}$")
_ITUNES_ID = re.compile(r"^[0-9]+$")


def new_id(tx: Tx, kind: str) -> str:
    """A fresh 32-hex id (AppLovin's ids look like this), from a counter so runs are reproducible."""
    return hashlib.md5(f"{kind}:{tx.next_id(f'applovin:{kind}', 1)}".encode()).hexdigest()


def campaign_or_404(tx: Tx, campaign_id: str) -> dict[str, Any]:
    found = tx.get(PLATFORM, "campaign", campaign_id)
    if found is None:
        raise not_found("campaign", campaign_id)
    return found


def campaign_view(doc: dict[str, Any]) -> dict[str, Any]:
    view = {k: v for k, v in doc.items() if k != "seq"}
    view.update({"clicks": 0, "impressions": 0, "installs": 0, "spend": 0.0})
    return view


def _name(body: dict[str, Any]) -> str:
    value = body.get("name")
    if not isinstance(value, str) or not value:
        raise invalid("campaign-name-required", "name is required (a non-empty string)")
    return value


def _string(body: dict[str, Any], name: str) -> str | None:
    value = body.get(name)
    if value is not None and not isinstance(value, str):
        raise invalid("campaign-field-value", f"{name} must be a string")
    return value


def _enum(body: dict[str, Any], name: str, allowed: tuple[str, ...]) -> str | None:
    value = body.get(name)
    if value is not None and value not in allowed:
        raise invalid("campaign-field-value", f"{name} {value!r} is not one of {', '.join(allowed)}")
    return value


def _writable(body: dict[str, Any], doc: dict[str, Any]) -> None:
    if "name" in body:
        doc["name"] = _name(body)
    if "status" in body:
        if not isinstance(body["status"], bool):
            raise invalid("campaign-field-value", "status must be a JSON boolean (true or false)")
        doc["status"] = body["status"]
    if "tracking_method" in body:
        if body["tracking_method"] is None:
            raise invalid("campaign-field-value", "tracking_method must be one of the tracking methods table")
        doc["tracking_method"] = _enum(body, "tracking_method", TRACKING_METHODS)
    if "category" in body:
        doc["category"] = _string(body, "category")


def _create(call: Call, body: dict[str, Any]) -> dict[str, Any]:
    if body.get("campaign_id") not in (None, ""):
        raise invalid(
            "campaign-id-on-create", "campaign_id must not be set when creating a campaign (POST /campaign)"
        )
    sent = _enum(body, "platform", APP_PLATFORMS)
    platform = sent or "ios"
    bid_type = _enum(body, "bid_type", BID_TYPES) or "CPI"
    bundle_id = _string(body, "bundle_id")
    if bundle_id and platform != "ios":
        raise invalid("campaign-bundle-id-ios-only", "bundle_id is for iOS apps only")
    package = body.get("package_name")
    if package is not None:
        package = str(package)
        if sent == "ios" and not _ITUNES_ID.match(package):
            raise invalid(
                "campaign-package-name-ios", "package_name on iOS is the numeric portion of the iTunes id"
            )
    goal = body.get("goal_period")
    if goal is not None and (isinstance(goal, bool) or not isinstance(goal, int)):
        raise invalid("campaign-field-value", "goal_period must be a whole number of days")
    doc: dict[str, Any] = {
        "campaign_id": new_id(call.tx, "campaign"),
        "name": None,
        "status": False,
        "bid_type": bid_type,
        "platform": platform,
        "bundle_id": bundle_id,
        "package_name": package,
        "tracking_method": "applovin",
        "category": None,
        "goal_period": goal,
        "created": time.strftime("%Y-%m-%d", time.gmtime(call.now)),
        "seq": int(call.tx.next_id("applovin:campaign_seq", 1)),
    }
    _writable({"name": None, **body}, doc)
    call.tx.put(
        PLATFORM,
        "targets",
        doc["campaign_id"],
        {"countries": {}, "device_types": [], "os_major_version_min": None},
    )
    return doc


def _saved(call: Call, doc: dict[str, Any]) -> tuple[int, Any]:
    call.tx.put(PLATFORM, "campaign", doc["campaign_id"], doc)
    return 200, campaign_view(doc)


@OPERATIONS.serves("POST", "/campaign")
def create_campaign(call: Call) -> tuple[int, Any]:
    return _saved(call, _create(call, call.object()))


@OPERATIONS.serves("POST", "/campaign/{campaign_id}")
def update_campaign(call: Call) -> tuple[int, Any]:
    body = call.object()
    doc = campaign_or_404(call.tx, call.params["campaign_id"])
    for name in (*CREATE_ONLY, "campaign_id"):
        if name in body and body[name] != doc.get(name) and str(body[name]) != str(doc.get(name)):
            raise invalid(
                "campaign-read-only",
                f"{name} is read-only: it cannot be changed after the campaign is created",
            )
    _writable(body, doc)
    return _saved(call, doc)


@OPERATIONS.serves("GET", "/campaign/{campaign_id}")
def get_campaign(call: Call) -> tuple[int, Any]:
    return 200, campaign_view(campaign_or_404(call.tx, call.params["campaign_id"]))


@OPERATIONS.serves("GET", "/campaigns")
def list_campaigns(call: Call) -> tuple[int, Any]:
    docs = sorted(call.tx.all(PLATFORM, "campaign"), key=lambda d: d.get("seq", 0))
    return 200, [campaign_view(d) for d in docs]


# ---- targets --------------------------------------------------------------------------------------


def _targets_view(campaign: dict[str, Any], targets: dict[str, Any]) -> dict[str, Any]:
    rows = []
    for code, row in sorted(targets["countries"].items(), key=lambda i: (i[0] != "DEFAULT", i[0])):
        if not row.get("disabled"):
            rows.append({"country": code, **{k: row.get(k) for k in VALUE_FIELDS}, "disabled": False})
    return {
        "bid_type": campaign["bid_type"],
        "countries": rows,
        "device_types": list(targets.get("device_types") or []),
        "os_major_version_min": targets.get("os_major_version_min"),
    }


def _number(value: Any, where: str, name: str) -> float | int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise invalid("targets-field-value", f"{where}: {name} must be a number")
    return value


def _country_update(targets: dict[str, Any], item: Any, index: int) -> None:
    where = f"countries[{index}]"
    if not isinstance(item, dict):
        raise invalid("targets-field-value", f"{where} must be an object")
    raw = item.get("country")
    if not isinstance(raw, str):
        raise invalid(
            "targets-country-code", f'{where}: country is required ("DEFAULT" or a two-letter country code)'
        )
    code = "DEFAULT" if raw.upper() == "DEFAULT" else raw.lower()
    if code != "DEFAULT" and not _COUNTRY.match(code):
        raise invalid(
            "targets-country-code", f"{where}: country {raw!r} is not DEFAULT or a two-letter country code"
        )
    disabled = item.get("disabled", False)
    if not isinstance(disabled, bool):
        raise invalid("targets-field-value", f"{where}: disabled must be a JSON boolean")
    if disabled:
        targets["countries"][code] = {"country": code, "disabled": True}
        return
    current = targets["countries"].get(code)
    row = dict(current) if current and not current.get("disabled") else {"country": code}
    row["disabled"] = False
    for name in VALUE_FIELDS:
        if name not in item:
            continue
        value = item[name]
        if value is None or value == "":
            row.pop(name, None)
        elif name in ("bid", "budget"):
            row[name] = _number(value, where, name)
        elif not isinstance(value, str):
            raise invalid("targets-field-value", f"{where}: {name} must be a string (a URL)")
        else:
            row[name] = value
    targets["countries"][code] = row


def _check_default_or_each_country(targets: dict[str, Any]) -> None:
    """The guide: "A campaign either has a total budget shared by all countries, or each country needs a
    specific budget. Therefore, the bid, budget, and URL values should either be in the DEFAULT object or
    in each country-specific object." """
    active = {c: r for c, r in targets["countries"].items() if not r.get("disabled")}
    default = active.pop("DEFAULT", {})
    if any(k in default for k in VALUE_FIELDS):
        valued = sorted(c for c, r in active.items() if any(k in r for k in VALUE_FIELDS))
        if valued:
            raise invalid(
                "targets-default-or-each-country",
                "the bid, budget, and URL values go either in the DEFAULT object or in each country-specific "
                f"object, not both: DEFAULT has values and so do {', '.join(valued)}",
            )
        for name in ("budget", "bid"):
            if name not in default:
                raise invalid(
                    f"targets-{name}-per-campaign-or-country",
                    f"DEFAULT carries the values shared by all countries but no {name}",
                )
        return
    for name in ("budget", "bid"):
        lacking = sorted(c for c, r in active.items() if name not in r)
        if lacking:
            raise invalid(
                f"targets-{name}-per-campaign-or-country",
                f"without values in DEFAULT each country needs its own {name}; missing for "
                + ", ".join(lacking),
            )


@OPERATIONS.serves("GET", "/campaign_targets/{campaign_id}")
def get_targets(call: Call) -> tuple[int, Any]:
    campaign = campaign_or_404(call.tx, call.params["campaign_id"])
    targets = call.tx.get(PLATFORM, "targets", campaign["campaign_id"]) or {"countries": {}}
    return 200, _targets_view(campaign, targets)


@OPERATIONS.serves("POST", "/campaign_targets/{campaign_id}")
def post_targets(call: Call) -> tuple[int, Any]:
    campaign = campaign_or_404(call.tx, call.params["campaign_id"])
    body = call.object()
    targets = call.tx.get(PLATFORM, "targets", campaign["campaign_id"]) or {"countries": {}}
    countries = body.get("countries", [])
    if not isinstance(countries, list):
        raise invalid("targets-field-value", "countries must be a list of country objects")
    for index, item in enumerate(countries):
        _country_update(targets, item, index)
    _check_default_or_each_country(targets)
    if "device_types" in body:
        devices = body["device_types"]
        if not isinstance(devices, list) or any(d not in DEVICE_TYPES for d in devices):
            raise invalid("targets-device-types", f"device_types must be a list of {', '.join(DEVICE_TYPES)}")
        if devices and campaign["platform"] != "ios":
            raise invalid("targets-device-types-ios-only", "device_types are only supported on iOS campaigns")
        targets["device_types"] = sorted(set(devices), key=DEVICE_TYPES.index)
    if "os_major_version_min" in body:
        version = body["os_major_version_min"]
        if version is not None and (isinstance(version, bool) or not isinstance(version, int)):
            raise invalid(
                "targets-field-value",
                "os_major_version_min must be a whole number (10 means 10.0 and above) or null",
            )
        targets["os_major_version_min"] = version
    call.tx.put(PLATFORM, "targets", campaign["campaign_id"], targets)
    return 200, _targets_view(campaign, targets)
