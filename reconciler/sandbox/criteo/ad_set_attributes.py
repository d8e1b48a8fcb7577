"""Criteo ad set attributes (API 2027-01): the vocabulary, and the reading and checking of each
attribute group that create and patch share, with the guide's Criteo-style error codes."""

from __future__ import annotations

from typing import Any

from reconciler.sandbox.criteo import inputs as read
from reconciler.sandbox.criteo.inputs import ABSENT, Obj
from reconciler.sandbox.criteo.problems import Rejected, validation
from reconciler.sandbox.criteo.rules import CREATE

OBJECTIVES = (
    "customAction",
    "clicks",
    "conversions",
    "displays",
    "appPromotion",
    "revenue",
    "storeConversions",
    "value",
    "reach",
    "visits",
    "videoViews",
)
MEDIA_TYPES = ("display", "video")
COST_CONTROLLERS = ("COS", "maxCPC", "CPI", "CPM", "CPO", "CPSV", "CPV", "dailyBudget", "targetCPM")
COST_CONTROLLER_ALIASES = {"CPC": "maxCPC"}
FREQUENCIES = ("hourly", "daily", "lifetime", "advanced")
OPERANDS = ("undefined", "in", "notIn")
GEO_RULES = ("countries", "subdivisions", "zipCodes")
DEVICES = ("other", "desktop", "mobile", "tablet")
OPERATING_SYSTEMS = ("android", "ios", "unknown")
ENVIRONMENTS = ("web", "inApp")
LIMITATIONS = {"devices": DEVICES, "operatingSystems": OPERATING_SYSTEMS, "environments": ENVIRONMENTS}
BUDGET_STRATEGIES = ("capped", "uncapped")
BUDGET_RENEWALS = ("undefined", "daily", "monthly", "lifetime", "weekly")
SMOOTHINGS = ("accelerated", "standard")
DELIVERY_WEEKS = (
    "undefined",
    "mondayToSunday",
    "tuesdayToMonday",
    "wednesdayToTuesday",
    "thursdayToWednesday",
    "fridayToThursday",
    "saturdayToFriday",
    "sundayToSaturday",
)
PACING = ("undefined", "targetFullBudget", "targetAverageDailyBudget")
ATTRIBUTION_METHODS = ("unknown", "criteoAttribution", "lastClick", "postClick", "sftp", "googleAnalytics")
LOOKBACK_WINDOWS = ("unknown", "30M", "24H", "7D", "30D")
UNCAPPED_BUDGET: dict[str, Any] = {
    "budgetStrategy": "uncapped",
    "budgetRenewal": "undefined",
    "budgetDeliverySmoothing": None,
    "budgetDeliveryWeek": "undefined",
    "pacingBehavior": "undefined",
    "budgetAmount": None,
}


def bid_amount(value: Any, pointer: str, prefix: str) -> float | None:
    if value is None:
        return None
    amount = read.number(value, pointer, prefix + "invalid-bid-amount")
    if amount < 0:
        raise Rejected(
            validation(
                prefix + "invalid-bid-amount",
                "Invalid bid amount",
                "The bid amount value is invalid: either it's an adaptative cost controller and it must be "
                "null, "
                "or it's not the valid interval of values.",
                pointer,
            )
        )
    return read.round4(amount)


def frequency_capping(obj: Obj, prefix: str, current: dict[str, Any] | None) -> dict[str, Any] | None:
    """`AdSetFrequencyCappingV26Q1`: both fields are nullable and optional (absent keeps the current
    value); None when neither is set (no capping)."""
    code = prefix + "invalid-frequency-capping"
    merged: dict[str, Any] = dict(current or {"frequency": None, "maximumImpressions": None})
    frequency = obj.get("frequency")
    if frequency is not ABSENT:
        merged["frequency"] = (
            None
            if frequency is None
            else read.enum_value(frequency, FREQUENCIES, obj.path("frequency"), code)
        )
    impressions = obj.get("maximumImpressions")
    if impressions is not ABSENT:
        merged["maximumImpressions"] = (
            None if impressions is None else read.int32(impressions, obj.path("maximumImpressions"), code)
        )
    obj.finish()
    if merged["frequency"] == "advanced":
        raise read.invalid(
            code,
            obj.path("frequency"),
            "The frequency capping configuration is not valid: 'advanced' is configured by Criteo "
            "and cannot be set.",
            "Invalid frequency capping",
        )
    if merged["frequency"] is None and merged["maximumImpressions"] is None:
        return None
    return merged


