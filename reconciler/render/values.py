"""How values, changes and money are shown in a plan: short, unambiguous, the same in every format."""

from __future__ import annotations

import json
from typing import Any

from reconciler.plan import PlanChange, PlanFile
from reconciler.plan.file import PlanIgnored, PlanLifecycle

SYMBOLS = {"create": "+", "update": "~", "retire": "-"}
CAUSES = {"manifest": "manifest edit", "drift": "drift: changed outside reconciler"}
MARKS = {"drift": "drift", "failed": "last apply failed"}  # a field's cause, when its change has several


def show(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    return json.dumps(value, sort_keys=True, separators=(", ", ": "))


def amount(value: float) -> str:
    """A money amount: thousands separated, at most 4 decimals (the finest precision a platform keeps)."""
    text = f"{value:,.4f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def signed(value: float) -> str:
    return ("+" if value >= 0 else "-") + amount(abs(value))


def flatten(values: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    """Leaf fields of a nested dict as (dotted path, value), for showing a create."""
    rows: list[tuple[str, Any]] = []
    for key, value in values.items():
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict) and value:
            rows.extend(flatten(value, path))
        else:
            rows.append((path, value))
    return rows


def nested(old: Any, new: Any) -> list[tuple[str, str]] | None:
    """A nested value's own diff as (sign, text) lines — `+` added, `-` removed, `~` changed — or None
    when the value is a scalar (shown as old → new)."""
    if isinstance(old, dict) and isinstance(new, dict):
        lines: list[tuple[str, str]] = []
        for key in [*old, *(k for k in new if k not in old)]:
            if key not in new:
                lines.append(("-", f"{key}: {show(old[key])}"))
            elif key not in old:
                lines.append(("+", f"{key}: {show(new[key])}"))
            elif old[key] != new[key]:
                inner = nested(old[key], new[key])
                if inner is None:
                    lines.append(("~", f"{key}: {show(old[key])} → {show(new[key])}"))
                else:
                    lines.append(("~", f"{key}:"))
                    lines.extend((sign, "  " + text) for sign, text in inner)
        return lines
    if isinstance(old, list) and isinstance(new, list):
        kept = [show(v) for v in new]
        gone = [show(v) for v in old]
        return [("-", v) for v in gone if v not in kept] + [("+", v) for v in kept if v not in gone]
    if isinstance(old, dict | list) or isinstance(new, dict | list):
        return [("-", show(old)), ("+", show(new))]
    return None


def headline(change: PlanChange) -> str:
    """`create`, `update, id 42, drift: changed outside reconciler` or the retire note with the id."""
    if change.action == "create":
        return f"create{': ' + change.note if change.note else ''}"
    label = change.note if change.action == "retire" and change.note else change.action
    causes = "".join(f", {change.note if c == 'failed' else CAUSES[c]}" for c in change.causes)
    return f"{label}, id {change.id}{causes}"


def ignored_text(item: PlanIgnored) -> str:
    """`bidding.bidAmount: 0.12 on the platform, 0.15 in the manifests (ignored: lifecycle.ignore_changes)`"""
    return (
        f"{item.path}: {show(item.platform)} on the platform, {show(item.manifests)} in the manifests "
        "(ignored: lifecycle.ignore_changes)"
    )


def lifecycle_text(item: PlanLifecycle) -> str:
    """What recording an object's `prevent_retire` does, in words."""
    if item.prevent_retire is None:
        return "forget lifecycle.prevent_retire in state, no platform call"
    return f"record lifecycle.prevent_retire: {show(item.prevent_retire)} in state, no platform call"


def summary_line(plan: PlanFile) -> str:
    ignored = (
        f" {len(plan.ignored)} field(s) differ but are left to the platform (lifecycle.ignore_changes)."
        if plan.ignored
        else ""
    )
    if not plan.has_changes:
        return "No changes. The live platforms match the manifests." + ignored
    s = plan.summary
    text = f"Plan: {s.create} to create, {s.update} to update, {s.retire} to retire."
    drift = sum(1 for c in plan.changes if "drift" in c.causes)
    if drift:
        text += f" {drift} update(s) undo drift."
    if plan.moved:
        text += f" {len(plan.moved)} address(es) moved in state."
    if plan.adopted:
        text += f" {len(plan.adopted)} object(s) the platform already has will be adopted."
    if plan.lifecycle:
        text += f" {len(plan.lifecycle)} lifecycle rule(s) recorded in state."
    return text + ignored
