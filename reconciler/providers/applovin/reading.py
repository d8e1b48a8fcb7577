"""Reading AppLovin's live objects: the campaigns with one `GET /campaigns` ("view all campaigns"; the guide
gives it the fields of `/campaign/{campaign_id}` and no paging), then each managed campaign with the few
calls its other kinds need (targets, creative sets with their assets and ads, source bids and sources page
by page), all campaigns at once. Every object is found from its own id (composite ids start with the
campaign's), so a read needs nothing but its `ObjectRef`s.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, TypeVar

from reconciler.model import Address, LiveObject
from reconciler.providers.applovin import mapping
from reconciler.providers.applovin.client import AppLovinApiError, AppLovinClient
from reconciler.providers.base import ObjectRef

T = TypeVar("T")

PLATFORM = "applovin"


async def missing_is_none(call: Awaitable[T]) -> T | None:
    """The answer, or None when AppLovin said the object does not exist (404)."""
    try:
        return await call
    except AppLovinApiError as exc:
        if exc.status == 404:
            return None
        raise


async def creative_sets(client: AppLovinClient, campaign_id: str, with_ads: bool) -> list[dict[str, Any]]:
    """The campaign's creative sets with their assets and (when asked) ads."""
    sets = await client.creative_sets(campaign_id)
    if with_ads:
        missing = [s for s in sets if "ads" not in s]
        ads = await asyncio.gather(*(client.ads(str(s.get("id"))) for s in missing))
        for found, rows in zip(missing, ads, strict=True):
            found["ads"] = rows
    return sets


async def read(client: AppLovinClient, objects: Sequence[ObjectRef]) -> dict[Address, LiveObject]:
    by_campaign: dict[str, list[tuple[Address, str]]] = {}
    for ref in objects:
        if ref.address.platform == PLATFORM:
            by_campaign.setdefault(str(ref.id).split("/", 1)[0], []).append((ref.address, str(ref.id)))
    wanted = any(a.kind == "campaign" for objs in by_campaign.values() for a, _ in objs)
    listed, found = await asyncio.gather(
        _campaigns(client) if wanted else _nothing(),
        asyncio.gather(*(_campaign(client, c, objs) for c, objs in by_campaign.items())),
    )
    live: dict[Address, LiveObject] = {}
    for (campaign_id, refs), part in zip(by_campaign.items(), found, strict=True):
        live.update(part)
        body = listed.get(campaign_id)
        for address, object_id in refs:
            if address.kind == "campaign" and body is not None:
                live[address] = LiveObject(address, object_id, mapping.campaign_from_wire(body))
    return live


async def _campaigns(client: AppLovinClient) -> dict[str, dict[str, Any]]:
    """Every campaign of the account by id, in one call."""
    return {str(c.get("campaign_id")): c for c in await client.campaigns()}


async def _nothing() -> dict[str, dict[str, Any]]:
    return {}


async def _campaign(
    client: AppLovinClient, campaign_id: str, objects: list[tuple[Address, str]]
) -> dict[Address, LiveObject]:
    """The objects of one campaign but the campaign itself (read with every campaign)."""
    kinds = {a.kind for a, _ in objects}
    calls: dict[str, Awaitable[Any]] = {}
    if "targets" in kinds:
        calls["targets"] = missing_is_none(client.targets(campaign_id))
    if kinds & {"creative_set", "asset", "ad"}:
        calls["sets"] = missing_is_none(creative_sets(client, campaign_id, "ad" in kinds))
    if "source_bids" in kinds:
        calls["source_bids"] = missing_is_none(client.source_bids(campaign_id))
    if "sources" in kinds:
        calls["sources"] = missing_is_none(client.sources(campaign_id))
    answers = dict(zip(calls, await asyncio.gather(*calls.values()), strict=True))
    sets = {str(s.get("id") or s.get("creative_set_id")): s for s in answers.get("sets") or []}
    live: dict[Address, LiveObject] = {}
    for address, object_id in objects:
        if address.kind == "campaign":
            continue
        attributes = _attributes(address.kind, object_id, answers, sets)
        if attributes is not None:
            live[address] = LiveObject(address, object_id, attributes)
    return live


_WHOLE: dict[str, Callable[[Any], dict[str, Any]]] = {
    "targets": mapping.targets_from_wire,
    "source_bids": mapping.source_bids_from_wire,
    "sources": mapping.sources_from_wire,
}
"""Kinds read from one answer of their own (by the same name), and how."""


def _attributes(
    kind: str, object_id: str, answers: Mapping[str, Any], sets: Mapping[str, Mapping[str, Any]]
) -> dict[str, Any] | None:
    if kind in _WHOLE:
        body = answers.get(kind)
        return _WHOLE[kind](body) if body is not None else None
    parts = mapping.id_parts(object_id, 4)
    found = sets.get(parts[1]) if len(parts) > 1 else None
    if found is None:
        return None
    if kind == "creative_set":
        return mapping.creative_set_from_wire(found)
    if kind == "asset" and len(parts) == 3:
        for item in found.get("assets") or []:
            if isinstance(item, Mapping) and item.get("type") == parts[2]:
                return mapping.asset_from_wire(item)
        return None
    if kind == "ad" and len(parts) == 4:
        for item in found.get("ads") or []:
            ad = mapping.ad_from_wire(item) if isinstance(item, Mapping) else None
            if ad is not None and ad["size"] == parts[2] and ad["template"] == parts[3]:
                return {**ad, "ad_id": str(item.get("id"))}
    return None
