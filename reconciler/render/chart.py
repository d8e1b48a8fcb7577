"""The flight timeline of the HTML report: a Gantt-style chart of the plan's `timeline`, one row per dated
object, grouped (and collapsible) by campaign.

Each span of an object is one bar (class `span`) coloured by what the plan does to it: created, changed,
retired or unchanged; a changed span also shows where it was before (a dashed `ghost` bar). Bars carry
their details in `data-tip` for the hover card; the page's script draws today's line. Positions are
percentages of the chart's date range, so the chart is plain HTML and loads fast with thousands of rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html import escape

from reconciler.model import MoneyKind
from reconciler.plan.file import PlanDates, PlanFile, PlanSpan, PlanTimelineEntry
from reconciler.render.values import amount

OPEN_GROUPS = 30
"""Campaign groups with changes start open when there are at most this many; the rest start closed."""
KIND_LABELS = {"ad_set": "ad set", "ad_group": "ad group", "creative_association": "creative"}
STATE_WORDS = {"create": "created", "change": "changed", "retire": "retired", "same": "unchanged"}


def when(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def day(text: str | None) -> str:
    return text[:10] if text else "no end"


@dataclass(frozen=True)
class Scale:
    """The chart's date range; `x` places a moment in percent of the width."""

    start: datetime
    end: datetime

    def x(self, moment: datetime) -> float:
        total = (self.end - self.start).total_seconds()
        return max(0.0, min(100.0, (moment - self.start).total_seconds() / total * 100))

    def place(self, dates: PlanDates) -> tuple[float, float]:
        """Left and width (percent) of a span; an open end runs to the chart's end."""
        left = self.x(when(dates.start))
        right = self.x(when(dates.end)) if dates.end else 100.0
        return left, max(right - left, 0.0)


