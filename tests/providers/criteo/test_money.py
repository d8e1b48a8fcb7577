"""The budgets and bids of Criteo objects, and which ones run with no end date."""

from __future__ import annotations

from reconciler.model import Amount, MoneyKind
from reconciler.providers.criteo.money import ad_set_money, ad_set_open_ended, campaign_money


def test_an_ad_set_has_its_budget_by_renewal_and_its_bid_by_cost_controller() -> None:
    daily = {
        "budget": {"budgetRenewal": "daily", "budgetAmount": 400},
        "bidding": {"costController": "COS", "bidAmount": 0.12},
    }
    assert ad_set_money(daily, {}) == [
        Amount(MoneyKind.DAILY_BUDGET, 400),
        Amount(MoneyKind.BID, 0.12, cost_model="COS"),
    ]
    monthly = {"budget": {"budgetRenewal": "monthly", "budgetAmount": 9000}}
    assert ad_set_money(monthly, {}) == [Amount(MoneyKind.PERIOD_BUDGET, 9000, item="monthly")]
    assert ad_set_money({"budget": {"budgetStrategy": "uncapped"}}, {}) == []


def test_a_campaign_has_its_spend_limit() -> None:
    capped = {
        "spendLimit": {"spendLimitType": "capped", "spendLimitRenewal": "lifetime", "spendLimitAmount": 30000}
    }
    assert campaign_money(capped, {}) == [Amount(MoneyKind.LIFETIME_BUDGET, 30000)]
    assert campaign_money({"spendLimit": {"spendLimitType": "uncapped"}}, {}) == []


def test_only_an_active_ad_set_without_an_end_date_is_open_ended() -> None:
    assert ad_set_open_ended({"activation": "on", "schedule": {"startDate": "2027-01-01T00:00:00Z"}})
    assert not ad_set_open_ended({"activation": "on", "schedule": {"endDate": "2027-02-01T00:00:00Z"}})
    assert not ad_set_open_ended({"activation": "off", "schedule": {}})
