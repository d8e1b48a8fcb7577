"""The AppLovin URL map under the `/applovin` mount: OAuth (`/oauth/v1/access_token`,
`/oauth/initialize`) and the Campaign Management API under `/campaign_management/v1`, plus an
AppLovin-shaped 404 for every other path."""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from reconciler.sandbox.applovin import bids, campaigns, creatives, oauth
from reconciler.sandbox.applovin.calls import Handler, endpoint
from reconciler.sandbox.applovin.errors import ApiError
from reconciler.sandbox.settings import SandboxSettings
from reconciler.sandbox.store import Store

API = "/campaign_management/v1"

ENDPOINTS: list[tuple[str, str, Handler]] = [
    ("GET", "/campaign/{campaign_id}", campaigns.get_campaign),
    ("POST", "/campaign", campaigns.post_campaign),
    ("POST", "/campaign/{campaign_id}", campaigns.post_campaign),
    ("GET", "/campaigns", campaigns.list_campaigns),
    ("GET", "/campaign_targets/{campaign_id}", campaigns.get_targets),
    ("POST", "/campaign_targets/{campaign_id}", campaigns.post_targets),
    ("POST", "/creative_set", creatives.post_creative_set),
    ("POST", "/creative_set/{creative_set_id}", creatives.post_creative_set),
    ("POST", "/creative_set/{creative_set_id}/sizes", creatives.post_sizes),
    ("GET", "/creative_sets/{campaign_id}", creatives.list_creative_sets),
    ("POST", "/creative_set_assets/{creative_set_id}", creatives.post_asset),
    ("GET", "/ad/{ad_id}", creatives.get_ad),
    ("POST", "/ad/{ad_id}", creatives.post_ad),
    ("GET", "/ads/{creative_set_id}", creatives.list_ads),
    ("GET", "/source_bids/{campaign_id}", bids.get_source_bids),
    ("POST", "/source_bids/{campaign_id}", bids.post_source_bids),
    ("GET", "/sources/{campaign_id}", bids.get_sources),
    ("POST", "/sources/{campaign_id}", bids.post_sources),
]
"""(method, path under /campaign_management/v1, handler) of every served operation."""

FORMS = {"/creative_set_assets/{creative_set_id}"}
ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


async def _no_route(request: Request) -> Response:
    return ApiError(
        404,
        "not_found",
        f"{request.method} {request.url.path} is not an operation of this API",
        "route-not-found",
    ).response()


def routes(store: Store, settings: SandboxSettings) -> list[BaseRoute]:
    """The routes of AppLovin's OAuth and Campaign Management API, relative to `/applovin`."""

    async def token(request: Request) -> Response:
        raw = await request.body()
        with store.transaction() as tx:
            try:
                body = oauth.issue_token(tx, raw, settings)
            except ApiError as failure:
                return failure.response()
        return JSONResponse(body)

    async def initialize(request: Request) -> Response:
        query = dict(parse_qsl(request.url.query, keep_blank_values=True))
        with store.transaction() as tx:
            try:
                location = oauth.authorize(tx, query, settings.clock())
            except ApiError as failure:
                return failure.response()
        return RedirectResponse(location, status_code=302)

    table: list[BaseRoute] = [
        Route("/oauth/v1/access_token", token, methods=["POST"]),
        Route("/oauth/initialize", initialize, methods=["GET"]),
    ]
    for method, path, handler in ENDPOINTS:
        resource = path.split("/")[1]
        table.append(
            Route(
                API + path, endpoint(handler, resource, store, settings, form=path in FORMS), methods=[method]
            )
        )
    table.append(Route("/{rest:path}", _no_route, methods=ALL_METHODS))
    return table
