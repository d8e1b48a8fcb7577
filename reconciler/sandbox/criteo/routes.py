"""The Criteo URL map under the `/criteo` prefix: the token endpoint, the operations each module declares
(paths under `/2027-01/marketing-solutions`), and a problem-shaped 404 for every other path."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from reconciler.sandbox.common.endpoints import token_endpoint
from reconciler.sandbox.common.routing import route_table, served
from reconciler.sandbox.criteo import ad_set_updates, ad_sets, audiences, auth, campaigns
from reconciler.sandbox.criteo.calls import Handler, endpoint
from reconciler.sandbox.criteo.problems import Problem, ProblemResponse
from reconciler.sandbox.settings import SandboxSettings
from reconciler.sandbox.store import Store

VERSION = "/2027-01/marketing-solutions"

ENDPOINTS = served(ad_sets.OPERATIONS, ad_set_updates.OPERATIONS, audiences.OPERATIONS, campaigns.OPERATIONS)
"""(method, path under /2027-01/marketing-solutions, handler) of every served operation."""


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

    def route(method: str, path: str, handler: Handler) -> BaseRoute:
        return Route(_starlette_path(VERSION + path), endpoint(handler, store, settings), methods=[method])

    token = token_endpoint(store, settings, auth.issue_token, ProblemResponse, ProblemResponse.response)
    return route_table([Route("/oauth2/token", token, methods=["POST"])], ENDPOINTS, route, _no_route)
