"""Runs the sandbox on a real port with uvicorn (`reconciler sandbox serve`): the banner naming each
emulated platform's base URL, and a log line per request (method, path, status, milliseconds) on the
`reconciler.sandbox` logger at DEBUG (`reconciler -vv sandbox serve` shows them)."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import uvicorn
from starlette.types import ASGIApp, Receive, Scope, Send

from reconciler.sandbox.app import create_app
from reconciler.sandbox.common.asgi import StatusWatch
from reconciler.sandbox.settings import SandboxSettings

log = logging.getLogger("reconciler.sandbox")


def banner(host: str, port: int, emulators: Sequence[ModuleType]) -> str:
    """What the served sandbox says when it starts: every platform's base URL and token endpoint."""
    base = f"http://{host}:{port}"
    lines = [f"Sandbox on {base} (seeded ids: {base}/_sandbox/fixtures)"]
    width = max(len(e.TITLE) for e in emulators)
    for emulator in emulators:
        lines.append(
            f"  {emulator.TITLE:<{width}}  base URL {base}{emulator.PREFIX}"
            f"  (tokens: {base}{emulator.PREFIX}{emulator.AUTH})"
        )
    return "\n".join(lines)


class RequestTimer:
    """ASGI middleware: log every HTTP request with its status and duration."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        watch = StatusWatch(send)
        try:
            await self.app(scope, receive, watch)
        finally:
            elapsed = (time.perf_counter() - started) * 1000
            log.debug("%s %s %d %.1f ms", scope["method"], scope["path"], watch.status, elapsed)


def serve(
    port: int,
    db_path: Path,
    host: str = "127.0.0.1",
    settings: SandboxSettings | None = None,
    mounted: Sequence[ModuleType] | None = None,
) -> None:
    """Serve the sandbox (the `mounted` emulators) over `db_path` on host:port until interrupted."""
    app = RequestTimer(create_app(db_path, settings, mounted))
    uvicorn.run(app, host=host, port=port, log_level="warning")