def geo_rule(value: Any, pointer: str, prefix: str, unknown: list[str]) -> dict[str, Any] | None:
    """A targeting rule `{operand, values}`; None means the filter is inactive."""
    code = prefix + "invalid-geolocation"
    if value is None or value is ABSENT:
        return None
    rule = read.root(value, unknown, pointer) if isinstance(value, dict) else None
    if rule is None:
        raise read.invalid(code, pointer, f"{pointer} must be an object or null.", "Invalid geolocation")
    operand = read.enum(rule, "operand", OPERANDS, code, required=True)
    values = rule.get("values")
    rule.finish()
    if operand == "undefined":
        raise read.invalid(
            code, rule.path("operand"), "The geolocation is invalid: operand must be in or notIn."
        )
    if (
        not isinstance(values, list)
        or not values
        or not all(isinstance(v, str) and v.strip() for v in values)
    ):
        raise read.invalid(
            code,
            rule.path("values"),
            "The geolocation is invalid: a geolocation setting that is not null must have a "
            "non-empty list of "
            "values (set the setting to null to disable the filter).",
            "Invalid geolocation",
        )
    return {"operand": operand, "values": list(values)}


def limitations(obj: Obj, current: dict[str, list[str]], prefix: str) -> dict[str, list[str]]:
    merged = {name: list(current.get(name, [])) for name in LIMITATIONS}
    for name, allowed in LIMITATIONS.items():
        values = read.enum_list(obj, name, allowed, prefix + "invalid-delivery-limitations")
        if values is not None:
            merged[name] = sorted(set(values), key=values.index)
    obj.finish()
    return merged


def check_dates(schedule: dict[str, Any], pointer: str, prefix: str) -> None:
    end = schedule.get("endDate")
    if end is not None and read.timestamp(schedule["startDate"]) >= read.timestamp(end):
        raise Rejected(
            validation(
                prefix + "start-date-after-end-date",
                "Invalid schedule",
                "The start date must be before the end date.",
                pointer,
            )
        )


