"""The flight timeline of a plan (pure): every dated object the manifests want or the platform has, with
its spans before and after the plan, for the HTML report's calendar.

"Before" is the live object; "after" is the live object with the manifests' owned fields laid over it
(what the platform will hold once the plan is applied), or the desired attributes for a create. A kind says
what its spans are (`KindSchema.timeline`); spans are matched across the change by their key, then in start
order, so a moved flight reads as one span that moved rather than one gone and one new.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fnmatch import fnmatchcase
from typing import Any, TypeGuard

from reconciler.model import Address, Change, KindSchema, LiveObject, Resource, Span
from reconciler.plan.file import PlanDates, PlanSpan, PlanTimelineEntry


def overlay(base: Mapping[str, Any], owned: Mapping[str, Any]) -> dict[str, Any]:
    """`base` with `owned` laid over it: nested mappings merged, any other value replaced."""
    merged = dict(base)
    for key, value in owned.items():
        if _is_mapping(value):
            below = merged.get(key)
            if _is_mapping(below):
                merged[key] = overlay(below, value)
                continue
        merged[key] = value
    return merged


_PLAIN = (str, int, float, list, type(None))
"""Types of attribute values that are never mappings (no abstract `Mapping` check for them)."""


def _is_mapping(value: Any) -> TypeGuard[Mapping[str, Any]]:
    # A dict is checked first: the abstract `Mapping` check costs more, and attributes are dicts.
    return isinstance(value, dict) or (not isinstance(value, _PLAIN) and isinstance(value, Mapping))


def pair_spans(before: Sequence[Span], after: Sequence[Span]) -> list[PlanSpan]:
    """Spans of the two sides matched: the same key first, then the rest in start order; a span left
    over on one side exists only there. In start order (after the plan, else before)."""
    if len(before) == 1 and len(after) == 1:  # most objects: one span, matched by key or else by order
        return [PlanSpan(label=after[0].label, before=_dates(before[0]), after=_dates(after[0]))]
    pairs: list[tuple[Span, Span | None, Span | None]] = []
    rest_after = list(after)
    rest_before: list[Span] = []
    for span in before:
        same = next((new for new in rest_after if new.key == span.key), None)
        if same is None:
            rest_before.append(span)
        else:
            rest_after.remove(same)
            pairs.append((same, span, same))
    rest_before.sort(key=lambda s: s.start)
    rest_after.sort(key=lambda s: s.start)
    for n in range(max(len(rest_before), len(rest_after))):
        old = rest_before[n] if n < len(rest_before) else None
        new = rest_after[n] if n < len(rest_after) else None
        shown = new or old
        if shown is not None:
            pairs.append((shown, old, new))
    pairs.sort(key=lambda p: p[0].start)
    return [PlanSpan(label=shown.label, before=_dates(old), after=_dates(new)) for shown, old, new in pairs]


def _dates(span: Span | None) -> PlanDates | None:
    if span is None:
        return None
    return PlanDates(start=span.start, end=span.end, budget=span.budget, budget_kind=span.budget_kind)


def build_timeline(
    desired: Sequence[Resource],
    managed: Mapping[Address, tuple[str, Address | None, dict[str, Any]]],
    live: Mapping[Address, LiveObject],
    changes: Sequence[Change],
    schemas: Mapping[tuple[str, str], KindSchema],
    targets: Sequence[str] = (),
) -> list[PlanTimelineEntry]:
    """The timeline entries of a plan, ordered by platform, then campaign, then address.

    `managed` maps each address in state to (platform id, parent address, last applied attributes); with
    `targets`, only the objects the plan changes or the patterns match are kept."""
    by_change = {c.address: c for c in changes}
    wanted = {r.address: r for r in desired}

    def name_of(address: Address) -> str:
        found = wanted[address].attributes if address in wanted else None
        if found is None and address in live:
            found = live[address].attributes
        return str((found or {}).get("name") or "")

    entries: list[tuple[tuple[str, str, tuple[str, ...], str], PlanTimelineEntry]] = []
    for address in {*wanted, *managed}:
        schema = schemas.get((address.platform, address.kind))
        if schema is None or not schema.dated:
            continue
        if targets and address not in by_change and not any(fnmatchcase(str(address), t) for t in targets):
            continue
        change = by_change.get(address)
        resource = wanted.get(address)
        held = live.get(address)
        now = held.attributes if held is not None else None
        later: dict[str, Any] | None = None
        if resource is not None:
            owned = change.desired if change is not None and change.desired else resource.attributes
            later = overlay(now, owned) if now is not None else dict(owned)
        spans = pair_spans(schema.timeline(now or {}), schema.timeline(later or {}))
        if not spans:
            continue
        parent = resource.parent if resource is not None else managed[address][1]
        campaign = Address(address.platform, "campaign", address.path[:1])
        entry = PlanTimelineEntry(
            address=str(address),
            platform=address.platform,
            kind=address.kind,
            parent=str(parent) if parent else None,
            campaign=str(campaign),
            campaign_name=name_of(campaign),
            name=str((later or now or {}).get("name") or ""),
            action=change.action.value if change is not None else "unchanged",
            spans=spans,
        )
        entries.append(((entry.platform, entry.campaign, address.path, entry.kind), entry))
    entries.sort(key=lambda item: item[0])
    return [entry for _, entry in entries]
