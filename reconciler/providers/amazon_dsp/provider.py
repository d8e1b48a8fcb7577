"""The Amazon DSP provider: kinds `campaign`, `ad_group`, `targets` and `creative_association` behind the
Provider protocol; reads and hooks only.

A read takes what it needs from its `ObjectRef`s (the advertiser is in their scope) and makes the fewest
calls the API allows, per advertiser and concurrently: one list a kind by ids (pages of 100), flights
inline in the campaign rows, a campaign's tracked products only when the project sets them (there is one
`GET` a campaign), associations as client.py says. Changes become operations (operations.py) carried out
by the kit's writer (writes.py, target_sets.py); names are resolved at plan time (names.py); moderation
results are warnings on plan (`notices`) and after apply (`settle`).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from reconciler.errors import PlanError, PlatformError
from reconciler.model import Address, Change, Diagnostic, LiveObject, Operation, Resource
from reconciler.providers.amazon_dsp import importing, mapping
from reconciler.providers.amazon_dsp.client import AmazonDspClient, Row
from reconciler.providers.amazon_dsp.kinds import KINDS
from reconciler.providers.amazon_dsp.names import Names, names_in
from reconciler.providers.amazon_dsp.operations import operations
from reconciler.providers.amazon_dsp.target_sets import Wire
from reconciler.providers.amazon_dsp.writes import WRITES, describe
from reconciler.providers.base import ImportedFile, ImportFilters, ObjectRef, ProviderConfig
from reconciler.providers.kit.provider import KitProvider, live_warning
from reconciler.providers.kit.recovery import Created, Made, made_by_name, made_under_owners, made_with_ids
from reconciler.providers.kit.writes import Writer

Campaigns = dict[str, tuple[Row, dict[str, Any]]]
"""campaign id → (its row, its canonical attributes; empty for a campaign read only as a parent)."""


class AmazonDspProvider(KitProvider):
    """Amazon DSP (Amazon Ads API, /dsp/v1)."""

    platform = "amazon_dsp"
    kind_schemas = KINDS
    settled_kinds = frozenset({"creative_association"})

    def __init__(
        self,
        config: ProviderConfig,
        *,
        client: AmazonDspClient | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.config = config
        self.client = client or AmazonDspClient(config)
        self.writer = Writer(Wire(self.client, clock, sleep), WRITES, describe)
        self.names = Names(self.client)
        self._advertisers: dict[Address, str] = {}
        self._moderation: dict[str, mapping.Moderation] = {}

    def natural_id(self, resource: Resource, parent_id: str | None) -> str | None:
        if resource.address.kind != "targets" or not parent_id:
            return None
        return mapping.target_set_id(parent_id, resource.address.path[-1])

    def operations(self, change: Change) -> list[Operation]:
        """A retirement's change carries no scope: its advertiser is the one its object was read with."""
        advertiser = change.scope.get(mapping.ADVERTISER) or self._advertisers.get(change.address, "")
        if change.scope.get(mapping.ADVERTISER):
            self._advertisers[change.address] = advertiser
        return operations(change, advertiser)

    async def resolve(self, resources: Sequence[Resource]) -> list[Resource]:
        return await self.names.resolve(resources)

    # -- reads ----------------------------------------------------------------------------------------

    async def read(self, objects: Sequence[ObjectRef]) -> dict[Address, LiveObject]:
        mine = [ref for ref in objects if ref.address.platform == self.platform]
        by_advertiser = _by_advertiser(mine)
        for advertiser, refs in by_advertiser.items():
            self._advertisers.update((ref.address, advertiser) for ref in refs)
        found = await asyncio.gather(*(self._read_for(a, refs) for a, refs in by_advertiser.items()))
        return {address: obj for part in found for address, obj in part.items()}

    async def _read_for(self, advertiser: str, refs: Sequence[ObjectRef]) -> dict[Address, LiveObject]:
        by_kind: dict[str, dict[str, list[ObjectRef]]] = {}
        for ref in refs:
            by_kind.setdefault(ref.address.kind, {}).setdefault(str(ref.id), []).append(ref)
        sets = {i: s for i in by_kind.get("targets", {}) if (s := mapping.split_target_set_id(i)) is not None}
        pairs = {
            i: p for i in by_kind.get("creative_association", {}) if (p := mapping.split_association_id(i))
        }
        campaign_refs = by_kind.get("campaign", {})
        full = set(campaign_refs)
        products_of = _owning(campaign_refs, "trackedProducts")
        conversions_of = _owning(campaign_refs, "conversionDefinitions")

        async def campaigns_of(ids: Sequence[str]) -> Campaigns:
            # The calls a campaign's attributes need start as soon as its row is here, while the other
            # lists (the associations' pages follow one another) are still being read.
            rows = await self.client.list_campaigns(advertiser, ids)
            return await self._campaigns(advertiser, rows, full, products_of, conversions_of)

        ad_group_rows, target_rows, association_rows, campaigns = await asyncio.gather(
            self.client.list_ad_groups(
                advertiser, [*by_kind.get("ad_group", {}), *(s[0] for s in sets.values())]
            ),
            self.client.list_targets(
                advertiser, [s[0] for s in sets.values()], [mapping.BY_KEY[s[1]].wire for s in sets.values()]
            ),
            self.client.list_associations(advertiser, [p[0] for p in pairs.values()]),
            campaigns_of(list(campaign_refs)),
        )
        ad_groups = {str(r.get("adGroupId")): r for r in ad_group_rows}
        # An ad group's budgetAmount is the platform's when its campaign automates budgets too.
        parents = {str(ad_groups[i].get("campaignId")) for i in by_kind.get("ad_group", {}) if i in ad_groups}
        parents -= set(campaigns)
        if parents:
            campaigns.update(await campaigns_of(sorted(parents)))
        live: dict[Address, LiveObject] = {}

        def found(object_id: str, attributes: dict[str, Any], kind: str) -> None:
            for ref in by_kind.get(kind, {}).get(object_id, []):
                live[ref.address] = LiveObject(ref.address, object_id, attributes)

        for object_id in campaign_refs:
            if object_id in campaigns:
                found(object_id, campaigns[object_id][1], "campaign")
        for object_id in by_kind.get("ad_group", {}):
            row = ad_groups.get(object_id)
            if row is not None:
                parent = campaigns.get(str(row.get("campaignId")), ({}, {}))[0]
                automated = mapping.campaign_budget_automated(parent)
                found(object_id, mapping.ad_group_from_wire(row, automated), "ad_group")
        grouped: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for row in target_rows:
            parsed = mapping.target_from_wire(row)
            if parsed is not None:
                grouped.setdefault((parsed[0], parsed[1]), []).append(parsed[2])
        for object_id, split in sets.items():
            if split[0] in ad_groups:
                found(object_id, {"targets": mapping.sort_targets(grouped.get(split, []))}, "targets")
        by_pair = {(str(r.get("adGroupId")), str(r.get("adCreativeId"))): r for r in association_rows}
        rejected: list[tuple[str, str]] = []
        for object_id, pair in pairs.items():
            row = by_pair.get(pair)
            if row is not None:
                self._moderation[object_id] = mapping.moderation_from_wire(row)
                found(object_id, mapping.association_from_wire(row), "creative_association")
                if self._rejected_id(object_id):
                    rejected.append(pair)
        if rejected:
            await self._read_moderation(advertiser, rejected)
        return live

    async def _campaigns(
        self,
        advertiser: str,
        rows: Sequence[Row],
        full: set[str],
        products_of: set[str],
        conversions_of: set[str],
    ) -> Campaigns:
        """The rows with canonical attributes for the `full` ids: flights from the row (else one flights
        list a campaign), tracked products for the `products_of` ids, conversion definitions for the
        `conversions_of` ids (one call a campaign each)."""
        wanted = [r for r in rows if str(r.get("campaignId")) in full]

        async def flights(row: Row) -> list[Row]:
            inline = mapping.wire_flights(row)
            if inline is not None:
                return inline
            return await self.client.list_flights(advertiser, str(row.get("campaignId")))

        async def products(row: Row) -> list[Row] | None:
            campaign_id = str(row.get("campaignId"))
            if campaign_id not in products_of:
                return None
            return await self.client.tracked_products(advertiser, campaign_id)

        async def conversions(row: Row) -> list[Row] | None:
            campaign_id = str(row.get("campaignId"))
            if campaign_id not in conversions_of:
                return None
            return await self.client.conversion_associations(advertiser, campaign_id)

        extras = await asyncio.gather(
            *(asyncio.gather(flights(r), products(r), conversions(r)) for r in wanted)
        )
        result: Campaigns = {str(r.get("campaignId")): (r, {}) for r in rows}
        for row, (found_flights, found_products, found_conversions) in zip(wanted, extras, strict=True):
            attributes = mapping.campaign_from_wire(row, found_flights, found_products, found_conversions)
            result[str(row.get("campaignId"))] = (row, attributes)
        return result

    async def _read_moderation(self, advertiser: str, pairs: Sequence[tuple[str, str]]) -> None:
        """The reasons of NOT_APPROVED associations, from the moderation list."""
        for row in await self.client.list_moderations(advertiser, pairs):
            object_id = mapping.association_id(str(row.get("adGroupId")), str(row.get("adCreativeId")))
            moderation = mapping.moderation_from_wire(row)
            if moderation.rejected:
                self._moderation[object_id] = mapping.Moderation("NOT_APPROVED", moderation.rejected)

    def _rejected_id(self, object_id: str) -> bool:
        moderation = self._moderation.get(object_id)
        return moderation is not None and moderation.status == "NOT_APPROVED"

    # -- warnings -------------------------------------------------------------------------------------

    def notices(self, live: Mapping[Address, LiveObject]) -> list[Diagnostic]:
        rejected = [
            (address, obj.id)
            for address, obj in live.items()
            if address.kind == "creative_association" and self._rejected_id(obj.id)
        ]
        return [_rejected(address, i, self._moderation[i]) for address, i in sorted(rejected)]

    async def settle(
        self, objects: Sequence[ObjectRef], wait: bool, progress: Callable[[str], None] | None
    ) -> list[Diagnostic]:
        associations = [r for r in objects if r.address.kind == "creative_association"]
        if not associations:
            return []
        return self.notices(await self.read(associations))

    # -- recovery and import --------------------------------------------------------------------------

    async def find_created(self, created: Sequence[Created]) -> Made:
        """What interrupted creates made: campaigns and ad groups by name (ad groups under the same campaign),
        one list per advertiser; target sets and creative associations by their ids, which follow from the
        parent ad group (`<adGroupId>/<TYPE>`, `<adGroupId>/<adCreativeId>`), when one read finds them."""
        mine = [(r, parent) for r, parent in created if r.scope.get(mapping.ADVERTISER)]
        kind = mine[0][0].address.kind if mine else ""
        if kind in ("targets", "creative_association"):
            under: list[tuple[Resource, str]] = [(r, parent) for r, parent in mine if parent]
            if kind == "creative_association" and (named := [r for r, _ in under if names_in(r)]):
                resolved = {r.address: r for r in await self.names.resolve(named)}  # the creatives' ids
                under = [(resolved.get(r.address, r), parent) for r, parent in under]
            return await made_with_ids(self.read, [(r, _made_id(r, parent)) for r, parent in under])
        if kind == "campaign":
            return await made_under_owners(mine, _advertiser, self._campaigns_named)
        if kind == "ad_group":
            return await made_under_owners([c for c in mine if c[1]], _advertiser, self._ad_groups_named)
        return {}

    async def _campaigns_named(self, advertiser: str, created: list[Created]) -> Made:
        rows = await self.client.list_campaigns(advertiser)
        return made_by_name(created, rows, lambda row: row.get("campaignId"))

    async def _ad_groups_named(self, advertiser: str, created: list[Created]) -> Made:
        campaigns = sorted({str(parent) for _, parent in created})
        rows = await self.client.list_ad_groups(advertiser, campaign_ids=campaigns)
        return made_by_name(
            created, rows, lambda row: row.get("adGroupId"), parent_of=lambda row: row.get("campaignId")
        )

    async def discover(
        self, filters: ImportFilters, managed: set[str], taken: set[Address]
    ) -> list[ImportedFile]:
        if len(filters.advertisers) != 1:
            raise PlanError(
                "`reconciler import amazon_dsp` reads one advertiser at a time",
                hint="give --advertiser ID (once), optionally with --campaign ID or --id ID",
            )
        advertiser = filters.advertisers[0]
        chosen = [*filters.campaigns, *filters.ids]
        if chosen:
            campaign_rows, ad_group_rows = await asyncio.gather(
                self.client.list_campaigns(advertiser, chosen),
                self.client.list_ad_groups(advertiser, filters.ids, filters.campaigns),
            )
            listed = {str(r.get("campaignId")) for r in campaign_rows}
            parents = sorted({str(r.get("campaignId")) for r in ad_group_rows} - listed)
            campaign_rows += await self.client.list_campaigns(advertiser, parents) if parents else []
        else:
            campaign_rows = await self.client.list_campaigns(advertiser)
            ids = [str(r.get("campaignId")) for r in campaign_rows]
            ad_group_rows = await self.client.list_ad_groups(advertiser, campaign_ids=ids)
        unmanaged = {str(r.get("campaignId")) for r in campaign_rows} - managed
        campaigns = await self._campaigns(advertiser, campaign_rows, unmanaged, unmanaged, unmanaged)
        groups = [
            (
                str(row.get("adGroupId")),
                str(row.get("campaignId")),
                mapping.ad_group_from_wire(
                    row,
                    mapping.campaign_budget_automated(campaigns.get(str(row.get("campaignId")), ({}, {}))[0]),
                ),
            )
            for row in {str(r.get("adGroupId")): r for r in ad_group_rows}.values()
        ]
        canonical = {i: attributes for i, (_, attributes) in campaigns.items() if i in unmanaged}
        deals = {i for i, (row, _) in campaigns.items() if row.get("amazonGuaranteedDeal") and i in unmanaged}
        return importing.manifests(advertiser, canonical, groups, managed, taken, deals)