def budget_values(
    obj: Obj, prefix: str, required: bool, current: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The budget fields of a create (`budgetAmount` bare) or patch (`budgetAmount` in a `{"value"}`
    wrapper) merged into `current`; not yet checked (see check_budget)."""
    code = prefix + "invalid-budget"
    merged: dict[str, Any] = dict(current or {})
    strategy = read.enum(obj, "budgetStrategy", BUDGET_STRATEGIES, code, required=required)
    choices = {
        "budgetRenewal": BUDGET_RENEWALS,
        "budgetDeliverySmoothing": SMOOTHINGS,
        "budgetDeliveryWeek": DELIVERY_WEEKS,
        "pacingBehavior": PACING,
    }
    given = {name: read.enum(obj, name, allowed, code) for name, allowed in choices.items()}
    amount = read.amount(obj, "budgetAmount", code, wrapped=prefix != CREATE)
    obj.finish()
    if strategy is not None:
        if strategy == "uncapped" and merged.get("budgetStrategy") != "uncapped":
            merged.update(UNCAPPED_BUDGET)
        merged["budgetStrategy"] = strategy
    for name, value in given.items():
        if value is not None:
            merged[name] = value
    if amount is not ABSENT:
        merged["budgetAmount"] = (
            None if amount is None else read.number(amount, obj.path("budgetAmount"), code)
        )
    merged.setdefault("budgetStrategy", "uncapped")
    return merged


def uncapped_leftover(values: dict[str, Any], what: str, amount: str, renewal: str) -> str | None:
    """Why an uncapped budget or spend limit (`what`) is invalid: it keeps an amount or a renewal (None when
    it keeps neither; the same rule in `CreateAdSetBudgetV26Q1` and the campaign's spend limit)."""
    if values.get(amount) is not None:
        return f"an uncapped {what} must have a null {amount}."
    if values.get(renewal) not in (None, "undefined"):
        return f"an uncapped {what} must have {renewal} 'undefined'."
    return None


def check_budget(budget: dict[str, Any], pointer: str, prefix: str) -> None:
    """The capped/uncapped consistency rules of `CreateAdSetBudgetV26Q1`/`PatchAdSetBudgetV26Q1`
    (their descriptions, quoted in rules.RULES)."""
    code = prefix + "invalid-budget"

    def fail(detail: str) -> Rejected:
        return read.invalid(code, pointer, f"The budget is invalid: {detail}", "Invalid budget")

    if budget["budgetStrategy"] == "capped":
        if budget.get("budgetAmount") is None or budget["budgetAmount"] <= 0:
            raise fail("a capped budget needs a positive budgetAmount.")
        if budget.get("budgetRenewal") in (None, "undefined"):
            raise fail("a capped budget needs a budgetRenewal other than 'undefined'.")
        if budget.get("budgetDeliverySmoothing") is None:
            raise fail("a capped budget needs a budgetDeliverySmoothing (accelerated or standard).")
        pacing = budget.get("pacingBehavior") or "undefined"
        if pacing != "undefined" and budget["budgetDeliverySmoothing"] != "standard":
            raise fail("pacingBehavior can only be set with budgetDeliverySmoothing 'standard'.")
        if pacing == "targetAverageDailyBudget" and budget["budgetRenewal"] != "monthly":
            raise fail("pacingBehavior 'targetAverageDailyBudget' requires budgetRenewal 'monthly'.")
    else:
        leftover = uncapped_leftover(budget, "budget", "budgetAmount", "budgetRenewal")
        if leftover is not None:
            raise fail(leftover)
        if budget.get("budgetDeliverySmoothing") is not None:
            raise fail("an uncapped budget must not set budgetDeliverySmoothing.")
        for name in ("budgetDeliveryWeek", "pacingBehavior"):
            if budget.get(name) not in (None, "undefined"):
                raise fail(f"an uncapped budget must not set {name}.")


def normalise_budget(budget: dict[str, Any]) -> dict[str, Any]:
    """The stored budget. budgetDeliveryWeek is "Only applicable when budgetStrategy is "capped",
    budgetRenewal is "weekly", and budgetDeliverySmoothing is "standard"" and ""undefined": used when ...
    budgetRenewal is not "weekly", or when budgetDeliverySmoothing is "accelerated"" (spec): elsewhere it
    reads "undefined". A weekly standard budget needs a week and none is documented as the default: the
    sandbox chooses mondayToSunday (the guide's example value)."""
    if budget["budgetStrategy"] == "uncapped":
        return dict(UNCAPPED_BUDGET)
    weekly_standard = budget["budgetRenewal"] == "weekly" and budget["budgetDeliverySmoothing"] == "standard"
    week = budget.get("budgetDeliveryWeek") or "undefined"
    if not weekly_standard:
        week = "undefined"
    elif week == "undefined":
        week = "mondayToSunday"
    return {
        "budgetStrategy": "capped",
        "budgetRenewal": budget["budgetRenewal"],
        "budgetDeliverySmoothing": budget["budgetDeliverySmoothing"],
        "budgetDeliveryWeek": week,
        "pacingBehavior": budget.get("pacingBehavior") or "undefined",
        "budgetAmount": budget["budgetAmount"],
    }


def campaign_budget(campaign: dict[str, Any]) -> dict[str, Any]:
    """The ad set budget of a campaign with budget automation: "the ad set budget is initialized from the
    marketing campaign spend limit amount and renewal period" (spec, CreateAdSetBudgetV26Q1). A capped
    budget reads with a smoothing and none is documented for this case: the sandbox chooses accelerated."""
    limit = campaign["spendLimit"]
    if limit["spendLimitType"] != "capped":
        return dict(UNCAPPED_BUDGET)
    return {
        "budgetStrategy": "capped",
        "budgetRenewal": limit["spendLimitRenewal"],
        "budgetDeliverySmoothing": "accelerated",
        "budgetDeliveryWeek": "undefined",
        "pacingBehavior": "undefined",
        "budgetAmount": limit["spendLimitAmount"],
    }


DEFAULT_ATTRIBUTION: dict[str, Any] = {"attributionMethod": "criteoAttribution", "lookbackWindow": None}
"""The spec: "criteoAttribution (default attribution method)" (ReadAdSetAttributionConfigurationV26Q1)."""
WINDOWED_METHODS = ("lastClick", "postClick")


def attribution(obj: Obj, current: dict[str, Any] | None, prefix: str) -> dict[str, Any]:
    """The attribution configuration. "The lookback window is only set for ad sets with an attribution
    method that is postClick or lastClick. It will be null with any other attribution method." (spec,
    ReadAdSetAttributionConfigurationV26Q1): a window given with another method is not kept."""
    code = prefix + "invalid-attribution-configuration"
    merged = dict(current or DEFAULT_ATTRIBUTION)
    method = read.enum(obj, "attributionMethod", ATTRIBUTION_METHODS, code)
    window = read.enum(obj, "lookbackWindow", LOOKBACK_WINDOWS, code)
    obj.finish()
    if method is not None:
        merged["attributionMethod"] = method
    if window is not None:
        merged["lookbackWindow"] = window
    if merged["attributionMethod"] not in WINDOWED_METHODS:
        merged["lookbackWindow"] = None
    return merged
