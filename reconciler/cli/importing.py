"""`reconciler import`: manifests and state entries for live objects no state manages."""

from __future__ import annotations

from pathlib import Path

import click

from reconciler import engine
from reconciler.cli.common import ProjectOptions, project_options, run
from reconciler.errors import ReconcilerError
from reconciler.manifest.paths import symlink_below
from reconciler.providers.base import ImportFilters
from reconciler.registry import PLATFORMS


@click.command("import")
@click.argument("platform", type=click.Choice(sorted(PLATFORMS)))
@click.argument("directory", type=click.Path(path_type=Path), default=".")
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    required=True,
    help="Directory inside the project for the new manifest files (never overwritten).",
)
@click.option(
    "--advertiser", "advertisers", multiple=True, metavar="ID", help="Every object of an advertiser."
)
@click.option(
    "--campaign", "campaigns", multiple=True, metavar="ID", help="A campaign with everything in it."
)
@click.option("--id", "ids", multiple=True, metavar="ID", help="One object (with its campaign when needed).")
@project_options
def import_(
    platform: str,
    directory: Path,
    out: Path,
    advertisers: tuple[str, ...],
    campaigns: tuple[str, ...],
    ids: tuple[str, ...],
    project: ProjectOptions,
) -> None:
    """Write manifests and state entries for live objects that no state manages (repeatable filters).

    Nothing on the platform changes; the next `reconciler plan` shows no changes for what was imported."""
    workspace = project.open(directory)
    link = symlink_below(workspace.project.root, out)
    if link is not None:
        raise ReconcilerError(
            f"--out {out}: {link} is a symlink; import never writes through one",
            hint="give a plain directory inside the project, e.g. --out imported",
        )
    engine.open_providers(workspace)
    filters = ImportFilters(advertisers=advertisers, campaigns=campaigns, ids=ids)
    report = run(
        workspace,
        lambda: engine.import_objects(
            workspace,
            platform,
            out,
            filters,
            lambda: engine.open_workspace(directory, project.variables, project.environment),
        ),
    )
    for found in report.objects:
        click.echo(f"  imported {found.address}  (id {found.id})")
    for path in report.files:
        click.echo(f"  wrote {path}")
    for note in report.skipped:
        click.echo(f"  skipped {note}", err=True)
    if not report.objects:
        click.echo(report.nothing(platform))
        return
    click.echo(
        f"Imported {len(report.objects)} object(s) into {out}. "
        "Run `reconciler plan`: it should show no changes for them."
    )
