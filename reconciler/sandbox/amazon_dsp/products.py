"""Conversion tracking products of a campaign: `GET|POST /dsp/v1/campaigns/{id}/conversionTracking/products`
and `.../products/delete` (products identified by productId and domain; 207 per item)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reconciler.sandbox.amazon_dsp import inputs as read
from reconciler.sandbox.amazon_dsp import objects
from reconciler.sandbox.amazon_dsp.calls import Call, Handler, each_object
from reconciler.sandbox.amazon_dsp.errors import ItemError
from reconciler.sandbox.amazon_dsp.seed import PLATFORM
from reconciler.sandbox.common.routing import Operations

OPERATIONS: Operations[Handler] = Operations()
PRODUCTS = "/dsp/v1/campaigns/{campaignId}/conversionTracking/products"
ASSOCIATIONS = ("FEATURED", "FEATURED_WITH_VARIATION")
FIELDS = ("productId", "productAssociation", "domain")
BATCH_LIMIT = 1000

Key = tuple[str, str]
"""A tracked product: (productId, domain)."""
Change = Callable[[list[dict[str, Any]], dict[str, Any], Key, str], list[dict[str, Any]]]
"""The campaign's tracked products after one item (the products, the item, its key, its path)."""


@OPERATIONS.serves("GET", PRODUCTS)
def listing(call: Call) -> tuple[int, dict[str, Any]]:
    doc = objects.campaign_in_path(call)
    return 200, {"productTrackingList": [dict(p) for p in doc["trackedProducts"]]}


def _key(item: dict[str, Any], path: str) -> Key:
    product_id = read.string(item, "productId", path, required=True)
    domain = read.string(item, "domain", path, required=True)
    assert product_id is not None and domain is not None
    return product_id, domain


def _each(call: Call, change: Change) -> tuple[int, dict[str, Any]]:
    """The items of `productTrackingList` one by one, each changing the tracked products of the path's
    campaign."""
    objects.campaign_in_path(call, writing=True)

    def one(call: Call, item: dict[str, Any], path: str) -> dict[str, Any]:
        key = _key(item, path)
        doc = objects.campaign_in_path(call, writing=True)
        doc["trackedProducts"] = change(doc["trackedProducts"], item, key, path)
        call.tx.put(PLATFORM, "campaign", doc["campaignId"], doc)
        return {"productId": key[0], "domain": key[1]}

    return each_object(call, "productTrackingList", BATCH_LIMIT, one, FIELDS)


def _untracked(products: list[dict[str, Any]], key: Key) -> list[dict[str, Any]]:
    return [p for p in products if (p["productId"], p["domain"]) != key]


def _added(products: list[dict[str, Any]], item: dict[str, Any], key: Key, path: str) -> list[dict[str, Any]]:
    association = read.enum(item, "productAssociation", path, ASSOCIATIONS, required=True)
    return [
        *_untracked(products, key),
        {"productId": key[0], "productAssociation": association, "domain": key[1]},
    ]


def _removed(
    products: list[dict[str, Any]], item: dict[str, Any], key: Key, path: str
) -> list[dict[str, Any]]:
    kept = _untracked(products, key)
    if len(kept) == len(products):
        raise ItemError("PRODUCT_NOT_FOUND", f"Product {key[0]} ({key[1]}) is not tracked by this campaign.")
    return kept


@OPERATIONS.serves("POST", PRODUCTS)
def add(call: Call) -> tuple[int, dict[str, Any]]:
    """Associate products: an already tracked productId + domain gets the new productAssociation (also when
    the same one comes twice in a request: the last one wins)."""
    return _each(call, _added)


@OPERATIONS.serves("POST", PRODUCTS + "/delete")
def delete(call: Call) -> tuple[int, dict[str, Any]]:
    return _each(call, _removed)
