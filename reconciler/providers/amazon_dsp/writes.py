"""How each Amazon DSP verb is carried out: its client call, and how Amazon's 207 answer maps back to one
result per item (`success` and `error` items point at the request's items by `index`).

A request carries one advertiser's items (the `Amazon-Ads-AccountId` header), so every batch verb groups
its items by advertiser. Flights, tracked products and conversion definitions take one campaign a call;
target sets are written by target_sets.py.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from reconciler.errors import PlatformError
from reconciler.model import ItemResult, Verb
from reconciler.providers.amazon_dsp import mapping, target_sets
from reconciler.providers.amazon_dsp.client import CONVERSIONS_BATCH, AmazonApiError, index_of, item_errors
from reconciler.providers.amazon_dsp.kinds import (
    ACTIVATE_AD_GROUP,
    ACTIVATE_CAMPAIGN,
    ADD_PRODUCTS,
    CREATE_AD_GROUP,
    CREATE_ASSOCIATION,
    CREATE_CAMPAIGN,
    CREATE_FLIGHTS,
    DELETE_ASSOCIATION,
    DELETE_FLIGHTS,
    DELETE_PRODUCTS,
    DELETE_TARGET_SET,
    PATCH_AD_GROUP,
    PATCH_ASSOCIATION,
    PATCH_CAMPAIGN,
    PUT_TARGETS,
    REPLACE_TARGETS,
    RETIRE_AD_GROUP,
    RETIRE_CAMPAIGN,
    SET_CONVERSIONS,
    UPDATE_FLIGHTS,
)
from reconciler.providers.amazon_dsp.target_sets import Wire
from reconciler.providers.kit.writes import Item, Results, Send, Write


def describe(exc: PlatformError) -> str:
    """A refused call's reason: Amazon's message, else the error's."""
    return exc.detail if isinstance(exc, AmazonApiError) else exc.message


def advertiser(item: Item) -> str:
    return str(item.payload.get(mapping.ADVERTISER) or "")


def desired(item: Item) -> dict[str, Any]:
    """The object's fields, without the advertiser the operation carries for its call."""
    return {k: v for k, v in item.payload.items() if k != mapping.ADVERTISER}


def multi_status(id_of: Callable[[Item, Mapping[str, Any]], str | None]) -> Results:
    """Results of a batch answered 207: an item with errors failed; an item in `success` succeeded, with
    the id `id_of(item, success entry)`; an item in neither is left out (its outcome unknown)."""

    def results(items: Sequence[Item], answer: Any) -> dict[int, ItemResult]:
        errors = item_errors(answer)
        successes = {index_of(s): s for s in answer.get("success") or [] if isinstance(s, Mapping)}
        found: dict[int, ItemResult] = {}
        for index, item in enumerate(items):
            if index in errors:
                found[index] = ItemResult(item.op.key, False, item.id, "; ".join(errors[index]))
            elif index in successes:
                found[index] = ItemResult(item.op.key, True, id_of(item, successes[index]))
        return found

    return results


def _whole(items: Sequence[Item], answer: Any) -> dict[int, ItemResult]:
    """One campaign's flights or products as one item: any error fails it."""
    item = items[0]
    errors = [message for messages in item_errors(answer).values() for message in messages]
    if errors:
        return {0: ItemResult(item.op.key, False, item.id, "; ".join(errors))}
    return {0: ItemResult(item.op.key, True, item.id)}


def _answered(field_name: str) -> Callable[[Item, Mapping[str, Any]], str | None]:
    def id_of(item: Item, success: Mapping[str, Any]) -> str | None:
        found = success.get(field_name) or item.id
        return str(found) if found else None

    return id_of


# -- campaigns and ad groups ----------------------------------------------------------------------------


async def _create_campaigns(wire: Wire, items: Sequence[Item]) -> Any:
    bodies = [mapping.campaign_create_body(desired(i), advertiser(i)) for i in items]
    return await wire.client.create_campaigns(advertiser(items[0]), bodies)


