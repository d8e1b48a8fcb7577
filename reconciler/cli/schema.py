"""`reconciler schema export`: the JSON Schemas of manifest, project and plan files."""

from __future__ import annotations

import json
from pathlib import Path

import click


@click.group()
def schema() -> None:
    """JSON Schemas of the manifest, project and plan files."""


@schema.command("export")
@click.option("--out", type=click.Path(path_type=Path), default=Path("schemas"), show_default=True)
def schema_export(out: Path) -> None:
    """Write the JSON Schemas (for editors and CI) into a directory."""
    from reconciler.schemas import all_schemas

    out.mkdir(parents=True, exist_ok=True)
    for name, document in all_schemas().items():
        (out / name).write_text(json.dumps(document, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        click.echo(f"wrote {out / name}")
