"""When Amazon DSP objects run, for the plan's flight timeline: a campaign's flights (each with its
budget), an ad group's dates and budget, a creative association's own dates when it has them.

Flights are identified by their start (docs/amazon-dsp-resources.md), so a flight's span is keyed by it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reconciler.model import MoneyKind, Span
from reconciler.model.money import number


def campaign_timeline(attributes: Mapping[str, Any]) -> list[Span]:
    """One span per flight, in start order, with the flight's budget."""
    flights = [
        f for f in attributes.get("flights") or [] if isinstance(f, Mapping) and f.get("startDateTime")
    ]
    flights.sort(key=lambda f: str(f["startDateTime"]))
    return [
        Span(
            start=str(flight["startDateTime"]),
            end=str(flight["endDateTime"]) if flight.get("endDateTime") else None,
            label=f"flight {n}",
            key=str(flight["startDateTime"]),
            budget=number(flight, "budgetAmount"),
            budget_kind=MoneyKind.FLIGHT_BUDGET,
        )
        for n, flight in enumerate(flights, start=1)
    ]


def ad_group_timeline(attributes: Mapping[str, Any]) -> list[Span]:
    """The ad group's delivery dates, with its budget over them."""
    if not attributes.get("startDateTime"):
        return []
    end = attributes.get("endDateTime")
    budget = number(attributes, "budgetAmount")
    return [
        Span(
            start=str(attributes["startDateTime"]),
            end=str(end) if end else None,
            label="dates",
            budget=budget,
            budget_kind=MoneyKind.LIFETIME_BUDGET if budget is not None else None,
        )
    ]


def association_timeline(attributes: Mapping[str, Any]) -> list[Span]:
    """An association's own dates; one without a start runs with its ad group and has no span of its own."""
    if not attributes.get("startDate"):
        return []
    end = attributes.get("endDate")
    return [Span(start=str(attributes["startDate"]), end=str(end) if end else None, label="dates")]
