"""What the commands share: options (project, targets, colour), opening a project, running its async work,
showing a plan in a format, and printing to stderr."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click

from reconciler import engine
from reconciler.errors import PolicyViolated, ReconcilerError, ValidationFailed
from reconciler.model import Diagnostic

if TYPE_CHECKING:
    from reconciler.plan import PlanFile

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])
FORMATS = ("text", "markdown", "json", "html")


def colour_wanted(no_color: bool) -> bool:
    """Colour on a terminal, unless --no-color or the NO_COLOR environment variable (no-color.org) says no."""
    return not no_color and not os.environ.get("NO_COLOR") and sys.stdout.isatty()


def write(path: Path, text: str, what: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ReconcilerError(f"cannot write {what} to {path}: {exc.strerror}") from None


def show_plan(
    plan: PlanFile, fmt: str, no_color: bool, saved_to: Path | None = None, into: Path | None = None
) -> None:
    """Print a plan (or write it `into` a file): text (coloured on a terminal unless --no-color or
    NO_COLOR), markdown, json or the self-contained HTML report."""
    from reconciler.render import render_html, render_json, render_markdown, render_text

    if fmt == "html":
        text = render_html(plan)
    elif fmt == "markdown":
        text = render_markdown(plan, full_plan=str(saved_to) if saved_to else None)
    elif fmt == "json":
        text = render_json(plan)
    else:
        text = render_text(plan, color=colour_wanted(no_color) and into is None)
    if into is not None:
        write(into, text, f"the {fmt} plan")
        click.echo(f"Wrote the {fmt} plan to {into}.", err=True)
        return
    click.echo(text, nl=False)


@dataclass(frozen=True)
class PlanScope:
    """What --target, --replace and --allow-retire ask of a plan."""

    targets: tuple[str, ...]
    replace: tuple[str, ...]
    allow_retire: bool

    def plan(self, workspace: engine.Workspace) -> Awaitable[tuple[PlanFile, list[str]]]:
        """The plan of the workspace within this scope, and the policy rules it breaks."""
        return engine.make_plan(workspace, self.targets, self.allow_retire, self.replace)


def scope_options(command: F) -> F:
    """--target, --replace and --allow-retire, given to the command as one `scope: PlanScope`."""

    @functools.wraps(command)
    def with_scope(
        *args: Any, targets: tuple[str, ...], replace: tuple[str, ...], allow_retire: bool, **kwargs: Any
    ) -> Any:
        return command(*args, scope=PlanScope(targets, replace, allow_retire), **kwargs)

    wrapped = click.option(
        "--replace",
        "replace",
        multiple=True,
        metavar="ADDRESS",
        help="Create again this managed object, which the platform no longer has (repeatable; globs).",
    )(cast(F, with_scope))
    wrapped = click.option(
        "--target",
        "targets",
        multiple=True,
        metavar="ADDRESS",
        help="Plan only this address (repeatable; globs like 'PLATFORM.KIND.campaign/*'), plus the creates "
        "of its parents.",
    )(wrapped)
    return click.option(
        "--allow-retire", is_flag=True, help="Allow retirements when `policy: retire` requires this flag."
    )(wrapped)


def refuse(broken: list[str]) -> None:
    if broken:
        raise PolicyViolated(f"the plan breaks {len(broken)} policy rule(s):\n  " + "\n  ".join(broken))


def no_color_option(command: F) -> F:
    return click.option(
        "--no-color",
        is_flag=True,
        help="Plain text even on a terminal (as the NO_COLOR variable does).",
    )(command)


def run(workspace: engine.Opened, work: Callable[[], Awaitable[T]]) -> T:
    """`work()` on an event loop. Its result is kept outside the main task: `asyncio.run` restores the SIGINT
    handler it installed, and Python then formats that handler, the task and its result (a plan of 10,000
    resources took half a second to format)."""
    import asyncio  # only the commands that reach a platform need an event loop

    done: list[T] = []

    async def runner() -> None:
        try:
            done.append(await work())
        finally:
            await workspace.aclose()

    asyncio.run(runner())
    return done[0]


def open_project(
    directory: Path, variables: dict[str, Any], environment: str | None, quiet: bool = False
) -> engine.Workspace:
    """The validated project (no API call), its warnings printed to stderr (`quiet`: not now, because the
    plan shown carries them; see `warned_if_no_plan`)."""
    workspace = engine.open_workspace(directory, variables, environment)
    if not quiet:
        warn(workspace)
    return workspace


def warn(workspace: engine.Opened) -> None:
    """The project's warnings, to stderr."""
    for warning in workspace.warnings:
        click.echo(str(warning), err=True)


