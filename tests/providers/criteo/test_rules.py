"""Criteo's offline rules: each problem reported once, located (file, line, field, address), explained."""

from __future__ import annotations

from typing import Any

import pytest

from reconciler.model import Diagnostic, Resource, Severity
from reconciler.providers.criteo import rules
from tests.providers.criteo.helpers import (
    AD_SET,
    CAMPAIGN,
    FILE,
    ad_set,
    ad_set_attributes,
    campaign,
    located,
)


def check(*resources: Resource) -> list[Diagnostic]:
    return rules.validate(list(resources))


def only(diagnostics: list[Diagnostic], field: str) -> Diagnostic:
    found = [d for d in diagnostics if d.field == field]
    assert len(found) == 1, diagnostics
    d = found[0]
    assert d.file == FILE and d.line > 1 and d.column > 0
    assert d.message and d.hint
    return d


def test_valid_resources_have_no_diagnostics() -> None:
    assert check(campaign(), ad_set()) == []


def test_start_before_end() -> None:
    d = only(
        check(ad_set(schedule={"startDate": "2027-09-01T00:00:00Z", "endDate": "2027-08-01T00:00:00Z"})),
        "schedule.endDate",
    )
    assert "before the end date" in d.message
    assert d.address == str(AD_SET)
    assert d.severity == Severity.ERROR
    assert check(ad_set(schedule={"startDate": "2027-09-01T00:00:00Z", "endDate": None})) == []


@pytest.mark.parametrize("rule", ["countries", "subdivisions", "zipCodes"])
def test_geolocation_rule_needs_values(rule: str) -> None:
    attributes = ad_set_attributes()
    attributes["targeting"]["geoLocation"][rule] = {"operand": "in", "values": []}
    d = only(check(located(AD_SET, attributes)), f"targeting.geoLocation.{rule}.values")
    assert "non-empty" in d.message and "null" in d.hint


def test_geolocation_operand_and_codes() -> None:
    attributes = ad_set_attributes()
    attributes["targeting"]["geoLocation"]["countries"] = {"operand": "undefined", "values": ["FRA", "fr"]}
    attributes["targeting"]["geoLocation"]["subdivisions"] = {"operand": "in", "values": ["Paris"]}
    diagnostics = check(located(AD_SET, attributes))
    assert "`in` or `notIn`" in only(diagnostics, "targeting.geoLocation.countries.operand").message
    assert "'FRA', 'fr'" in only(diagnostics, "targeting.geoLocation.countries.values").message
    assert "ISO-3166-2" in only(diagnostics, "targeting.geoLocation.subdivisions.values").message


def test_duplicate_values_are_errors() -> None:
    attributes = ad_set_attributes()
    attributes["targeting"]["geoLocation"]["countries"]["values"] = ["FR", "FR"]
    attributes["targeting"]["deliveryLimitations"]["devices"] = ["mobile", "mobile"]
    diagnostics = check(located(AD_SET, attributes))
    assert "more than once" in only(diagnostics, "targeting.geoLocation.countries.values").message
    assert "more than once" in only(diagnostics, "targeting.deliveryLimitations.devices").message


def test_frequency_capping() -> None:
    attributes = ad_set_attributes()
    attributes["targeting"]["frequencyCapping"] = {"frequency": "advanced", "maximumImpressions": 0}
    diagnostics = check(located(AD_SET, attributes))
    assert "cannot be set" in only(diagnostics, "targeting.frequencyCapping.frequency").message
    assert "greater than 0" in only(diagnostics, "targeting.frequencyCapping.maximumImpressions").message


def test_video_views_needs_video() -> None:
    d = only(check(ad_set(objective="videoViews")), "objective")
    assert "mediaType is video" in d.message
    assert check(ad_set(objective="videoViews", mediaType="video")) == []


def test_bid_amount_rules() -> None:
    d = only(check(ad_set(bidding={"costController": "COS", "bidAmount": -2})), "bidding.bidAmount")
    assert "negative" in d.message and d.severity == Severity.ERROR
    w = only(check(ad_set(bidding={"costController": "COS", "bidAmount": 0.12345})), "bidding.bidAmount")
    assert w.severity == Severity.WARNING and "will be rounded to 0.1235" in w.message
    a = only(check(ad_set(bidding={"costController": "dailyBudget", "bidAmount": 1.5})), "bidding.bidAmount")
    assert "adaptive cost controller" in a.message and "must be null" in a.message
    assert check(ad_set(bidding={"costController": "dailyBudget", "bidAmount": None})) == []
    s = only(check(ad_set(bidding={"costController": "maxCPC"})), "bidding.bidAmount")
    assert s.severity == Severity.WARNING and "start" in s.message


def test_capped_budget_needs_amount_renewal_and_smoothing() -> None:
    diagnostics = check(ad_set(budget={"budgetStrategy": "capped", "budgetRenewal": "undefined"}))
    only(diagnostics, "budget.budgetAmount")
    only(diagnostics, "budget.budgetRenewal")
    only(diagnostics, "budget.budgetDeliverySmoothing")


