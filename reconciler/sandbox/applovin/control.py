"""Sandbox-only controls of the AppLovin emulator, mounted under `/_sandbox/applovin`:
- `POST /assets/finish`: every asset still processing finishes now (ready or error as decided at upload).
- `POST /oauth_apps`: register an OAuth app (JSON `client_id`, `client_secret`, `kind` first_party |
  third_party, `scopes`, `redirect_uri` for third-party apps).
- `POST /tokens/expire`: every access token expires now (refresh tokens stay valid)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from reconciler.sandbox.applovin.seed import PLATFORM, SCOPES
from reconciler.sandbox.settings import SandboxSettings
from reconciler.sandbox.store import Store


def control_routes(store: Store, settings: SandboxSettings) -> list[BaseRoute]:
    async def finish_assets(request: Request) -> Response:
        now = settings.clock()
        finished = 0
        with store.transaction() as tx:
            for cset in tx.all(PLATFORM, "creative_set"):
                pending = [a for a in cset["assets"] if a["ready_at"] > now]
                for asset in pending:
                    asset["ready_at"] = now
                if pending:
                    finished += len(pending)
                    tx.put(PLATFORM, "creative_set", cset["id"], cset)
        return JSONResponse({"finished": finished})

    async def register_app(request: Request) -> Response:
        body = await request.json()
        kind = body.get("kind", "first_party")
        scopes = body.get("scopes") or list(SCOPES)
        if (
            not isinstance(body.get("client_id"), str)
            or not isinstance(body.get("client_secret"), str)
            or kind not in ("first_party", "third_party")
            or (kind == "third_party" and not isinstance(body.get("redirect_uri"), str))
            or any(s not in SCOPES for s in scopes)
        ):
            return JSONResponse(
                {
                    "error": {
                        "code": "invalid_request",
                        "message": "client_id, client_secret, kind, scopes, "
                        "redirect_uri (third party) are required and must be valid",
                    }
                },
                status_code=400,
            )
        app = {
            "client_id": body["client_id"],
            "client_secret": body["client_secret"],
            "kind": kind,
            "scopes": list(scopes),
            "redirect_uri": body.get("redirect_uri"),
        }
        with store.transaction() as tx:
            tx.put(PLATFORM, "oauth_app", app["client_id"], app)
        return JSONResponse(app)

    async def expire_tokens(request: Request) -> Response:
        now = settings.clock()
        with store.transaction() as tx:
            tx.conn.execute(
                "UPDATE objects SET doc = json_set(doc, '$.expires_at', ?) "
                "WHERE platform = ? AND kind = 'access_token'",
                (now, PLATFORM),
            )
        return JSONResponse({"expired": True})

    return [
        Route("/assets/finish", finish_assets, methods=["POST"]),
        Route("/oauth_apps", register_app, methods=["POST"]),
        Route("/tokens/expire", expire_tokens, methods=["POST"]),
    ]
