"""The sandbox ASGI application: mounts each emulated platform under its path prefix (`/criteo`,
`/amazon-dsp`, `/applovin`), logs every platform request in SQLite, injects the configured faults,
and serves the `/_sandbox/...` endpoints that tests and examples use to inspect and steer the
emulators.

An emulator is a package exposing `PLATFORM` (its name), `PREFIX` (its mount path), `TITLE` (the
platform's name for people), `AUTH` (its token endpoint under `PREFIX`), `seed(tx)`,
`fixtures()`, `routes(store, settings)` (mounted under `PREFIX`) and `control_routes(store, settings)`
(mounted under `/_sandbox` + `PREFIX`, for steering it in tests). Adding one is one line in `EMULATORS`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from types import ModuleType

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from reconciler.sandbox import amazon_dsp, applovin, criteo
from reconciler.sandbox.faults import FaultInjector
from reconciler.sandbox.settings import SandboxSettings
from reconciler.sandbox.store import Store

EMULATORS: Sequence[ModuleType] = (criteo, applovin, amazon_dsp)
"""Every emulated platform (see the module docstring for what each provides)."""

PLATFORMS: Mapping[str, str] = {e.PREFIX: e.PLATFORM for e in EMULATORS}
"""Path prefix → platform name, for every emulated platform."""


class RequestLog:
    """ASGI middleware: record method, path and status of every request that reaches a platform."""

    def __init__(self, app: ASGIApp, store: Store, settings: SandboxSettings) -> None:
        self.app = app
        self.store = store
        self.settings = settings

    def _platform(self, path: str) -> str | None:
        for prefix, name in PLATFORMS.items():
            if path == prefix or path.startswith(prefix + "/"):
                return name
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        platform = self._platform(str(scope.get("path", ""))) if scope["type"] == "http" else None
        if platform is None:
            await self.app(scope, receive, send)
            return
        status = 500

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            with self.store.transaction() as tx:
                tx.log_request(
                    platform, str(scope["method"]), str(scope["path"]), status, self.settings.clock()
                )


def create_app(db_path: str | Path, settings: SandboxSettings | None = None) -> Starlette:
    """The sandbox app over one SQLite file (created and seeded on first use)."""
    settings = settings or SandboxSettings()
    store = Store(Path(db_path), seeders={e.PLATFORM: e.seed for e in EMULATORS})

    async def fixtures(request: Request) -> Response:
        with store.transaction():
            pass
        return JSONResponse({e.PLATFORM: e.fixtures() for e in EMULATORS})

    async def requests(request: Request) -> Response:
        with store.transaction() as tx:
            if request.method == "DELETE":
                tx.conn.execute("DELETE FROM requests")
            logged = tx.requests()
        return JSONResponse(
            {
                "requests": [
                    {"platform": r.platform, "method": r.method, "path": r.path, "status": r.status}
                    for r in logged
                ]
            }
        )

    routes = [
        Route("/_sandbox/fixtures", fixtures, methods=["GET"]),
        Route("/_sandbox/requests", requests, methods=["GET", "DELETE"]),
        *(Mount("/_sandbox" + e.PREFIX, routes=e.control_routes(store, settings)) for e in EMULATORS),
        *(Mount(e.PREFIX, routes=e.routes(store, settings)) for e in EMULATORS),
    ]
    middleware = [
        Middleware(RequestLog, store=store, settings=settings),
        Middleware(FaultInjector, faults=settings.faults, prefixes=tuple(PLATFORMS)),
    ]
    app = Starlette(routes=routes, middleware=middleware)
    app.state.store = store
    app.state.settings = settings
    return app
