"""`reconciler sandbox serve`: the emulators of the registered platforms on a real port. The common options
(port, database, faults) are here; each emulator adds its own (its `OPTIONS`, e.g. `--rate-limit`),
so a new platform's knobs appear without editing this module."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from reconciler.registry import PLATFORMS


@click.group()
def sandbox() -> None:
    """The embedded emulator of the platform APIs."""


def _emulators() -> list[Any]:
    return [p.emulator for p in PLATFORMS.values()]


def _platform_options(command: Any) -> Any:
    for emulator in _emulators():
        for option in emulator.OPTIONS:
            kind = click.IntRange if option.kind is int else click.FloatRange
            defaults = emulator.Settings()
            command = click.option(
                option.flag,
                f"{emulator.PLATFORM}__{option.field}",
                type=kind(min=option.low, max=option.high),
                default=getattr(defaults, option.field),
                show_default=True,
                help=option.help,
            )(command)
    return command


def _serve_help() -> str:
    prefixes = ", ".join(f"{p.title} under {p.prefix}" for p in PLATFORMS.values())
    return (
        f"Serve the sandbox over HTTP: {prefixes} (each platform's base URL is http://HOST:PORT/<prefix>); "
        "seeded ids at /_sandbox/fixtures. With -vv, every request is logged (method, path, status, "
        "milliseconds)."
    )


@sandbox.command("serve", help=_serve_help())
@click.option("--port", type=int, default=8080, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option(
    "--db", type=click.Path(path_type=Path), default=Path(".reconciler/sandbox.sqlite"), show_default=True
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
    "--faults-seed", type=int, default=0, show_default=True, help="Fault: seed of the random draws."
)
@_platform_options
def serve(
    port: int,
    host: str,
    db: Path,
    latency_ms: int,
    fail_share: float,
    lose_share: float,
    faults_only: str,
    faults_seed: int,
    **platform_options: Any,
) -> None:
    from reconciler.sandbox import Faults, SandboxSettings
    from reconciler.sandbox.server import banner
    from reconciler.sandbox.server import serve as run_server

    db.parent.mkdir(parents=True, exist_ok=True)
    faults = Faults(
        latency=latency_ms / 1000,
        fail_share=fail_share,
        lose_share=lose_share,
        only=faults_only,
        seed=faults_seed,
    )
    settings = SandboxSettings(faults=faults)
    for emulator in _emulators():
        own = settings.of(emulator.PLATFORM, emulator.Settings)
        for option in emulator.OPTIONS:
            setattr(own, option.field, platform_options[f"{emulator.PLATFORM}__{option.field}"])
    mounted = _emulators()
    click.echo(banner(host, port, mounted), err=True)
    run_server(port, db, host=host, settings=settings, mounted=mounted)
