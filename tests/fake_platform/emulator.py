"""The fake platform's API, in memory: `POST /things` creates one, `POST /things/list` reads by ids,
`PATCH /things` updates a batch and answers per item."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

PLATFORM = "fake"
PREFIX = "/fake"
TITLE = "Fake Ads"
AUTH = "/token"
OPTIONS = ()
DATA: dict[str, dict[str, dict[str, Any]]] = {}
"""Things by id, per sandbox database file (each project's embedded sandbox has its own)."""


@dataclass
class Settings:
    pass


def seed(tx: Any) -> None:
    return None


def fixtures() -> dict[str, Any]:
    return {}


def routes(store: Any, settings: Any) -> list[BaseRoute]:
    things = DATA.setdefault(str(store.path), {})

    async def create(request: Request) -> JSONResponse:
        body = await request.json()
        new_id = str(1000 + len(things))
        things[new_id] = {"id": new_id, "name": body["name"], "size": body["size"]}
        return JSONResponse(things[new_id], status_code=201)

    async def listing(request: Request) -> JSONResponse:
        ids = (await request.json())["ids"]
        return JSONResponse({"things": [things[i] for i in ids if i in things]})

    async def patch(request: Request) -> JSONResponse:
        results = []
        for item in await request.json():
            found = things.get(item["id"])
            if found is not None:
                found.update({k: v for k, v in item.items() if k in ("name", "size")})
            results.append({"id": item["id"], "ok": found is not None})
        return JSONResponse({"results": results})

    return [
        Route("/things", create, methods=["POST"]),
        Route("/things/list", listing, methods=["POST"]),
        Route("/things", patch, methods=["PATCH"]),
    ]


def control_routes(store: Any, settings: Any) -> list[BaseRoute]:
    return []
