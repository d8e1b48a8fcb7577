"""`reconciler apply`: a project directory (plan, ask, apply) or exactly a saved plan file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from reconciler import engine
from reconciler.cli.common import (
    PlanScope,
    ProjectOptions,
    colour_wanted,
    no_color_option,
    notice,
    project_options,
    refuse,
    run,
    scope_options,
    show_plan,
    terminal,
    warn,
    warned_if_no_plan,
)
from reconciler.errors import ApplyFailed, ReconcilerError
from reconciler.plan.io import read_plan
from reconciler.render import render_apply_report
from reconciler.render.progress import apply_progress

if TYPE_CHECKING:
    from reconciler.plan import PlanFile
    from reconciler.state import State


@click.command()
@click.argument("target", type=click.Path(path_type=Path), default=".")
@click.option("--auto-approve", is_flag=True, help="Apply without asking for confirmation.")
@click.option(
    "--no-wait",
    is_flag=True,
    help="Do not wait for the platforms' asynchronous processing (asset uploads) after the steps.",
)
@no_color_option
@scope_options
@project_options
def apply(
    target: Path,
    auto_approve: bool,
    no_wait: bool,
    no_color: bool,
    scope: PlanScope,
    project: ProjectOptions,
) -> None:
    """Apply a project directory (plans, asks, applies) or exactly a saved plan file.

    A saved plan is applied with the environment and variables it was made with, and only when its digest
    matches (an edited plan is refused; with RECONCILER_PLAN_KEY, only a plan signed with that key)."""
    saved = read_plan(target) if target.is_file() else None
    workspace: engine.Opened
    if saved is not None:
        workspace = _open_saved(saved, str(target), scope, project)

        async def chosen(state: State) -> PlanFile:
            await engine.check_fresh(workspace, saved, state)
            broken, warned = engine.check_policy(workspace, saved, scope.allow_retire)
            for warning in warned:
                click.echo(f"warning: {warning}", err=True)
            refuse(broken)
            return saved

    else:
        workspace = planned = project.open(target, quiet=True)

        async def chosen(state: State) -> PlanFile:
            with warned_if_no_plan(planned):
                plan, broken = await scope.plan(planned)
            show_plan(plan, "text", no_color)
            refuse(broken)
            if plan.has_changes and not auto_approve and not _confirm():
                raise ReconcilerError("apply cancelled; nothing was changed")
            return plan

    engine.open_providers(workspace)

    async def work() -> None:
        with workspace.backend.lock("apply", notice=notice):
            state = workspace.backend.read()
            plan_to_apply = await chosen(state)
            if not plan_to_apply.has_changes:
                click.echo("Nothing to apply.")
                return
            verbs = [op.verb for op in plan_to_apply.operations]
            with apply_progress(verbs, click.echo, terminal(), color=colour_wanted(no_color)) as progress:
                report = await engine.apply_plan(
                    workspace, plan_to_apply, state, progress=progress, wait=not no_wait, note=progress.note
                )
            if plan_to_apply.moved:
                click.echo(f"Moved {len(plan_to_apply.moved)} address(es) in state, with no platform call.")
            if plan_to_apply.lifecycle:
                recorded = len(plan_to_apply.lifecycle)
                click.echo(f"Recorded {recorded} lifecycle rule(s) in state, with no platform call.")
            click.echo(render_apply_report(report, steps=False), nl=False)
            if report.failed:
                raise ApplyFailed(
                    f"{len(report.failed)} step(s) failed; every other step was applied and recorded in state"
                )
            if report.errors:
                raise ApplyFailed(
                    f"the platform reported {len(report.errors)} problem(s) after the steps (listed above); "
                    "every step was applied and recorded in state"
                )

    run(workspace, work)


def _open_saved(saved: PlanFile, where: str, scope: PlanScope, project: ProjectOptions) -> engine.Opened:
    """The project of an unedited saved plan, with the variables it was made with; its warnings printed."""
    engine.check_integrity(saved, where)
    if project.environment not in (None, saved.environment) or scope.targets or scope.replace:
        raise ReconcilerError(
            "a saved plan is applied with the environment, variables, targets and replacements it was "
            "made with",
            hint="drop --env, --target and --replace, or make a new plan with them",
        )
    variables = {**saved.variables, **_sensitive_again(saved, project.variables)}
    workspace = engine.open_saved(
        Path(saved.project_dir), saved.manifest_digest, bool(saved.warnings), variables, saved.environment
    )
    warn(workspace)
    return workspace


def _sensitive_again(saved: PlanFile, given: dict[str, Any]) -> dict[str, Any]:
    """The sensitive variables a saved plan was made with, given again (the file holds no value of them);
    no other variable may be given."""
    others = sorted(set(given) - set(saved.sensitive_variables))
    if others:
        raise ReconcilerError(
            "a saved plan is applied with the variables it was made with: "
            f"{', '.join(others)} cannot be given",
            hint="give only the sensitive variables of the plan with --var or --var-file, or make a new plan",
        )
    missing = [n for n in saved.sensitive_variables if n not in given]
    if missing:
        raise ReconcilerError(
            f"the plan was made with the sensitive variable(s) {', '.join(missing)}, whose values a plan "
            "file does not keep",
            hint="give them again with --var NAME=VALUE or --var-file FILE (the same values as for the plan)",
        )
    return given


def _confirm() -> bool:
    click.echo("\nDo you want to apply these changes? Only 'yes' will be accepted.")
    try:
        answer = click.prompt("  Enter a value", default="", show_default=False)
    except click.Abort:
        return False
    return str(answer).strip() == "yes"
