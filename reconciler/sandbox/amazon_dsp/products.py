"""Conversion tracking products of a campaign: `GET|POST /dsp/v1/campaigns/{id}/conversionTracking/products`
and `.../products/delete` (products identified by productId and domain; 207 per item)."""

from __future__ import annotations

from typing import Any

from reconciler.sandbox.amazon_dsp import inputs as read
from reconciler.sandbox.amazon_dsp import objects
from reconciler.sandbox.amazon_dsp.calls import Call, batch_items, each
from reconciler.sandbox.amazon_dsp.errors import ApiError, ItemError
from reconciler.sandbox.amazon_dsp.seed import PLATFORM

ASSOCIATIONS = ("FEATURED", "FEATURED_WITH_VARIATION")
BATCH_LIMIT = 1000


def _campaign(call: Call, writing: bool) -> dict[str, Any]:
    campaign_id = call.params["campaignId"]
    doc = objects.campaign(call.tx, call.account_id, campaign_id)
    if doc is None:
        raise ApiError(
            404,
            "CAMPAIGN_NOT_FOUND",
            f"Campaign {campaign_id} does not exist in advertiser {call.account_id}.",
        )
    refusal = objects.deal_refusal(doc) if writing else None
    if refusal is not None:
        raise ApiError(400, refusal.code, refusal.message)
    return doc


def listing(call: Call) -> tuple[int, dict[str, Any]]:
    doc = _campaign(call, writing=False)
    return 200, {"productTrackingList": [dict(p) for p in doc["trackedProducts"]]}


def _key(item: dict[str, Any], path: str) -> tuple[str, str]:
    product_id = read.string(item, "productId", path, required=True)
    domain = read.string(item, "domain", path, required=True)
    assert product_id is not None and domain is not None
    return product_id, domain


def add(call: Call) -> tuple[int, dict[str, Any]]:
    """Associate products: an already tracked productId + domain gets the new productAssociation (also when
    the same one comes twice in a request: the last one wins)."""
    _campaign(call, writing=True)
    items = batch_items(call.body(), "productTrackingList", BATCH_LIMIT)

    def one(call: Call, raw: Any, index: int) -> dict[str, Any]:
        path = f"productTrackingList[{index}]"
        item = read.obj(raw, path)
        read.check_keys(item, path, ("productId", "productAssociation", "domain"))
        product_id, domain = _key(item, path)
        association = read.enum(item, "productAssociation", path, ASSOCIATIONS, required=True)
        doc = _campaign(call, writing=True)
        kept = [p for p in doc["trackedProducts"] if (p["productId"], p["domain"]) != (product_id, domain)]
        doc["trackedProducts"] = [
            *kept,
            {"productId": product_id, "productAssociation": association, "domain": domain},
        ]
        call.tx.put(PLATFORM, "campaign", doc["campaignId"], doc)
        return {"productId": product_id, "domain": domain}

    return each(call, items, one)


def delete(call: Call) -> tuple[int, dict[str, Any]]:
    _campaign(call, writing=True)
    items = batch_items(call.body(), "productTrackingList", BATCH_LIMIT)

    def one(call: Call, raw: Any, index: int) -> dict[str, Any]:
        path = f"productTrackingList[{index}]"
        item = read.obj(raw, path)
        read.check_keys(item, path, ("productId", "productAssociation", "domain"))
        key = _key(item, path)
        doc = _campaign(call, writing=True)
        kept = [p for p in doc["trackedProducts"] if (p["productId"], p["domain"]) != key]
        if len(kept) == len(doc["trackedProducts"]):
            raise ItemError(
                "PRODUCT_NOT_FOUND", f"Product {key[0]} ({key[1]}) is not tracked by this campaign."
            )
        doc["trackedProducts"] = kept
        call.tx.put(PLATFORM, "campaign", doc["campaignId"], doc)
        return {"productId": key[0], "domain": key[1]}

    return each(call, items, one)
