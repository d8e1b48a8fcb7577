"""`reconciler state …` and `reconciler force-unlock`: look at and edit the state without touching any
platform."""

from __future__ import annotations

import json
from pathlib import Path

import click

from reconciler import engine
from reconciler.cli.common import notice
from reconciler.errors import ReconcilerError
from reconciler.state import edit as state_edit


@click.group()
def state() -> None:
    """Inspect and edit the state: which platform object each address manages."""


@state.command("list")
@click.argument("directory", type=click.Path(path_type=Path), default=".")
@click.option("--env", "environment", help="The environment of reconciler.yaml to use.")
def state_list(directory: Path, environment: str | None) -> None:
    """List managed addresses with their platform ids."""
    current = engine.open_state(directory, environment).read()
    for address, entry in sorted(current.resources.items()):
        click.echo(f"{address}\t{entry.id}")
    for address in sorted(current.pending):
        click.echo(f"{address}\t(create under way or interrupted)")


@state.command("show")
@click.argument("address")
@click.argument("directory", type=click.Path(path_type=Path), default=".")
@click.option("--env", "environment", help="The environment of reconciler.yaml to use.")
def state_show(address: str, directory: Path, environment: str | None) -> None:
    """Show one managed address: id, parent and the attributes last applied."""
    current = engine.open_state(directory, environment).read()
    entry = current.resources.get(address)
    if entry is None:
        raise ReconcilerError(
            f"{address} is not in state", hint="run `reconciler state list` to see addresses"
        )
    failed = current.failed.get(address)
    shown = {"address": address, **entry.model_dump(), **({"failed": failed.model_dump()} if failed else {})}
    click.echo(json.dumps(shown, indent=2))


@state.command("rm")
@click.argument("arguments", nargs=-1, required=True, metavar="ADDRESS... [DIRECTORY]")
@click.option("--env", "environment", help="The environment of reconciler.yaml to use.")
def state_rm(arguments: tuple[str, ...], environment: str | None) -> None:
    """Stop managing addresses, each with everything below it (by parent links); the platforms are not
    touched. The last argument is the project directory when it is one."""
    directory = Path(".")
    if len(arguments) > 1 and Path(arguments[-1]).is_dir():
        directory, arguments = Path(arguments[-1]), arguments[:-1]
    gone = state_edit.remove(engine.open_state(directory, environment), arguments, notice)
    for address in gone:
        click.echo(f"  removed {address}" + ("" if address in arguments else "  (below a removed address)"))
    click.echo(
        f"Removed {len(gone)} address(es) from state; nothing changed on the platforms. If the manifests "
        "still declare them, the next plan creates new objects: remove them from the manifests too."
    )


@state.command("mv")
@click.argument("source")
@click.argument("target")
@click.argument("directory", type=click.Path(path_type=Path), default=".")
@click.option("--env", "environment", help="The environment of reconciler.yaml to use.")
def state_mv(source: str, target: str, directory: Path, environment: str | None) -> None:
    """Give a managed object a new address, as a `moved:` entry does: the entry and everything below it
    (by parent links) whose address starts with SOURCE. Refused when TARGET is already in state."""
    renamed = state_edit.move(engine.open_state(directory, environment), source, target, notice)
    for old, new in renamed.items():
        click.echo(f"  moved {old} → {new}")
    click.echo(f"Moved {len(renamed)} address(es) in state; nothing changed on the platforms.")


@click.command("force-unlock")
@click.argument("lock_id")
@click.argument("directory", type=click.Path(path_type=Path), default=".")
@click.option("--env", "environment", help="The environment of reconciler.yaml to use.")
def force_unlock(lock_id: str, directory: Path, environment: str | None) -> None:
    """Release the state lock LOCK_ID (printed when a run finds the state locked) left by a run that is gone.

    Only for a run that will not come back: a run still going on would go on as if it held the lock."""
    click.echo(engine.open_state(directory, environment).force_unlock(lock_id))
