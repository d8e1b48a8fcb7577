"""Amazon DSP campaigns: `POST|PATCH /dsp/v1/campaigns` (5 a request, 207 per item), `POST
/dsp/v1/campaigns/list`, and the fields campaigns and ad groups share (frequencies, fees, budget caps).
Campaigns are created INACTIVE and activated by PATCH; `goal` is derived from `kpi`; `goal` and
`automateBidAllocation` are read-only; campaigns on Amazon Guaranteed deals are read-only. The guides show
only UNCAPPED frequencies and give frequency caps, budget caps, fees and targetKpi no range: they are
checked for their types and enums only."""

from __future__ import annotations

from typing import Any

from reconciler.sandbox.amazon_dsp import conversions, flights, objects
from reconciler.sandbox.amazon_dsp import inputs as read
from reconciler.sandbox.amazon_dsp.calls import Call, Handler, each_object
from reconciler.sandbox.amazon_dsp.errors import ItemError
from reconciler.sandbox.amazon_dsp.seed import COUNTERS, PLATFORM
from reconciler.sandbox.common.routing import Operations

OPERATIONS: Operations[Handler] = Operations()

BATCH_LIMIT = 5
STATES = ("ACTIVE", "INACTIVE")
GOALS = {
    "REACH": "AWARENESS",
    **dict.fromkeys(
        (
            "CLICK_THROUGH_RATE",
            "COST_PER_CLICK",
            "COST_PER_VIDEO_COMPLETION",
            "VIDEO_COMPLETION_RATE",
            "COST_PER_DETAIL_PAGE_VIEW",
            "DETAIL_PAGE_VIEW_RATE",
        ),
        "CONSIDERATION",
    ),
    **dict.fromkeys(
        (
            "RETURN_ON_AD_SPEND",
            "TOTAL_RETURN_ON_AD_SPEND",
            "COST_PER_ACTION",
            "COMBINED_RETURN_ON_AD_SPEND",
            "COST_PER_SIGN_UP",
            "COST_PER_FIRST_APP_OPEN",
        ),
        "CONVERSIONS",
    ),
}
"""kpi → the read-only goal (the campaign guide's table)."""
ASIN_KPIS = ("RETURN_ON_AD_SPEND", "TOTAL_RETURN_ON_AD_SPEND", "COMBINED_RETURN_ON_AD_SPEND")
"""KPIs that measure sales on Amazon: the campaign must track products (ASINs) before it runs."""
BID_STRATEGIES = ("SPEND_BUDGET_IN_FULL", "PRIORITIZE_KPI_TARGET", "MAXIMIZE_PERFORMANCE")
FREQUENCY_TYPES = ("CAPPED", "UNCAPPED")
TIME_UNITS = ("MINUTES", "HOURS", "DAYS")
RECURRENCES = ("DAILY", "MONTHLY")
FEE_TYPES = ("AGENCY", "THIRD_PARTY")
FEE_VALUE_TYPES = ("PERCENTAGE", "FIXED_CPM")
READ_ONLY = ("goal", "creationDateTime", "lastUpdatedDateTime", "amazonGuaranteedDeal")
WRITABLE = (
    "name",
    "advertiserId",
    "flights",
    "optimization",
    "frequencies",
    "budgetCaps",
    "fees",
    "purchaseOrderNumber",
    "comments",
    "state",
)


# -- fields shared with ad groups ------------------------------------------------------------------


def frequencies(value: Any, path: str) -> list[dict[str, Any]]:
    made = []
    for item, where in read.objects(value, path):
        read.check_keys(item, where, ("frequencyType", "maxImpressions", "timeUnitCount", "timeUnit"))
        read.enum(item, "frequencyType", where, FREQUENCY_TYPES, required=True)
        for key in ("maxImpressions", "timeUnitCount"):
            read.integer(item, key, where)
        read.enum(item, "timeUnit", where, TIME_UNITS)
        made.append(dict(item))
    return made


