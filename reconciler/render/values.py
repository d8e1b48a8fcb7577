"""How a single value is shown in a plan: short, unambiguous, the same in every format."""

from __future__ import annotations

import json
from typing import Any

from reconciler.plan import PlanChange, PlanFile

SYMBOLS = {"create": "+", "update": "~", "retire": "-"}


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


def headline(change: PlanChange) -> str:
    """`create`, `update (id 42)` or the retire note with the id."""
    if change.action == "create":
        return f"create{': ' + change.note if change.note else ''}"
    label = change.note if change.action == "retire" and change.note else change.action
    return f"{label}, id {change.id}"


def summary_line(plan: PlanFile) -> str:
    if not plan.has_changes:
        return "No changes. The live platforms match the manifests."
    s = plan.summary
    text = f"Plan: {s.create} to create, {s.update} to update, {s.retire} to retire."
    if plan.adopted:
        text += f" {len(plan.adopted)} object(s) the platform already has will be adopted."
    return text
