"""The budgets and bids of Amazon DSP objects (bids are CPM), and which ones run with no end date."""

from __future__ import annotations

from reconciler.model import Amount, MoneyKind
from reconciler.providers.amazon_dsp.money import (
    ad_group_money,
    ad_group_open_ended,
    campaign_money,
    campaign_open_ended,
)


def test_a_campaign_has_one_budget_per_flight() -> None:
    flights = [
        {
            "startDateTime": "2030-01-01T00:00:00Z",
            "endDateTime": "2030-03-31T23:59:59Z",
            "budgetAmount": 5000,
        },
        {
            "startDateTime": "2030-04-01T00:00:00Z",
            "endDateTime": "2030-06-30T23:59:59Z",
            "budgetAmount": 8000,
        },
    ]
    assert campaign_money({"flights": flights}, {}) == [
        Amount(MoneyKind.FLIGHT_BUDGET, 5000, item="flight from 2030-01-01"),
        Amount(MoneyKind.FLIGHT_BUDGET, 8000, item="flight from 2030-04-01"),
    ]
    assert not campaign_open_ended({"state": "ACTIVE", "flights": flights})
    assert campaign_open_ended({"state": "ACTIVE", "flights": []})


def test_an_ad_group_has_its_budget_and_cpm_bids() -> None:
    group = {"budgetAmount": 4000, "bid": {"baseBid": 3, "maxAverageBid": 4.5}, "state": "ACTIVE"}
    assert ad_group_money(group, {}) == [
        Amount(MoneyKind.LIFETIME_BUDGET, 4000),
        Amount(MoneyKind.BID, 3, item="base", cost_model="CPM"),
        Amount(MoneyKind.BID, 4.5, item="max average", cost_model="CPM"),
    ]
    assert ad_group_open_ended(group)
    assert not ad_group_open_ended({**group, "endDateTime": "2030-06-30T23:59:59Z"})
    assert not ad_group_open_ended({**group, "state": "INACTIVE"})
