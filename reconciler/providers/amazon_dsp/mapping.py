"""Amazon DSP wire ↔ canonical (docs/amazon-dsp-resources.md), pure: no I/O, no state.

Canonical attributes hold only fields a manifest can own, normalised so an apply followed by a plan is
clean: enums upper case, date-times `YYYY-MM-DDTHH:MM:SSZ`, amounts as floats, empty and null values
dropped, set-like lists in one stable order; read-only or platform-computed fields (`goal`,
`automateBidAllocation`, ids, the audience operators, the ad group's `budgetAmount` under budget
automation) never appear.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from reconciler.model.instants import utc_text

ADVERTISER = "advertiserId"


@dataclass(frozen=True)
class TargetType:
    """One target type: manifest key, wire `targetType`, and the key of its details object."""

    key: str
    wire: str
    details: str


TARGET_TYPES: tuple[TargetType, ...] = (
    TargetType("domain", "DOMAIN", "domainTarget"),
    TargetType("location", "LOCATION", "locationTarget"),
    TargetType("audience", "AUDIENCE", "audienceTarget"),
    TargetType("app", "APP", "appTarget"),
    TargetType("productCategory", "PRODUCT_CATEGORY", "productCategoryTarget"),
    TargetType("product", "PRODUCT", "productTarget"),
    TargetType("device", "DEVICE", "deviceTarget"),
    TargetType("dayPart", "DAY_PART", "dayPartTarget"),
    TargetType("inventorySource", "INVENTORY_SOURCE", "inventorySourceTarget"),
    TargetType("videoAdFormat", "VIDEO_AD_FORMAT", "videoAdFormatTarget"),
    TargetType("contentCategory", "IAB_CONTENT_CATEGORY", "contentCategoryTarget"),
    TargetType("streamingTvApp", "STREAMING_TV_APP", "streamingTvAppTarget"),
    TargetType("thirdParty", "THIRD_PARTY", "thirdPartyTarget"),
)
BY_KEY = {t.key: t for t in TARGET_TYPES}
BY_WIRE = {t.wire: t for t in TARGET_TYPES}
BY_DETAILS = {t.details: t for t in TARGET_TYPES}

# Fields of a target's details that come back from /targets/list but are not written (legacy operators).
_TARGET_READ_ONLY = frozenset({"targetType", "inGroupOperator", "acrossGroupOperator"})
# Inner enum fields of targets, compared upper case.
_TARGET_ENUMS = frozenset(
    {"deviceType", "dayOfWeek", "inventorySourceType", "videoAdFormat", "vendor", "domainTargetType"}
)

CAMPAIGN_FIELDS = (
    "name",
    "optimization",
    "flights",
    "frequencies",
    "budgetCaps",
    "fees",
    "purchaseOrderNumber",
    "comments",
    "state",
    "trackedProducts",
    "conversionDefinitions",
)
AD_GROUP_FIELDS = (
    "name",
    "inventoryType",
    "creativeRotationType",
    "advertisedProductCategoryIds",
    "frequencies",
    "pacing",
    "targetingSettings",
    "optimization",
    "bid",
    "startDateTime",
    "endDateTime",
    "budgetAmount",
    "fees",
    "comments",
    "state",
)
ASSOCIATION_FIELDS = ("weight", "state", "startDate", "endDate")

# Fields holding amounts (compared as floats) and whole numbers, wherever they are nested.
_AMOUNTS = frozenset(
    {"budgetAmount", "targetKpi", "amount", "feeValue", "catchUpBoostPercentage", "baseBid", "maxAverageBid"}
)
_WHOLE = frozenset({"maxImpressions", "timeUnitCount", "hourOfDay", "weight"})
_DATES = frozenset({"startDateTime", "endDateTime", "startDate", "endDate"})
# Values that are enums (compared upper case) wherever they are nested.
_ENUMS = frozenset(
    {
        "state",
        "bidStrategy",
        "kpi",
        "frequencyType",
        "timeUnit",
        "recurrenceTimePeriod",
        "feeType",
        "feeValueType",
        "productAssociation",
        "inventoryType",
        "creativeRotationType",
        "deliveryProfile",
        "viewabilityTier",
        "timeZoneType",
        "userLocationSignal",
        "domain",
    }
)
_READ_ONLY = frozenset({"goal", "automateBidAllocation"})

DEFAULTED_BY_ALL = ("DEVICE", "DAY_PART", "INVENTORY_SOURCE")

CREATIVE_TYPES_BY_INVENTORY: dict[str, frozenset[str]] = {
    "STANDARD_DISPLAY": frozenset({"RESPONSIVE_ECOMMERCE", "IMAGE", "THIRD_PARTY", "STANDARD_DISPLAY"}),
    "AMAZON_MOBILE_DISPLAY": frozenset({"RESPONSIVE_ECOMMERCE", "IMAGE_MOBILE_OO", "STANDARD_DISPLAY"}),
    "AAP_MOBILE_APP": frozenset(
        {"RESPONSIVE_ECOMMERCE", "IMAGE_MOBILE_AAP", "THIRD_PARTY_MOBILE_AAP", "FIRE_TABLET_AMAZON_VIDEO_ADS"}
    ),
    "DISPLAY": frozenset(
        {
            "RESPONSIVE_ECOMMERCE",
            "IMAGE",
            "IMAGE_MOBILE_AAP",
            "IMAGE_MOBILE_OO",
            "THIRD_PARTY",
            "THIRD_PARTY_MOBILE_AAP",
            "FIRE_TABLET_AMAZON_VIDEO_ADS",
            "IMAGE_FIRE_TABLET",
            "STANDARD_DISPLAY",
        }
    ),
    "VIDEO": frozenset(
        {"LEGACY_VIDEO", "STREAMING_TV", "ONLINE_VIDEO", "THIRD_PARTY_VIDEO", "VIDEO_CREATIVE_BUILDER"}
    ),
    "STREAMING_TV": frozenset({"STREAMING_TV"}),
    "ONLINE_VIDEO": frozenset({"ONLINE_VIDEO"}),
}
"""Ad group inventory type → the creative types it accepts (the creative association guide's
compatibility table; the API spells the guide's names in upper snake case)."""


_KEY_ENCODER = json.JSONEncoder(sort_keys=True, default=str)


def canonical_key(item: Any) -> str:
    """The sort key of an item of a set-like list (the manifest sorts the same way): `json.dumps(item,
    sort_keys=True, default=str)`, with one encoder for every item."""
    return _KEY_ENCODER.encode(item)


def instant(value: Any) -> Any:
    """A date-time as `YYYY-MM-DDTHH:MM:SSZ` in UTC; other values unchanged."""
    if not isinstance(value, str) or len(value) < 10:
        return value
    return utc_text(value) or value


def _number(value: Any, whole: bool) -> Any:
    if isinstance(value, bool):
        return value
    try:
        number = float(value)
    except (TypeError, ValueError):
        return value
    if whole and number.is_integer():
        return int(number)
    return number


def _enum(value: Any) -> Any:
    return value.strip().upper() if isinstance(value, str) else value


_LEAVES: dict[str, Callable[[Any], Any]] = {
    **{name: _enum for name in _ENUMS},
    **{name: instant for name in _DATES},
    **{name: partial(_number, whole=True) for name in _WHOLE},
    **{name: partial(_number, whole=False) for name in _AMOUNTS},
}
"""Field name → how its (non-null, non-container) value is normalised; amounts win over whole numbers, dates
and enums where a name is in several sets."""
_DROPPED = _READ_ONLY | {ADVERTISER}


def clean(value: Any, name: str = "") -> Any:
    """The canonical form of a wire value (decoded JSON: objects are dicts): nulls and read-only fields
    dropped, formats normalised."""
    if isinstance(value, dict):
        cleaned: dict[str, Any] = {}
        for k, v in value.items():
            if v is None or k in _DROPPED:
                continue
            if isinstance(v, dict | list):
                v = clean(v, k)
            elif (leaf := _LEAVES.get(k)) is not None:
                v = leaf(v)
            if v is not None:
                cleaned[k] = v
        return cleaned
    if isinstance(value, list):
        return [clean(v, name) for v in value if v is not None]
    leaf = _LEAVES.get(name)
    return value if leaf is None else leaf(value)


def _sorted(items: Iterable[Any]) -> list[Any]:
    found = list(items)
    return sorted(found, key=canonical_key) if len(found) > 1 else found


# -- campaigns --------------------------------------------------------------------------------------


def flight_from_wire(row: Mapping[str, Any]) -> dict[str, Any]:
    return clean({k: row.get(k) for k in ("startDateTime", "endDateTime", "budgetAmount")})


def flights_of(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Flights in canonical order (by start), without their ids."""
    return sorted((flight_from_wire(r) for r in rows), key=lambda f: str(f.get("startDateTime", "")))


def product_from_wire(row: Mapping[str, Any]) -> dict[str, Any]:
    return clean({k: row.get(k) for k in ("productId", "productAssociation", "domain")})


def product_key(product: Mapping[str, Any]) -> tuple[str, str]:
    """A tracked product's identity: productId and domain."""
    return (str(product.get("productId", "")), str(product.get("domain", "")).upper())


def wire_flights(campaign: Mapping[str, Any]) -> list[dict[str, Any]] | None:
    """The flights inside a campaign row (`flights: {flights: [...]}` or a plain list), None if absent."""
    flights = campaign.get("flights")
    if isinstance(flights, Mapping):
        flights = flights.get("flights")
    if isinstance(flights, list):
        return [f for f in flights if isinstance(f, dict)]
    return None


def conversion_from_wire(row: Mapping[str, Any]) -> dict[str, Any]:
    """An item of the conversion definition associations list (`{"id", "isOptimized"}`) → canonical."""
    definition = row.get("id", row.get("conversionDefinitionId"))
    return {"conversionDefinitionId": str(definition or ""), "isOptimized": row.get("isOptimized") is True}


def campaign_from_wire(
    row: Mapping[str, Any],
    flights: Iterable[Mapping[str, Any]],
    products: Iterable[Mapping[str, Any]] | None,
    conversions: Iterable[Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """A campaign row of `/campaigns/list`, its flights, tracked products and conversion definitions →
    canonical attributes (without `trackedProducts` or `conversionDefinitions` when they were not read)."""
    separate = ("flights", "trackedProducts", "conversionDefinitions")
    attributes = clean({k: row.get(k) for k in CAMPAIGN_FIELDS if k not in separate})
    for name in ("frequencies", "budgetCaps", "fees"):
        if isinstance(attributes.get(name), list):
            attributes[name] = _sorted(attributes[name])
    attributes["flights"] = flights_of(flights)
    if products is not None:
        attributes["trackedProducts"] = _sorted(product_from_wire(p) for p in products)
    if conversions is not None:
        attributes["conversionDefinitions"] = _sorted(conversion_from_wire(c) for c in conversions)
    return attributes


def campaign_create_body(desired: Mapping[str, Any], advertiser_id: str) -> dict[str, Any]:
    """A campaign of `POST /campaigns`: flights inline, no state (campaigns start INACTIVE), no products or
    conversion definitions (they have their own endpoints)."""
    apart = ("flights", "trackedProducts", "conversionDefinitions", "state", ADVERTISER)
    body: dict[str, Any] = {k: v for k, v in desired.items() if k not in apart}
    body["advertiserId"] = advertiser_id
    body["flights"] = {"flights": [dict(f) for f in desired.get("flights") or []]}
    return body


def campaign_budget_automated(row: Mapping[str, Any]) -> bool:
    optimization = row.get("optimization")
    return isinstance(optimization, Mapping) and optimization.get("automateBudgetAllocation") is True


# -- ad groups --------------------------------------------------------------------------------------


def ad_group_from_wire(row: Mapping[str, Any], campaign_automated: bool) -> dict[str, Any]:
    """An ad group row of `/adGroups/list` → canonical attributes. With budget automation on both the
    campaign and the ad group, `budgetAmount` belongs to the platform and is left out."""
    attributes = clean({k: row.get(k) for k in AD_GROUP_FIELDS})
    for name in ("advertisedProductCategoryIds", "frequencies", "fees"):
        if isinstance(attributes.get(name), list):
            attributes[name] = _sorted(attributes[name])
    if campaign_automated and campaign_budget_automated(row):
        attributes.pop("budgetAmount", None)
    return attributes


def ad_group_create_body(desired: Mapping[str, Any], campaign_id: str) -> dict[str, Any]:
    """An ad group of `POST /adGroups`: no state (ad groups start INACTIVE)."""
    body = {k: v for k, v in desired.items() if k not in ("state", ADVERTISER)}
    body["campaignId"] = campaign_id
    return body


def patch_body(desired: Mapping[str, Any], paths: Iterable[str], skip: Iterable[str] = ()) -> dict[str, Any]:
    """The top-level fields to PATCH for these changed paths (a changed nested field sends its whole
    top-level object), leaving out `skip`."""
    skipped = set(skip)
    names = dict.fromkeys(p.split(".")[0] for p in paths)
    return {n: desired.get(n) for n in names if n not in skipped}


# -- targets ----------------------------------------------------------------------------------------


def defaulted_types(inventory_type: str | None) -> frozenset[str]:
    """The wire target types the platform adds to a new ad group of this inventory type."""
    kind = (inventory_type or "").upper()
    types = set(DEFAULTED_BY_ALL)
    if kind != "AAP_MOBILE_APP":
        types.add("DOMAIN")
    if kind == "VIDEO":
        types.add("VIDEO_AD_FORMAT")
    return frozenset(types)


def target_to_wire(type_key: str, target: Mapping[str, Any], ad_group_id: str) -> dict[str, Any]:
    """A canonical target (`{negative, **details}`) of a type → the wire target of /targets."""
    kind = BY_KEY[type_key]
    inner = {k: v for k, v in target.items() if k != "negative"}
    return {
        "adGroupId": ad_group_id,
        "adProduct": "AMAZON_DSP",
        "state": "ENABLED",
        "negative": bool(target.get("negative", False)),
        "targetDetails": {kind.details: {**inner, "targetType": kind.wire}},
    }


def _target_inner(value: Any, name: str = "") -> Any:
    if isinstance(value, Mapping):
        return {
            k: _target_inner(v, k) for k, v in value.items() if v is not None and k not in _TARGET_READ_ONLY
        }
    if name in _TARGET_ENUMS and isinstance(value, str):
        return value.strip().upper()
    if name == "hourOfDay":
        return _number(value, whole=True)
    if name == "groupId" and value is not None:
        return str(value)
    return value


def target_from_wire(row: Mapping[str, Any]) -> tuple[str, str, dict[str, Any]] | None:
    """A row of `/targets/list` → (ad group id, manifest type key, canonical target); None if unknown."""
    details = row.get("targetDetails")
    if not isinstance(details, Mapping):
        return None
    for details_key, inner in details.items():
        kind = BY_DETAILS.get(details_key)
        if kind is None and isinstance(inner, Mapping):
            kind = BY_WIRE.get(str(inner.get("targetType", "")).upper())
        if kind is None or not isinstance(inner, Mapping):
            continue
        target = {"negative": bool(row.get("negative", False)), **_target_inner(inner)}
        return str(row.get("adGroupId", "")), kind.key, target
    return None


def target_set_id(ad_group_id: str, type_key: str) -> str:
    return f"{ad_group_id}/{BY_KEY[type_key].wire}"


def split_target_set_id(object_id: str) -> tuple[str, str] | None:
    """`<adGroupId>/<TARGET_TYPE>` → (ad group id, manifest type key)."""
    ad_group_id, _, wire = object_id.rpartition("/")
    kind = BY_WIRE.get(wire)
    if not ad_group_id or kind is None:
        return None
    return ad_group_id, kind.key


def sort_targets(targets: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return _sorted(dict(t) for t in targets)


def target_delta(
    live: Iterable[Mapping[str, Any]], desired: Iterable[Mapping[str, Any]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(targets to delete, targets to add) to turn `live` into `desired`, compared canonically."""
    have = {canonical_key(_comparable(t)): dict(t) for t in live}
    want = {canonical_key(_comparable(t)): dict(t) for t in desired}
    delete = [t for k, t in have.items() if k not in want]
    add = [t for k, t in want.items() if k not in have]
    return sort_targets(delete), sort_targets(add)


def _comparable(target: Mapping[str, Any]) -> dict[str, Any]:
    return {"negative": bool(target.get("negative", False)), **_target_inner(dict(target))}


# -- creative associations --------------------------------------------------------------------------


def association_id(ad_group_id: str, creative_id: str) -> str:
    return f"{ad_group_id}/{creative_id}"


def split_association_id(object_id: str) -> tuple[str, str] | None:
    ad_group_id, _, creative_id = object_id.partition("/")
    if not ad_group_id or not creative_id:
        return None
    return ad_group_id, creative_id


def association_from_wire(row: Mapping[str, Any]) -> dict[str, Any]:
    attributes = clean({k: row.get(k) for k in ASSOCIATION_FIELDS})
    attributes["creative"] = str(row.get("adCreativeId", ""))
    return attributes


def association_to_wire(attributes: Mapping[str, Any], ad_group_id: str) -> dict[str, Any]:
    body: dict[str, Any] = {"adGroupId": ad_group_id, "adCreativeId": str(attributes.get("creative", ""))}
    body.update({k: attributes[k] for k in ASSOCIATION_FIELDS if attributes.get(k) is not None})
    return body


@dataclass(frozen=True)
class Moderation:
    """A creative association's moderation: NOT_APPROVED experiences and their reasons."""

    status: str
    rejected: tuple[tuple[str, tuple[str, ...]], ...] = ()


def moderation_from_wire(row: Mapping[str, Any]) -> Moderation:
    """A row of `/associations/adGroups/list` or `/moderations/list` → its moderation outcome."""
    rejected: list[tuple[str, tuple[str, ...]]] = []
    for experience in row.get("adExperiences") or []:
        if not isinstance(experience, Mapping):
            continue
        if str(experience.get("associationModerationStatus", "")).upper() == "NOT_APPROVED":
            reasons = tuple(str(r) for r in experience.get("associationModerationReasons") or [])
            rejected.append((str(experience.get("adExperience") or "creative"), reasons))
    status = str(row.get("creativeAssociationStatus") or ("NOT_APPROVED" if rejected else "")).upper()
    return Moderation(status, tuple(rejected))
