"""The money of a plan, gathered: each budget and bid it moves per platform and currency, and the total
change of each kind of budget (for the renderers and the guardrails)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from reconciler.model import MoneyKind
from reconciler.plan.file import PlanFile, PlanMoney


@dataclass(frozen=True)
class MoneyRow:
    """A line of the money table: one object's amount, or (address "") the total of a budget kind."""

    platform: str
    currency: str
    label: str
    address: str
    before: float
    after: float

    @property
    def delta(self) -> float:
        return self.after - self.before


def money_label(money: PlanMoney) -> str:
    """`bid (maxCPC)`, `daily budget, country us`."""
    cost_model = f" ({money.cost_model})" if money.cost_model else ""
    return f"{money.kind.value}{cost_model}{', ' + money.item if money.item else ''}"


def money_rows(plan: PlanFile) -> list[MoneyRow]:
    """Per platform and currency: each budget and bid the plan moves, then the total of each budget kind."""
    rows: list[MoneyRow] = []
    totals: dict[tuple[str, str, MoneyKind], list[float]] = {}
    for change in plan.changes:
        currency = plan.currencies.get(change.platform, "account currency")
        for m in change.money:
            rows.append(
                MoneyRow(change.platform, currency, money_label(m), change.address, m.before, m.after)
            )
            if m.kind.is_budget:
                total = totals.setdefault((change.platform, currency, m.kind), [0.0, 0.0])
                total[0] += m.before
                total[1] += m.after
    order = list(MoneyKind)
    rows.sort(key=lambda r: (r.platform, r.currency))
    for (platform, currency, kind), (before, after) in sorted(
        totals.items(), key=lambda t: (t[0][0], t[0][1], order.index(t[0][2]))
    ):
        rows.append(MoneyRow(platform, currency, f"total {kind.value}", "", before, after))
    return sorted(rows, key=lambda r: (r.platform, r.currency, r.address == ""))


def budget_totals(rows: Iterable[MoneyRow]) -> list[MoneyRow]:
    return [r for r in rows if not r.address]
