"""When an object runs: the dated spans of a kind (a campaign's flights, an ad set's schedule), for the
plan's flight timeline."""

from __future__ import annotations

from dataclasses import dataclass

from reconciler.model.money import MoneyKind


@dataclass(frozen=True)
class Span:
    """One period an object runs, with the budget that goes with it.

    - `start`, `end`: UTC date-times as the canonical attributes spell them (`2027-06-01T00:00:00Z`); `end`
      None means the object runs with no end;
    - `label`: what the span is, for people (`flight 1`, `schedule`);
    - `key`: what identifies the span across a change when an object has several (a flight may be
      identified by its start); "" when the object has one;
    - `budget`, `budget_kind`: the amount spent over or per the span, if the object has one.
    """

    start: str
    end: str | None = None
    label: str = ""
    key: str = ""
    budget: float | None = None
    budget_kind: MoneyKind | None = None