def _owns(ref: ObjectRef, field: str) -> bool:
    """Whether a read must cover `field` of the object (the project sets it, or what it sets is unknown)."""
    return not ref.owned or field in ref.owned


def _owning(refs: Mapping[str, Sequence[ObjectRef]], field: str) -> set[str]:
    """The ids whose read must cover `field`."""
    return {i for i, rs in refs.items() if any(_owns(r, field) for r in rs)}


def _by_advertiser(refs: Sequence[ObjectRef]) -> dict[str, list[ObjectRef]]:
    """The refs by advertiser: their scope's, else that of another ref of the same campaign."""
    by_campaign = {r.address.path[0]: a for r in refs if (a := r.scope.get(mapping.ADVERTISER))}
    grouped: dict[str, list[ObjectRef]] = {}
    for ref in refs:
        advertiser = ref.scope.get(mapping.ADVERTISER) or by_campaign.get(ref.address.path[0])
        if not advertiser:
            raise PlatformError(
                f"{ref.address} (id {ref.id}) has no advertiser in the state, so it cannot be read",
                hint="its state entry lacks `scope: {advertiserId: ...}`: add the advertiser id there",
            )
        grouped.setdefault(str(advertiser), []).append(ref)
    return grouped


def _rejected(address: Address, object_id: str, moderation: mapping.Moderation) -> Diagnostic:
    ad_group_id, _, creative_id = object_id.partition("/")
    reasons = "; ".join(
        f"{experience}: {', '.join(why) or 'no reason given'}" for experience, why in moderation.rejected
    )
    return live_warning(
        address,
        f"creative {creative_id} is NOT_APPROVED by moderation on ad group {ad_group_id}"
        + (f" ({reasons})" if reasons else ""),
        "fix the creative per Amazon DSP policy, or associate another creative",
    )


PROVIDER = AmazonDspProvider


def _advertiser(created: Created) -> str:
    return created[0].scope[mapping.ADVERTISER]


def _made_id(resource: Resource, parent_id: str) -> str:
    """The id a create of a target set or a creative association under the ad group `parent_id` makes."""
    if resource.address.kind == "targets":
        return mapping.target_set_id(parent_id, resource.address.path[-1])
    return mapping.association_id(parent_id, str(resource.attributes.get("creative", "")))
