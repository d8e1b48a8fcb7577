"""The AppLovin URL map under the `/applovin` mount: OAuth (`/oauth/v1/access_token`,
`/oauth/initialize`) and the Campaign Management API under `/campaign_management/v1`, plus an
AppLovin-shaped 404 for every other path."""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from reconciler.sandbox.applovin import bids, campaigns, creatives, oauth
from reconciler.sandbox.applovin.calls import Handler, endpoint
from reconciler.sandbox.applovin.errors import ApiError
from reconciler.sandbox.common.endpoints import token_endpoint
from reconciler.sandbox.common.routing import route_table, served
from reconciler.sandbox.settings import SandboxSettings
from reconciler.sandbox.store import Store

API = "/campaign_management/v1"

ENDPOINTS = served(campaigns.OPERATIONS, creatives.OPERATIONS, bids.OPERATIONS)
"""(method, path under /campaign_management/v1, handler) of every served operation."""

FORMS = {"/creative_set_assets/{creative_set_id}"}


async def _no_route(request: Request) -> Response:
    return ApiError(
        404,
        "not_found",
        f"{request.method} {request.url.path} is not an operation of this API",
        "route-not-found",
    ).response()


def routes(store: Store, settings: SandboxSettings) -> list[BaseRoute]:
    """The routes of AppLovin's OAuth and Campaign Management API, relative to `/applovin`."""

    async def initialize(request: Request) -> Response:
        query = dict(parse_qsl(request.url.query, keep_blank_values=True))
        with store.transaction() as tx:
            try:
                location = oauth.authorize(tx, query, settings.clock())
            except ApiError as failure:
                return failure.response()
        return RedirectResponse(location, status_code=302)

    def route(method: str, path: str, handler: Handler) -> BaseRoute:
        serve = endpoint(handler, path.split("/")[1], store, settings, form=path in FORMS)
        return Route(API + path, serve, methods=[method])

    token = token_endpoint(store, settings, oauth.issue_token, ApiError, ApiError.response)
    oauth_routes = [
        Route("/oauth/v1/access_token", token, methods=["POST"]),
        Route("/oauth/initialize", initialize, methods=["GET"]),
    ]
    return route_table(oauth_routes, ENDPOINTS, route, _no_route)
