"""The checks behind Amazon DSP's offline rules on campaigns and ad groups, and the helpers every check
shares (rules.py declares each with its code and source; target_checks.py has those of target sets and
creative associations): pure functions of one resource (with its parent and siblings) that report located
diagnostics through the kit's `Checker`, saying what is wrong and what to do."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from reconciler.model import Severity
from reconciler.model.instants import parse_instant
from reconciler.providers.kit import rules as kit
from reconciler.providers.kit.rules import Checker, number

Check = Callable[[Checker], None]

MAX_CURRENT_FLIGHTS = 12
MAX_FLIGHTS = 150

DEPRECATED_INVENTORY = {
    "STANDARD_DISPLAY": "DISPLAY",
    "AMAZON_MOBILE_DISPLAY": "DISPLAY",
    "AAP_MOBILE_APP": "DISPLAY",
    "VIDEO": "ONLINE_VIDEO (or STREAMING_TV)",
}
"""Inventory types deprecated on June 30, 2025, and what to use instead."""
ASIN_KPIS = frozenset({"RETURN_ON_AD_SPEND", "TOTAL_RETURN_ON_AD_SPEND", "COMBINED_RETURN_ON_AD_SPEND"})
"""KPIs measured on products sold on Amazon: the campaign must track products (ASINs)."""
OFF_AMAZON_KPIS = frozenset({"COST_PER_ACTION"})
"""KPIs that track off-Amazon conversions: the campaign must have conversion definitions. The guide names
COST_PER_ACTION ("e.g.") and no other."""
RATE_KPIS = frozenset({"CLICK_THROUGH_RATE", "VIDEO_COMPLETION_RATE", "DETAIL_PAGE_VIEW_RATE"})


# -- shared ---------------------------------------------------------------------------------------------


def items(c: Checker, path: str) -> list[tuple[str, Mapping[str, Any]]]:
    """(`path.<i>`, item) for the mappings of the list at `path` (worked out once per resource)."""
    key = "items:" + path
    found: list[tuple[str, Mapping[str, Any]]] | None = c.memo.get(key)
    if found is None:
        value = c.get(path)
        found = (
            [(f"{path}.{i}", item) for i, item in enumerate(value) if isinstance(item, dict | Mapping)]
            if isinstance(value, list)
            else []
        )
        c.memo[key] = found
    return found


def positive(path: str, what: str, hint: str) -> Check:
    return kit.positive(path, what + " must be greater than 0 (got {value})", hint)


def end_after_start(start_path: str, end_path: str, what: str) -> Any:
    def check(c: Checker) -> None:
        start, end = parse_instant(c.get(start_path)), parse_instant(c.get(end_path))
        if start and end and not start < end:
            start_name, end_name = start_path.rpartition(".")[2], end_path.rpartition(".")[2]
            c.report(
                end_path,
                f"the {what} must end after it starts ({end_name} {c.get(end_path)} is not after "
                f"{start_name} {c.get(start_path)})",
                f"move {end_name} after {start_name}",
            )

    return check


def each_flight(check: Any) -> Any:
    def run(c: Checker) -> None:
        for path, _ in items(c, "flights"):
            check(path)(c)

    return run


# -- campaigns --------------------------------------------------------------------------------------------


def flights_required(c: Checker) -> None:
    if isinstance(c.get("flights"), list) and not items(c, "flights"):
        c.report(
            "flights",
            "a campaign needs at least one flight",
            "add `- {startDateTime: ..., endDateTime: ..., budgetAmount: ...}` under flights",
        )


def current_flights(now: datetime | None) -> Any:
    def check(c: Checker) -> None:
        moment = now or datetime.now(UTC)
        ends = [parse_instant(f.get("endDateTime")) for _, f in items(c, "flights")]
        current = [end for end in ends if end is not None and end > moment]
        if len(current) > MAX_CURRENT_FLIGHTS:
            c.report(
                "flights",
                f"a campaign has at most {MAX_CURRENT_FLIGHTS} current and future flights "
                f"(got {len(current)})",
                "merge flights, or add the later ones once earlier ones have ended",
            )

    return check


def all_flights(c: Checker) -> None:
    flights = items(c, "flights")
    if len(flights) > MAX_FLIGHTS:
        c.report(
            "flights",
            f"a campaign has at most {MAX_FLIGHTS} flights in total (got {len(flights)})",
            "merge or remove flights, or split the campaign",
        )


def no_overlap(c: Checker) -> None:
    previous: tuple[str, datetime] | None = None
    for path, flight in items(c, "flights"):
        start, end = parse_instant(flight.get("startDateTime")), parse_instant(flight.get("endDateTime"))
        if start is None or end is None:
            continue
        if previous is not None and start <= previous[1]:
            c.report(
                f"{path}.startDateTime",
                f"flights must not overlap: this flight starts {flight.get('startDateTime')}, before the "
                f"flight starting {c.get(previous[0] + '.startDateTime')} ends",
                "start this flight after the previous one ends; flights are identified by their start",
            )
        if previous is None or end > previous[1]:
            previous = (path, end)


target_kpi_positive = positive(
    "optimization.goalSetting.targetKpi", "targetKpi", "write the KPI's target value"
)


def target_kpi_rate(c: Checker) -> None:
    kpi, target = c.get("optimization.goalSetting.kpi"), c.get("optimization.goalSetting.targetKpi")
    if kpi in RATE_KPIS and number(target) and target > 100:
        c.report(
            "optimization.goalSetting.targetKpi",
            f"{kpi} is a rate in percent: targetKpi is at most 100 (got {target})",
            "write the rate in percent, e.g. 0.1 for 0.1%",
        )


def tracked_products_needed(c: Checker) -> None:
    kpi = c.get("optimization.goalSetting.kpi")
    if kpi in ASIN_KPIS and not items(c, "trackedProducts"):
        active = c.get("state") == "ACTIVE"
        c.report(
            "optimization.goalSetting.kpi",
            f"kpi {kpi} measures sales on Amazon: the campaign must track the products (ASINs) it sells"
            + (" before Amazon activates it" if active else ""),
            "add `trackedProducts: [{productId: ASIN, productAssociation: FEATURED, domain: AMAZON_US}]`",
            Severity.ERROR if active else Severity.WARNING,
        )


def conversion_definitions_needed(c: Checker) -> None:
    kpi = c.get("optimization.goalSetting.kpi")
    if kpi in OFF_AMAZON_KPIS and not items(c, "conversionDefinitions"):
        active = c.get("state") == "ACTIVE"
        c.report(
            "optimization.goalSetting.kpi",
            f"kpi {kpi} requires tracking off-Amazon conversions: you must associate conversion definitions "
            "to the campaign" + (" before Amazon activates it" if active else ""),
            "add `conversionDefinitions: [{name: ...}]` (the names or ids of the advertiser's conversion "
            "definitions)",
            Severity.ERROR if active else Severity.WARNING,
        )


def tracked_once(c: Checker) -> None:
    seen: set[tuple[Any, Any]] = set()
    for path, product in items(c, "trackedProducts"):
        identity = (product.get("productId"), product.get("domain"))
        if identity in seen:
            c.report(
                path,
                f"product {identity[0]} on {identity[1]} is tracked twice",
                "list each product and domain once",
            )
        seen.add(identity)


def uncapped_alone(c: Checker) -> None:
    caps = items(c, "frequencies")
    if any(cap.get("frequencyType") == "UNCAPPED" for _, cap in caps) and len(caps) > 1:
        c.report(
            "frequencies",
            "an UNCAPPED frequency cannot be combined with other frequency caps",
            "keep only `- frequencyType: UNCAPPED`, or only CAPPED entries",
        )


_CAP_FIELDS = ("maxImpressions", "timeUnitCount", "timeUnit")


def capped_fields(c: Checker) -> None:
    for path, cap in items(c, "frequencies"):
        missing = [f for f in _CAP_FIELDS if cap.get(f) is None]
        if cap.get("frequencyType") == "CAPPED" and missing:
            c.report(
                path,
                f"a CAPPED frequency needs {', '.join(missing)}",
                "write e.g. `{frequencyType: CAPPED, maxImpressions: 3, timeUnitCount: 1, timeUnit: DAYS}`",
            )


def uncapped_fields(c: Checker) -> None:
    for path, cap in items(c, "frequencies"):
        extra = [f for f in _CAP_FIELDS if cap.get(f) is not None]
        if cap.get("frequencyType") == "UNCAPPED" and extra:
            c.report(
                path,
                f"an UNCAPPED frequency takes no {', '.join(extra)}",
                f"remove {', '.join(extra)}, or use `frequencyType: CAPPED`",
            )


def frequency_positive(c: Checker) -> None:
    for path, cap in items(c, "frequencies"):
        for name in ("maxImpressions", "timeUnitCount"):
            value = cap.get(name)
            if cap.get("frequencyType") == "CAPPED" and number(value) and value <= 0:
                c.report(f"{path}.{name}", f"{name} must be greater than 0 (got {value})", "write 1 or more")


def budget_caps_positive(c: Checker) -> None:
    for path, _ in items(c, "budgetCaps"):
        positive(f"{path}.amount", "a budget cap amount", "write the maximum spend of the period")(c)


def budget_cap_once(c: Checker) -> None:
    periods = [cap.get("recurrenceTimePeriod") for _, cap in items(c, "budgetCaps")]
    for period in sorted({p for p in periods if periods.count(p) > 1 and isinstance(p, str)}):
        c.report("budgetCaps", f"two budget caps for the {period} period", f"keep one {period} budget cap")


def fee_not_negative(c: Checker) -> None:
    for path, fee in items(c, "fees"):
        value = fee.get("feeValue")
        if number(value) and value < 0:
            c.report(f"{path}.feeValue", f"a fee cannot be negative (got {value})", "write 0 or more")


def fee_percentage(c: Checker) -> None:
    for path, fee in items(c, "fees"):
        value = fee.get("feeValue")
        if fee.get("feeValueType") == "PERCENTAGE" and number(value) and value > 100:
            c.report(
                f"{path}.feeValue",
                f"a PERCENTAGE fee is at most 100 (got {value})",
                "write the percentage, e.g. 10 for 10%",
            )


# -- ad groups --------------------------------------------------------------------------------------------


def deprecated_inventory(c: Checker) -> None:
    inventory = c.get("inventoryType")
    if isinstance(inventory, str) and inventory in DEPRECATED_INVENTORY:
        c.report(
            "inventoryType",
            f"inventoryType {inventory} is deprecated (since June 30, 2025): new ad groups should not use it",
            f"use {DEPRECATED_INVENTORY[inventory]} instead",
        )


def categories_required(c: Checker) -> None:
    if c.get("advertisedProductCategoryIds") == []:
        c.report(
            "advertisedProductCategoryIds",
            "an ad group needs at least one advertised product category",
            'list the category ids (or `{name: "..."}`) of the products advertised',
        )


def category_once(c: Checker) -> None:
    categories = c.get("advertisedProductCategoryIds")
    if not isinstance(categories, list):
        return
    keys = [json.dumps(v, sort_keys=True) for v in categories]
    for i, key in enumerate(keys):
        if key in keys[:i]:
            c.report(
                f"advertisedProductCategoryIds.{i}",
                f"advertised product category {categories[i]} is listed twice",
                "list each category once",
            )


def budget_automated(c: Checker) -> None:
    campaign = c.parent("campaign")
    if (
        c.has("budgetAmount")
        and c.get("optimization.automateBudgetAllocation") is True
        and campaign is not None
        and campaign.attributes.get("optimization", {}).get("automateBudgetAllocation") is True
    ):
        c.report(
            "budgetAmount",
            "automateBudgetAllocation is true on both the campaign and this ad group: Amazon sets the ad "
            "group's budgetAmount and does not let it be edited",
            "remove `budgetAmount`, or set `optimization.automateBudgetAllocation: false` on the ad group",
        )
