"""The `reconciler` command line: parses arguments, calls the engine and renderers, maps errors to exit codes.

Exit codes: 0 success (and, with --detailed-exitcode, no changes); 1 error; 2 changes present
(`plan --detailed-exitcode` only).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import secrets
import sys
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from reconciler import engine
from reconciler.errors import ApplyFailed, PolicyViolated, ReconcilerError, ValidationFailed
from reconciler.manifest.paths import symlink_below
from reconciler.manifest.variables import parse_var, read_var, read_var_file
from reconciler.model import Diagnostic
from reconciler.model.redaction import redact_text
from reconciler.plan import PlanFile
from reconciler.plan.io import plan_text, read_plan
from reconciler.providers.base import ImportFilters
from reconciler.registry import PLATFORMS
from reconciler.render import render_apply_report, render_html, render_json, render_markdown, render_text
from reconciler.render.progress import apply_progress
from reconciler.state import edit as state_edit

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])
FORMATS = ("text", "markdown", "json", "html")


def colour_wanted(no_color: bool) -> bool:
    """Colour on a terminal, unless --no-color or the NO_COLOR environment variable (no-color.org) says no."""
    return not no_color and not os.environ.get("NO_COLOR") and sys.stdout.isatty()


def _write(path: Path, text: str, what: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ReconcilerError(f"cannot write {what} to {path}: {exc.strerror}") from None


def _show_plan(
    plan: PlanFile, fmt: str, no_color: bool, saved_to: Path | None = None, into: Path | None = None
) -> None:
    """Print a plan (or write it `into` a file): text (coloured on a terminal unless --no-color or
    NO_COLOR), markdown, json or the self-contained HTML report."""
    if fmt == "html":
        text = render_html(plan)
    elif fmt == "markdown":
        text = render_markdown(plan, full_plan=str(saved_to) if saved_to else None)
    elif fmt == "json":
        text = render_json(plan)
    else:
        text = render_text(plan, color=colour_wanted(no_color) and into is None)
    if into is not None:
        _write(into, text, f"the {fmt} plan")
        click.echo(f"Wrote the {fmt} plan to {into}.", err=True)
        return
    click.echo(text, nl=False)


def allow_retire_option(command: F) -> F:
    return click.option(
        "--allow-retire", is_flag=True, help="Allow retirements when `policy: retire` requires this flag."
    )(command)


def target_option(command: F) -> F:
    command = click.option(
        "--replace",
        "replace",
        multiple=True,
        metavar="ADDRESS",
        help="Create again this managed object, which the platform no longer has (repeatable; globs).",
    )(command)
    return click.option(
        "--target",
        "targets",
        multiple=True,
        metavar="ADDRESS",
        help="Plan only this address (repeatable; globs like 'PLATFORM.KIND.campaign/*'), plus the creates "
        "of its parents.",
    )(command)


def _refuse(broken: list[str]) -> None:
    if broken:
        raise PolicyViolated(f"the plan breaks {len(broken)} policy rule(s):\n  " + "\n  ".join(broken))


def no_color_option(command: F) -> F:
    return click.option(
        "--no-color",
        is_flag=True,
        help="Plain text even on a terminal (as the NO_COLOR variable does).",
    )(command)


def _run(workspace: engine.Workspace, work: Callable[[], Awaitable[T]]) -> T:
    async def runner() -> T:
        try:
            return await work()
        finally:
            await workspace.aclose()

    return asyncio.run(runner())


def _open(
    directory: Path, variables: dict[str, Any], environment: str | None, quiet: bool = False
) -> engine.Workspace:
    """The validated project (no API call), its warnings printed to stderr (`quiet`: not now, because the
    plan shown carries them; see `_warned_if_no_plan`)."""
    workspace = engine.open_workspace(directory, variables, environment)
    for warning in [] if quiet else workspace.warnings:
        click.echo(str(warning), err=True)
    return workspace


@contextmanager
def _warned_if_no_plan(workspace: engine.Workspace) -> Iterator[None]:
    """Around making a plan: when it fails, the project's warnings (which the plan would have shown) go to
    stderr with the error."""
    try:
        yield
    except ReconcilerError:
        for warning in workspace.warnings:
            click.echo(str(warning), err=True)
        raise


def _parse_var(_: click.Context, __: click.Parameter, values: tuple[str, ...]) -> dict[str, Any]:
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


def project_options(command: F) -> F:
    """--env, --var-file and --var: the environment, and template variables given on the command line."""
    command = click.option(
        "--var",
        "cli_vars",
        multiple=True,
        metavar="NAME=VALUE",
        callback=_parse_var,
        help="A template variable (repeatable; the value is read as YAML: 100 is a number).",
    )(command)
    command = click.option(
        "--var-file",
        "var_files",
        multiple=True,
        type=click.Path(path_type=Path),
        help="A YAML file of template variables (repeatable; later files win, --var wins over them).",
    )(command)
    return click.option("--env", "environment", help="The environment of reconciler.yaml to use.")(command)


def _variables(var_files: tuple[Path, ...], cli_vars: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for path in var_files:
        found, errors = read_var_file(path, str(path))
        if errors:
            raise ValidationFailed(errors)
        values.update(found)
    return {**values, **cli_vars}


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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


@cli.command()
@click.argument("directory", type=click.Path(path_type=Path), default=".")
@project_options
def validate(
    directory: Path, environment: str | None, var_files: tuple[Path, ...], cli_vars: dict[str, Any]
) -> None:
    """Check the project's manifests offline (no API call)."""
    workspace = _open(directory, _variables(var_files, cli_vars), environment)
    project = workspace.project
    click.echo(f"Valid: {len(project.resources)} resource(s) in {len(project.files)} manifest file(s).")


