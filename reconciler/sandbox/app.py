"""The sandbox ASGI application: mounts each emulated platform under its path prefix, logs every platform
request in SQLite, injects the configured faults, and serves the `/_sandbox/...` endpoints that tests and
examples use to inspect and steer the emulators.

An emulator is a package exposing `PLATFORM` (its name), `PREFIX` (its mount path), `TITLE` (the
platform's name for people), `AUTH` (its token endpoint under `PREFIX`), `Settings` and `OPTIONS` (its
knobs and their `sandbox serve` options), `seed(tx)`, `fixtures()`, `routes(store, settings)` (mounted under
`PREFIX`) and `control_routes(store, settings)` (mounted under `/_sandbox` + `PREFIX`, for steering it in
tests). The caller says which emulators to mount (the registry's); by default, every emulator package of
`reconciler.sandbox`.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from types import ModuleType

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.types import ASGIApp, Receive, Scope, Send

import reconciler.sandbox
from reconciler.sandbox.common.asgi import StatusWatch
from reconciler.sandbox.faults import FaultInjector
from reconciler.sandbox.settings import SandboxSettings
from reconciler.sandbox.store import Store


def emulators() -> list[ModuleType]:
    """Every emulator package of the sandbox (a subpackage exposing `PLATFORM` and `routes`)."""
    found: list[ModuleType] = []
    for info in pkgutil.iter_modules(reconciler.sandbox.__path__):
        if info.ispkg:
            module = importlib.import_module(f"reconciler.sandbox.{info.name}")
            if hasattr(module, "PLATFORM") and hasattr(module, "routes"):
                found.append(module)
    return found


class RequestLog:
    """ASGI middleware: record method, path and status of every request that reaches a platform."""

    def __init__(
        self, app: ASGIApp, store: Store, settings: SandboxSettings, platforms: Mapping[str, str]
    ) -> None:
        self.app = app
        self.platforms = platforms
        self.store = store
        self.settings = settings

    def _platform(self, path: str) -> str | None:
        for prefix, name in self.platforms.items():
            if path == prefix or path.startswith(prefix + "/"):
                return name
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        platform = self._platform(str(scope.get("path", ""))) if scope["type"] == "http" else None
        if platform is None:
            await self.app(scope, receive, send)
            return
        watch = StatusWatch(send)
        try:
            await self.app(scope, receive, watch)
        finally:
            with self.store.transaction() as tx:
                tx.log_request(
                    platform, str(scope["method"]), str(scope["path"]), watch.status, self.settings.clock()
                )


def create_app(
    db_path: str | Path, settings: SandboxSettings | None = None, mounted: Sequence[ModuleType] | None = None
) -> Starlette:
    """The sandbox app over one SQLite file (created and seeded on first use), serving the `mounted`
    emulators (by default every emulator of the sandbox)."""
    settings = settings or SandboxSettings()
    served = list(mounted) if mounted is not None else emulators()
    platforms = {e.PREFIX: e.PLATFORM for e in served}
    store = Store(Path(db_path), seeders={e.PLATFORM: e.seed for e in served})

    async def fixtures(request: Request) -> Response:
        with store.transaction():
            pass
        return JSONResponse({e.PLATFORM: e.fixtures() for e in served})

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
        *(Mount("/_sandbox" + e.PREFIX, routes=e.control_routes(store, settings)) for e in served),
        *(Mount(e.PREFIX, routes=e.routes(store, settings)) for e in served),
    ]
    middleware = [
        Middleware(RequestLog, store=store, settings=settings, platforms=platforms),
        Middleware(FaultInjector, faults=settings.faults, prefixes=tuple(platforms)),
    ]

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        store.close()  # a served sandbox leaves everything in the one database file when it stops

    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.store = store
    app.state.settings = settings
    app.state.emulators = served
    return app