async def _create_ad_groups(wire: Wire, items: Sequence[Item]) -> Any:
    bodies = [
        mapping.ad_group_create_body(desired(i), str(i.refs.get("campaignId") or i.payload.get("campaignId")))
        for i in items
    ]
    answer = await wire.client.create_ad_groups(advertiser(items[0]), bodies)
    for success in answer.get("success") or []:
        index = index_of(success) if isinstance(success, Mapping) else None
        if index is not None and 0 <= index < len(items) and success.get("adGroupId"):
            inventory = str(items[index].payload.get("inventoryType", ""))
            wire.created[str(success["adGroupId"])] = (wire.clock(), inventory)
    return answer


Body = Callable[[Item], dict[str, Any]]


def _patch_campaigns(body: Body) -> Send:
    """`PATCH /dsp/v1/campaigns` of the items, each with the fields `body` gives."""

    async def send(wire: Wire, items: Sequence[Item]) -> Any:
        patches = [{"campaignId": i.id, **body(i)} for i in items]
        return await wire.client.patch_campaigns(advertiser(items[0]), patches)

    return send


def _patch_ad_groups(body: Body) -> Send:
    """`PATCH /dsp/v1/adGroups` of the items, each with the fields `body` gives."""

    async def send(wire: Wire, items: Sequence[Item]) -> Any:
        patches = [{"adGroupId": i.id, **body(i)} for i in items]
        return await wire.client.patch_ad_groups(advertiser(items[0]), patches)

    return send


def _to(state: str) -> Body:
    return lambda item: {"state": state}


# -- flights and tracked products (one campaign a call) ---------------------------------------------------


async def _flight_ids(wire: Wire, item: Item) -> dict[str, str]:
    rows = await wire.client.list_flights(advertiser(item), str(item.id))
    return {mapping.instant(r.get("startDateTime")): str(r.get("flightId")) for r in rows}


def _failed(message: str) -> dict[str, Any]:
    """An answer failing the one item of a call, for a reason found before the call."""
    return {"error": [{"index": 0, "errorMessage": message}]}


async def _delete_flights(wire: Wire, items: Sequence[Item]) -> Any:
    item = items[0]
    known = await _flight_ids(wire, item)
    flight_ids = [known[s] for s in item.payload.get("starts") or [] if s in known]
    if not flight_ids:
        return {}
    return await wire.client.delete_flights(advertiser(item), str(item.id), flight_ids)


async def _update_flights(wire: Wire, items: Sequence[Item]) -> Any:
    item = items[0]
    known = await _flight_ids(wire, item)
    flights = []
    for flight in item.payload.get("flights") or []:
        flight_id = known.get(mapping.instant(flight.get("startDateTime")))
        if flight_id is None:
            return _failed(f"flight starting {flight.get('startDateTime')} no longer exists")
        flights.append({"flightId": flight_id, **flight})
    return await wire.client.patch_flights(advertiser(item), str(item.id), flights)


async def _create_flights(wire: Wire, items: Sequence[Item]) -> Any:
    item = items[0]
    return await wire.client.create_flights(advertiser(item), str(item.id), item.payload.get("flights") or [])


async def _add_products(wire: Wire, items: Sequence[Item]) -> Any:
    item = items[0]
    return await wire.client.add_products(advertiser(item), str(item.id), item.payload.get("products") or [])


async def _delete_products(wire: Wire, items: Sequence[Item]) -> Any:
    item = items[0]
    products = item.payload.get("products") or []
    return await wire.client.delete_products(advertiser(item), str(item.id), products)


async def _set_conversions(wire: Wire, items: Sequence[Item]) -> Any:
    """One campaign's conversion definition changes, 100 a request, in order; the errors of every request."""
    item = items[0]
    changes = list(item.payload.get("changes") or [])
    errors: list[Any] = []
    for start in range(0, len(changes), CONVERSIONS_BATCH):
        chunk = changes[start : start + CONVERSIONS_BATCH]
        answer = await wire.client.update_conversion_associations(advertiser(item), str(item.id), chunk)
        errors += answer.get("error") or []
    return {"error": errors}


