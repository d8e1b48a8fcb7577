"""Money in a plan: the budgets and bids a kind holds, and what a change does to them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class MoneyKind(StrEnum):
    DAILY_BUDGET = "daily budget"
    PERIOD_BUDGET = "weekly or monthly budget"
    LIFETIME_BUDGET = "lifetime budget"
    FLIGHT_BUDGET = "flight budget"
    BID = "bid"

    @property
    def is_budget(self) -> bool:
        return self is not MoneyKind.BID


@dataclass(frozen=True)
class Amount:
    """One budget or bid of an object: `item` tells several apart (a flight, a country); `cost_model`
    is the bid's pricing as the platform names it (CPM, maxCPC, CPI, ...)."""

    kind: MoneyKind
    value: float
    item: str = ""
    cost_model: str = ""


@dataclass(frozen=True)
class MoneyChange:
    """One amount before and after a change (0 when it does not exist on that side)."""

    kind: MoneyKind
    item: str
    cost_model: str
    before: float
    after: float

    @property
    def delta(self) -> float:
        return self.after - self.before


def money_changes(before: Sequence[Amount], after: Sequence[Amount]) -> list[MoneyChange]:
    """The amounts that differ between two sides, matched by kind, item and cost model."""
    keyed_before = {(a.kind, a.item, a.cost_model): a.value for a in before}
    keyed_after = {(a.kind, a.item, a.cost_model): a.value for a in after}
    found: list[MoneyChange] = []
    order = list(MoneyKind)
    for key in sorted(keyed_before.keys() | keyed_after.keys(), key=lambda k: (order.index(k[0]), k)):
        old, new = keyed_before.get(key, 0.0), keyed_after.get(key, 0.0)
        if round(old - new, 4) != 0 or key not in keyed_before or key not in keyed_after:
            found.append(MoneyChange(key[0], key[1], key[2], old, new))
    return found


def number(values: Mapping[str, Any], *path: str) -> float | None:
    """The number at a path of nested attributes, or None."""
    node: Any = values
    for part in path:
        if not isinstance(node, Mapping):
            return None
        node = node.get(part)
    return float(node) if isinstance(node, int | float) and not isinstance(node, bool) else None
