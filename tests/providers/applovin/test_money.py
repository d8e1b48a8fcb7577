"""The budgets and bids of AppLovin objects: per country, bids priced by the campaign's bid type."""

from __future__ import annotations

from reconciler.model import Amount, MoneyKind
from reconciler.providers.applovin.money import source_bids_money, targets_money


def test_each_country_has_a_daily_budget_and_a_bid_of_the_campaigns_bid_type() -> None:
    targets = {
        "countries": [
            {"country": "us", "bid": 2.5, "budget": 1200},
            {"country": "gb", "bid": None, "budget": None},
        ]
    }
    assert targets_money(targets, {"bid_type": "CPI"}) == [
        Amount(MoneyKind.DAILY_BUDGET, 1200, item="country us"),
        Amount(MoneyKind.BID, 2.5, item="country us", cost_model="CPI"),
    ]


def test_source_bid_values_are_bids_and_percentages_are_not() -> None:
    overrides = {"overrides": {"app1:us": {"bid_value": 3.0}, "app2:gb": {"bid_override_percentage": 20}}}
    assert source_bids_money(overrides, {"bid_type": "CPI"}) == [
        Amount(MoneyKind.BID, 3.0, item="source app1:us", cost_model="CPI")
    ]


def test_percent_goals_of_ret_and_roas_campaigns_are_not_money() -> None:
    """The guide: for RET, ROAS_AD_BASED and ROAS_IAP the bid "is the percent goal (50 =50%)"."""
    targets = {"countries": [{"country": "us", "bid": 50, "budget": 900}]}
    for bid_type in ("RET", "ROAS_AD_BASED", "ROAS_IAP"):
        assert targets_money(targets, {"bid_type": bid_type}) == [
            Amount(MoneyKind.DAILY_BUDGET, 900, item="country us")
        ]
        assert source_bids_money({"overrides": {"a:us": {"bid_value": 60}}}, {"bid_type": bid_type}) == []
    assert targets_money(targets, {"bid_type": "CPE"})[1] == Amount(
        MoneyKind.BID, 50, item="country us", cost_model="CPE"
    )
