"""Sandbox-only controls of the Amazon DSP emulator, mounted under `/_sandbox/amazon-dsp`: things the
platform does by itself that tests need to cause (the moderation result of a creative)."""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from reconciler.sandbox.amazon_dsp.seed import PLATFORM
from reconciler.sandbox.settings import SandboxSettings
from reconciler.sandbox.store import Store

STATUSES = ("APPROVED", "NOT_APPROVED", "IN_PROGRESS")


def control_routes(store: Store, settings: SandboxSettings) -> list[BaseRoute]:
    async def moderate(request: Request) -> Response:
        """Set a creative's moderation: `{"status": "NOT_APPROVED", "reasons": ["..."]}`."""
        creative_id = str(request.path_params["creative_id"])
        try:
            body = json.loads(await request.body() or b"{}")
        except ValueError:
            return JSONResponse({"error": "the body is not JSON"}, status_code=400)
        status = body.get("status") if isinstance(body, dict) else None
        if status not in STATUSES:
            return JSONResponse({"error": f"status must be one of {', '.join(STATUSES)}"}, status_code=400)
        with store.transaction() as tx:
            creative = tx.get(PLATFORM, "creative", creative_id)
            if creative is None:
                return JSONResponse({"error": f"no creative {creative_id}"}, status_code=404)
            creative["moderationStatus"] = status
            creative["moderationReasons"] = [str(r) for r in body.get("reasons") or []]
            tx.put(PLATFORM, "creative", creative_id, creative)
        return JSONResponse({"adCreativeId": creative_id, "moderationStatus": status})

    return [Route("/adCreatives/{creative_id}/moderation", moderate, methods=["POST"])]
