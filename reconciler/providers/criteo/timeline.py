"""When Criteo ad sets run, for the plan's flight timeline: the ad set's `schedule` (an `endDate` of null
means no end, docs/criteo-resources.md) with its budget. Criteo campaigns have no dates of their own."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reconciler.model import Span
from reconciler.providers.criteo.money import ad_set_money


def ad_set_timeline(attributes: Mapping[str, Any]) -> list[Span]:
    """The ad set's schedule, with its budget (daily, weekly, monthly or over its life)."""
    schedule = attributes.get("schedule") or {}
    if not isinstance(schedule, Mapping) or not schedule.get("startDate"):
        return []
    budget = next((a for a in ad_set_money(attributes, {}) if a.kind.is_budget), None)
    end = schedule.get("endDate")
    return [
        Span(
            start=str(schedule["startDate"]),
            end=str(end) if end else None,
            label="schedule",
            budget=budget.value if budget else None,
            budget_kind=budget.kind if budget else None,
        )
    ]
