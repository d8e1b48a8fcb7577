"""The budgets and bids of AppLovin campaigns (per country, in USD), for the plan's money table and the
guardrails. Bids are priced by the campaign's `bid_type` (CPI, CPE, ...); the guide: "On CPI campaigns,
this is the CPI in USD. For RET, ROAS_AD_BASED, and ROAS_IAP, this is the percent goal (50 =50%). For CPP
and CPE, this is the goal event value in USD." A percent goal is no amount of money, so those bids are left
out."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reconciler.model import Amount, MoneyKind
from reconciler.model.money import number

PERCENT_GOALS = frozenset({"RET", "ROAS_AD_BASED", "ROAS_IAP"})
"""Bid types whose bid is a percent goal, not an amount in USD."""


def targets_money(attributes: Mapping[str, Any], campaign: Mapping[str, Any]) -> list[Amount]:
    """Each country's daily budget and bid."""
    cost_model = str(campaign.get("bid_type", ""))
    found: list[Amount] = []
    for row in attributes.get("countries") or []:
        item = f"country {row.get('country')}"
        budget, bid = number(row, "budget"), number(row, "bid")
        if budget is not None:
            found.append(Amount(MoneyKind.DAILY_BUDGET, budget, item=item))
        if bid is not None and cost_model not in PERCENT_GOALS:
            found.append(Amount(MoneyKind.BID, bid, item=item, cost_model=cost_model))
    return found


def source_bids_money(attributes: Mapping[str, Any], campaign: Mapping[str, Any]) -> list[Amount]:
    """Each source app's overridden bid value (percentage overrides are not amounts)."""
    cost_model = str(campaign.get("bid_type", ""))
    if cost_model in PERCENT_GOALS:
        return []
    return [
        Amount(MoneyKind.BID, value, item=f"source {key}", cost_model=cost_model)
        for key, values in sorted((attributes.get("overrides") or {}).items())
        if (value := number(values, "bid_value")) is not None
    ]
