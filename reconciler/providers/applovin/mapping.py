"""AppLovin wire ↔ canonical attributes (pure, as docs/applovin-resources.md says) and the guide's tables.

Read side: campaign, campaign targets, creative set (with its assets and ads), source bids and sources
bodies become canonical attributes (countries lower case, sets sorted, `"default"` rows dropped).
Write side: canonical attributes and the old/new values of a change become request bodies that hold only
what changed (the targets POST names only the countries it changes; removed ones go as `disabled`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

# ---- the guide's tables ------------------------------------------------------------------------

BID_TYPES = ("CPI", "CPP_GOAL", "RET", "CPE", "ROAS_AD_BASED", "ROAS_IAP")
APP_PLATFORMS = ("ios", "android")
TRACKING_METHODS = (
    "adjust",
    "applovin",
    "appsflyer",
    "apsalar",
    "branch",
    "custom_track",
    "justtrack",
    "kochava",
    "tenjin",
)
DEVICE_TYPES = ("phone", "tablet", "other")
SET_SIZES = ("BANNER", "CTV", "INTER", "PRELOAD")
AD_SIZES = ("BANNER", "INTER", "LEADER", "MREC", "NATIVE", "WIDGET")
LANGUAGES = frozenset(
    {
        "ar",
        "bg",
        "bn",
        "bs",
        "ca",
        "cs",
        "da",
        "de",
        "el",
        "en",
        "es",
        "et",
        "eu",
        "fa",
        "fi",
        "fr",
        "he",
        "hi",
        "hr",
        "hu",
        "id",
        "in",
        "is",
        "it",
        "iw",
        "ja",
        "jv",
        "ka",
        "ko",
        "ld",
        "lt",
        "lv",
        "mk",
        "mr",
        "ms",
        "nb",
        "nl",
        "no",
        "pl",
        "pt",
        "ro",
        "ru",
        "sk",
        "sq",
        "sr",
        "su",
        "sv",
        "th",
        "tr",
        "ug",
        "uk",
        "ur",
        "vi",
        "zh",
        "zh_hans",
        "zh_hant",
    }
)
ASSET_TYPES = (
    "HOSTED_HTML",
    "IMG_BANNER",
    "IMG_ICON",
    "IMG_INTER_L",
    "IMG_INTER_P",
    "IMG_LEADER",
    "IMG_MREC",
    "IMG_NATIVE",
    "TXT_BUTTON",
    "TXT_RATING",
    "TXT_SUBTITLE",
    "TXT_TITLE",
    "VID_LONG_L",
    "VID_LONG_P",
    "VID_SHORT_L",
    "VID_SHORT_P",
)
TEXT_TYPES = frozenset(t for t in ASSET_TYPES if t.startswith("TXT_"))
_P, _L = "IMG_INTER_P", "IMG_INTER_L"
TEMPLATES: dict[tuple[str, str], frozenset[str]] = {
    ("BANNER", "Standard"): frozenset({"IMG_BANNER"}),
    ("INTER", "Landscape — Over 15s"): frozenset({_P, _L, "VID_LONG_L"}),
    ("INTER", "Landscape — Under 15s"): frozenset({_P, _L, "VID_SHORT_L"}),
    ("INTER", "Landscape Playable Endcard — Over 15s"): frozenset({"HOSTED_HTML", "VID_LONG_L"}),
    ("INTER", "Landscape Playable Endcard — Under 15s"): frozenset({"HOSTED_HTML", "VID_SHORT_L"}),
    ("INTER", "Portrait — Over 15s"): frozenset({_P, _L, "VID_LONG_P"}),
    ("INTER", "Portrait — Under 15s"): frozenset({_P, _L, "VID_SHORT_P"}),
    ("INTER", "Portrait Playable Endcard — Over 15s"): frozenset({"HOSTED_HTML", "VID_LONG_P"}),
    ("INTER", "Portrait Playable Endcard — Under 15s"): frozenset({"HOSTED_HTML", "VID_SHORT_P"}),
    ("INTER", "Rewarded Playable"): frozenset({"HOSTED_HTML"}),
    ("INTER", "Standard"): frozenset({_P, _L}),
    ("INTER", "Standard Playable"): frozenset({"HOSTED_HTML"}),
    ("LEADER", "Standard"): frozenset({"IMG_LEADER"}),
    ("MREC", "Standard"): frozenset({"IMG_MREC"}),
}
FILE_KINDS = {
    t: "html" if t == "HOSTED_HTML" else "image" if t.startswith("IMG_") else "video"
    for t in ASSET_TYPES
    if t not in TEXT_TYPES
}
"""The kind of file each file asset type takes ("file | Image, video, or HTML file.")."""
IMAGE_SIZES: dict[str, frozenset[tuple[int, int]]] = {
    "IMG_BANNER": frozenset({(320, 50)}),
    "IMG_LEADER": frozenset({(728, 90)}),
    "IMG_MREC": frozenset({(300, 250)}),
    "IMG_NATIVE": frozenset({(1200, 628), (1200, 627)}),
}
ORIENTATIONS = {
    **dict.fromkeys(("IMG_INTER_L", "VID_LONG_L", "VID_SHORT_L"), "landscape"),
    **dict.fromkeys(("IMG_INTER_P", "VID_LONG_P", "VID_SHORT_P"), "portrait"),
}
VIDEO_SECONDS = 15.0
"""VID_LONG_ videos are "more than 15 seconds", VID_SHORT_ ones "less than 15 seconds"."""
DEFAULT_COUNTRY = "DEFAULT"
DEFAULT = "default"
COUNTRY_FIELDS = ("bid", "budget", "click_url", "impression_url")
CAMPAIGN_FIELDS = (
    "name",
    "status",
    "tracking_method",
    "bid_type",
    "platform",
    "package_name",
    "bundle_id",
    "category",
    "goal_period",
)
CAMPAIGN_UPDATABLE = ("name", "status", "tracking_method", "category")
CREATIVE_SET_FIELDS = ("name", "countries", "languages", "product_page")


def expected_templates(asset_types: Iterable[str]) -> list[tuple[str, str]]:
    """The (size, template) pairs whose assets are all among `asset_types`: the ads the platform makes."""
    held = set(asset_types)
    return sorted(k for k, needs in TEMPLATES.items() if needs <= held)


# ---- read side ---------------------------------------------------------------------------------


def _country(code: Any) -> str:
    text = str(code or "").strip()
    return DEFAULT_COUNTRY if text.upper() == DEFAULT_COUNTRY else text.lower()


def _number(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return value
    return value


def _text_or_none(value: Any) -> Any:
    return value if value not in ("", None) else None


def campaign_from_wire(body: Mapping[str, Any]) -> dict[str, Any]:
    """The canonical campaign: the fields a manifest may set (statistics are left out)."""
    found = {k: body[k] for k in CAMPAIGN_FIELDS if k in body}
    if "package_name" in found and found["package_name"] is not None:
        found["package_name"] = str(found["package_name"])
    return found


def targets_from_wire(body: Mapping[str, Any]) -> dict[str, Any]:
    """Canonical targets: every active country as a full row, devices as a sorted set."""
    rows = []
    for item in body.get("countries") or []:
        if not isinstance(item, Mapping) or item.get("disabled") is True:
            continue
        rows.append(
            {
                "country": _country(item.get("country")),
                "bid": _number(item.get("bid")),
                "budget": _number(item.get("budget")),
                "click_url": _text_or_none(item.get("click_url")),
                "impression_url": _text_or_none(item.get("impression_url")),
            }
        )
    found: dict[str, Any] = {"countries": sorted(rows, key=lambda r: str(r["country"]))}
    if "device_types" in body:
        found["device_types"] = sorted(str(d).lower() for d in body.get("device_types") or [])
    if "os_major_version_min" in body:
        found["os_major_version_min"] = body.get("os_major_version_min")
    return found


def creative_set_from_wire(body: Mapping[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = {"name": body.get("name")}
    found["countries"] = sorted(str(c).lower() for c in body.get("countries") or [])
    found["languages"] = sorted(str(c) for c in body.get("languages") or [])
    found["product_page"] = _text_or_none(body.get("product_page"))
    sizes = body.get("sizes")
    found["sizes"] = {str(k).upper(): bool(v) for k, v in sizes.items()} if isinstance(sizes, Mapping) else {}
    return found


def asset_from_wire(item: Mapping[str, Any]) -> dict[str, Any]:
    """An asset as the platform holds it: value, processing status and the platform's message, if any."""
    message = item.get("error_message") or item.get("message") or item.get("error")
    return {
        "type": item.get("type"),
        "asset": item.get("asset"),
        "status": item.get("status"),
        "message": str(message) if message else None,
    }


