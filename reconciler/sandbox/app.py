"""The sandbox ASGI application: mounts each emulated platform under its path prefix (`/criteo`;
`/amazon-dsp` and `/applovin` later), logs every platform request in SQLite, injects the configured
faults, and serves the `/_sandbox/...` endpoints that tests and examples use to inspect and steer the
emulators."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from reconciler.sandbox import criteo
from reconciler.sandbox.criteo import ad_sets
from reconciler.sandbox.faults import FaultInjector
from reconciler.sandbox.settings import SandboxSettings
from reconciler.sandbox.store import Store

PLATFORMS: Mapping[str, str] = {"/criteo": criteo.PLATFORM}
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
    store = Store(Path(db_path), seeders={criteo.PLATFORM: criteo.seed})

    async def fixtures(request: Request) -> Response:
        with store.transaction():
            pass
        return JSONResponse({criteo.PLATFORM: criteo.fixtures()})

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

    async def archive_ad_set(request: Request) -> Response:
        """Sandbox control: archive a Criteo ad set (as Criteo does; no API exists for it)."""
        ad_set_id = str(request.path_params["ad_set_id"])
        with store.transaction() as tx:
            doc = tx.get(criteo.PLATFORM, "ad_set", ad_set_id)
            if doc is None:
                return JSONResponse({"error": f"no ad set {ad_set_id}"}, status_code=404)
            tx.put(criteo.PLATFORM, "ad_set", ad_set_id, ad_sets.archive(doc))
        return JSONResponse({"id": ad_set_id, "archived": True})

    routes = [
        Route("/_sandbox/fixtures", fixtures, methods=["GET"]),
        Route("/_sandbox/requests", requests, methods=["GET", "DELETE"]),
        Route("/_sandbox/criteo/ad-sets/{ad_set_id}/archive", archive_ad_set, methods=["POST"]),
        Mount("/criteo", routes=criteo.routes(store, settings)),
    ]
    middleware = [
        Middleware(RequestLog, store=store, settings=settings),
        Middleware(FaultInjector, faults=settings.faults, prefixes=tuple(PLATFORMS)),
    ]
    app = Starlette(routes=routes, middleware=middleware)
    app.state.store = store
    app.state.settings = settings
    return app
