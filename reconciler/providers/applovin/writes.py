"""How each AppLovin verb is carried out: the client call, and how its answer maps back to the item's result.

AppLovin has no batch endpoints: every write carries one object (`one_by_one`), and its answer either
refuses it (a 400/404/409/422 fails that item alone, in AppLovin's words) or carries it out. `_done` is the
one mapping of an answer to an `ItemResult`: the id the object is kept under in state (composite for
creative sets, assets and ads: `campaign/set[/type | /size/template]`), or an unknown outcome when a
create's answer holds no id (the create stays journalled, so the next plan adopts the object).
"""

from __future__ import annotations

import hashlib
import mimetypes
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from reconciler.errors import PlatformError
from reconciler.model import ItemResult
from reconciler.providers.applovin import mapping
from reconciler.providers.applovin.client import AppLovinClient
from reconciler.providers.applovin.kinds import (
    CLAIM_AD,
    CREATE_CAMPAIGN,
    CREATE_CREATIVE_SET,
    FORGET,
    POST_SIZES,
    POST_SOURCE_BIDS,
    POST_SOURCES,
    POST_TARGETS,
    REMOVE_ASSET,
    REPLACE_ASSET,
    RETIRE_AD,
    RETIRE_CAMPAIGN,
    RETIRE_CREATIVE_SET,
    UPDATE_AD,
    UPDATE_CAMPAIGN,
    UPDATE_CREATIVE_SET,
    UPDATE_SOURCE_BIDS,
    UPDATE_SOURCES,
    UPDATE_TARGETS,
    UPLOAD_ASSET,
)
from reconciler.providers.applovin.processing import Processing
from reconciler.providers.kit.writes import Item, Results, Write


class ItemRefused(PlatformError):
    """The item cannot be sent (its file changed, its ad never came); only this item fails."""

    status = 422
    may_have_changed = False


def describe(exc: PlatformError) -> str:
    """A refused call's reason, in AppLovin's words."""
    return exc.message


def _done(object_id: Callable[[Item, Any], Any]) -> Results:
    """Results of a one-object write: done, kept under `object_id(item, answer)`; no id → unknown."""

    def results(items: Sequence[Item], answer: Any) -> dict[int, ItemResult]:
        found = object_id(items[0], answer)
        return {0: ItemResult(items[0].op.key, True, str(found))} if found not in (None, "") else {}

    return results


def _own_id(item: Item, answer: Any) -> Any:
    return item.id


def _campaign_of(item: Item) -> str:
    """The campaign id of a campaign-scoped object: its parent's when new, its own id later."""
    return item.refs.get("campaign") or str(item.id)


def _set_of(item: Item, parts: int) -> tuple[str, str]:
    """(campaign id, creative set id) of a creative set's child, from its parent ref or its own id."""
    composite = item.refs.get("creative_set") or str(item.id).rsplit("/", parts)[0]
    campaign_id, set_id = mapping.id_parts(composite, 2)
    return campaign_id, set_id


# -- campaigns and campaign-scoped objects --------------------------------------------------------------


async def _create_campaign(client: AppLovinClient, items: Sequence[Item]) -> Any:
    return await client.create_campaign(items[0].payload)


async def _update_campaign(client: AppLovinClient, items: Sequence[Item]) -> Any:
    return await client.update_campaign(str(items[0].id), items[0].payload)


async def _stop_campaign(client: AppLovinClient, items: Sequence[Item]) -> Any:
    return await client.update_campaign(str(items[0].id), {"status": False})


async def _targets(client: AppLovinClient, items: Sequence[Item]) -> Any:
    return await client.post_targets(_campaign_of(items[0]), items[0].payload)


async def _source_bids(client: AppLovinClient, items: Sequence[Item]) -> Any:
    return await client.post_source_bids(_campaign_of(items[0]), items[0].payload.get("rows") or [])


async def _sources(client: AppLovinClient, items: Sequence[Item]) -> Any:
    return await client.post_sources(_campaign_of(items[0]), items[0].payload.get("rows") or [])


def _new_campaign_id(item: Item, answer: Any) -> Any:
    return answer.get("campaign_id") or answer.get("id")


def _campaign_id(item: Item, answer: Any) -> Any:
    return _campaign_of(item)


# -- creative sets, assets, ads -------------------------------------------------------------------------


async def _create_creative_set(client: AppLovinClient, items: Sequence[Item]) -> Any:
    return await client.create_creative_set({**items[0].payload, "campaign_id": items[0].refs["campaign"]})


def _new_set_id(item: Item, answer: Any) -> Any:
    new_id = answer.get("id") or answer.get("creative_set_id")
    return f"{item.refs['campaign']}/{new_id}" if new_id else None


async def _update_creative_set(client: AppLovinClient, items: Sequence[Item]) -> Any:
    return await client.update_creative_set(_set_of(items[0], 0)[1], items[0].payload)