def fees(value: Any, path: str) -> list[dict[str, Any]]:
    for item, where in read.objects(value, path):
        read.check_keys(item, where, ("feeType", "feeValue", "feeValueType"))
        read.enum(item, "feeType", where, FEE_TYPES, required=True)
        read.enum(item, "feeValueType", where, FEE_VALUE_TYPES, required=True)
        read.number(item, "feeValue", where, required=True)
    return [dict(item) for item in value]


def budget_caps(value: Any, path: str) -> list[dict[str, Any]]:
    for item, where in read.objects(value, path):
        read.check_keys(item, where, ("recurrenceTimePeriod", "amount"))
        read.enum(item, "recurrenceTimePeriod", where, RECURRENCES, required=True)
        read.number(item, "amount", where, required=True)
    return [dict(item) for item in value]


def optional_text(item: dict[str, Any], key: str, path: str, doc: dict[str, Any]) -> None:
    if key in item:
        value = item[key]
        if value is not None and not isinstance(value, str):
            raise read.invalid(f"{path}.{key}", "must be a string.")
        doc[key] = value


def common(item: dict[str, Any], path: str, doc: dict[str, Any]) -> None:
    """frequencies, fees, budgetCaps, purchaseOrderNumber and comments into `doc`."""
    for key, parse in (("frequencies", frequencies), ("fees", fees), ("budgetCaps", budget_caps)):
        if key in item:
            doc[key] = None if item[key] is None else parse(item[key], f"{path}.{key}")
    for key in ("purchaseOrderNumber", "comments"):
        optional_text(item, key, path, doc)


def state_on_create(item: dict[str, Any], path: str) -> None:
    state = read.enum(item, "state", path, STATES)
    if state == "ACTIVE":
        raise ItemError(
            "STATE_NOT_ALLOWED_ON_CREATE",
            f"{path}.state: objects are created INACTIVE; activate them afterwards with a PATCH (state "
            "ACTIVE).",
        )


# -- campaigns -------------------------------------------------------------------------------------


def _optimization(value: Any, path: str, current: dict[str, Any] | None) -> dict[str, Any]:
    item = read.obj(value, path)
    read.check_keys(
        item, path, ("bidStrategy", "automateBudgetAllocation", "goalSetting"), ("automateBidAllocation",)
    )
    merged = dict(current or {"automateBidAllocation": False, "automateBudgetAllocation": False})
    strategy = read.enum(item, "bidStrategy", path, BID_STRATEGIES)
    if strategy is not None:
        merged["bidStrategy"] = strategy
    automate = read.boolean(item, "automateBudgetAllocation", path)
    if automate is not None:
        merged["automateBudgetAllocation"] = automate
    setting_in = item.get("goalSetting")
    if setting_in is None and current is None:
        raise ItemError("MISSING_REQUIRED_FIELD", f"{path}.goalSetting.kpi is required.")
    if setting_in is not None:
        where = f"{path}.goalSetting"
        setting = read.obj(setting_in, where)
        read.check_keys(setting, where, ("kpi", "targetKpi"), ("goal",))
        goal_setting = dict(merged.get("goalSetting") or {})
        kpi = read.enum(setting, "kpi", where, tuple(GOALS), required=current is None)
        if kpi is not None:
            goal_setting.update({"kpi": kpi, "goal": GOALS[kpi]})
        if "targetKpi" in setting:
            goal_setting["targetKpi"] = read.number(setting, "targetKpi", where)
        merged["goalSetting"] = goal_setting
    return merged


def render(doc: dict[str, Any]) -> dict[str, Any]:
    """The campaign as `/campaigns/list` returns it."""
    shown = {k: v for k, v in doc.items() if k not in ("trackedProducts", "conversionDefinitions", "flights")}
    shown["flights"] = {"flights": flights.render(doc["flights"])}
    return shown


