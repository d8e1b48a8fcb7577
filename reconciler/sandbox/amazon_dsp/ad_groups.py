"""Amazon DSP ad groups: `POST|PATCH /dsp/v1/adGroups` (20 a request, 207 per item) and `POST
/dsp/v1/adGroups/list`. Ad groups are created INACTIVE with the platform's default targets (visible in
`/targets/list` after `amazon_default_target_delay_seconds`); inventory types Audio, Podcast and DOOH are
not supported and the deprecated ones cannot be created; `budgetAmount` belongs to the platform when
budget automation is on for both the campaign and the ad group.

Nothing stricter than the guides: they state no order of an ad group's dates, no range of its amounts and
percentages, and nothing that keeps its inventory type from changing, so a PATCH may change `inventoryType`
(to any type the API supports) and dates or amounts are stored as sent. An ad group stays in the campaign it
was created in (the guide's object hierarchy: campaigns hold ad groups)."""

from __future__ import annotations

from typing import Any

from reconciler.sandbox.amazon_dsp import campaigns, objects
from reconciler.sandbox.amazon_dsp import inputs as read
from reconciler.sandbox.amazon_dsp.calls import Call, Handler, each_object
from reconciler.sandbox.amazon_dsp.errors import ItemError
from reconciler.sandbox.amazon_dsp.seed import COUNTERS, PLATFORM, start_ad_group
from reconciler.sandbox.amazon_dsp.settings import Settings
from reconciler.sandbox.common.routing import Operations

OPERATIONS: Operations[Handler] = Operations()

BATCH_LIMIT = 20
INVENTORY_TYPES = ("DISPLAY", "STREAMING_TV", "ONLINE_VIDEO")
DEPRECATED_INVENTORY_TYPES = ("STANDARD_DISPLAY", "AMAZON_MOBILE_DISPLAY", "AAP_MOBILE_APP", "VIDEO")
UNSUPPORTED_INVENTORY_TYPES = ("AUDIO", "PODCAST", "DOOH")
ROTATIONS = ("RANDOM", "WEIGHTED")
DELIVERY_PROFILES = ("EVEN", "ASAP", "AHEAD")
VIEWABILITY_TIERS = (
    "ALL_TIERS",
    "LESS_THAN_40_PERCENT",
    "GREATER_THAN_40_PERCENT",
    "GREATER_THAN_50_PERCENT",
    "GREATER_THAN_60_PERCENT",
    "GREATER_THAN_70_PERCENT",
)
TIME_ZONES = ("VIEWER", "ADVERTISER")
LOCATION_SIGNALS = ("CURRENT", "HOME", "CURRENT_AND_HOME")
READ_ONLY = ("creationDateTime", "lastUpdatedDateTime", "advertiserId")
WRITABLE = (
    "campaignId",
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
    "budgetCaps",
    "fees",
    "purchaseOrderNumber",
    "comments",
    "state",
)


def _inventory_type(item: dict[str, Any], path: str, creating: bool = True) -> str:
    """The inventory type of an ad group create (a deprecated one is refused: "We recommend you do not
    create new ad groups with these inventoryTypes") or of a PATCH (any supported one)."""
    value = item.get("inventoryType")
    if value is None:
        raise ItemError("MISSING_REQUIRED_FIELD", f"{path}.inventoryType is required.")
    if value in UNSUPPORTED_INVENTORY_TYPES:
        raise ItemError(
            "INVENTORY_TYPE_NOT_SUPPORTED",
            f"{path}.inventoryType {value}: Audio, Podcast and DOOH ad groups are not supported by the API; "
            "manage them in the DSP console.",
        )
    if value in DEPRECATED_INVENTORY_TYPES and creating:
        raise ItemError(
            "INVENTORY_TYPE_DEPRECATED",
            f"{path}.inventoryType {value} was deprecated on 2025-06-30 and new ad groups cannot use it; "
            "use DISPLAY, STREAMING_TV or ONLINE_VIDEO.",
        )
    allowed = INVENTORY_TYPES if creating else (*INVENTORY_TYPES, *DEPRECATED_INVENTORY_TYPES)
    return str(read.enum(item, "inventoryType", path, allowed, required=True))


def _categories(call: Call, value: Any, path: str) -> list[str]:
    if not isinstance(value, list) or not value:
        raise ItemError(
            "ADVERTISED_PRODUCT_CATEGORY_REQUIRED",
            f"{path}.advertisedProductCategoryIds needs at least one advertised product category id.",
        )
    for i, category in enumerate(value):
        if not isinstance(category, str) or call.tx.get(PLATFORM, "product_category", category) is None:
            raise ItemError(
                "ADVERTISED_PRODUCT_CATEGORY_NOT_FOUND",
                f"{path}.advertisedProductCategoryIds[{i}] {category!r} is not an advertised product "
                "category; "
                "list them with POST /dsp/v1/advertisedProductCategories/list.",
            )
    return list(value)


