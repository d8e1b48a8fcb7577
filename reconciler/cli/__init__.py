"""The `reconciler` command line: parses arguments, calls the engine and renderers, maps errors to exit codes.

Exit codes: 0 success (and, with --detailed-exitcode, no changes); 1 error; 2 changes present
(`plan --detailed-exitcode` only). Each command lives in its own module, imported only when it runs, so
`reconciler --version` and `validate` load no HTTP client, sandbox or database driver.
"""

from __future__ import annotations

import gc
import importlib
import logging
import sys

import click

from reconciler.errors import ReconcilerError

COMMANDS = {
    "validate": "planning:validate",
    "plan": "planning:plan",
    "show": "planning:show",
    "render": "planning:render",
    "apply": "applying:apply",
    "import": "importing:import_",
    "state": "state:state",
    "force-unlock": "state:force_unlock",
    "auth": "auth:auth",
    "sandbox": "sandbox:sandbox",
    "schema": "schema:schema",
}


class LazyGroup(click.Group):
    """A group whose commands are imported when one is used (or when `--help` lists them)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        where = COMMANDS.get(name)
        if where is None:
            return None
        module, _, attribute = where.partition(":")
        command: click.Command = getattr(importlib.import_module(f"reconciler.cli.{module}"), attribute)
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="campaign-reconciler")
@click.option("-v", "--verbose", count=True, help="Log to stderr: -v retries, -vv every call.")
def cli(verbose: int) -> None:
    """Campaign-as-code: plan and apply advertising campaigns described in YAML."""
    if verbose:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        logger = logging.getLogger("reconciler")
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG if verbose > 1 else logging.INFO)


GC_THRESHOLDS = (100_000, 50, 100)
"""A command builds large trees that live until it ends (manifests, state, live objects, the plan): with
CPython's default thresholds (700, 10, 10) the collector walks them again and again (a fifth of a no-op
plan's CPU time at 10,000 resources); collecting young objects every 100,000 allocations keeps cycles
bounded at a few MB."""


def main() -> None:
    gc.set_threshold(*GC_THRESHOLDS)
    # httpx imports its own command-line tool (rich, click, pygments: ~0.1 s) when they are installed;
    # reconciler never runs it, and httpx falls back to a stub when the import fails.
    sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
    try:
        cli.main(standalone_mode=False)
    except ReconcilerError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(1)
    finally:
        # The command is over: the interpreter's last collections skip its objects (the trees above), which
        # they would otherwise walk once more on the way out (~0.1 s after an apply).
        gc.freeze()
    sys.exit(0)


def colour_wanted(no_color: bool) -> bool:
    """Colour on a terminal, unless --no-color or NO_COLOR says no (see `common.colour_wanted`)."""
    from reconciler.cli.common import colour_wanted as wanted

    return wanted(no_color)
