"""A plan checked against the project's `policy:` rules: when it is made, and again before a saved plan is
applied (the rules or the provider's kinds may have changed since)."""

from __future__ import annotations

from reconciler import policy
from reconciler.engine.workspace import Opened, schemas
from reconciler.plan.file import PlanFile


def check_policy(
    workspace: Opened, plan: PlanFile, allow_retire: bool = False
) -> tuple[list[str], list[str]]:
    """The `policy:` rules the plan breaks: (the `error` ones, the `warn` ones), one line each (address,
    rule, values). The plan itself is not changed."""
    allowed = plan.allow_retire or allow_retire
    found = policy.check(plan, workspace.project.config.policy, schemas(workspace), allowed)
    errors = [str(v) for v in found if v.enforce == "error"]
    warnings = [str(v) for v in found if v.enforce == "warn" and str(v) not in plan.warnings]
    return errors, warnings
