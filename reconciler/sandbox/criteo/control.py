"""Sandbox-only controls of the Criteo emulator, mounted under `/_sandbox/criteo`: things Criteo does
by itself (archiving an ad set) that tests need to cause."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from reconciler.sandbox.criteo import ad_sets
from reconciler.sandbox.criteo.seed import PLATFORM
from reconciler.sandbox.settings import SandboxSettings
from reconciler.sandbox.store import Store


def control_routes(store: Store, settings: SandboxSettings) -> list[BaseRoute]:
    async def archive_ad_set(request: Request) -> Response:
        """Archive an ad set, as Criteo does by itself (no API exists for it)."""
        ad_set_id = str(request.path_params["ad_set_id"])
        with store.transaction() as tx:
            doc = tx.get(PLATFORM, "ad_set", ad_set_id)
            if doc is None:
                return JSONResponse({"error": f"no ad set {ad_set_id}"}, status_code=404)
            tx.put(PLATFORM, "ad_set", ad_set_id, ad_sets.archive(doc))
        return JSONResponse({"id": ad_set_id, "archived": True})

    return [Route("/ad-sets/{ad_set_id}/archive", archive_ad_set, methods=["POST"])]
