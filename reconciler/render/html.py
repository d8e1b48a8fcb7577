"""The HTML plan report: one self-contained file (styles and script inline, nothing fetched) with the
summary, the money per platform and currency, the flight timeline and the changes per platform with their
causes. `reconciler plan --format html -o plan.html` and `reconciler show PLANFILE --format html` write it.
"""

from __future__ import annotations

from html import escape
from importlib.resources import files

from reconciler.plan import PlanChange, PlanFile
from reconciler.plan.money import budget_totals, money_rows
from reconciler.render.chart import chart_html
from reconciler.render.values import (
    CAUSES,
    SYMBOLS,
    amount,
    flatten,
    headline,
    lifecycle_text,
    show,
    signed,
    summary_line,
)

OPEN_CHANGES = 200
"""A platform's changes start open when it has at most this many."""
OPEN_FIELDS = 10
"""Each change shows its fields at once when the plan has at most this many changes."""


def _asset(name: str) -> str:
    return files("reconciler.render").joinpath("assets", name).read_text(encoding="utf-8")


def _summary(plan: PlanFile) -> str:
    s = plan.summary
    counts = "".join(
        f'<span class="count a-{action}"><b>{n}</b> to {action}</span>'
        for action, n in (("create", s.create), ("update", s.update), ("retire", s.retire))
    )
    facts = [f"made {escape(plan.created_at)}", f"state serial {plan.state.serial}"]
    if plan.environment:
        facts.append(f"environment <code>{escape(plan.environment)}</code>")
    if plan.targets:
        facts.append("limited to " + ", ".join(f"<code>{escape(t)}</code>" for t in plan.targets))
    warnings = "".join(f'<li class="warning">{escape(w)}</li>' for w in plan.warnings)
    return (
        f"<header><h1>reconciler plan for <code>{escape(plan.project)}</code></h1>"
        f'<p class="facts">{" · ".join(facts)}</p>'
        f'<p class="summary" id="summary">{escape(summary_line(plan))}</p><div class="counts">{counts}</div>'
        f"{f'<ul class=warnings>{warnings}</ul>' if warnings else ''}</header>"
    )


def _cells(*cells: str) -> str:
    return "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


def _money(plan: PlanFile) -> str:
    """The total change of each kind of budget per platform and currency, then every amount moved."""
    rows = money_rows(plan)
    if not rows:
        return ""
    totals = "".join(
        _cells(
            escape(r.platform),
            escape(r.currency),
            escape(r.label),
            amount(r.before),
            amount(r.after),
            signed(r.delta),
        )
        for r in budget_totals(rows)
    )
    items = [r for r in rows if r.address]
    detail = "".join(
        _cells(
            escape(r.platform),
            escape(r.currency),
            f"<code>{escape(r.address)}</code>",
            escape(r.label),
            amount(r.before),
            amount(r.after),
            signed(r.delta),
        )
        for r in items
    )
    head = "<th>Before</th><th>After</th><th>Change</th></tr>"
    return (
        '<section id="money"><h2>Money</h2>'
        + (
            f"<table class=money><tr><th>Platform</th><th>Currency</th><th>Budget</th>{head}{totals}</table>"
            if totals
            else ""
        )
        + f"<details{' open' if len(items) <= 8 else ''}><summary>Every budget and bid the plan moves "
        f"({len(items)})</summary><table class=money><tr><th>Platform</th><th>Currency</th><th>Object</th>"
        f"<th>Amount</th>{head}{detail}</table></details></section>"
    )


def _change(change: PlanChange, is_open: bool) -> str:
    rows: list[str] = []
    if change.action == "create":
        rows += [
            f"<tr><td><code>{escape(p)}</code></td><td></td><td>{escape(show(v))}</td><td></td></tr>"
            for p, v in flatten(change.desired)
        ]
    for field in change.fields:
        cause = f'<span class="cause {field.cause}">{escape(CAUSES[field.cause])}</span>'
        rows.append(
            f"<tr><td><code>{escape(field.path)}</code></td><td>{escape(show(field.old))}</td>"
            f"<td>{escape(show(field.new))}</td><td>{cause}</td></tr>"
        )
    table = (
        "<table class=fields><tr><th>Field</th><th>Before</th><th>After</th><th>Cause</th></tr>"
        f"{''.join(rows)}</table>"
        if rows
        else ""
    )
    sign = SYMBOLS[change.action]
    return (
        f'<details class="change a-{change.action}" data-address="{escape(change.address)}"'
        f"{' open' if is_open else ''}>"
        f'<summary><span class="sign">{sign}</span> <code>{escape(change.address)}</code> '
        f"<span class=headline>{escape(headline(change))}</span></summary>{table}</details>"
    )


