"""The manifests of the Criteo rule tests: a valid project, and for each rule code of docs/criteo-rules.md the
edits that break only that rule, with the diagnostic they must give (field, words, severity, line)."""

from __future__ import annotations

from pathlib import Path

from reconciler.errors import ValidationFailed
from reconciler.manifest import load_project
from reconciler.model import Diagnostic, Severity
from reconciler.providers.criteo import rules
from tests.manifest.helpers import write_project

ERROR, WARNING = Severity.ERROR, Severity.WARNING
FILE = "campaigns/summer.yaml"
PROJECT = """\
project: rules
platforms:
  criteo:
    endpoint: sandbox
"""
VALID = """\
# yaml-language-server: $schema=../schemas/manifest.schema.json
platform: criteo
advertiserId: "12345"
campaigns:
  - key: summer
    name: Summer Sale 2027
    goal: acquisition
    spendLimit:
      spendLimitType: capped
      spendLimitRenewal: monthly
      spendLimitAmount: 30000
    adSets:
      - key: fr
        name: FR cart abandoners
        objective: conversions
        mediaType: display
        datasetId: "56789"
        trackingCode: utm_source=criteo&utm_medium=display
        schedule:
          startDate: 2027-06-01T00:00:00Z
          endDate: 2027-08-31T23:59:59Z
        activation: on
        bidding:
          costController: COS
          bidAmount: 0.12
        targeting:
          frequencyCapping: {frequency: daily, maximumImpressions: 4}
          geoLocation:
            countries: {operand: in, values: [FR]}
            subdivisions: {operand: notIn, values: [FR-2A]}
        budget:
          budgetStrategy: capped
          budgetRenewal: daily
          budgetDeliverySmoothing: accelerated
          budgetAmount: 400
        attributionConfiguration:
          attributionMethod: postClick
          lookbackWindow: 7D
        audience: "9876"
"""
AUTOMATION = "      spendLimitAmount: 30000\n"
AUTOMATED = (
    AUTOMATION + "    budgetAutomation: {enabled: true, budgetConfiguration: {adSetObjectives: visits}}\n"
)

