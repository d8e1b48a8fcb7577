"""The Amazon DSP URL map under the `/amazon-dsp` prefix: Login with Amazon's token endpoint, every
`/dsp/v1/...` operation the sandbox serves (and the guide's `/dsp/geoLocations` and
`accounts/{accountId}/dsp/...` conversion calls; each module declares its own), and an Amazon-shaped 404
for every other path."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from reconciler.sandbox.amazon_dsp import (
    ad_groups,
    associations,
    auth,
    campaigns,
    conversions,
    discovery,
    flights,
    products,
    targets,
)
from reconciler.sandbox.amazon_dsp.calls import Handler, endpoint
from reconciler.sandbox.common.endpoints import token_endpoint
from reconciler.sandbox.common.routing import route_table, served
from reconciler.sandbox.settings import SandboxSettings
from reconciler.sandbox.store import Store

ENDPOINTS = served(
    campaigns.OPERATIONS,
    flights.OPERATIONS,
    products.OPERATIONS,
    ad_groups.OPERATIONS,
    targets.OPERATIONS,
    associations.OPERATIONS,
    conversions.OPERATIONS,
    discovery.OPERATIONS,
)
"""(method, path, handler) of every served operation."""


async def _not_found(request: Request) -> Response:
    return JSONResponse(
        {
            "code": "NOT_FOUND",
            "message": f"{request.method} {request.url.path} is not an Amazon DSP API operation.",
        },
        status_code=404,
    )


def routes(store: Store, settings: SandboxSettings) -> list[BaseRoute]:
    def route(method: str, path: str, handler: Handler) -> BaseRoute:
        return Route(path, endpoint(handler, store, settings), methods=[method])

    token = token_endpoint(store, settings, auth.issue_token, auth.LwaError, auth.LwaError.response)
    return route_table([Route("/auth/o2/token", token, methods=["POST"])], ENDPOINTS, route, _not_found)