def _changes(plan: PlanFile) -> str:
    touched = [*(c.address for c in plan.changes), *plan.adopted, *(m.to_address for m in plan.moved)]
    platforms = sorted({address.split(".")[0] for address in touched})
    if not platforms:
        return f'<section id="changes"><h2>Changes</h2><p>{escape(summary_line(plan))}</p></section>'
    parts = ['<section id="changes"><h2>Changes</h2>']
    for platform in platforms:
        mine = [c for c in plan.changes if c.platform == platform]
        counts = ", ".join(
            f"{n} to {a}"
            for a in ("create", "update", "retire")
            if (n := sum(1 for c in mine if c.action == a))
        )
        prefix = platform + "."
        notes = [
            f"<li>→ <code>{escape(m.to_address)}</code> moved from <code>{escape(m.from_address)}</code> "
            f"(id {escape(m.id)})</li>"
            for m in plan.moved
            if m.to_address.startswith(prefix)
        ]
        notes += [
            f"<li>= <code>{escape(a)}</code>: {escape(found.reason)}</li>"
            for a, found in sorted(plan.adopted.items())
            if a.startswith(prefix)
        ]
        parts.append(
            f'<details class="platform" data-platform="{escape(platform)}"'
            f"{' open' if len(mine) <= OPEN_CHANGES else ''}><summary><b>{escape(platform)}</b>: "
            f"{counts or 'no changes'}</summary>{f'<ul>{chr(10).join(notes)}</ul>' if notes else ''}"
            f"{''.join(_change(c, len(plan.changes) <= OPEN_FIELDS) for c in mine)}</details>"
        )
    parts.append("</section>")
    return "".join(parts)


def _lifecycle(plan: PlanFile) -> str:
    """The fields `lifecycle.ignore_changes` leaves to the platform where they differ, and the
    `prevent_retire` values the apply records in state."""
    if not plan.ignored and not plan.lifecycle:
        return ""
    rows = "".join(
        _cells(
            f"<code>{escape(i.address)}</code>",
            f"<code>{escape(i.path)}</code>",
            escape(show(i.platform)),
            escape(show(i.manifests)),
        )
        for i in plan.ignored
    )
    table = (
        "<h3>Left as the platform has them (lifecycle.ignore_changes)</h3><table class=fields><tr>"
        f"<th>Object</th><th>Field</th><th>On the platform</th><th>In the manifests</th></tr>{rows}</table>"
        if rows
        else ""
    )
    recorded = "".join(
        f"<li><code>{escape(r.address)}</code>: {escape(lifecycle_text(r))}</li>" for r in plan.lifecycle
    )
    return (
        f'<section id="lifecycle"><h2>Lifecycle rules</h2>{table}'
        f"{f'<ul>{recorded}</ul>' if recorded else ''}</section>"
    )


def _legend() -> str:
    items = [
        ("create", "created"),
        ("change", "changed (after)"),
        ("ghost", "before the change"),
        ("retire", "retired"),
        ("same", "unchanged"),
    ]
    swatches = "".join(f'<span><i class="swatch {c}"></i>{w}</span>' for c, w in items)
    return (
        f'<div class="legend">{swatches}<span><i class="swatch today"></i>today</span>'
        '<span class="tools"><button type="button" data-do="open">Expand all</button>'
        '<button type="button" data-do="close">Collapse all</button>'
        '<label><input type="checkbox" id="only-changes"> only changes</label></span></div>'
        '<p id="today-note" class="note"></p>'
    )


def render_html(plan: PlanFile) -> str:
    """The whole report as one HTML document."""
    title = f"reconciler plan for {plan.project}"
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<link rel="icon" href="data:,">'
        f"<title>{escape(title)}</title><style>{_asset('report.css')}</style></head><body>"
        f"{_summary(plan)}{_money(plan)}"
        f'<section id="timeline"><h2>Flight timeline</h2>{_legend()}{chart_html(plan)}</section>'
        f'{_changes(plan)}{_lifecycle(plan)}<div id="tip" role="tooltip" hidden></div>'
        f"<script>{_asset('report.js')}</script></body></html>\n"
    )