@contextmanager
def warned_if_no_plan(workspace: engine.Workspace) -> Iterator[None]:
    """Around making a plan: when it fails, the project's warnings (which the plan would have shown) go to
    stderr with the error."""
    try:
        yield
    except ReconcilerError:
        for warning in workspace.warnings:
            click.echo(str(warning), err=True)
        raise


def _parse_var_option(_: click.Context, __: click.Parameter, values: tuple[str, ...]) -> dict[str, Any]:
    if not values:
        return {}
    from reconciler.manifest.variables import parse_var, read_var  # with the YAML loader, when given

    parsed: dict[str, Any] = {}
    problems: list[Diagnostic] = []
    for text in values:
        try:
            name, value = parse_var(text)
        except ValueError as exc:
            raise click.BadParameter(str(exc)) from None
        parsed[name], found = read_var(name, value)
        problems.extend(found)
    if problems:
        raise ValidationFailed(problems)
    return parsed


@dataclass(frozen=True)
class ProjectOptions:
    """What --env, --var-file and --var say: the environment and the template variables (--var wins)."""

    environment: str | None
    variables: dict[str, Any]

    def open(self, directory: Path, quiet: bool = False) -> engine.Workspace:
        """The validated project in `directory` (see `open_project`)."""
        return open_project(directory, self.variables, self.environment, quiet)


def project_options(command: F) -> F:
    """--env, --var-file and --var, given to the command as one `project: ProjectOptions`."""

    @functools.wraps(command)
    def with_project(
        *args: Any,
        environment: str | None,
        var_files: tuple[Path, ...],
        cli_vars: dict[str, Any],
        **kwargs: Any,
    ) -> Any:
        project = ProjectOptions(environment, _given_variables(var_files, cli_vars))
        return command(*args, project=project, **kwargs)

    wrapped = cast(F, with_project)
    wrapped = click.option(
        "--var",
        "cli_vars",
        multiple=True,
        metavar="NAME=VALUE",
        callback=_parse_var_option,
        help="A template variable (repeatable; the value is read as YAML: 100 is a number).",
    )(wrapped)
    wrapped = click.option(
        "--var-file",
        "var_files",
        multiple=True,
        type=click.Path(path_type=Path),
        help="A YAML file of template variables (repeatable; later files win, --var wins over them).",
    )(wrapped)
    return env_option(wrapped)


def env_option(command: F) -> F:
    return click.option("--env", "environment", help="The environment of reconciler.yaml to use.")(command)


def _given_variables(var_files: tuple[Path, ...], cli_vars: dict[str, Any]) -> dict[str, Any]:
    if not var_files:
        return dict(cli_vars)
    from reconciler.manifest.variables import read_var_file

    values: dict[str, Any] = {}
    for path in var_files:
        found, errors = read_var_file(path, str(path))
        if errors:
            raise ValidationFailed(errors)
        values.update(found)
    return {**values, **cli_vars}


def notice(text: str) -> None:
    """A line for people on stderr (notices, warnings, what was written)."""
    click.echo(text, err=True)


def terminal() -> bool:
    """Whether the live display can draw: stdout is a terminal that is not `dumb`."""
    return sys.stdout.isatty() and os.environ.get("TERM") != "dumb"
