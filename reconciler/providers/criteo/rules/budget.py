"""Criteo ad set rules of `CreateAdSetBudgetV26Q1` / `PatchAdSetBudgetV26Q1` (capped and uncapped budgets,
delivery week, pacing, budget automation) and of the attribution configuration."""

from __future__ import annotations

from typing import Any

from reconciler.providers.criteo.rules.campaign import automated
from reconciler.providers.criteo.rules.cite import AD_SET, RuleSet, given, lower, must_be_null, spec
from reconciler.providers.kit.rules import ABSENT, Checker, number

RULES = RuleSet()

# -- ad set: budget -----------------------------------------------------------------------------------

_BUDGET = "CreateAdSetBudgetV26Q1"


@RULES.rule(
    "budget-omitted-under-automation",
    AD_SET,
    spec(_BUDGET, "For marketing campaigns with budget automation enabled, omit this object."),
    spec(
        "PatchAdSetBudgetV26Q1",
        "Manual budget updates are not supported when the linked marketing campaign "
        "has budget automation enabled.",
    ),
)
def _budget_automated(c: Checker) -> None:
    campaign = c.parent("campaign")
    if c.has("budget") and campaign is not None and automated(campaign.attributes):
        c.report(
            "budget",
            "the campaign has budget automation enabled: Criteo sets its ad sets' budgets from the campaign "
            "spend limit, and an ad set cannot have a budget of its own",
            "remove `budget` from this ad set, or disable budgetAutomation on the campaign",
        )


def _strategy(c: Checker) -> Any:
    return lower(c.get("budget.budgetStrategy"))


@RULES.rule(
    "budget-capped-fields",
    AD_SET,
    spec(
        _BUDGET,
        'For "capped": budgetAmount (required, non-null), '
        'budgetRenewal (required, not "undefined"), and budgetDeliverySmoothing (required) must all be '
        "provided.",
    ),
)
def _budget_capped(c: Checker) -> None:
    if _strategy(c) != "capped":
        return
    if not given(c.get("budget.budgetAmount")):
        c.report(
            "budget.budgetAmount",
            "a capped budget needs a budgetAmount",
            "set `budgetAmount` (maximum spend per renewal period), or use `budgetStrategy: uncapped`",
        )
    if lower(c.get("budget.budgetRenewal")) in (ABSENT, "undefined"):
        c.report(
            "budget.budgetRenewal",
            "a capped budget needs a budgetRenewal of daily, weekly, monthly or lifetime",
            "set `budgetRenewal`",
        )
    if not c.has("budget.budgetDeliverySmoothing"):
        c.report(
            "budget.budgetDeliverySmoothing",
            "a capped budget needs a budgetDeliverySmoothing (accelerated or standard)",
            "set `budgetDeliverySmoothing: standard` or `accelerated`",
        )


@RULES.rule(
    "budget-amount-positive",
    AD_SET,
    spec(
        "PatchAdSetBudgetV26Q1",
        'Switching to "capped": set budgetStrategy to "capped", budgetAmount.value to a positive number',
    ),
)
def _budget_positive(c: Checker) -> None:
    amount = c.get("budget.budgetAmount")
    if _strategy(c) == "capped" and number(amount) and amount <= 0:
        c.report(
            "budget.budgetAmount",
            f"budgetAmount must be greater than 0 (got {amount})",
            "set a positive amount",
        )


@RULES.rule(
    "budget-uncapped-fields",
    AD_SET,
    spec(
        _BUDGET,
        'For "uncapped": budgetAmount must be null, '
        'budgetRenewal must be "undefined", budgetDeliverySmoothing, budgetDeliveryWeek, and pacingBehavior '
        'must be omitted or "undefined".',
    ),
)
def _budget_uncapped(c: Checker) -> None:
    if _strategy(c) != "uncapped":
        return
    must_be_null(
        c,
        "budget.budgetAmount",
        "an uncapped budget must have budgetAmount null (got {value})",
        "remove `budgetAmount`, or use `budgetStrategy: capped`",
    )
    for name in ("budgetRenewal", "budgetDeliverySmoothing", "budgetDeliveryWeek", "pacingBehavior"):
        value = lower(c.get(f"budget.{name}"))
        if value not in (ABSENT, None, "undefined"):
            c.report(
                f"budget.{name}",
                f"an uncapped budget must have {name} omitted or `undefined` (got {c.get(f'budget.{name}')})",
                f"remove `{name}`, or use `budgetStrategy: capped`",
            )


