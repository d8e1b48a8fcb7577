"""Criteo campaign rules: the spend limit and budget automation of `CreateCampaign` / `PatchCampaign`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reconciler.model import Severity
from reconciler.providers.criteo.rules.cite import CAMPAIGN, RuleSet, given, lower, must_be_null, spec
from reconciler.providers.kit.rules import ABSENT, Checker, not_blank, positive

RULES = RuleSet()


RULES.rule(
    "campaign-name-not-empty",
    CAMPAIGN,
    assumption="CreateCampaign.name is a nullable string; an empty "
    "name is most likely a mistake (the guide's 'cannot have an empty name' is about ad sets)",
)(not_blank("name", "the campaign name is empty", "write a non-empty `name`"))


_SPEND = spec(
    "CreateCampaignSpendLimit",
    'When spendLimitType is "capped": spendLimitAmount and spendLimitRenewal are required. When '
    'spendLimitType is "uncapped": spendLimitAmount is null and spendLimitRenewal is "undefined".',
)


@RULES.rule(
    "spend-limit-capped",
    CAMPAIGN,
    _SPEND,
    spec(
        "CreateCampaignSpendLimit/properties/spendLimitType",
        'Requires spendLimitAmount (non-null) and spendLimitRenewal (not "undefined")',
    ),
)
def _spend_capped(c: Checker) -> None:
    if lower(c.get("spendLimit.spendLimitType")) != "capped":
        return
    if not given(c.get("spendLimit.spendLimitAmount")):
        c.report(
            "spendLimit.spendLimitAmount",
            "a capped spend limit needs a spendLimitAmount",
            "set `spendLimitAmount` (the spend per renewal period), or use `spendLimitType: uncapped`",
        )
    if lower(c.get("spendLimit.spendLimitRenewal")) in (ABSENT, None, "undefined"):
        c.report(
            "spendLimit.spendLimitRenewal",
            "a capped spend limit needs a spendLimitRenewal of daily, monthly or lifetime",
            "set `spendLimitRenewal: daily`, `monthly` or `lifetime`",
        )


@RULES.rule("spend-limit-uncapped", CAMPAIGN, _SPEND)
def _spend_uncapped(c: Checker) -> None:
    if lower(c.get("spendLimit.spendLimitType")) != "uncapped":
        return
    must_be_null(
        c,
        "spendLimit.spendLimitAmount",
        "an uncapped spend limit must have spendLimitAmount null (got {value})",
        "remove `spendLimitAmount` (or set it to null), or use `spendLimitType: capped`",
    )
    renewal = lower(c.get("spendLimit.spendLimitRenewal"))
    if renewal not in (ABSENT, "undefined"):
        c.report(
            "spendLimit.spendLimitRenewal",
            f"an uncapped spend limit must have spendLimitRenewal `undefined` (got {renewal})",
            "set `spendLimitRenewal: undefined` (or remove it), or use `spendLimitType: capped`",
        )


RULES.rule(
    "spend-limit-amount-positive",
    CAMPAIGN,
    assumption="the spec says only 'Non-null when capped'; a "
    "spend limit of 0 or less would stop all delivery",
)(
    positive(
        "spendLimit.spendLimitAmount",
        "spendLimitAmount is {value}: the campaign could spend nothing",
        "set a positive amount in the advertiser's currency",
    )
)


def automated(attributes: Mapping[str, Any]) -> bool:
    automation = attributes.get("budgetAutomation")
    return isinstance(automation, Mapping) and automation.get("enabled") is True


_ENABLED = "BudgetAutomation/properties/enabled"


@RULES.rule(
    "budget-automation-needs-configuration",
    CAMPAIGN,
    spec(
        _ENABLED,
        'true: budget automation is enabled and "budgetConfiguration" must be provided with a valid '
        "objective.",
    ),
)
def _automation_configuration(c: Checker) -> None:
    if automated(c.attributes) and not given(c.get("budgetAutomation.budgetConfiguration.adSetObjectives")):
        c.report(
            "budgetAutomation.budgetConfiguration",
            "budget automation enabled needs a budgetConfiguration with adSetObjectives",
            "add `budgetConfiguration: {adSetObjectives: conversions}` (or revenue, visits, videoViews), "
            "or set `enabled: false`",
        )


@RULES.rule(
    "budget-configuration-ignored-when-disabled",
    CAMPAIGN,
    spec(
        _ENABLED,
        'false (default when omitted): budget automation is disabled; "budgetConfiguration" is '
        "ignored if provided.",
    ),
    severity=Severity.WARNING,
)
def _automation_ignored(c: Checker) -> None:
    if not automated(c.attributes) and c.has("budgetAutomation.budgetConfiguration"):
        c.report(
            "budgetAutomation.budgetConfiguration",
            "Criteo ignores budgetConfiguration while budget automation is disabled (if it does not return "
            "it, the plan shows it as a change every time)",
            "remove `budgetConfiguration`, or set `enabled: true`",
        )