def _sub(item: dict[str, Any], key: str, path: str, current: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the object given for `key`, a copy of its current value to merge it into)."""
    return read.obj(item[key], f"{path}.{key}"), dict(current or {})


def _settings(item: dict[str, Any], path: str, doc: dict[str, Any]) -> None:
    """pacing, targetingSettings, optimization and bid into `doc` (merging into what is there)."""
    if item.get("pacing") is not None:
        given, merged = _sub(item, "pacing", path, doc.get("pacing"))
        where = f"{path}.pacing"
        read.check_keys(given, where, ("deliveryProfile", "catchUpBoostPercentage"))
        if read.enum(given, "deliveryProfile", where, DELIVERY_PROFILES) is not None:
            merged["deliveryProfile"] = given["deliveryProfile"]
        if read.number(given, "catchUpBoostPercentage", where) is not None:
            merged["catchUpBoostPercentage"] = given["catchUpBoostPercentage"]
        doc["pacing"] = merged
    if item.get("targetingSettings") is not None:
        given, merged = _sub(item, "targetingSettings", path, doc.get("targetingSettings"))
        where = f"{path}.targetingSettings"
        read.check_keys(given, where, ("amazonViewability", "timeZoneType", "userLocationSignal"))
        if given.get("amazonViewability") is not None:
            view = read.obj(given["amazonViewability"], f"{where}.amazonViewability")
            read.check_keys(
                view, f"{where}.amazonViewability", ("viewabilityTier", "includeUnmeasurableImpressions")
            )
            read.enum(view, "viewabilityTier", f"{where}.amazonViewability", VIEWABILITY_TIERS)
            read.boolean(view, "includeUnmeasurableImpressions", f"{where}.amazonViewability")
            merged["amazonViewability"] = {**(merged.get("amazonViewability") or {}), **view}
        for key, values in (("timeZoneType", TIME_ZONES), ("userLocationSignal", LOCATION_SIGNALS)):
            if read.enum(given, key, where, values) is not None:
                merged[key] = given[key]
        doc["targetingSettings"] = merged
    if item.get("optimization") is not None:
        given, merged = _sub(item, "optimization", path, doc.get("optimization"))
        where = f"{path}.optimization"
        read.check_keys(given, where, ("bidStrategy", "automateBudgetAllocation"), ("automateBidAllocation",))
        if read.enum(given, "bidStrategy", where, campaigns.BID_STRATEGIES) is not None:
            merged["bidStrategy"] = given["bidStrategy"]
        automate = read.boolean(given, "automateBudgetAllocation", where)
        if automate is not None:
            merged["automateBudgetAllocation"] = automate
        doc["optimization"] = merged
    if item.get("bid") is not None:
        given, merged = _sub(item, "bid", path, doc.get("bid"))
        where = f"{path}.bid"
        read.check_keys(given, where, ("baseBid", "maxAverageBid"))
        for key in ("baseBid", "maxAverageBid"):
            amount = read.number(given, key, where)
            if amount is not None:
                merged[key] = amount
        doc["bid"] = merged


def _dates(item: dict[str, Any], path: str, doc: dict[str, Any], creating: bool) -> None:
    for key in ("startDateTime", "endDateTime"):
        value = read.date_time(item, key, path, required=creating)
        if value is not None:
            doc[key] = value


def budget_automated(campaign: dict[str, Any], ad_group: dict[str, Any]) -> bool:
    return bool(
        campaign["optimization"].get("automateBudgetAllocation")
        and (ad_group.get("optimization") or {}).get("automateBudgetAllocation")
    )


def _budget(
    call: Call, item: dict[str, Any], path: str, campaign: dict[str, Any], doc: dict[str, Any]
) -> None:
    automated = budget_automated(campaign, doc)
    if item.get("budgetAmount") is not None:
        if automated:
            raise ItemError(
                "BUDGET_AMOUNT_NOT_EDITABLE",
                f"{path}.budgetAmount cannot be set while automateBudgetAllocation is true on both the "
                "campaign "
                "and the ad group (the optimization sets it); set the ad group's automateBudgetAllocation to "
                "false to edit it.",
            )
        doc["budgetAmount"] = read.number(item, "budgetAmount", path)
    elif automated and doc.get("budgetAmount") is None:
        moment = read.at(call.now)
        upcoming = [f for f in campaign["flights"] if read.to_time(f["endDateTime"]) > moment]
        doc["budgetAmount"] = upcoming[0]["budgetAmount"] if upcoming else 0.0


def _campaign_of(call: Call, campaign_id: Any, path: str) -> dict[str, Any]:
    if campaign_id is None:
        raise ItemError("MISSING_REQUIRED_FIELD", f"{path}.campaignId is required.")
    return objects.writable_campaign(call.tx, call.account_id, campaign_id)


def _create_one(
    call: Call, item: dict[str, Any], path: str, exchanges: list[dict[str, Any]]
) -> dict[str, Any]:
    campaigns.state_on_create(item, path)
    campaign = _campaign_of(call, item.get("campaignId"), path)
    inventory_type = _inventory_type(item, path)
    doc: dict[str, Any] = {
        "campaignId": campaign["campaignId"],
        "advertiserId": call.account_id,
        "name": read.string(item, "name", path, required=True),
        "state": "INACTIVE",
        "inventoryType": inventory_type,
        "creativeRotationType": read.enum(item, "creativeRotationType", path, ROTATIONS) or "RANDOM",
        "advertisedProductCategoryIds": _categories(call, item.get("advertisedProductCategoryIds"), path),
        "frequencies": [{"frequencyType": "UNCAPPED"}],
        "optimization": {"automateBudgetAllocation": False, "automateBidAllocation": False},
    }
    _dates(item, path, doc, creating=True)
    _settings(item, path, doc)
    campaigns.common(item, path, doc)
    _budget(call, item, path, campaign, doc)
    doc["adGroupId"] = call.tx.next_id("amazon_dsp.ad_group", COUNTERS["ad_group"])
    doc["creationDateTime"] = read.render_time(read.at(call.now))
    call.tx.put(PLATFORM, "ad_group", doc["adGroupId"], doc)
    start_ad_group(
        call.tx,
        doc["adGroupId"],
        call.account_id,
        inventory_type,
        exchanges,
        call.now + call.settings.of(PLATFORM, Settings).default_target_delay_seconds,
    )
    return {"adGroupId": doc["adGroupId"]}


@OPERATIONS.serves("POST", "/dsp/v1/adGroups")
def create(call: Call) -> tuple[int, dict[str, Any]]:
    """`POST /dsp/v1/adGroups` → 207 `{"success": [{"index", "adGroupId"}], "error": [...]}`."""
    exchanges = call.tx.all(PLATFORM, "exchange")  # reference data, read once a request

    def create_one(call: Call, item: dict[str, Any], path: str) -> dict[str, Any]:
        return _create_one(call, item, path, exchanges)

    return each_object(call, "adGroups", BATCH_LIMIT, create_one, WRITABLE, ("adGroupId", *READ_ONLY))


def _patch_one(call: Call, item: dict[str, Any], path: str) -> dict[str, Any]:
    doc = objects.require_ad_group(call.tx, call.account_id, item.get("adGroupId"), path)
    campaign = _campaign_of(call, doc["campaignId"], path)
    if item.get("campaignId") not in (None, doc["campaignId"]):
        raise ItemError("IMMUTABLE_FIELD", f"{path}.campaignId: an ad group stays in its campaign.")
    if item.get("inventoryType") is not None:
        doc["inventoryType"] = _inventory_type(item, path, creating=False)
    name = read.string(item, "name", path)
    if name is not None:
        doc["name"] = name
    state = read.enum(item, "state", path, campaigns.STATES)
    if state is not None:
        doc["state"] = state
    if read.enum(item, "creativeRotationType", path, ROTATIONS) is not None:
        doc["creativeRotationType"] = item["creativeRotationType"]
    if "advertisedProductCategoryIds" in item:
        doc["advertisedProductCategoryIds"] = _categories(call, item["advertisedProductCategoryIds"], path)
    _dates(item, path, doc, creating=False)
    _settings(item, path, doc)
    campaigns.common(item, path, doc)
    _budget(call, item, path, campaign, doc)
    doc["lastUpdatedDateTime"] = read.render_time(read.at(call.now))
    call.tx.put(PLATFORM, "ad_group", doc["adGroupId"], doc)
    return {"adGroupId": doc["adGroupId"]}


@OPERATIONS.serves("PATCH", "/dsp/v1/adGroups")
def patch(call: Call) -> tuple[int, dict[str, Any]]:
    """`PATCH /dsp/v1/adGroups`: each item changes the fields it names (state ACTIVE activates)."""
    return each_object(call, "adGroups", BATCH_LIMIT, _patch_one, ("adGroupId", *WRITABLE), READ_ONLY)


listing = OPERATIONS.serves("POST", "/dsp/v1/adGroups/list")(
    objects.listing(
        "ad_group",
        "adGroups",
        "adGroupIdFilter",
        {"campaignIdFilter": "campaignId", "stateFilter": "state"},
    )
)
"""`POST /dsp/v1/adGroups/list`: filters `adGroupIdFilter`, `campaignIdFilter`, `stateFilter`."""
