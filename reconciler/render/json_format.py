"""The json plan: the plan file itself, valid against schemas/plan.schema.json."""

from __future__ import annotations

from reconciler.plan import PlanFile


def render_json(plan: PlanFile) -> str:
    return plan.model_dump_json(indent=2) + "\n"