def ad_from_wire(item: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "size": str(item.get("size") or "").upper(),
        "template": item.get("template"),
        "name": item.get("name"),
        "status": item.get("status"),
    }


def ad_natural_id(campaign_id: str, creative_set_id: str, size: str, template: str) -> str:
    return f"{campaign_id}/{creative_set_id}/{size}/{template}"


def override_key(app_id: Any, country: Any) -> str:
    return f"{app_id}:{str(country or '').strip().lower()}"


def source_bids_from_wire(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Canonical overrides: `app:country` → the one value that is not "default" (clear rows dropped)."""
    overrides: dict[str, dict[str, Any]] = {}
    for row in rows:
        values = {
            name: _number(row.get(name))
            for name in ("bid_value", "bid_override_percentage")
            if row.get(name) not in (None, DEFAULT)
        }
        if values:
            overrides[override_key(row.get("app_id"), row.get("country"))] = values
    return {"overrides": overrides, "keys": sorted(overrides)}


def sources_from_wire(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    return {
        "apps": {str(r.get("app_id")): bool(r.get("status")) for r in rows if r.get("app_id") is not None}
    }


# ---- write side --------------------------------------------------------------------------------


def campaign_create_body(desired: Mapping[str, Any]) -> dict[str, Any]:
    return {k: desired[k] for k in CAMPAIGN_FIELDS if k in desired}


def campaign_update_body(paths: Iterable[str], desired: Mapping[str, Any]) -> dict[str, Any]:
    return {p: desired.get(p) for p in CAMPAIGN_UPDATABLE if p in set(paths)}


def _country_row(row: Mapping[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = {"country": row["country"]}
    body.update({k: row[k] for k in COUNTRY_FIELDS if row.get(k) is not None})
    return body


def targets_body(
    desired: Mapping[str, Any], old: Mapping[str, Any] | None, paths: Iterable[str] | None = None
) -> dict[str, Any]:
    """The `POST /campaign_targets` body: with no `old` (a new campaign) everything the manifest sets;
    otherwise only changed fields, and only the countries added, changed or removed (`disabled: true`)."""
    changed = set(paths) if paths is not None else set(desired)
    body: dict[str, Any] = {}
    if "countries" in changed and "countries" in desired:
        before = {r["country"]: r for r in (old or {}).get("countries") or [] if isinstance(r, Mapping)}
        after = {r["country"]: r for r in desired["countries"]}
        rows: list[dict[str, Any]] = []
        for country, row in after.items():
            previous = before.get(country)
            if previous is None:
                rows.append(_country_row(row))
            elif any(_differs(previous.get(k), row.get(k)) for k in COUNTRY_FIELDS):
                sent = _country_row(row)
                # A value the manifest no longer sets is cleared (null) rather than left behind: moving
                # the values from the countries into DEFAULT clears each country's bid and budget.
                sent.update(
                    {k: None for k in COUNTRY_FIELDS if previous.get(k) is not None and k not in sent}
                )
                rows.append(sent)
        rows.extend({"country": c, "disabled": True} for c in before if c not in after)
        body["countries"] = rows
    for name in ("device_types", "os_major_version_min"):
        if name in changed and name in desired:
            body[name] = desired[name]
    return body


def _differs(a: Any, b: Any) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float) and not isinstance(a, bool):
        return round(float(a), 4) != round(float(b), 4)
    return bool(a != b)


def creative_set_body(desired: Mapping[str, Any], paths: Iterable[str] | None = None) -> dict[str, Any]:
    wanted = set(paths) if paths is not None else set(desired)
    return {k: desired[k] for k in CREATIVE_SET_FIELDS if k in desired and k in wanted}


def sizes_body(desired: Mapping[str, bool], old: Mapping[str, bool] | None) -> dict[str, bool]:
    """Only the sizes whose switch changes."""
    return {k: v for k, v in desired.items() if (old or {}).get(k) is not v}


def source_bid_rows(
    desired: Mapping[str, Mapping[str, Any]], changed: Iterable[str], removed: Iterable[str]
) -> list[dict[str, Any]]:
    """Rows for `POST /source_bids`: the changed overrides, and the removed ones cleared to "default"."""
    rows: list[dict[str, Any]] = []
    for key in sorted(set(changed)):
        values = desired.get(key)
        if values is None:
            continue
        app_id, _, country = key.rpartition(":")
        rows.append(
            {
                "app_id": app_id,
                "country": country,
                "bid_value": values.get("bid_value", DEFAULT),
                "bid_override_percentage": values.get("bid_override_percentage", DEFAULT),
            }
        )
    for key in sorted(set(removed) - set(desired)):
        app_id, _, country = key.rpartition(":")
        rows.append(
            {"app_id": app_id, "country": country, "bid_value": DEFAULT, "bid_override_percentage": DEFAULT}
        )
    return rows


def id_parts(object_id: str, n: int) -> list[str]:
    """The first `n` parts of a composite id (`campaign/creative set/...`); templates may not hold `/`."""
    return object_id.split("/", n - 1)
