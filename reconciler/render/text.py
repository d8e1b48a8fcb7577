"""The text plan for terminals: one block per resource (`+` create, `~` update, `-` retire) with per-field
old → new values, nested values as a diff of their own, each update's cause, the money the plan moves and a
summary line. Coloured when asked (a terminal without NO_COLOR)."""

from __future__ import annotations

from collections.abc import Iterable

import click

from reconciler.apply import ApplyReport, StepOutcome
from reconciler.plan import PlanFile
from reconciler.plan.money import money_rows
from reconciler.render.values import (
    MARKS,
    SYMBOLS,
    amount,
    flatten,
    headline,
    ignored_text,
    lifecycle_text,
    nested,
    show,
    signed,
    summary_line,
)

COLOURS = {"+": "green", "~": "yellow", "-": "red", "=": "cyan", "→": "cyan", "*": "cyan"}


def render_text(plan: PlanFile, color: bool = False) -> str:
    def paint(sign: str, text: str) -> str:
        return click.style(text, fg=COLOURS.get(sign)) if color else text

    lines: list[str] = []
    if plan.has_changes:
        lines += ["reconciler will make these changes:", ""]
    for moved in plan.moved:
        lines.append(paint("→", f"  → {moved.to_address}  (moved from {moved.from_address}, id {moved.id})"))
    for address, found in sorted(plan.adopted.items()):
        lines.append(paint("=", f"  = {address}  ({found.reason})"))
    for rule in plan.lifecycle:
        lines.append(paint("*", f"  * {rule.address}  ({lifecycle_text(rule)})"))
    if plan.moved or plan.adopted or plan.lifecycle:
        lines.append("")
    for change in plan.changes:
        sign = SYMBOLS[change.action]
        lines.append(paint(sign, f"  {sign} {change.address}  ({headline(change)})"))
        if change.action == "create":
            lines.extend(f"      {path}: {show(value)}" for path, value in flatten(change.desired))
        for field in change.fields:
            drift = f"  ({MARKS[field.cause]})" if field.cause in MARKS and len(change.causes) > 1 else ""
            inner = nested(field.old, field.new)
            if inner is None:
                lines.append(f"      {field.path}: {show(field.old)} → {show(field.new)}{drift}")
                continue
            lines.append(f"      {field.path}:{drift}")
            lines.extend(paint(s, f"        {s} {text}") for s, text in inner)
        lines.append("")
    lines += _ignored(plan)
    lines += _money(plan)
    lines += [f"warning: {w}" for w in plan.warnings]
    if plan.warnings:
        lines.append("")
    lines.append(summary_line(plan))
    return "\n".join(lines) + "\n"


def _ignored(plan: PlanFile) -> list[str]:
    """The fields left to the platform by `lifecycle.ignore_changes` where they differ, by object."""
    if not plan.ignored:
        return []
    lines = ["Left as the platform has them (lifecycle.ignore_changes):"]
    address = None
    for item in plan.ignored:
        if item.address != address:
            address = item.address
            lines.append(f"  {address}")
        lines.append(f"      {ignored_text(item)}")
    return [*lines, ""]


def _money(plan: PlanFile) -> list[str]:
    rows = money_rows(plan)
    if not rows:
        return []
    lines = ["Money (before → after, change):"]
    group = None
    for row in rows:
        if (row.platform, row.currency) != group:
            group = (row.platform, row.currency)
            lines.append(f"  {row.platform}, {row.currency}")
        what = f"{row.label}  {row.address}" if row.address else row.label
        lines.append(f"    {what}: {amount(row.before)} → {amount(row.after)}  ({signed(row.delta)})")
    return [*lines, ""]


STEP_WIDTH = 16
"""The narrowest verb column of step lines; a longer verb widens it for every line of the apply."""


def step_width(verbs: Iterable[str]) -> int:
    return max([STEP_WIDTH, *(len(verb) for verb in verbs)])


def step_line(outcome: StepOutcome, width: int = STEP_WIDTH) -> str:
    """`  ok     create_campaign  platform.campaign.x` (with the platform's message when it failed)."""
    op = outcome.operation
    mark = "ok" if outcome.ok else "FAILED"
    line = f"  {mark:6} {op.verb.name:{width}} {op.address}"
    return line if outcome.ok else f"{line}: {outcome.error}"


def render_apply_report(report: ApplyReport, steps: bool = True) -> str:
    """Each step's outcome (unless a live display printed them already), what the platforms reported
    after the steps, and the summary line."""
    width = step_width(o.operation.verb.name for o in report.outcomes)
    lines = [step_line(outcome, width) for outcome in report.outcomes] if steps else []
    done = len(report.outcomes) - len(report.failed)
    lines.append("")
    lines.extend(str(d) for d in report.diagnostics)
    if report.failed:
        lines.append(f"Apply incomplete: {done} step(s) done, {len(report.failed)} failed (listed above).")
    else:
        lines.append(f"Apply complete: {done} step(s) done.")
    return "\n".join(lines) + "\n"
