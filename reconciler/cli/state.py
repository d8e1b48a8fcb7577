"""`reconciler state …` and `reconciler force-unlock`: look at and edit the state without touching any
platform."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any, cast

import click

from reconciler import engine
from reconciler.cli.common import F, env_option, notice
from reconciler.errors import ReconcilerError
from reconciler.state import StateBackend
from reconciler.state import edit as state_edit


def project_state(command: F) -> F:
    """DIRECTORY and --env, given to the command as the project's state backend `backend`."""

    @functools.wraps(command)
    def with_state(*args: Any, directory: Path, environment: str | None, **kwargs: Any) -> Any:
        return command(*args, backend=engine.open_state(directory, environment), **kwargs)

    return click.argument("directory", type=click.Path(path_type=Path), default=".")(
        env_option(cast(F, with_state))
    )


@click.group()
def state() -> None:
    """Inspect and edit the state: which platform object each address manages."""


@state.command("list")
@project_state
def state_list(backend: StateBackend) -> None:
    """List managed addresses with their platform ids."""
    current = backend.read()
    for address, entry in sorted(current.resources.items()):
        click.echo(f"{address}\t{entry.id}")
    for address in sorted(current.pending):
        click.echo(f"{address}\t(create under way or interrupted)")


@state.command("show")
@click.argument("address")
@project_state
def state_show(address: str, backend: StateBackend) -> None:
    """Show one managed address: id, parent and the attributes last applied."""
    current = backend.read()
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
@env_option
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
@project_state
def state_mv(source: str, target: str, backend: StateBackend) -> None:
    """Give a managed object a new address, as a `moved:` entry does: the entry and everything below it
    (by parent links) whose address starts with SOURCE. Refused when TARGET is already in state."""
    renamed = state_edit.move(backend, source, target, notice)
    for old, new in renamed.items():
        click.echo(f"  moved {old} → {new}")
    click.echo(f"Moved {len(renamed)} address(es) in state; nothing changed on the platforms.")


@click.command("force-unlock")
@click.argument("lock_id")
@project_state
def force_unlock(lock_id: str, backend: StateBackend) -> None:
    """Release the state lock LOCK_ID (printed when a run finds the state locked) left by a run that is gone.

    Only for a run that will not come back: a run still going on would go on as if it held the lock."""
    click.echo(backend.force_unlock(lock_id))