_WEEK = f"{_BUDGET}/properties/budgetDeliveryWeek"


@RULES.rule(
    "budget-delivery-week",
    AD_SET,
    spec(
        _WEEK,
        'Only applicable when budgetStrategy is "capped", '
        'budgetRenewal is "weekly", and budgetDeliverySmoothing is "standard".',
    ),
    spec(
        _WEEK,
        '"undefined": used when budgetStrategy is "uncapped", when budgetRenewal is not "weekly", or when '
        'budgetDeliverySmoothing is "accelerated".',
    ),
)
def _budget_week(c: Checker) -> None:
    week = lower(c.get("budget.budgetDeliveryWeek"))
    if _strategy(c) != "capped" or week is ABSENT:
        return
    weekly_standard = (lower(c.get("budget.budgetRenewal")), lower(c.get("budget.budgetDeliverySmoothing")))
    if weekly_standard == ("weekly", "standard") and week == "undefined":
        c.report(
            "budget.budgetDeliveryWeek",
            "a weekly standard budget has a delivery week: `undefined` is only used for other budgets, so "
            "Criteo reads back a day range and the plan would show a change every time",
            "choose a week such as `mondayToSunday`, or remove `budgetDeliveryWeek` to let Criteo choose",
        )
    elif weekly_standard != ("weekly", "standard") and week != "undefined":
        c.report(
            "budget.budgetDeliveryWeek",
            f"budgetDeliveryWeek {c.get('budget.budgetDeliveryWeek')} only applies to capped budgets with "
            "budgetRenewal weekly and budgetDeliverySmoothing standard (Criteo reads back `undefined`)",
            "remove `budgetDeliveryWeek` (or set it to undefined), or use a weekly standard budget",
        )


@RULES.rule(
    "budget-pacing-behavior",
    AD_SET,
    spec(
        "PatchAdSetBudgetV26Q1",
        "pacingBehavior can only be set for "
        'capped budgets using standard delivery smoothing; "targetAverageDailyBudget" also requires monthly '
        "renewal.",
    ),
    spec(_BUDGET, '"targetAverageDailyBudget" is only supported for capped, standard, monthly budgets.'),
)
def _budget_pacing(c: Checker) -> None:
    pacing = lower(c.get("budget.pacingBehavior"))
    if _strategy(c) != "capped" or pacing in (ABSENT, "undefined"):
        return
    if lower(c.get("budget.budgetDeliverySmoothing")) != "standard":
        c.report(
            "budget.pacingBehavior",
            f"pacingBehavior {c.get('budget.pacingBehavior')} needs budgetDeliverySmoothing standard",
            "remove `pacingBehavior`, or set `budgetDeliverySmoothing: standard`",
        )
    elif pacing == "targetaveragedailybudget" and lower(c.get("budget.budgetRenewal")) != "monthly":
        c.report(
            "budget.pacingBehavior",
            "pacingBehavior targetAverageDailyBudget needs budgetRenewal monthly",
            "set `budgetRenewal: monthly`, or use `pacingBehavior: targetFullBudget`",
        )


# -- ad set: attribution ------------------------------------------------------------------------------

LOOKBACK_METHODS = frozenset({"lastclick", "postclick"})


@RULES.rule(
    "lookback-window-method",
    AD_SET,
    spec(
        "CreateAdSetAttributionConfigurationV26Q1/properties/lookbackWindow",
        "should be specified only for attribution methods PostClick and LastClick.",
    ),
    spec("ReadAdSetAttributionConfigurationV26Q1", "It will be null with any other attribution method."),
)
def _lookback(c: Checker) -> None:
    if not c.has("attributionConfiguration.lookbackWindow"):
        return
    method = c.get("attributionConfiguration.attributionMethod")
    if lower(method) not in LOOKBACK_METHODS:
        shown = "not set: Criteo's default is criteoAttribution" if method is ABSENT else method
        c.report(
            "attributionConfiguration.lookbackWindow",
            f"lookbackWindow is only used with attributionMethod lastClick or postClick (method {shown})",
            "remove `lookbackWindow`, or set `attributionMethod: lastClick` or `postClick`",
        )
