"""The Criteo provider: kinds `campaign` and `ad_set` behind the Provider protocol.

Reads are a handful of calls whatever the number of objects (one ad set search, one campaign search,
the audience search pages); changes become operations (`operations.py`) carried out by the kit's writer
at each endpoint's batch limit (`writes.py`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from reconciler.errors import PlanError
from reconciler.model import Address, Change, LiveObject, Operation
from reconciler.providers.base import (
    ImportedFile,
    ImportFilters,
    ObjectRef,
    ProviderConfig,
)
from reconciler.providers.criteo import importing, mapping
from reconciler.providers.criteo.client import CriteoClient
from reconciler.providers.criteo.kinds import KINDS
from reconciler.providers.criteo.operations import operations
from reconciler.providers.criteo.writes import WRITES, describe
from reconciler.providers.kit.provider import KitProvider
from reconciler.providers.kit.recovery import Created, Made, made_by_name
from reconciler.providers.kit.writes import Writer


class CriteoProvider(KitProvider):
    """Criteo Marketing Solutions (API 2027-01)."""

    platform = "criteo"
    kind_schemas = KINDS

    def __init__(self, config: ProviderConfig, *, client: CriteoClient | None = None) -> None:
        self.config = config
        self.client = client or CriteoClient(config)
        self.writer = Writer(self.client, WRITES, describe)

    def operations(self, change: Change) -> list[Operation]:
        return operations(change)

    async def read(self, objects: Sequence[ObjectRef]) -> dict[Address, LiveObject]:
        by_kind: dict[str, dict[str, list[Address]]] = {}
        for ref in objects:
            if ref.address.platform == self.platform:
                by_kind.setdefault(ref.address.kind, {}).setdefault(str(ref.id), []).append(ref.address)
        ad_sets = by_kind.get("ad_set", {})
        campaigns = by_kind.get("campaign", {})
        ad_set_rows, audience_rows, campaign_rows = await asyncio.gather(
            self.client.search_ad_sets(ad_set_ids=list(ad_sets)),
            self.client.search_audiences(list(ad_sets)),
            self.client.search_campaigns(campaign_ids=list(campaigns)),
        )
        linked = mapping.audiences_by_ad_set(audience_rows, ad_sets)
        live: dict[Address, LiveObject] = {}
        for row in ad_set_rows:
            object_id = str(row.get("id"))
            for address in ad_sets.get(object_id, []):
                attributes = mapping.ad_set_from_wire(row, linked.get(object_id))
                live[address] = LiveObject(address, object_id, attributes)
        for row in campaign_rows:
            object_id = str(row.get("id"))
            for address in campaigns.get(object_id, []):
                live[address] = LiveObject(address, object_id, mapping.campaign_from_wire(row))
        return live

    async def find_created(self, created: Sequence[Created]) -> Made:
        """Campaigns by name under their advertiser, ad sets by name under their campaign: one search for
        them all."""
        kind = created[0][0].address.kind if created else ""
        search: Callable[[list[str]], Awaitable[list[dict[str, Any]]]]
        if kind == "ad_set":
            under = [(r, parent or r.scope.get("campaignId")) for r, parent in created]
            search, owner = (lambda ids: self.client.search_ad_sets(campaign_ids=ids)), "campaignId"
        elif kind == "campaign":
            under = [(r, r.scope.get("advertiserId")) for r, _ in created]
            search, owner = (lambda ids: self.client.search_campaigns(advertiser_ids=ids)), "advertiserId"
        else:
            return {}
        owners = sorted({str(parent) for _, parent in under if parent})
        rows = await search(owners) if owners else []
        return made_by_name(under, rows, _row_id, _attribute("name"), _attribute(owner))

    async def discover(
        self, filters: ImportFilters, managed: set[str], taken: set[Address]
    ) -> list[ImportedFile]:
        if not (filters.advertisers or filters.campaigns or filters.ids):
            raise PlanError(
                "`reconciler import criteo` needs a filter",
                hint="give --advertiser ID, --campaign ID or --id ID",
            )
        found = await asyncio.gather(
            self.client.search_campaigns(advertiser_ids=filters.advertisers),
            self.client.search_ad_sets(advertiser_ids=filters.advertisers),
            self.client.search_campaigns(campaign_ids=(*filters.campaigns, *filters.ids)),
            self.client.search_ad_sets(campaign_ids=filters.campaigns),
            self.client.search_ad_sets(ad_set_ids=filters.ids),
        )
        campaigns = {str(r.get("id")): r for r in (*found[0], *found[2])}
        ad_sets = {str(r.get("id")): r for r in (*found[1], *found[3], *found[4])}
        parents = {str(mapping.ad_set_from_wire(r)["campaignId"]) for r in ad_sets.values()} - set(campaigns)
        for row in await self.client.search_campaigns(campaign_ids=sorted(parents)):
            campaigns[str(row.get("id"))] = row
        linked = mapping.audiences_by_ad_set(await self.client.search_audiences(list(ad_sets)), ad_sets)
        return importing.manifests(list(campaigns.values()), list(ad_sets.values()), linked, managed, taken)


PROVIDER = CriteoProvider


def _row_id(row: Mapping[str, Any]) -> object:
    return row.get("id")


def _attribute(name: str) -> Callable[[Mapping[str, Any]], object]:
    """The reader of one attribute of a search's row."""
    return lambda row: mapping.attributes_of(row).get(name)