def _create_one(call: Call, item: dict[str, Any], path: str) -> dict[str, Any]:
    state_on_create(item, path)
    advertiser_id = read.string(item, "advertiserId", path, required=True)
    if advertiser_id != call.account_id:
        raise ItemError(
            "ADVERTISER_MISMATCH",
            f"{path}.advertiserId {advertiser_id} is not the advertiser of the Amazon-Ads-AccountId header "
            f"({call.account_id}).",
        )
    name = read.string(item, "name", path, required=True)
    if item.get("optimization") is None:
        raise ItemError("MISSING_REQUIRED_FIELD", f"{path}.optimization.goalSetting.kpi is required.")
    optimization = _optimization(item["optimization"], f"{path}.optimization", None)
    made = flights.inline_on_create(call, item.get("flights"), f"{path}.flights")
    doc: dict[str, Any] = {
        "advertiserId": advertiser_id,
        "name": name,
        "state": "INACTIVE",
        "optimization": optimization,
        "flights": made,
        "frequencies": [{"frequencyType": "UNCAPPED"}],
        "trackedProducts": [],
    }
    common(item, path, doc)
    doc["campaignId"] = call.tx.next_id("amazon_dsp.campaign", COUNTERS["campaign"])
    doc["creationDateTime"] = read.render_time(read.at(call.now))
    call.tx.put(PLATFORM, "campaign", doc["campaignId"], doc)
    return {"campaignId": doc["campaignId"]}


@OPERATIONS.serves("POST", "/dsp/v1/campaigns")
def create(call: Call) -> tuple[int, dict[str, Any]]:
    """`POST /dsp/v1/campaigns` → 207 `{"success": [{"index", "campaignId"}], "error": [...]}`."""
    return each_object(call, "campaigns", BATCH_LIMIT, _create_one, WRITABLE, ("campaignId", *READ_ONLY))


def _patch_one(call: Call, item: dict[str, Any], path: str) -> dict[str, Any]:
    campaign_id = read.string(item, "campaignId", path, required=True)
    doc = objects.writable_campaign(call.tx, call.account_id, campaign_id)
    if item.get("advertiserId") not in (None, doc["advertiserId"]):
        raise ItemError(
            "ADVERTISER_MISMATCH",
            f"{path}.advertiserId {item.get('advertiserId')} is not the campaign's advertiser "
            f"({doc['advertiserId']}).",
        )
    name = read.string(item, "name", path)
    if name is not None:
        doc["name"] = name
    state = read.enum(item, "state", path, STATES)
    if state is not None:
        doc["state"] = state
    if item.get("optimization") is not None:
        doc["optimization"] = _optimization(item["optimization"], f"{path}.optimization", doc["optimization"])
    if item.get("flights") is not None:
        doc["flights"] = flights.replace_inline(call, doc["flights"], item["flights"], f"{path}.flights")
    common(item, path, doc)
    _products_tracked_before_activation(doc, path)
    conversions.required_before_activation(doc, path)
    doc["lastUpdatedDateTime"] = read.render_time(read.at(call.now))
    call.tx.put(PLATFORM, "campaign", doc["campaignId"], doc)
    return {"campaignId": doc["campaignId"]}


def _products_tracked_before_activation(doc: dict[str, Any], path: str) -> None:
    """An ACTIVE campaign with a KPI that measures sales on Amazon tracks at least one product (guide,
    step 5: "you must associate products to the campaign")."""
    kpi = doc["optimization"].get("goalSetting", {}).get("kpi")
    if doc["state"] == "ACTIVE" and kpi in ASIN_KPIS and not doc["trackedProducts"]:
        raise ItemError(
            "TRACKED_PRODUCTS_REQUIRED",
            f"{path}.state: a campaign with kpi {kpi} must track products (conversionTracking/products) "
            "before it is activated.",
        )


@OPERATIONS.serves("PATCH", "/dsp/v1/campaigns")
def patch(call: Call) -> tuple[int, dict[str, Any]]:
    """`PATCH /dsp/v1/campaigns`: each item changes the fields it names (state ACTIVE activates)."""
    return each_object(call, "campaigns", BATCH_LIMIT, _patch_one, ("campaignId", *WRITABLE), READ_ONLY)


listing = OPERATIONS.serves("POST", "/dsp/v1/campaigns/list")(
    objects.listing("campaign", "campaigns", "campaignIdFilter", {"stateFilter": "state"}, render)
)
"""`POST /dsp/v1/campaigns/list`: filters `campaignIdFilter`, `stateFilter`; pages of ≤ 100."""
