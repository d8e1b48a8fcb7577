"""The text plan: one block per resource, per-field old → new values, and a summary line."""

from __future__ import annotations

from reconciler.apply import ApplyReport
from reconciler.plan import PlanFile
from reconciler.render.values import SYMBOLS, flatten, headline, show, summary_line


def render_text(plan: PlanFile) -> str:
    lines: list[str] = []
    if plan.changes or plan.adopted:
        lines.append("reconciler will make these changes:")
        lines.append("")
    for address, found in sorted(plan.adopted.items()):
        lines.append(f"  = {address}  ({found.reason})")
    for change in plan.changes:
        lines.append(f"  {SYMBOLS[change.action]} {change.address}  ({headline(change)})")
        if change.action == "create":
            for path, value in flatten(change.desired):
                lines.append(f"      {path}: {show(value)}")
        for field in change.fields:
            lines.append(f"      {field.path}: {show(field.old)} → {show(field.new)}")
        lines.append("")
    for warning in plan.warnings:
        lines.append(f"warning: {warning}")
    if plan.warnings:
        lines.append("")
    lines.append(summary_line(plan))
    return "\n".join(lines) + "\n"


def render_apply_report(report: ApplyReport) -> str:
    lines = []
    for outcome in report.outcomes:
        op = outcome.operation
        mark = "ok" if outcome.ok else "FAILED"
        line = f"  {mark:6} {op.verb:16} {op.address}"
        if not outcome.ok:
            line += f": {outcome.error}"
        lines.append(line)
    done = len(report.outcomes) - len(report.failed)
    lines.append("")
    lines.extend(str(d) for d in report.diagnostics)
    if report.failed:
        lines.append(f"Apply incomplete: {done} step(s) done, {len(report.failed)} failed (listed above).")
    else:
        lines.append(f"Apply complete: {done} step(s) done.")
    return "\n".join(lines) + "\n"