@cli.command()
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
@allow_retire_option
@target_option
@project_options
def plan(
    directory: Path,
    out: Path | None,
    fmt: str,
    detailed_exitcode: bool,
    no_color: bool,
    allow_retire: bool,
    targets: tuple[str, ...],
    replace: tuple[str, ...],
    environment: str | None,
    var_files: tuple[Path, ...],
    cli_vars: dict[str, Any],
) -> None:
    """Show the changes that would make the platforms match the manifests."""
    workspace = _open(directory, _variables(var_files, cli_vars), environment, quiet=True)
    engine.open_providers(workspace)
    with _warned_if_no_plan(workspace):
        result, broken = _run(workspace, lambda: engine.make_plan(workspace, targets, allow_retire, replace))
    report = out if fmt == "html" else None
    out = None if fmt == "html" else out
    for written in (out, report):
        if written is not None:
            _check_plan_out(workspace, written)
    if broken:
        _show_plan(result, fmt, no_color, into=report)
        _refuse(broken)
    if out is not None:
        _write(out, plan_text(result), "the plan")
    _show_plan(result, fmt, no_color, out, into=report)
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


@cli.command()
@click.argument("target", type=click.Path(path_type=Path), default=".")
@click.option("--auto-approve", is_flag=True, help="Apply without asking for confirmation.")
@click.option(
    "--no-wait",
    is_flag=True,
    help="Do not wait for the platforms' asynchronous processing (asset uploads) after the steps.",
)
@no_color_option
@allow_retire_option
@target_option
@project_options
def apply(
    target: Path,
    auto_approve: bool,
    no_wait: bool,
    no_color: bool,
    allow_retire: bool,
    targets: tuple[str, ...],
    replace: tuple[str, ...],
    environment: str | None,
    var_files: tuple[Path, ...],
    cli_vars: dict[str, Any],
) -> None:
    """Apply a project directory (plans, asks, applies) or exactly a saved plan file.

    A saved plan is applied with the environment and variables it was made with, and only when its digest
    matches (an edited plan is refused; with RECONCILER_PLAN_KEY, only a plan signed with that key)."""
    saved = read_plan(target) if target.is_file() else None
    directory = Path(saved.project_dir) if saved else target
    if saved is not None:
        engine.check_integrity(saved, str(target))
        if environment not in (None, saved.environment) or targets or replace:
            raise ReconcilerError(
                "a saved plan is applied with the environment, variables, targets and replacements it was "
                "made with",
                hint="drop --env, --target and --replace, or make a new plan with them",
            )
        variables = {**saved.variables, **_sensitive_again(saved, _variables(var_files, cli_vars))}
        environment = saved.environment
    else:
        variables = _variables(var_files, cli_vars)
    workspace = _open(directory, variables, environment, quiet=saved is None)
    engine.open_providers(workspace)

    async def work() -> None:
        with workspace.backend.lock("apply", notice=_notice):
            state = workspace.backend.read()
            if saved is not None:
                await engine.check_fresh(workspace, saved, state)
                plan_to_apply = saved
                broken, warned = engine.check_policy(workspace, plan_to_apply, allow_retire)
                for warning in warned:
                    click.echo(f"warning: {warning}", err=True)
                _refuse(broken)
            else:
                with _warned_if_no_plan(workspace):
                    plan_to_apply, broken = await engine.make_plan(workspace, targets, allow_retire, replace)
                _show_plan(plan_to_apply, "text", no_color)
                _refuse(broken)
                if plan_to_apply.has_changes and not auto_approve and not _confirm():
                    raise ReconcilerError("apply cancelled; nothing was changed")
            if not plan_to_apply.has_changes:
                click.echo("Nothing to apply.")
                return
            verbs = [op.verb for op in plan_to_apply.operations]
            with apply_progress(verbs, click.echo, _terminal(), color=colour_wanted(no_color)) as progress:
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

    _run(workspace, work)


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