def test_uncapped_budget_has_no_amount_or_renewal() -> None:
    diagnostics = check(
        ad_set(
            budget={
                "budgetStrategy": "uncapped",
                "budgetAmount": 10,
                "budgetRenewal": "daily",
                "budgetDeliverySmoothing": "standard",
                "pacingBehavior": "targetFullBudget",
            }
        )
    )
    assert {d.field for d in diagnostics} == {
        "budget.budgetAmount",
        "budget.budgetRenewal",
        "budget.budgetDeliverySmoothing",
        "budget.pacingBehavior",
    }
    assert check(ad_set(budget={"budgetStrategy": "uncapped", "budgetAmount": None})) == []


def test_budget_week_and_pacing_consistency() -> None:
    base = {
        "budgetStrategy": "capped",
        "budgetAmount": 10,
        "budgetRenewal": "daily",
        "budgetDeliverySmoothing": "accelerated",
    }
    diagnostics = check(
        ad_set(budget={**base, "budgetDeliveryWeek": "mondayToSunday", "pacingBehavior": "targetFullBudget"})
    )
    only(diagnostics, "budget.budgetDeliveryWeek")
    only(diagnostics, "budget.pacingBehavior")
    d = only(
        check(
            ad_set(
                budget={
                    **base,
                    "budgetDeliverySmoothing": "standard",
                    "pacingBehavior": "targetAverageDailyBudget",
                }
            )
        ),
        "budget.pacingBehavior",
    )
    assert "monthly" in d.message
    weekly = {
        **base,
        "budgetRenewal": "weekly",
        "budgetDeliverySmoothing": "standard",
        "budgetDeliveryWeek": "mondayToSunday",
    }
    assert check(ad_set(budget=weekly)) == []


def test_budget_omitted_under_budget_automation() -> None:
    automated = campaign(
        budgetAutomation={"enabled": True, "budgetConfiguration": {"adSetObjectives": "conversions"}}
    )
    d = only(check(automated, ad_set()), "budget")
    assert "budget automation" in d.message


def test_lookback_window_only_with_last_or_post_click() -> None:
    d = only(
        check(
            ad_set(
                attributionConfiguration={"attributionMethod": "criteoAttribution", "lookbackWindow": "7D"}
            )
        ),
        "attributionConfiguration.lookbackWindow",
    )
    assert "lastClick or postClick" in d.message
    assert (
        check(ad_set(attributionConfiguration={"attributionMethod": "postClick", "lookbackWindow": "24H"}))
        == []
    )


def test_campaign_spend_limit_consistency() -> None:
    capped = check(
        campaign(
            spendLimit={
                "spendLimitType": "capped",
                "spendLimitRenewal": "undefined",
                "spendLimitAmount": None,
            }
        )
    )
    assert {d.field for d in capped} == {"spendLimit.spendLimitAmount", "spendLimit.spendLimitRenewal"}
    assert all(d.address == str(CAMPAIGN) for d in capped)
    uncapped = check(
        campaign(
            spendLimit={"spendLimitType": "uncapped", "spendLimitRenewal": "daily", "spendLimitAmount": 5}
        )
    )
    assert {d.field for d in uncapped} == {"spendLimit.spendLimitAmount", "spendLimit.spendLimitRenewal"}
    ok: dict[str, Any] = {
        "spendLimitType": "uncapped",
        "spendLimitRenewal": "undefined",
        "spendLimitAmount": None,
    }
    assert check(campaign(spendLimit=ok)) == []


def test_budget_automation_needs_configuration() -> None:
    d = only(check(campaign(budgetAutomation={"enabled": True})), "budgetAutomation.budgetConfiguration")
    assert "needs a budgetConfiguration" in d.message
    ignored = only(
        check(
            campaign(
                budgetAutomation={"enabled": False, "budgetConfiguration": {"adSetObjectives": "visits"}}
            )
        ),
        "budgetAutomation.budgetConfiguration",
    )
    assert "ignored" in ignored.message


def test_names_ids_and_tracking_code() -> None:
    diagnostics = check(
        ad_set(name=" ", datasetId="abc", trackingCode="?utm_source=criteo", audience="segment-1")
    )
    assert "empty name" in only(diagnostics, "name").message
    assert "string-encoded integer" in only(diagnostics, "datasetId").message
    assert "without the leading" in only(diagnostics, "trackingCode").message
    assert "audience id" in only(diagnostics, "audience").message
    assert "empty name" in only(check(campaign(name="")), "name").message


def test_diagnostic_text_names_file_line_and_field() -> None:
    d = only(check(ad_set(objective="videoViews")), "objective")
    text = str(d)
    assert text.startswith(
        f"{FILE}:{d.line}:{d.column}: error criteo.ad_set.summer-sale/fr-retargeting field `objective`"
    )