async def _sizes(client: AppLovinClient, items: Sequence[Item]) -> Any:
    return await client.post_sizes(_set_of(items[0], 0)[1], items[0].payload)


async def _disable_sizes(client: AppLovinClient, items: Sequence[Item]) -> Any:
    return await client.post_sizes(_set_of(items[0], 0)[1], {s: False for s in mapping.SET_SIZES})


async def _remove_asset(client: AppLovinClient, items: Sequence[Item]) -> Any:
    item = items[0]
    asset_type = str(item.id).rpartition("/")[2]
    return await client.post_asset(_set_of(item, 1)[1], {"type": asset_type, "remove": "true"})


def _asset_id(item: Item, answer: Any) -> str:
    return "/".join(_set_of(item, 1)) + f"/{item.payload['type']}"


def declared(root: Path, processing: Processing) -> tuple[Write, ...]:
    """Every verb's write; file assets are read under `root` (the project), ads are waited for."""

    async def upload(client: AppLovinClient, items: Sequence[Item]) -> Any:
        item = items[0]
        fields = {"type": str(item.payload["type"])}
        if item.payload.get("update"):
            fields["update"] = "true"
        kind, _, value = str(item.payload.get("content")).partition(":")
        if kind != "sha256":
            return await client.post_asset(_set_of(item, 1)[1], {**fields, "asset": value})
        return await client.post_asset(_set_of(item, 1)[1], fields, _file(root, item, value))

    async def claim(client: AppLovinClient, items: Sequence[Item]) -> Any:
        item = items[0]
        size, template = str(item.payload["size"]), str(item.payload["template"])
        natural = mapping.ad_natural_id(*_set_of(item, 2), size, template)
        ad_id, why = await processing.await_ad(natural, str(item.op.address))
        if ad_id is None:
            raise ItemRefused(f"AppLovin made no {size} {template!r} ad ({why})")
        body: dict[str, Any] = {k: item.payload[k] for k in ("name", "status") if k in item.payload}
        if body:
            await client.update_ad(ad_id, body)
        return natural

    async def update_ad(client: AppLovinClient, items: Sequence[Item], body: dict[str, Any]) -> Any:
        ad_id, why = await processing.find_ad(str(items[0].id))
        if ad_id is None:
            raise ItemRefused(f"the ad is gone from AppLovin ({why})")
        return await client.update_ad(ad_id, body)

    async def edit_ad(client: AppLovinClient, items: Sequence[Item]) -> Any:
        return await update_ad(client, items, items[0].payload)

    async def stop_ad(client: AppLovinClient, items: Sequence[Item]) -> Any:
        return await update_ad(client, items, {"status": False})

    own = _done(_own_id)
    return (
        Write(CREATE_CAMPAIGN, _create_campaign, _done(_new_campaign_id), one_by_one=True),
        Write(UPDATE_CAMPAIGN, _update_campaign, own, one_by_one=True),
        Write(RETIRE_CAMPAIGN, _stop_campaign, own, one_by_one=True),
        Write(POST_TARGETS, _targets, _done(_campaign_id), one_by_one=True),
        Write(UPDATE_TARGETS, _targets, own, one_by_one=True),
        Write(CREATE_CREATIVE_SET, _create_creative_set, _done(_new_set_id), one_by_one=True),
        Write(UPDATE_CREATIVE_SET, _update_creative_set, own, one_by_one=True),
        Write(POST_SIZES, _sizes, own, one_by_one=True),
        Write(RETIRE_CREATIVE_SET, _disable_sizes, own, one_by_one=True),
        Write(UPLOAD_ASSET, upload, _done(_asset_id), one_by_one=True),
        Write(REPLACE_ASSET, upload, _done(_asset_id), one_by_one=True),
        Write(REMOVE_ASSET, _remove_asset, own, one_by_one=True),
        Write(CLAIM_AD, claim, _done(lambda item, natural: natural), one_by_one=True),
        Write(UPDATE_AD, edit_ad, own, one_by_one=True),
        Write(RETIRE_AD, stop_ad, own, one_by_one=True),
        Write(POST_SOURCE_BIDS, _source_bids, _done(_campaign_id), one_by_one=True),
        Write(UPDATE_SOURCE_BIDS, _source_bids, own, one_by_one=True),
        Write(POST_SOURCES, _sources, _done(_campaign_id), one_by_one=True),
        Write(UPDATE_SOURCES, _sources, own, one_by_one=True),
        Write(FORGET),
    )


def _file(root: Path, item: Item, digest: str) -> tuple[str, bytes, str]:
    """The file part of an upload: the file the plan hashed, refused if it changed since the plan."""
    name = str(item.payload.get("file"))
    path = root / name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ItemRefused(f"cannot read {name}: {exc.strerror}") from None
    if hashlib.sha256(data).hexdigest() != digest:
        raise ItemRefused(f"{name} changed since the plan: run `reconciler plan` again")
    return path.name, data, mimetypes.guess_type(path.name)[0] or "application/octet-stream"
