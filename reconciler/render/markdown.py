"""The markdown plan for a pull-request comment: the summary and the money first, then one collapsible
section per platform with a table per resource, cut to stay under GitHub's comment limit.

When the full plan does not fit in `limit` characters, whole resources are left out (the summary, the money
totals and every platform's heading stay) and a note says how many changes were left out and where the full
plan is.
"""

from __future__ import annotations

from reconciler.plan import PlanChange, PlanFile
from reconciler.plan.money import budget_totals, money_label, money_rows
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

LIMIT = 60_000
_CLOSE = "\n</details>\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _resource(change: PlanChange) -> str:
    sign = SYMBOLS[change.action]
    lines = [f"**`{sign}` `{change.address}`** — {_cell(headline(change))}", ""]
    rows: list[tuple[str, str, str]] = []
    if change.action == "create":
        rows = [(path, "", show(value)) for path, value in flatten(change.desired)]
    for field in change.fields:
        drift = f" ({MARKS[field.cause]})" if field.cause in MARKS and len(change.causes) > 1 else ""
        inner = nested(field.old, field.new)
        if inner is None:
            rows.append((field.path + drift, show(field.old), show(field.new)))
        else:
            rows.append((field.path + drift, "", ""))
            rows.extend(("", text if s == "-" else "", "" if s == "-" else text) for s, text in inner)
    for m in change.money:
        rows.append((f"💰 {money_label(m)}", amount(m.before), f"{amount(m.after)} ({signed(m.delta)})"))
    if rows:
        lines += ["| Field | Old | New |", "|---|---|---|"]
        lines += [f"| {f'`{_cell(p)}`' if p else ''} | {_cell(o)} | {_cell(n)} |" for p, o, n in rows]
        lines.append("")
    return "\n".join(lines) + "\n"


def _money(plan: PlanFile) -> list[str]:
    totals = budget_totals(money_rows(plan))
    if not totals:
        return []
    lines = ["| Platform | Currency | Budget | Before | After | Change |", "|---|---|---|---|---|---|"]
    for r in totals:
        lines.append(f"| {r.platform} | {r.currency} | {r.label} | {amount(r.before)} | {amount(r.after)} ")
        lines[-1] += f"| {signed(r.delta)} |"
    return [*lines, ""]


def render_markdown(plan: PlanFile, full_plan: str | None = None, limit: int = LIMIT) -> str:
    """The comment; `full_plan` says where the whole plan is (e.g. the saved plan file's name)."""
    head = [f"### reconciler plan for `{plan.project}`", "", f"**{summary_line(plan)}**", ""]
    if plan.ignored:
        head += ["Left as the platform has them (`lifecycle.ignore_changes`):", ""]
        head += [f"- `{i.address}`: {_cell(ignored_text(i))}" for i in plan.ignored] + [""]
    warnings = [f"> ⚠️ {_cell(w)}" for w in plan.warnings] + ([""] if plan.warnings else [])
    if not plan.has_changes:
        return "\n".join(head + warnings) + "\n"
    head += _money(plan) + warnings
    where = (
        f"The full plan is in `{full_plan}` (`reconciler show {full_plan}`)."
        if full_plan
        else "Run `reconciler plan` to see the full plan, or save it with `-o plan.json`."
    )

    def note(left_out: int) -> str:
        return (
            f"_{left_out} of {len(plan.changes)} changes are left out to keep this comment under "
            f"{limit:,} characters. {where}_\n"
        )

    touched = [
        *(c.address for c in plan.changes),
        *plan.adopted,
        *(m.to_address for m in plan.moved),
        *(r.address for r in plan.lifecycle),
    ]
    platforms = sorted({address.split(".")[0] for address in touched})
    sections = [_section_head(plan, platform) for platform in platforms]
    # Every line is joined with "\n": each part costs its length + 1.
    used = sum(len(part) + 1 for part in [*head, *sections]) + len(platforms) * (len(_CLOSE) + 1)
    used += len(note(len(plan.changes))) + 1
    body: list[str] = []
    left_out = 0
    for platform, section in zip(platforms, sections, strict=True):
        body.append(section)
        for change in (c for c in plan.changes if c.platform == platform):
            block = _resource(change)
            if used + len(block) + 1 > limit:
                left_out += 1
                continue
            body.append(block)
            used += len(block) + 1
        body.append(_CLOSE)
    if left_out:
        body.append(note(left_out))
    return "\n".join([*head, *body])


def _section_head(plan: PlanFile, platform: str) -> str:
    """A platform's collapsible heading with its counts, moves and adopted objects."""
    mine = [c for c in plan.changes if c.platform == platform]
    counts = ", ".join(
        f"{n} to {action}"
        for action in ("create", "update", "retire")
        if (n := sum(1 for c in mine if c.action == action))
    )
    lines = [f"<details><summary><b>{platform}</b>: {counts or 'no changes'}</summary>\n"]
    prefix = platform + "."
    lines += [
        f"- `→` `{m.to_address}` moved from `{m.from_address}` (id {m.id})"
        for m in plan.moved
        if m.to_address.startswith(prefix)
    ]
    lines += [
        f"- `=` `{a}` — {_cell(found.reason)}"
        for a, found in sorted(plan.adopted.items())
        if a.startswith(prefix)
    ]
    lines += [
        f"- `*` `{r.address}` — {lifecycle_text(r)}" for r in plan.lifecycle if r.address.startswith(prefix)
    ]
    return "\n".join(lines) + ("\n" if len(lines) > 1 else "")
