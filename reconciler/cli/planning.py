"""Commands that read and show: `validate`, `plan`, `show` and `render`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from reconciler import engine
from reconciler.cli.common import (
    FORMATS,
    PlanScope,
    ProjectOptions,
    no_color_option,
    project_options,
    refuse,
    run,
    scope_options,
    show_plan,
    warned_if_no_plan,
    write,
)
from reconciler.errors import ReconcilerError
from reconciler.model.redaction import redact_text


@click.command()
@click.argument("directory", type=click.Path(path_type=Path), default=".")
@project_options
def validate(directory: Path, project: ProjectOptions) -> None:
    """Check the project's manifests offline (no API call)."""
    loaded = project.open(directory).project
    click.echo(f"Valid: {len(loaded.resources)} resource(s) in {len(loaded.files)} manifest file(s).")


@click.command()
@click.argument("directory", type=click.Path(path_type=Path), default=".")
@click.option(
    "-o",
    "--out",
    type=click.Path(path_type=Path),
    help="Save the plan to this file for `apply` (with --format html: write the HTML report there instead).",
)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("--detailed-exitcode", is_flag=True, help="Exit 0 when there are no changes, 2 when there are.")
@no_color_option
@scope_options
@project_options
def plan(
    directory: Path,
    out: Path | None,
    fmt: str,
    detailed_exitcode: bool,
    no_color: bool,
    scope: PlanScope,
    project: ProjectOptions,
) -> None:
    """Show the changes that would make the platforms match the manifests."""
    workspace = project.open(directory, quiet=True)
    engine.open_providers(workspace)
    with warned_if_no_plan(workspace):
        result, broken = run(workspace, lambda: scope.plan(workspace))
    report = out if fmt == "html" else None
    out = None if fmt == "html" else out
    for written in (out, report):
        if written is not None:
            _check_plan_out(workspace, written)
    if broken:
        show_plan(result, fmt, no_color, into=report)
        refuse(broken)
    if out is not None:
        from reconciler.plan.io import plan_text  # the plan package loads only for commands that plan

        write(out, plan_text(result), "the plan")
    show_plan(result, fmt, no_color, out, into=report)
    if out is not None:
        click.echo(f"\nSaved the plan to {out}. Apply exactly it with: reconciler apply {out}", err=True)
    if detailed_exitcode and result.has_changes:
        sys.exit(2)


def _check_plan_out(workspace: engine.Workspace, out: Path) -> None:
    """`plan -o FILE` writes a new plan file, never over the project's own files nor through a symlink."""
    project = workspace.project
    own = {p.resolve() for p in [project.root / "reconciler.yaml", *project.files]}
    own |= {(project.root / name).resolve() for name in project.config.var_files}
    if out.is_symlink() or out.resolve() in own:
        raise ReconcilerError(
            f"refusing to write the plan to {out}: it is "
            + ("a symlink" if out.is_symlink() else "a file of the project (a manifest or reconciler.yaml)"),
            hint="save the plan elsewhere, e.g. -o plan.json outside the manifests",
        )


@click.command()
@click.argument("planfile", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("-o", "--out", type=click.Path(path_type=Path), help="Write to this file instead of stdout.")
@no_color_option
def show(planfile: Path, fmt: str, out: Path | None, no_color: bool) -> None:
    """Show a saved plan file (`--format html -o plan.html`: the HTML report with the flight timeline)."""
    from reconciler.plan.io import read_plan

    show_plan(read_plan(planfile), fmt, no_color, planfile, into=out)


@click.command()
@click.argument("directory", type=click.Path(path_type=Path), default=".")
@project_options
def render(directory: Path, project: ProjectOptions) -> None:
    """Print the manifests the `*.yaml.j2` templates render to, each with its template and item."""
    workspace = project.open(directory)
    for manifest in workspace.project.rendered:
        if (
            manifest.template == manifest.label
            and manifest.instance is None
            and manifest.label.endswith(".yaml")
        ):
            continue  # a plain manifest: printed as it is in the project
        item = f", item {manifest.instance}" if manifest.instance is not None else ""
        click.echo(f"---\n# rendered from {manifest.template}{item}")
        text = redact_text(manifest.text.lstrip("\n"), workspace.project.sensitive)
        click.echo(text, nl=not text.endswith("\n"))
