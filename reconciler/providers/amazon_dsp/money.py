"""The budgets and bids of Amazon DSP campaigns and ad groups, for the plan's money table and the guardrails.

Amazon DSP prices every bid per thousand impressions (CPM)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reconciler.model import Amount, MoneyKind
from reconciler.model.money import number


def campaign_money(attributes: Mapping[str, Any], parent: Mapping[str, Any]) -> list[Amount]:
    """One flight budget per flight, told apart by its start date."""
    found: list[Amount] = []
    for flight in attributes.get("flights") or []:
        amount = number(flight, "budgetAmount")
        if amount is not None:
            start = str(flight.get("startDateTime", ""))[:10]
            found.append(Amount(MoneyKind.FLIGHT_BUDGET, amount, item=f"flight from {start}"))
    return found


def ad_group_money(attributes: Mapping[str, Any], parent: Mapping[str, Any]) -> list[Amount]:
    """The ad group's budget over its dates, and its base and maximum average bids."""
    found: list[Amount] = []
    budget = number(attributes, "budgetAmount")
    if budget is not None:
        found.append(Amount(MoneyKind.LIFETIME_BUDGET, budget))
    for field, item in (("baseBid", "base"), ("maxAverageBid", "max average")):
        bid = number(attributes, "bid", field)
        if bid is not None:
            found.append(Amount(MoneyKind.BID, bid, item=item, cost_model="CPM"))
    return found


def _active(attributes: Mapping[str, Any]) -> bool:
    return str(attributes.get("state", "ACTIVE")).upper() == "ACTIVE"


def campaign_open_ended(attributes: Mapping[str, Any]) -> bool:
    """An active campaign whose last flight has no end (a campaign ends with its flights)."""
    flights = attributes.get("flights") or []
    return _active(attributes) and (not flights or any(not f.get("endDateTime") for f in flights))


def ad_group_open_ended(attributes: Mapping[str, Any]) -> bool:
    return _active(attributes) and not attributes.get("endDateTime")