def _terminal() -> bool:
    """Whether the live display can draw: stdout is a terminal that is not `dumb`."""
    return sys.stdout.isatty() and os.environ.get("TERM") != "dumb"


def _notice(text: str) -> None:
    click.echo(text, err=True)


def _confirm() -> bool:
    click.echo("\nDo you want to apply these changes? Only 'yes' will be accepted.")
    try:
        answer = click.prompt("  Enter a value", default="", show_default=False)
    except click.Abort:
        return False
    return str(answer).strip() == "yes"


@cli.command()
@click.argument("planfile", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("-o", "--out", type=click.Path(path_type=Path), help="Write to this file instead of stdout.")
@no_color_option
def show(planfile: Path, fmt: str, out: Path | None, no_color: bool) -> None:
    """Show a saved plan file (`--format html -o plan.html`: the HTML report with the flight timeline)."""
    _show_plan(read_plan(planfile), fmt, no_color, planfile, into=out)


@cli.command()
@click.argument("directory", type=click.Path(path_type=Path), default=".")
@project_options
def render(
    directory: Path, environment: str | None, var_files: tuple[Path, ...], cli_vars: dict[str, Any]
) -> None:
    """Print the manifests the `*.yaml.j2` templates render to, each with its template and item."""
    workspace = _open(directory, _variables(var_files, cli_vars), environment)
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


@cli.command("import")
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
    environment: str | None,
    var_files: tuple[Path, ...],
    cli_vars: dict[str, Any],
) -> None:
    """Write manifests and state entries for live objects that no state manages (repeatable filters).

    Nothing on the platform changes; the next `reconciler plan` shows no changes for what was imported."""
    variables = _variables(var_files, cli_vars)
    workspace = _open(directory, variables, environment)
    link = symlink_below(workspace.project.root, out)
    if link is not None:
        raise ReconcilerError(
            f"--out {out}: {link} is a symlink; import never writes through one",
            hint="give a plain directory inside the project, e.g. --out imported",
        )
    engine.open_providers(workspace)
    filters = ImportFilters(advertisers=advertisers, campaigns=campaigns, ids=ids)
    report = _run(
        workspace,
        lambda: engine.import_objects(
            workspace,
            platform,
            out,
            filters,
            lambda: engine.open_workspace(directory, variables, environment),
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


@cli.group()
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
    gone = state_edit.remove(engine.open_state(directory, environment), arguments, _notice)
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
    renamed = state_edit.move(engine.open_state(directory, environment), source, target, _notice)
    for old, new in renamed.items():
        click.echo(f"  moved {old} → {new}")
    click.echo(f"Moved {len(renamed)} address(es) in state; nothing changed on the platforms.")


@cli.command("force-unlock")
@click.argument("lock_id")
@click.argument("directory", type=click.Path(path_type=Path), default=".")
@click.option("--env", "environment", help="The environment of reconciler.yaml to use.")
def force_unlock(lock_id: str, directory: Path, environment: str | None) -> None:
    """Release the state lock LOCK_ID (printed when a run finds the state locked) left by a run that is gone.

    Only for a run that will not come back: a run still going on would go on as if it held the lock."""
    click.echo(engine.open_state(directory, environment).force_unlock(lock_id))


@cli.command("auth")
@click.argument("platform")
@click.argument("directory", type=click.Path(path_type=Path), default=".")
@click.option(
    "--code", help="The authorization code, or the whole URL you were redirected to (instead of a prompt)."
)
def auth(platform: str, directory: Path, code: str | None) -> None:
    """Authorize a third-party OAuth app of PLATFORM (AppLovin): print the authorization URL, take the
    code, store the refresh token outside the project.

    Open the URL, consent, and paste the `code` parameter of the page the platform redirects to (or that
    page's whole URL). With `endpoint: sandbox` the embedded sandbox consents at once; a served sandbox
    redirects your browser to `redirect_uri?code=...&state=...` (copy the code from the address bar).
    """
    tokens = engine.login(directory, platform)
    title = PLATFORMS[platform].title
    state_value = secrets.token_hex(10)

    async def work() -> Path:
        try:
            url = tokens.authorization_url(state_value)
            click.echo(f"Open this URL, sign in to {title} and allow access:\n\n  {url}\n")
            if code is not None:
                answer = code
            elif tokens.embedded:
                answer = await tokens.consent_in_sandbox(url)
                click.echo("The embedded sandbox consented.")
            else:
                answer = click.prompt("Paste the `code` from the page you were sent to (or its whole URL)")
            path: Path = await tokens.authorize(tokens.code_from_redirect(answer, state_value))
            return path
        finally:
            await tokens.aclose()

    path = asyncio.run(work())
    click.echo(f"Stored the {title} refresh token in {path} (mode 0600); every run replaces it.")


@cli.group()
def sandbox() -> None:
    """The embedded emulator of the platform APIs."""


@sandbox.command("serve")
@click.option("--port", type=int, default=8080, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option(
    "--db", type=click.Path(path_type=Path), default=Path(".reconciler/sandbox.sqlite"), show_default=True
)
@click.option(
    "--rate-limit",
    type=click.IntRange(min=1),
    default=250,
    show_default=True,
    help="Criteo calls a minute per client before 429 (announced in x-ratelimit-* headers).",
)
@click.option(
    "--token-ttl",
    type=click.IntRange(min=1),
    default=900,
    show_default=True,
    help="Criteo: lifetime of an access token in seconds.",
)
@click.option("--latency-ms", type=click.IntRange(min=0), default=0, help="Fault: delay added to every call.")
@click.option(
    "--fail-share",
    type=click.FloatRange(0, 1),
    default=0.0,
    help="Fault: share of calls refused with 503 before anything is done.",
)
@click.option(
    "--lose-share",
    type=click.FloatRange(0, 1),
    default=0.0,
    help="Fault: share of calls carried out whose answer is lost (504).",
)
@click.option(
    "--faults-only", default="", metavar="REGEX", help="Fault: only calls whose `METHOD path` matches."
)
@click.option(
    "--applovin-asset-delay",
    type=click.FloatRange(min=0),
    default=0.0,
    help="AppLovin: seconds an uploaded asset stays `processing`.",
)
@click.option(
    "--applovin-asset-error-share",
    type=click.FloatRange(0, 1),
    default=0.0,
    help="AppLovin: share of uploaded assets that end in `error`.",
)
@click.option(
    "--amazon-default-target-delay",
    type=click.FloatRange(min=0),
    default=0.0,
    metavar="SECONDS",
    help="Amazon DSP: seconds before a new ad group's default targets show in /targets/list.",
)
def sandbox_serve(
    port: int,
    host: str,
    db: Path,
    rate_limit: int,
    token_ttl: int,
    latency_ms: int,
    fail_share: float,
    lose_share: float,
    faults_only: str,
    applovin_asset_delay: float,
    applovin_asset_error_share: float,
    amazon_default_target_delay: float,
) -> None:
    """Serve the sandbox over HTTP: Criteo under /criteo, Amazon DSP under /amazon-dsp and AppLovin under
    /applovin (each platform's base URL is http://HOST:PORT/<prefix>); seeded ids at /_sandbox/fixtures.
    With -vv, every request is logged (method, path, status, milliseconds)."""
    from reconciler.sandbox import Faults, SandboxSettings
    from reconciler.sandbox.server import banner, serve

    db.parent.mkdir(parents=True, exist_ok=True)
    faults = Faults(latency=latency_ms / 1000, fail_share=fail_share, lose_share=lose_share, only=faults_only)
    settings = SandboxSettings(
        rate_limit_per_minute=rate_limit,
        token_ttl_seconds=token_ttl,
        faults=faults,
        applovin_asset_delay_seconds=applovin_asset_delay,
        applovin_asset_error_share=applovin_asset_error_share,
        amazon_default_target_delay_seconds=amazon_default_target_delay,
    )
    click.echo(banner(host, port), err=True)
    serve(port, db, host=host, settings=settings)


@cli.group()
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


def main() -> None:
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
    sys.exit(0)
