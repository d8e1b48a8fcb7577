"""Criteo's offline rules (pure, no I/O): everything the ad set guide and the 2027-01 spec say that can be
checked without calling the API, as located `Diagnostic`s that say what is wrong and what to do.

Where the guide and the spec disagree the spec wins (see /work/shared/platforms/FACTS.md). Several rules
also prevent perpetual diffs: a value the platform ignores or never returns (a lookback window with
`criteoAttribution`, a budget delivery week on a daily budget, a budget configuration on disabled
budget automation) would otherwise show as a change on every plan.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from reconciler.model import Diagnostic, Resource, Severity
from reconciler.providers.criteo.mapping import (
    ACTIVATIONS,
    ATTRIBUTION_METHODS,
    BID_DECIMALS,
    BUDGET_RENEWALS,
    BUDGET_STRATEGIES,
    COST_CONTROLLER_ALIASES,
    COST_CONTROLLERS,
    DELIVERY_LIMITATIONS,
    DELIVERY_WEEKS,
    FREQUENCIES,
    GEO_RULES,
    LOOKBACK_WINDOWS,
    MEDIA_TYPES,
    OBJECTIVES,
    OPERANDS,
    PACING_BEHAVIORS,
    SMOOTHINGS,
    SPEND_LIMIT_RENEWALS,
    SPEND_LIMIT_TYPES,
    canon,
    decimal_places,
    format_datetime,
    round_bid,
)

_ABSENT = object()
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_SUBDIVISION = re.compile(r"^[A-Z]{2}-[A-Z0-9]{1,3}$")
_INTEGER_ID = re.compile(r"^[0-9]+$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")

# Cost controllers that optimise without a target value: the bid amount must be null.
ADAPTIVE_COST_CONTROLLERS = frozenset({"dailyBudget"})
LOOKBACK_METHODS = frozenset({"lastClick", "postClick"})


class _Checker:
    """Collects the diagnostics of one resource."""

    def __init__(self, resource: Resource, out: list[Diagnostic]) -> None:
        self.resource = resource
        self.out = out

    def get(self, path: str) -> Any:
        node: Any = self.resource.attributes
        for part in path.split("."):
            if not isinstance(node, Mapping) or part not in node:
                return _ABSENT
            node = node[part]
        return node

    def has(self, path: str) -> bool:
        return self.get(path) is not _ABSENT

    def report(self, path: str, message: str, hint: str, severity: Severity = Severity.ERROR) -> None:
        where = self.resource.location(path)
        self.out.append(
            Diagnostic(
                message=message,
                file=where.file if where else "",
                line=where.line if where else 0,
                column=where.column if where else 0,
                field=path,
                hint=hint,
                severity=severity,
                address=str(self.resource.address),
            )
        )


def validate(resources: Sequence[Resource]) -> list[Diagnostic]:
    """Every offline rule on every Criteo campaign and ad set."""
    out: list[Diagnostic] = []
    automated = {
        r.address
        for r in resources
        if r.address.kind == "campaign"
        and isinstance(r.attributes.get("budgetAutomation"), Mapping)
        and r.attributes["budgetAutomation"].get("enabled") is True
    }
    for resource in resources:
        check = _Checker(resource, out)
        if resource.address.kind == "campaign":
            _campaign(check)
        elif resource.address.kind == "ad_set":
            _ad_set(check, resource.parent in automated if resource.parent else False)
    return out


# -- campaign -----------------------------------------------------------------------------------------


def _campaign(c: _Checker) -> None:
    _name(c, "campaign")
    _spend_limit(c)
    _budget_automation(c)


def _name(c: _Checker, what: str) -> None:
    name = c.get("name")
    if name is not _ABSENT and (not isinstance(name, str) or not name.strip()):
        c.report("name", f"a Criteo {what} cannot have an empty name", "write a non-empty `name`")


def _spend_limit(c: _Checker) -> None:
    spend = c.get("spendLimit")
    if not isinstance(spend, Mapping):
        return
    kind = canon(spend.get("spendLimitType"), SPEND_LIMIT_TYPES)
    renewal = canon(spend.get("spendLimitRenewal", _ABSENT), SPEND_LIMIT_RENEWALS)
    amount = spend.get("spendLimitAmount", _ABSENT)
    if kind == "capped":
        if amount is _ABSENT or amount is None:
            c.report(
                "spendLimit.spendLimitAmount",
                "a capped spend limit needs a spendLimitAmount",
                "set `spendLimitAmount` (the spend per renewal period), or use `spendLimitType: uncapped`",
            )
        elif _number(amount) and amount <= 0:
            c.report(
                "spendLimit.spendLimitAmount",
                f"spendLimitAmount must be greater than 0 (got {amount})",
                "set a positive amount in the advertiser's currency",
            )
        if renewal is _ABSENT or renewal in (None, "undefined"):
            c.report(
                "spendLimit.spendLimitRenewal",
                "a capped spend limit needs a spendLimitRenewal of daily, monthly or lifetime",
                "set `spendLimitRenewal: daily`, `monthly` or `lifetime`",
            )
    elif kind == "uncapped":
        if amount is not _ABSENT and amount is not None:
            c.report(
                "spendLimit.spendLimitAmount",
                f"an uncapped spend limit must have spendLimitAmount null (got {amount})",
                "remove `spendLimitAmount` (or set it to null), or use `spendLimitType: capped`",
            )
        if renewal is not _ABSENT and renewal not in (None, "undefined"):
            c.report(
                "spendLimit.spendLimitRenewal",
                f"an uncapped spend limit must have spendLimitRenewal `undefined` (got {renewal})",
                "set `spendLimitRenewal: undefined`, or use `spendLimitType: capped`",
            )


def _budget_automation(c: _Checker) -> None:
    automation = c.get("budgetAutomation")
    if not isinstance(automation, Mapping):
        return
    configuration = automation.get("budgetConfiguration")
    objective = configuration.get("adSetObjectives") if isinstance(configuration, Mapping) else None
    if automation.get("enabled") is True and not objective:
        c.report(
            "budgetAutomation.budgetConfiguration",
            "budget automation enabled needs a budgetConfiguration with adSetObjectives",
            "add `budgetConfiguration: {adSetObjectives: conversions}` (or revenue, visits, videoViews), "
            "or set `enabled: false`",
        )
    elif (
        automation.get("enabled") is not True
        and configuration is not None
        and "budgetConfiguration" in automation
    ):
        c.report(
            "budgetAutomation.budgetConfiguration",
            "budgetConfiguration is ignored while budget automation is disabled (Criteo never returns it, "
            "so it would show as a change on every plan)",
            "remove `budgetConfiguration`, or set `enabled: true`",
        )


# -- ad set -------------------------------------------------------------------------------------------


def _ad_set(c: _Checker, campaign_automated: bool) -> None:
    _name(c, "ad set")
    _ids(c)
    _tracking_code(c)
    _objective(c)
    _schedule(c)
    _bidding(c)
    _frequency(c)
    _geolocation(c)
    _limitations(c)
    _budget(c, campaign_automated)
    _attribution(c)


def _ids(c: _Checker) -> None:
    dataset = c.get("datasetId")
    if dataset is not _ABSENT and not (isinstance(dataset, str) and _INTEGER_ID.match(dataset)):
        c.report(
            "datasetId",
            f"datasetId must be a string-encoded integer (got {dataset!r})",
            'quote the dataset id, e.g. `datasetId: "56789"`',
        )
    audience = c.get("audience")
    if (
        audience is not _ABSENT
        and audience is not None
        and not (isinstance(audience, str) and _INTEGER_ID.match(audience))
    ):
        c.report(
            "audience",
            f"audience must be an audience id (a string-encoded integer) or null (got {audience!r})",
            'write the id of an existing audience, e.g. `audience: "9876"` (not an audience segment)',
        )


def _tracking_code(c: _Checker) -> None:
    code = c.get("trackingCode")
    if code is _ABSENT:
        return
    if not isinstance(code, str) or not code.strip():
        c.report(
            "trackingCode",
            "trackingCode is required: the click URL parameters of the ad set",
            "write query-string parameters, e.g. `utm_source=criteo&utm_medium=display`",
        )
    elif code.startswith("?"):
        c.report(
            "trackingCode",
            "trackingCode is query-string syntax without the leading `?`",
            f"write `{code.lstrip('?')}`",
        )


def _objective(c: _Checker) -> None:
    objective = canon(c.get("objective"), OBJECTIVES)
    media = canon(c.get("mediaType"), MEDIA_TYPES)
    if objective == "videoViews" and media is not _ABSENT and media != "video":
        c.report(
            "objective",
            f"objective videoViews is only allowed when mediaType is video (mediaType is {media})",
            "set `mediaType: video`, or choose another objective",
        )


def _instant(value: Any) -> str | None:
    text = format_datetime(value)
    return text if isinstance(text, str) and _DATETIME.match(text) else None


def _schedule(c: _Checker) -> None:
    schedule = c.get("schedule")
    if not isinstance(schedule, Mapping):
        return
    start = schedule.get("startDate", _ABSENT)
    end = schedule.get("endDate", _ABSENT)
    start_at = _instant(start) if start not in (_ABSENT, None) else None
    end_at = _instant(end) if end not in (_ABSENT, None) else None
    for path, raw, parsed in (("schedule.startDate", start, start_at), ("schedule.endDate", end, end_at)):
        if raw not in (_ABSENT, None) and parsed is None:
            c.report(
                path,
                f"{path.rpartition('.')[2]} is not a date-time (got {raw!r})",
                "write an ISO 8601 date-time in UTC, e.g. 2027-06-01T00:00:00Z",
            )
    if start is None:
        c.report(
            "schedule.startDate",
            "startDate cannot be empty",
            "write the date-time the ad set starts, e.g. 2027-06-01T00:00:00Z",
        )
    if start_at and end_at and not start_at < end_at:
        c.report(
            "schedule.endDate",
            f"the start date must be before the end date (startDate {start_at}, endDate {end_at})",
            "move endDate after startDate, or set `endDate: null` for no end",
        )


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _bidding(c: _Checker) -> None:
    bidding = c.get("bidding")
    if not isinstance(bidding, Mapping):
        return
    controller = canon(bidding.get("costController"), COST_CONTROLLERS, COST_CONTROLLER_ALIASES)
    amount = bidding.get("bidAmount", _ABSENT)
    if _number(amount):
        if amount < 0:
            c.report(
                "bidding.bidAmount",
                f"the bid amount cannot be negative (got {amount})",
                "set a bid amount of 0 or more",
            )
        elif decimal_places(amount) > BID_DECIMALS:
            c.report(
                "bidding.bidAmount",
                f"the bid amount {amount} has more than {BID_DECIMALS} decimal digits and will be rounded "
                f"to {round_bid(amount)}",
                f"write at most {BID_DECIMALS} decimal digits",
                Severity.WARNING,
            )
    if controller in ADAPTIVE_COST_CONTROLLERS and amount not in (_ABSENT, None):
        c.report(
            "bidding.bidAmount",
            f"costController {controller} is an adaptive cost controller: its bid amount must be null "
            f"(got {amount})",
            "remove `bidAmount` (or set it to null), or choose a cost controller that takes a target value",
        )
    activation = canon(c.get("activation"), ACTIVATIONS)
    if (
        activation == "on"
        and isinstance(controller, str)
        and controller in COST_CONTROLLERS
        and controller not in ADAPTIVE_COST_CONTROLLERS
        and amount in (_ABSENT, None)
    ):
        c.report(
            "bidding.bidAmount",
            f"costController {controller} has no bid amount: Criteo refuses to start an ad set without a "
            "cost controller amount",
            "set `bidAmount`, or keep `activation: off` until it is set",
            Severity.WARNING,
        )


def _frequency(c: _Checker) -> None:
    capping = c.get("targeting.frequencyCapping")
    if not isinstance(capping, Mapping):
        return
    if canon(capping.get("frequency"), FREQUENCIES) == "advanced":
        c.report(
            "targeting.frequencyCapping.frequency",
            "frequency `advanced` is reserved for custom set-ups configured by Criteo and cannot be set",
            "use hourly, daily or lifetime",
        )
    impressions = capping.get("maximumImpressions", _ABSENT)
    if impressions is not _ABSENT and not (
        isinstance(impressions, int) and not isinstance(impressions, bool) and impressions > 0
    ):
        c.report(
            "targeting.frequencyCapping.maximumImpressions",
            f"maximumImpressions must be a whole number greater than 0 (got {impressions!r})",
            "set the maximum number of impressions per period, e.g. 3",
        )


def _duplicates(values: Sequence[Any]) -> list[Any]:
    seen: set[str] = set()
    repeated: list[Any] = []
    for value in values:
        key = str(value)
        if key in seen and value not in repeated:
            repeated.append(value)
        seen.add(key)
    return repeated


def _geolocation(c: _Checker) -> None:
    geo = c.get("targeting.geoLocation")
    if not isinstance(geo, Mapping):
        return
    for name in GEO_RULES:
        path = f"targeting.geoLocation.{name}"
        rule = geo.get(name)
        if rule is None:
            continue
        if not isinstance(rule, Mapping):
            c.report(
                path,
                f"{name} must be null or {{operand, values}}",
                "write `{operand: in, values: [...]}` or null",
            )
            continue
        operand = canon(rule.get("operand"), OPERANDS)
        if operand not in ("in", "notIn"):
            c.report(
                f"{path}.operand",
                f"the {name} operand must be `in` or `notIn` (got {rule.get('operand')!r})",
                "write `operand: in` to target the values or `operand: notIn` to exclude them",
            )
        values = rule.get("values")
        if not isinstance(values, list) or not values:
            c.report(
                f"{path}.values",
                f"an active {name} filter needs a non-empty list of values (Criteo refuses an empty list)",
                f"list at least one value, or set `{name}: null` to switch the filter off",
            )
            continue
        for value in _duplicates(values):
            c.report(f"{path}.values", f"{name} lists {value!r} more than once", "list each value once")
        if name == "countries":
            wrong = ", ".join(repr(v) for v in values if not (isinstance(v, str) and _COUNTRY.match(v)))
            if wrong:
                c.report(
                    f"{path}.values",
                    f"country codes are two upper-case letters, ISO-3166 alpha-2 (not {wrong})",
                    "write codes such as FR, DE, US",
                )
        elif name == "subdivisions":
            bad = [v for v in values if not (isinstance(v, str) and _SUBDIVISION.match(v))]
            if bad:
                c.report(
                    f"{path}.values",
                    f"subdivisions are ISO-3166-2 codes (not {', '.join(map(repr, bad))})",
                    "write codes such as FR-75 or US-CA",
                )
        else:
            bad = [v for v in values if not isinstance(v, str) or not v.strip()]
            if bad:
                c.report(
                    f"{path}.values", "zip codes must be non-empty strings", 'quote zip codes, e.g. "75001"'
                )


def _limitations(c: _Checker) -> None:
    limits = c.get("targeting.deliveryLimitations")
    if not isinstance(limits, Mapping):
        return
    for name in DELIVERY_LIMITATIONS:
        values = limits.get(name)
        if isinstance(values, list):
            for value in _duplicates(values):
                c.report(
                    f"targeting.deliveryLimitations.{name}",
                    f"{name} lists {value!r} more than once",
                    "list each value once (an empty list means no limitation)",
                )


def _budget(c: _Checker, campaign_automated: bool) -> None:
    budget = c.get("budget")
    if not isinstance(budget, Mapping):
        return
    if campaign_automated:
        c.report(
            "budget",
            "the campaign has budget automation enabled: its ad sets take their budget from the campaign "
            "spend limit and cannot set one",
            "remove `budget` from this ad set, or disable budgetAutomation on the campaign",
        )
    strategy = canon(budget.get("budgetStrategy"), BUDGET_STRATEGIES)
    renewal = canon(budget.get("budgetRenewal", _ABSENT), BUDGET_RENEWALS)
    smoothing = canon(budget.get("budgetDeliverySmoothing", _ABSENT), SMOOTHINGS)
    week = canon(budget.get("budgetDeliveryWeek", _ABSENT), DELIVERY_WEEKS)
    pacing = canon(budget.get("pacingBehavior", _ABSENT), PACING_BEHAVIORS)
    amount = budget.get("budgetAmount", _ABSENT)
    if strategy == "capped":
        if amount is _ABSENT or amount is None:
            c.report(
                "budget.budgetAmount",
                "a capped budget needs a budgetAmount",
                "set `budgetAmount` (maximum spend per renewal period), or use `budgetStrategy: uncapped`",
            )
        elif _number(amount) and amount <= 0:
            c.report(
                "budget.budgetAmount",
                f"budgetAmount must be greater than 0 (got {amount})",
                "set a positive amount",
            )
        if renewal is _ABSENT or renewal in (None, "undefined"):
            c.report(
                "budget.budgetRenewal",
                "a capped budget needs a budgetRenewal of daily, weekly, monthly or lifetime",
                "set `budgetRenewal`",
            )
        if smoothing is _ABSENT or smoothing is None:
            c.report(
                "budget.budgetDeliverySmoothing",
                "a capped budget needs a budgetDeliverySmoothing (accelerated or standard)",
                "set `budgetDeliverySmoothing: standard` or `accelerated`",
            )
    elif strategy == "uncapped":
        if amount is not _ABSENT and amount is not None:
            c.report(
                "budget.budgetAmount",
                f"an uncapped budget must have budgetAmount null (got {amount})",
                "remove `budgetAmount`, or use `budgetStrategy: capped`",
            )
        if renewal not in (_ABSENT, None, "undefined"):
            c.report(
                "budget.budgetRenewal",
                f"an uncapped budget must have budgetRenewal `undefined` (got {renewal})",
                "remove `budgetRenewal`, or use `budgetStrategy: capped`",
            )
        if smoothing not in (_ABSENT, None):
            c.report(
                "budget.budgetDeliverySmoothing",
                "budgetDeliverySmoothing only applies to capped budgets",
                "remove `budgetDeliverySmoothing`, or use `budgetStrategy: capped`",
            )
        for path, value in (("budget.budgetDeliveryWeek", week), ("budget.pacingBehavior", pacing)):
            if value not in (_ABSENT, None, "undefined"):
                c.report(
                    path,
                    f"{path.rpartition('.')[2]} must be omitted or `undefined` when uncapped (got {value})",
                    f"remove `{path.rpartition('.')[2]}`",
                )
        return
    if week not in (_ABSENT, None, "undefined") and not (renewal == "weekly" and smoothing == "standard"):
        c.report(
            "budget.budgetDeliveryWeek",
            f"budgetDeliveryWeek {week} only applies to capped budgets with budgetRenewal weekly and "
            "budgetDeliverySmoothing standard (Criteo returns `undefined` otherwise)",
            "remove `budgetDeliveryWeek` (or set it to undefined), or use a weekly standard budget",
        )
    if pacing not in (_ABSENT, None, "undefined"):
        if smoothing != "standard":
            c.report(
                "budget.pacingBehavior",
                f"pacingBehavior {pacing} needs budgetDeliverySmoothing standard (accelerated: undefined)",
                "remove `pacingBehavior`, or set `budgetDeliverySmoothing: standard`",
            )
        elif pacing == "targetAverageDailyBudget" and renewal != "monthly":
            c.report(
                "budget.pacingBehavior",
                "pacingBehavior targetAverageDailyBudget needs budgetRenewal monthly",
                "set `budgetRenewal: monthly`, or use `pacingBehavior: targetFullBudget`",
            )


def _attribution(c: _Checker) -> None:
    attribution = c.get("attributionConfiguration")
    if not isinstance(attribution, Mapping):
        return
    method = canon(attribution.get("attributionMethod"), ATTRIBUTION_METHODS)
    window = canon(attribution.get("lookbackWindow"), LOOKBACK_WINDOWS)
    if window is not None and method not in LOOKBACK_METHODS:
        c.report(
            "attributionConfiguration.lookbackWindow",
            f"lookbackWindow is only used with attributionMethod lastClick or postClick (method is {method})",
            "remove `lookbackWindow`, or set `attributionMethod: lastClick` or `postClick`",
        )
