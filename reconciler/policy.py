"""Guardrails: a plan checked against `policy:` of reconciler.yaml, one line per broken rule.

Rules look only at what the plan changes: budgets that rise (per object and in total per platform,
currency and kind of budget), bids above a cost model's maximum, retirements without `--allow-retire`, and
active objects created or updated without an end date.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from reconciler.manifest.project_config import PolicyConfig
from reconciler.model import KindSchema
from reconciler.plan import PlanFile
from reconciler.plan.money import money_label, money_rows
from reconciler.render.values import amount, signed


@dataclass(frozen=True)
class Violation:
    address: str
    rule: str
    detail: str
    enforce: str

    def __str__(self) -> str:
        return f"{self.address}: policy {self.rule}: {self.detail}"


def _moved(label: str, before: float, after: float, currency: str) -> str:
    """`daily budget 400 → 700 EUR` (no currency when the project names none)."""
    return f"{label} {amount(before)} → {amount(after)} {currency}".rstrip()


def check(
    plan: PlanFile,
    policy: PolicyConfig,
    schemas: Mapping[tuple[str, str], KindSchema],
    allow_retire: bool,
) -> list[Violation]:
    """Every rule the plan breaks (errors and warnings alike, told apart by `enforce`)."""
    found: list[Violation] = []
    rise = policy.budget_increase
    top_bid = policy.max_bid
    for change in plan.changes:
        currency = plan.currencies.get(change.platform, "")
        for m in change.money:
            values = _moved(money_label(m), m.before, m.after, currency)
            if rise and m.kind.is_budget and m.delta > 0:
                if rise.max_amount is not None and m.delta > rise.max_amount:
                    found.append(
                        Violation(
                            change.address,
                            "budget_increase.max_amount",
                            f"{values} ({signed(m.delta)}), above the {signed(rise.max_amount)} allowed",
                            rise.enforce,
                        )
                    )
                if rise.max_percent is not None and m.before > 0:
                    percent = m.delta / m.before * 100
                    if percent > rise.max_percent:
                        found.append(
                            Violation(
                                change.address,
                                "budget_increase.max_percent",
                                f"{values} (+{percent:.0f}%), above the +{rise.max_percent:g}% allowed",
                                rise.enforce,
                            )
                        )
            if top_bid and not m.kind.is_budget:
                limits = {k.lower(): v for k, v in top_bid.per_cost_model.items()}
                limit = limits.get(m.cost_model.lower())
                if limit is not None and m.after > limit:
                    found.append(
                        Violation(
                            change.address,
                            f"max_bid.{m.cost_model}",
                            f"{values}, above the {amount(limit)} allowed",
                            top_bid.enforce,
                        )
                    )
        if change.action == "retire" and policy.retire and policy.retire.require_flag and not allow_retire:
            found.append(
                Violation(
                    change.address,
                    "retire.require_flag",
                    f"{change.note or 'retire'} (id {change.id}) needs --allow-retire",
                    policy.retire.enforce,
                )
            )
        schema = schemas.get((change.platform, change.kind))
        if policy.end_date and change.action != "retire" and schema and schema.open_ended(change.desired):
            found.append(
                Violation(
                    change.address,
                    "end_date",
                    "the object would run with no end date; give it one",
                    policy.end_date.enforce,
                )
            )
    total = policy.apply_budget_increase
    if total:
        for row in money_rows(plan):
            if not row.address and row.delta > total.max_amount:
                found.append(
                    Violation(
                        row.platform,
                        "apply_budget_increase.max_amount",
                        f"{_moved(row.label, row.before, row.after, plan.currencies.get(row.platform, ''))} "
                        f"({signed(row.delta)}) in this apply, above the {signed(total.max_amount)} allowed",
                        total.enforce,
                    )
                )
    return found
