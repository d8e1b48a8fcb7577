"""The markdown plan, fit for a pull-request comment: a summary line, then one table row per field."""

from __future__ import annotations

from reconciler.plan import PlanFile
from reconciler.render.values import SYMBOLS, flatten, headline, show, summary_line


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(plan: PlanFile) -> str:
    lines = [f"### reconciler plan for `{plan.project}`", "", f"**{summary_line(plan)}**", ""]
    if not plan.has_changes:
        return "\n".join(lines)
    lines += ["| | Address | Action | Field | Old | New |", "|---|---|---|---|---|---|"]
    for address, found in sorted(plan.adopted.items()):
        lines.append(f"| = | `{address}` | {_cell(found.reason)} | | | |")
    for change in plan.changes:
        rows = [(f.path, show(f.old), show(f.new)) for f in change.fields]
        if change.action == "create":
            rows = [(path, "", show(value)) for path, value in flatten(change.desired)]
        if not rows:
            rows = [("", "", "")]
        for index, (path, old, new) in enumerate(rows):
            lead = (
                f"| {SYMBOLS[change.action]} | `{change.address}` | {_cell(headline(change))} "
                if index == 0
                else "| | | "
            )
            field = f"`{path}`" if path else ""
            lines.append(f"{lead}| {field} | {_cell(old)} | {_cell(new)} |")
    if plan.warnings:
        lines += ["", *[f"> warning: {_cell(w)}" for w in plan.warnings]]
    return "\n".join(lines) + "\n"