# code → (edits applied to VALID in order, field, words of the message, severity, text of the reported line)
CASES: dict[str, tuple[list[tuple[str, str]], str, str, Severity, str]] = {
    "campaign-name-not-empty": (
        [("name: Summer Sale 2027", 'name: " "')],
        "name",
        "campaign name is empty",
        WARNING,
        'name: " "',
    ),
    "spend-limit-capped": (
        [(AUTOMATION, "")],
        "spendLimit.spendLimitAmount",
        "capped spend limit needs a spendLimitAmount",
        ERROR,
        "spendLimit:",
    ),
    "spend-limit-uncapped": (
        [("spendLimitType: capped", "spendLimitType: uncapped")],
        "spendLimit.spendLimitAmount",
        "uncapped spend limit must have spendLimitAmount null",
        ERROR,
        "spendLimitAmount: 30000",
    ),
    "spend-limit-amount-positive": (
        [("spendLimitAmount: 30000", "spendLimitAmount: 0")],
        "spendLimit.spendLimitAmount",
        "could spend nothing",
        WARNING,
        "spendLimitAmount: 0",
    ),
    "budget-automation-needs-configuration": (
        [(AUTOMATION, AUTOMATION + "    budgetAutomation: {enabled: true}\n")],
        "budgetAutomation.budgetConfiguration",
        "needs a budgetConfiguration",
        ERROR,
        "budgetAutomation:",
    ),
    "budget-configuration-ignored-when-disabled": (
        [(AUTOMATION, AUTOMATED.replace("enabled: true", "enabled: false"))],
        "budgetAutomation.budgetConfiguration",
        "ignores budgetConfiguration",
        WARNING,
        "budgetAutomation:",
    ),
    "ad-set-name-not-empty": (
        [("name: FR cart abandoners", 'name: " "')],
        "name",
        "cannot have an empty name",
        ERROR,
        'name: " "',
    ),
    "dataset-id-integer": (
        [('datasetId: "56789"', "datasetId: ds-56789")],
        "datasetId",
        "not a string-encoded integer",
        WARNING,
        "datasetId:",
    ),
    "audience-id-integer": (
        [('audience: "9876"', "audience: segment-9876")],
        "audience",
        "not an audience id",
        WARNING,
        "audience:",
    ),
    "tracking-code-not-empty": (
        [("trackingCode: utm_source=criteo&utm_medium=display", 'trackingCode: " "')],
        "trackingCode",
        "trackingCode is empty",
        WARNING,
        "trackingCode:",
    ),
    "tracking-code-without-question-mark": (
        [("trackingCode: utm_source=criteo&utm_medium=display", 'trackingCode: "?utm_source=criteo"')],
        "trackingCode",
        "without the leading `?`",
        ERROR,
        "trackingCode:",
    ),
    "video-views-needs-video": (
        [("objective: conversions", "objective: videoViews")],
        "objective",
        "only allowed when mediaType is video",
        ERROR,
        "objective:",
    ),
    "schedule-start-before-end": (
        [("endDate: 2027-08-31T23:59:59Z", "endDate: 2027-06-01T02:00:00+02:00")],
        "schedule.endDate",
        "start date must be before the end date",
        ERROR,
        "endDate:",
    ),
    "bid-amount-not-negative": (
        [("bidAmount: 0.12", "bidAmount: -2")],
        "bidding.bidAmount",
        "cannot be negative",
        ERROR,
        "bidAmount:",
    ),
    "bid-amount-four-decimals": (
        [("bidAmount: 0.12", "bidAmount: 0.12345")],
        "bidding.bidAmount",
        "will be rounded to 0.1235",
        WARNING,
        "bidAmount:",
    ),
    "bid-amount-null-for-adaptive": (
        [("costController: COS", "costController: dailyBudget")],
        "bidding.bidAmount",
        "adaptive cost controller",
        WARNING,
        "bidAmount:",
    ),
    "start-needs-cost-controller-amount": (
        [("          bidAmount: 0.12\n", "")],
        "bidding.bidAmount",
        "refuses to start an ad set without a cost controller",
        ERROR,
        "bidding:",
    ),
    "frequency-not-advanced": (
        [("frequency: daily", "frequency: advanced")],
        "targeting.frequencyCapping.frequency",
        "cannot be set",
        ERROR,
        "frequencyCapping:",
    ),
    "maximum-impressions-positive": (
        [("maximumImpressions: 4", "maximumImpressions: 0")],
        "targeting.frequencyCapping.maximumImpressions",
        "could show no impression",
        WARNING,
        "frequencyCapping:",
    ),
    "geolocation-values-not-empty": (
        [("values: [FR]", "values: []")],
        "targeting.geoLocation.countries.values",
        "needs a non-empty list",
        ERROR,
        "countries:",
    ),
    "country-codes-iso-3166": (
        [("values: [FR]", "values: [FRA]")],
        "targeting.geoLocation.countries.values",
        "ISO-3166 alpha-2 (not 'FRA')",
        ERROR,
        "countries:",
    ),
    "subdivision-codes-iso-3166": (
        [("values: [FR-2A]", "values: [Corsica]")],
        "targeting.geoLocation.subdivisions.values",
        "ISO-3166-2 codes (not 'CORSICA')",
        ERROR,
        "subdivisions:",
    ),
    "budget-omitted-under-automation": (
        [(AUTOMATION, AUTOMATED)],
        "budget",
        "cannot have a budget of its own",
        ERROR,
        "budget:",
    ),
    "budget-capped-fields": (
        [("          budgetDeliverySmoothing: accelerated\n", "")],
        "budget.budgetDeliverySmoothing",
        "capped budget needs a budgetDeliverySmoothing",
        ERROR,
        "budget:",
    ),
    "budget-amount-positive": (
        [("budgetAmount: 400", "budgetAmount: 0")],
        "budget.budgetAmount",
        "must be greater than 0",
        ERROR,
        "budgetAmount: 0",
    ),
    "budget-uncapped-fields": (
        [("budgetStrategy: capped", "budgetStrategy: uncapped")],
        "budget.budgetAmount",
        "uncapped budget must have budgetAmount null",
        ERROR,
        "budgetAmount: 400",
    ),
    "budget-delivery-week": (
        [("budgetAmount: 400", "budgetAmount: 400\n          budgetDeliveryWeek: mondayToSunday")],
        "budget.budgetDeliveryWeek",
        "only applies to capped budgets with budgetRenewal weekly",
        ERROR,
        "budgetDeliveryWeek:",
    ),
    "budget-pacing-behavior": (
        [("budgetAmount: 400", "budgetAmount: 400\n          pacingBehavior: targetFullBudget")],
        "budget.pacingBehavior",
        "needs budgetDeliverySmoothing standard",
        ERROR,
        "pacingBehavior:",
    ),
    "lookback-window-method": (
        [("attributionMethod: postClick", "attributionMethod: criteoAttribution")],
        "attributionConfiguration.lookbackWindow",
        "only used with attributionMethod lastClick or postClick",
        ERROR,
        "lookbackWindow:",
    ),
}


def apply_edits(edits: list[tuple[str, str]], text: str = VALID) -> str:
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def project(root: Path, text: str) -> Path:
    return write_project(root, {FILE: text}, PROJECT)


def diagnostics_of(tmp_path: Path, text: str) -> list[Diagnostic]:
    """Load the project with the rules: every diagnostic (errors raised, warnings kept)."""
    try:
        loaded = load_project(project(tmp_path / "project", text), check=rules.validate)
    except ValidationFailed as failed:
        return [d for d in failed.diagnostics if isinstance(d, Diagnostic)]
    return loaded.warnings