# -- creative associations ------------------------------------------------------------------------------


def _pair(item: Item) -> tuple[str, str]:
    """(ad group id, creative id) of an association operation."""
    split = mapping.split_association_id(item.id) if item.id else None
    if split is not None:
        return split
    return str(item.refs.get("adGroupId") or item.payload.get("adGroupId")), str(item.payload.get("creative"))


def _association_id(item: Item, success: Mapping[str, Any]) -> str:
    return mapping.association_id(*_pair(item))


async def _create_associations(wire: Wire, items: Sequence[Item]) -> Any:
    bodies = [mapping.association_to_wire(desired(i), _pair(i)[0]) for i in items]
    return await wire.client.create_associations(advertiser(items[0]), bodies)


async def _patch_associations(wire: Wire, items: Sequence[Item]) -> Any:
    bodies = [
        mapping.association_to_wire({**desired(i), "creative": _pair(i)[1]}, _pair(i)[0]) for i in items
    ]
    return await wire.client.patch_associations(advertiser(items[0]), bodies)


async def _delete_associations(wire: Wire, items: Sequence[Item]) -> Any:
    pairs = [{"adGroupId": g, "adCreativeId": c} for g, c in map(_pair, items)]
    return await wire.client.delete_associations(advertiser(items[0]), pairs)


# -- the declarations -----------------------------------------------------------------------------------

CAMPAIGN_ID = multi_status(_answered("campaignId"))
AD_GROUP_ID = multi_status(_answered("adGroupId"))
ASSOCIATION_ID = multi_status(_association_id)


def _batch(verb: Verb, send: Send, results: Results) -> Write:
    return Write(verb, send, results, group=advertiser)


def _one_campaign(verb: Verb, send: Send) -> Write:
    return Write(verb, send, _whole, one_by_one=True)


WRITES = (
    _batch(CREATE_CAMPAIGN, _create_campaigns, CAMPAIGN_ID),
    _batch(PATCH_CAMPAIGN, _patch_campaigns(desired), CAMPAIGN_ID),
    _batch(ACTIVATE_CAMPAIGN, _patch_campaigns(_to("ACTIVE")), CAMPAIGN_ID),
    _batch(RETIRE_CAMPAIGN, _patch_campaigns(_to("INACTIVE")), CAMPAIGN_ID),
    _one_campaign(DELETE_FLIGHTS, _delete_flights),
    _one_campaign(UPDATE_FLIGHTS, _update_flights),
    _one_campaign(CREATE_FLIGHTS, _create_flights),
    _one_campaign(ADD_PRODUCTS, _add_products),
    _one_campaign(DELETE_PRODUCTS, _delete_products),
    _one_campaign(SET_CONVERSIONS, _set_conversions),
    _batch(CREATE_AD_GROUP, _create_ad_groups, AD_GROUP_ID),
    _batch(PATCH_AD_GROUP, _patch_ad_groups(desired), AD_GROUP_ID),
    _batch(ACTIVATE_AD_GROUP, _patch_ad_groups(_to("ACTIVE")), AD_GROUP_ID),
    _batch(RETIRE_AD_GROUP, _patch_ad_groups(_to("INACTIVE")), AD_GROUP_ID),
    _batch(PUT_TARGETS, target_sets.send, target_sets.results),
    _batch(REPLACE_TARGETS, target_sets.send, target_sets.results),
    _batch(DELETE_TARGET_SET, target_sets.send, target_sets.results),
    _batch(CREATE_ASSOCIATION, _create_associations, ASSOCIATION_ID),
    _batch(PATCH_ASSOCIATION, _patch_associations, ASSOCIATION_ID),
    _batch(DELETE_ASSOCIATION, _delete_associations, ASSOCIATION_ID),
)
