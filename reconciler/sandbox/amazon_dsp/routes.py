"""The Amazon DSP URL map under the `/amazon-dsp` prefix: Login with Amazon's token endpoint, every
`/dsp/v1/...` operation the sandbox serves (and the guide's `/dsp/geoLocations` and
`accounts/{accountId}/dsp/...` conversion calls), and an Amazon-shaped 404 for every other path."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from reconciler.sandbox.amazon_dsp import (
    ad_groups,
    associations,
    campaigns,
    conversions,
    discovery,
    flights,
    products,
    targets,
)
from reconciler.sandbox.amazon_dsp.calls import Handler, endpoint, token_endpoint
from reconciler.sandbox.settings import SandboxSettings
from reconciler.sandbox.store import Store

ASSOCIATIONS = "/dsp/v1/adCreatives/associations/adGroups"
CAMPAIGN = "/dsp/v1/campaigns/{campaignId}"
ACCOUNT = "/accounts/{accountId}/dsp"

ENDPOINTS: list[tuple[str, str, Handler]] = [
    ("POST", "/dsp/v1/campaigns", campaigns.create),
    ("PATCH", "/dsp/v1/campaigns", campaigns.patch),
    ("POST", "/dsp/v1/campaigns/list", campaigns.listing),
    ("POST", CAMPAIGN + "/flights", flights.create),
    ("PATCH", CAMPAIGN + "/flights", flights.update),
    ("POST", CAMPAIGN + "/flights/list", flights.listing),
    ("POST", CAMPAIGN + "/flights/delete", flights.delete),
    ("GET", CAMPAIGN + "/conversionTracking/products", products.listing),
    ("POST", CAMPAIGN + "/conversionTracking/products", products.add),
    ("POST", CAMPAIGN + "/conversionTracking/products/delete", products.delete),
    ("POST", "/dsp/v1/adGroups", ad_groups.create),
    ("PATCH", "/dsp/v1/adGroups", ad_groups.patch),
    ("POST", "/dsp/v1/adGroups/list", ad_groups.listing),
    ("POST", "/dsp/v1/targets", targets.create),
    ("POST", "/dsp/v1/targets/list", targets.listing),
    ("POST", "/dsp/v1/targets/deleteByObject", targets.delete),
    ("POST", ASSOCIATIONS, associations.create),
    ("PATCH", ASSOCIATIONS, associations.patch),
    ("POST", ASSOCIATIONS + "/delete", associations.delete),
    ("POST", ASSOCIATIONS + "/list", associations.listing),
    ("POST", ASSOCIATIONS + "/eligibleCreatives/list", associations.eligible),
    ("POST", ASSOCIATIONS + "/moderations/list", associations.moderations),
    ("POST", ACCOUNT + "/orders/{orderId}/conversionDefinitionAssociations", conversions.update),
    ("GET", ACCOUNT + "/orders/{orderId}/conversionDefinitionAssociations", conversions.listing),
    ("POST", ACCOUNT + "/conversionDefinitions/list", conversions.definitions),
    ("POST", "/dsp/v1/geoLocations/list", discovery.geo_locations),
    ("GET", "/dsp/geoLocations", discovery.geo_locations_by_query),
    ("POST", "/dsp/v1/audiences/list", discovery.audiences),
    ("POST", "/dsp/v1/advertisedProductCategories/list", discovery.product_categories),
    ("POST", "/dsp/v1/adCreatives/list", discovery.creatives),
    ("POST", "/dsp/v1/inventorySourceExchanges/list", discovery.exchanges),
]
"""(method, path, handler) of every served operation."""

ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


async def _not_found(request: Request) -> Response:
    return JSONResponse(
        {
            "code": "NOT_FOUND",
            "message": f"{request.method} {request.url.path} is not an Amazon DSP API operation.",
        },
        status_code=404,
    )


def routes(store: Store, settings: SandboxSettings) -> list[BaseRoute]:
    by_path: dict[str, dict[str, Handler]] = {}
    for method, path, handler in ENDPOINTS:
        by_path.setdefault(path, {})[method] = handler
    served: list[BaseRoute] = [Route("/auth/o2/token", token_endpoint(store, settings), methods=["POST"])]
    for path, handlers in by_path.items():
        for method, handler in handlers.items():
            served.append(Route(path, endpoint(handler, store, settings), methods=[method]))
    served.append(Route("/{rest:path}", _not_found, methods=ALL_METHODS))
    return served