def _month(moment: datetime, forward: int = 0) -> datetime:
    index = moment.year * 12 + moment.month - 1 + forward
    return datetime(index // 12, index % 12 + 1, 1, tzinfo=UTC)


def scale_for(entries: list[PlanTimelineEntry]) -> Scale | None:
    """Whole months around every start and end (an open end adds a month after the last date)."""
    starts: list[datetime] = []
    ends: list[datetime] = []
    open_end = False
    for entry in entries:
        for span in entry.spans:
            for dates in (span.before, span.after):
                if dates is None:
                    continue
                starts.append(when(dates.start))
                if dates.end:
                    ends.append(when(dates.end))
                else:
                    open_end = True
    if not starts:
        return None
    last = max([*starts, *ends])
    if open_end:
        last += timedelta(days=31)
    return Scale(_month(min(starts)), _month(last - timedelta(seconds=1), 1))


def ticks(scale: Scale) -> list[tuple[float, str]]:
    """Month starts (every quarter or year when the range is long), as (percent, label)."""
    months = (scale.end.year - scale.start.year) * 12 + scale.end.month - scale.start.month
    step = 1 if months <= 36 else 3 if months <= 120 else 12
    found: list[tuple[float, str]] = []
    moment = scale.start
    while moment < scale.end:
        label = moment.strftime("%b %Y") if step < 12 else str(moment.year)
        found.append((scale.x(moment), label))
        moment = _month(moment, step)
    return found


def span_state(span: PlanSpan) -> str:
    if span.before is None:
        return "create"
    if span.after is None:
        return "retire"
    return "same" if span.before == span.after else "change"


def _budget(dates: PlanDates | None, currency: str) -> str:
    if dates is None or dates.budget is None:
        return "none"
    return f"{amount(dates.budget)} {currency}".strip()


def _short(dates: PlanDates | None) -> str:
    """A budget on a bar: `9,000`, `500/day`."""
    if dates is None or dates.budget is None:
        return "–"
    per = "/day" if dates.budget_kind is MoneyKind.DAILY_BUDGET else ""
    return amount(dates.budget) + per


def _tip(entry: PlanTimelineEntry, span: PlanSpan, currency: str) -> str:
    """The hover card: what the object is, then each of start, end and budget (before → after)."""
    state = span_state(span)
    lines = [entry.name or entry.address, entry.address, f"{span.label}: {STATE_WORDS[state]}"]
    for title, get in (
        ("start", lambda d: d.start),
        ("end", lambda d: d.end or "no end"),
        ("budget", lambda d: _budget(d, currency)),
    ):
        old = get(span.before) if span.before else None
        new = get(span.after) if span.after else None
        if old is not None and new is not None and old != new:
            lines.append(f"{title}: {old} → {new}")
        else:
            lines.append(f"{title}: {new if new is not None else old}")
    dates = span.after or span.before
    if dates is not None and dates.budget_kind is not None:
        lines[-1] += f" ({dates.budget_kind.value})"
    return "\n".join(lines)


def _bar(scale: Scale, dates: PlanDates, classes: str, attributes: str, text: str = "") -> str:
    left, width = scale.place(dates)
    open_end = " open" if dates.end is None else ""
    return (
        f'<div class="bar {classes}{open_end}" {attributes} '
        f'style="left:{left:.3f}%;width:{width:.3f}%">{escape(text)}</div>'
    )


def _bars(scale: Scale, entry: PlanTimelineEntry, currency: str) -> str:
    parts: list[str] = []
    for span in entry.spans:
        state = span_state(span)
        shown = span.after or span.before
        if shown is None:
            continue
        label = f'data-span="{escape(span.label)}"'
        if state == "change" and span.before is not None:
            parts.append(_bar(scale, span.before, "ghost", f'{label} data-side="before"'))
        text = _short(shown) if shown.budget is not None else ""
        if state == "change" and span.before and span.after and span.before.budget != span.after.budget:
            text = f"{_short(span.before)} → {_short(span.after)}"
        side = "after" if span.after else "before"
        tip = escape(_tip(entry, span, currency), quote=True)
        parts.append(
            _bar(scale, shown, f"span {state}", f'{label} data-side="{side}" data-tip="{tip}"', text)
        )
    return "".join(parts)


def _label(entry: PlanTimelineEntry) -> str:
    depth = len(entry.address.split(".", 2)[2].split("/")) - 1
    kind = KIND_LABELS.get(entry.kind, entry.kind.replace("_", " "))
    name = entry.name or entry.address.rsplit("/", 1)[-1].rsplit(".", 1)[-1]
    return (
        f'<div class="label" style="--depth:{depth}" title="{escape(entry.address)}">'
        f'<span class="sign a-{entry.action}"></span><span class="kind">{escape(kind)}</span> '
        f"{escape(name)}</div>"
    )


def _row(scale: Scale, entry: PlanTimelineEntry, currency: str) -> str:
    return (
        f'<div class="row" data-address="{escape(entry.address)}" data-action="{entry.action}">'
        f'{_label(entry)}<div class="track">{_bars(scale, entry, currency)}</div></div>'
    )


def _envelope(scale: Scale, entries: list[PlanTimelineEntry]) -> str:
    """The group's summary bar: from the first start to the last end after the plan."""
    spans = [s.after or s.before for e in entries for s in e.spans]
    dates = [d for d in spans if d is not None]
    start = min(d.start for d in dates)
    ends = [d.end for d in dates]
    end = None if None in ends else max(e for e in ends if e)
    return _bar(scale, PlanDates(start=start, end=end), "envelope", 'aria-hidden="true"')


def _group(
    scale: Scale, campaign: str, name: str, entries: list[PlanTimelineEntry], currency: str, is_open: bool
) -> str:
    """A campaign's collapsible group: its own row (or a summary bar over its objects), then its objects."""
    head = next((e for e in entries if e.address == campaign), None)
    rest = [e for e in entries if e is not head]
    changed = sum(1 for e in entries if e.action != "unchanged")
    count = f"{changed} of {len(entries)} changed"
    if head is not None:
        summary = _row(scale, head, currency).replace('class="row"', 'class="row head"', 1)
    else:
        summary = (
            f'<div class="row head" data-action="{"update" if changed else "unchanged"}">'
            f'<div class="label" title="{escape(campaign)}"><span class="kind">campaign</span> '
            f'{escape(name)}</div><div class="track">{_envelope(scale, entries)}</div></div>'
        )
    summary = summary.replace('<div class="label"', f'<div class="label" data-count="{count}"', 1)
    body = "".join(_row(scale, e, currency) for e in rest)
    state = " open" if is_open else ""
    return (
        f'<details class="group" data-campaign="{escape(campaign)}" data-changed="{changed}"{state}>'
        f"<summary>{summary}</summary>{body}</details>"
    )


def chart_html(plan: PlanFile) -> str:
    """The timeline section's chart, or a sentence when no object of the plan has dates."""
    scale = scale_for(plan.timeline)
    if scale is None:
        return '<p class="empty">No object of this plan has dates.</p>'
    groups: dict[str, list[PlanTimelineEntry]] = {}
    for entry in plan.timeline:
        groups.setdefault(entry.campaign, []).append(entry)
    with_changes = sum(1 for g in groups.values() if any(e.action != "unchanged" for e in g))
    grid = "".join(f'<div class="grid" style="left:{x:.3f}%"></div>' for x, _ in ticks(scale))
    axis = "".join(f'<div class="tick" style="left:{x:.3f}%">{escape(t)}</div>' for x, t in ticks(scale))
    parts = [
        f'<div id="chart" data-start="{int(scale.start.timestamp() * 1000)}" '
        f'data-end="{int(scale.end.timestamp() * 1000)}">',
        f'<div class="overlay">{grid}<div id="today" hidden></div></div>',
        f'<div class="row axis"><div class="label">{len(plan.timeline)} dated object(s) in '
        f'{len(groups)} campaign(s)</div><div class="track">{axis}</div></div>',
    ]
    platform = None
    for campaign, entries in groups.items():
        if entries[0].platform != platform:
            platform = entries[0].platform
            parts.append(f'<h3 class="platform">{escape(platform)}</h3>')
        currency = plan.currencies.get(platform, "")
        changed = any(e.action != "unchanged" for e in entries)
        name = entries[0].campaign_name or campaign.split(".", 2)[2]
        is_open = changed and with_changes <= OPEN_GROUPS
        parts.append(_group(scale, campaign, name, entries, currency, is_open))
    parts.append("</div>")
    return "".join(parts)
