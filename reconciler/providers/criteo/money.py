"""The budgets and bids of Criteo campaigns and ad sets, for the plan's money table and the guardrails."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reconciler.model import Amount, MoneyKind
from reconciler.model.money import number

_BY_RENEWAL = {
    "daily": MoneyKind.DAILY_BUDGET,
    "weekly": MoneyKind.PERIOD_BUDGET,
    "monthly": MoneyKind.PERIOD_BUDGET,
}


def _budget(amount: float | None, renewal: Any) -> list[Amount]:
    if amount is None:
        return []
    kind = _BY_RENEWAL.get(str(renewal).lower(), MoneyKind.LIFETIME_BUDGET)
    return [Amount(kind, amount, item=str(renewal).lower() if kind is MoneyKind.PERIOD_BUDGET else "")]


def campaign_money(attributes: Mapping[str, Any], parent: Mapping[str, Any]) -> list[Amount]:
    """The campaign's spend limit."""
    limit = attributes.get("spendLimit") or {}
    return _budget(number(limit, "spendLimitAmount"), limit.get("spendLimitRenewal"))


def ad_set_money(attributes: Mapping[str, Any], parent: Mapping[str, Any]) -> list[Amount]:
    """The ad set's budget and its bid, priced by its cost controller."""
    budget = attributes.get("budget") or {}
    found = _budget(number(budget, "budgetAmount"), budget.get("budgetRenewal"))
    bid = number(attributes, "bidding", "bidAmount")
    if bid is not None:
        found.append(
            Amount(MoneyKind.BID, bid, cost_model=str(attributes["bidding"].get("costController", "")))
        )
    return found


def ad_set_open_ended(attributes: Mapping[str, Any]) -> bool:
    """An active ad set (`activation: on`) whose schedule has no end date."""
    schedule = attributes.get("schedule") or {}
    return str(attributes.get("activation", "")).lower() == "on" and not schedule.get("endDate")
