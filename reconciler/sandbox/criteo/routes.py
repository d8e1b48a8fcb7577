"""The Criteo URL map: which handler serves which path and method under the `/criteo` prefix, plus a
problem-shaped 404 for every other path."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from reconciler.sandbox.criteo import ad_set_updates, ad_sets, audiences, campaigns
from reconciler.sandbox.criteo.calls import Handler, endpoint, token_endpoint
from reconciler.sandbox.criteo.problems import Problem
from reconciler.sandbox.settings import SandboxSettings
from reconciler.sandbox.store import Store

VERSION = "/2027-01/marketing-solutions"

ENDPOINTS: list[tuple[str, str, Handler]] = [
    ("POST", "/ad-sets", ad_sets.create),
    ("PATCH", "/ad-sets", ad_set_updates.patch),
    ("POST", "/ad-sets/search", ad_sets.search),
    ("POST", "/ad-sets/start", ad_set_updates.start),
    ("POST", "/ad-sets/stop", ad_set_updates.stop),
    ("GET", "/ad-sets/{ad-set-id}", ad_sets.get),
    ("PUT", "/ad-sets/{ad-set-id}/audience", ad_sets.link_audience),
    ("POST", "/audiences/search", audiences.search),
    ("POST", "/campaigns", campaigns.create),
    ("PATCH", "/campaigns", campaigns.patch),
    ("POST", "/campaigns/search", campaigns.search),
    ("GET", "/campaigns/{campaign-id}", campaigns.get),
]
"""(method, path under /2027-01/marketing-solutions, handler) of every served operation."""

ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


async def _no_route(request: Request) -> Response:
    problem = Problem(
        "validation",
        "route-not-found",
        "Not found",
        f"{request.method} {request.url.path} is not an operation of this API (or of this sandbox).",
    )
    return JSONResponse({"errors": [problem.to_json("sandbox")], "warnings": []}, status_code=404)


def _starlette_path(path: str) -> str:
    """Starlette path parameters must be identifiers: `{ad-set-id}` → `{ad_set_id}`."""
    return path.replace("{ad-set-id}", "{ad_set_id}").replace("{campaign-id}", "{campaign_id}")


def routes(store: Store, settings: SandboxSettings) -> list[BaseRoute]:
    """The routes of the Criteo API, relative to the `/criteo` mount point."""
    table: list[BaseRoute] = [Route("/oauth2/token", token_endpoint(store, settings), methods=["POST"])]
    for method, path, handler in ENDPOINTS:
        table.append(
            Route(
                _starlette_path(VERSION + path),
                endpoint(handler, store, settings),
                methods=[method],
            )
        )
    table.append(Route("/{rest:path}", _no_route, methods=ALL_METHODS))
    return table
