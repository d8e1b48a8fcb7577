"""The Criteo provider: kinds `campaign` and `ad_set` behind the Provider protocol.

Reads are a handful of calls whatever the number of objects (one ad set search, one campaign search,
the audience search pages); changes become operations at each endpoint's batch limit (PATCH, start and
stop take 50 ad sets a call); `execute` reports every item on its own, mapping Criteo's `@data/N`
errors back to the operations.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Mapping, Sequence
from typing import Any

from reconciler.errors import PlanError, PlatformError
from reconciler.model import (
    Action,
    Address,
    Change,
    ItemResult,
    KindSchema,
    LiveObject,
    Operation,
    Resource,
)
from reconciler.providers.base import ImportedFile, ImportFilters, ProviderConfig, ProviderDefaults
from reconciler.providers.criteo import importing, mapping, money, timeline
from reconciler.providers.criteo.client import CriteoApiError, CriteoClient, problem_text

PATCH_BATCH = 50
START_STOP_BATCH = 50

CAMPAIGN = KindSchema(
    kind="campaign",
    immutable=frozenset({"name", "goal"}),
    released={"budgetAutomation": {"enabled": False}},
    retire_note="retire (forget: Criteo campaigns cannot be stopped or deleted)",
    money=money.campaign_money,
)
AD_SET = KindSchema(
    kind="ad_set",
    immutable=frozenset({"objective", "mediaType", "datasetId", "trackingCode", "bidding.costController"}),
    write_only=frozenset({"trackingCode"}),
    released={
        "schedule.endDate": None,
        "targeting.geoLocation.countries": None,
        "targeting.geoLocation.subdivisions": None,
        "targeting.geoLocation.zipCodes": None,
        "targeting.deliveryLimitations.devices": [],
        "targeting.deliveryLimitations.operatingSystems": [],
        "targeting.deliveryLimitations.environments": [],
        "audience": None,
    },
    retire_note="retire (stop: Criteo has no delete)",
    money=money.ad_set_money,
    open_ended=money.ad_set_open_ended,
    timeline=timeline.ad_set_timeline,
)

# Statuses where Criteo refused the item itself (bad input, unknown object): the item failed, nothing was
# made. Anything else (auth, throttling, 5xx, timeouts) fails the whole call.
ITEM_STATUSES = frozenset({400, 404, 409, 422})
_INDEX = re.compile(r"data/(\d+)")


def _key(verb: str, address: Address) -> str:
    return f"{verb}:{address}"


def _index(problem: Mapping[str, Any]) -> int | None:
    for text in (problem.get("instance"), *(problem.get("source") or {}).values()):
        if isinstance(text, str):
            found = _INDEX.search(text)
            if found:
                return int(found.group(1))
    return None


class CriteoProvider(ProviderDefaults):
    """Criteo Marketing Solutions (API 2027-01)."""

    platform = "criteo"

    def __init__(self, config: ProviderConfig, *, client: CriteoClient | None = None) -> None:
        self.config = config
        self.client = client or CriteoClient(config)

    def __repr__(self) -> str:
        return f"CriteoProvider(base_url={self.config.base_url!r})"

    # -- pure -----------------------------------------------------------------------------------------

    def kinds(self) -> Mapping[str, KindSchema]:
        return {"campaign": CAMPAIGN, "ad_set": AD_SET}

    def operations(self, change: Change) -> list[Operation]:
        if change.address.kind == "campaign":
            return self._campaign_operations(change)
        if change.address.kind == "ad_set":
            return self._ad_set_operations(change)
        raise PlatformError(f"{change.address}: Criteo has no kind `{change.address.kind}`")

    def _campaign_operations(self, change: Change) -> list[Operation]:
        address = change.address
        if change.action == Action.CREATE:
            payload = dict(change.desired)
            payload["advertiserId"] = change.scope.get("advertiserId")
            return [
                Operation(_key("create_campaign", address), address, "create_campaign", payload, creates=True)
            ]
        if change.action == Action.RETIRE:
            return [
                Operation(
                    _key("forget", address),
                    address,
                    "forget",
                    id=change.id,
                    batch_limit=PATCH_BATCH,
                    forgets=True,
                )
            ]
        paths = [f.path for f in change.fields]
        payload = mapping.changed_subset(paths, change.desired, mapping.CAMPAIGN_PATCH_UNITS)
        if not payload:
            return []
        return [
            Operation(
                _key("patch_campaign", address),
                address,
                "patch_campaign",
                payload,
                id=change.id,
                batch_limit=PATCH_BATCH,
            )
        ]

    def _ad_set_operations(self, change: Change) -> list[Operation]:
        address = change.address
        desired = change.desired
        if change.action == Action.RETIRE:
            return [
                Operation(
                    _key("stop_ad_set", address),
                    address,
                    "stop_ad_set",
                    id=change.id,
                    batch_limit=START_STOP_BATCH,
                    forgets=True,
                )
            ]
        ops: list[Operation] = []
        if change.action == Action.CREATE:
            payload = dict(desired)
            refs: dict[str, Address] = {}
            if change.parent is not None:
                refs["campaignId"] = change.parent
            else:
                payload["campaignId"] = change.scope.get("campaignId")
            create = Operation(
                _key("create_ad_set", address), address, "create_ad_set", payload, refs=refs, creates=True
            )
            ops.append(create)
            before = [create.key]
            if desired.get("audience") is not None:
                link = Operation(
                    _key("link_audience", address),
                    address,
                    "link_audience",
                    {"audience": desired["audience"]},
                    after=[create.key],
                )
                ops.append(link)
                before.append(link.key)
            if desired.get("activation") == "on":
                ops.append(
                    Operation(
                        _key("start_ad_set", address),
                        address,
                        "start_ad_set",
                        after=before,
                        batch_limit=START_STOP_BATCH,
                    )
                )
            return ops
        paths = [f.path for f in change.fields]
        others = [p for p in paths if p.split(".")[0] not in ("activation", "audience")]
        payload = mapping.changed_subset(others, desired, mapping.AD_SET_PATCH_UNITS)
        preceding: list[str] = []
        if payload:
            patch = Operation(
                _key("patch_ad_set", address),
                address,
                "patch_ad_set",
                payload,
                id=change.id,
                batch_limit=PATCH_BATCH,
            )
            ops.append(patch)
            preceding.append(patch.key)
        if "audience" in paths:
            link = Operation(
                _key("link_audience", address),
                address,
                "link_audience",
                {"audience": desired.get("audience")},
                id=change.id,
            )
            ops.append(link)
            preceding.append(link.key)
        if "activation" in paths:
            verb = "start_ad_set" if desired.get("activation") == "on" else "stop_ad_set"
            ops.append(
                Operation(
                    _key(verb, address),
                    address,
                    verb,
                    id=change.id,
                    after=preceding if verb == "start_ad_set" else [],
                    batch_limit=START_STOP_BATCH,
                )
            )
        return ops

    # -- I/O ------------------------------------------------------------------------------------------

    async def read(self, objects: Sequence[tuple[Address, str]]) -> dict[Address, LiveObject]:
        by_kind: dict[str, dict[str, list[Address]]] = {}
        for address, object_id in objects:
            if address.platform == self.platform:
                by_kind.setdefault(address.kind, {}).setdefault(str(object_id), []).append(address)
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

    async def execute(
        self, verb: str, ops: Sequence[Operation], ids: Mapping[Address, str]
    ) -> list[ItemResult]:
        if not ops:
            return []
        if verb == "forget":
            return [ItemResult(op.key, True, op.id or ids.get(op.address)) for op in ops]
        if verb == "create_campaign":
            return [await self._create(op, self._create_campaign) for op in ops]
        if verb == "create_ad_set":
            return [await self._create(op, lambda o: self._create_ad_set(o, ids)) for op in ops]
        if verb == "link_audience":
            return [await self._link_audience(op, ids) for op in ops]
        if verb in ("patch_ad_set", "patch_campaign", "start_ad_set", "stop_ad_set"):
            return await self._batch(verb, ops, ids)
        raise PlatformError(f"Criteo has no operation `{verb}`")

    async def _create(self, op: Operation, call: Any) -> ItemResult:
        try:
            result: ItemResult = await call(op)
        except CriteoApiError as exc:
            if exc.status not in ITEM_STATUSES:
                raise
            return ItemResult(op.key, False, error=self._problems_text(exc.problems, exc.message))
        return result

    async def _create_campaign(self, op: Operation) -> ItemResult:
        advertiser_id = op.payload.get("advertiserId")
        if not advertiser_id:
            return ItemResult(op.key, False, error="no advertiserId for this campaign")
        body = await self.client.create_campaign(mapping.campaign_create_body(op.payload, str(advertiser_id)))
        return self._created(op, body)

    async def _create_ad_set(self, op: Operation, ids: Mapping[Address, str]) -> ItemResult:
        ref = op.refs.get("campaignId")
        campaign_id = ids.get(ref) if ref is not None else op.payload.get("campaignId")
        if not campaign_id:
            where = f"campaign {ref} has no id yet" if ref is not None else "no campaignId for this ad set"
            return ItemResult(op.key, False, error=where)
        body = await self.client.create_ad_set(mapping.ad_set_create_body(op.payload, str(campaign_id)))
        return self._created(op, body)

    def _created(self, op: Operation, body: Mapping[str, Any]) -> ItemResult:
        data = body.get("data")
        new_id = data.get("id") if isinstance(data, Mapping) else None
        if not new_id:
            errors = [e for e in body.get("errors") or [] if isinstance(e, Mapping)]
            if errors:
                return ItemResult(op.key, False, error=self._problems_text(errors, "create refused"))
            # The platform may have made it: fail the call so the journal keeps the create for recovery.
            raise PlatformError(f"Criteo create of {op.address} returned no id")
        return ItemResult(op.key, True, str(new_id))

    async def _link_audience(self, op: Operation, ids: Mapping[Address, str]) -> ItemResult:
        object_id = op.id or ids.get(op.address)
        if not object_id:
            return ItemResult(op.key, False, error=f"{op.address} has no id")
        audience = op.payload.get("audience")
        try:
            body = await self.client.link_audience(object_id, None if audience is None else str(audience))
        except CriteoApiError as exc:
            if exc.status not in ITEM_STATUSES:
                raise
            return ItemResult(op.key, False, error=self._problems_text(exc.problems, exc.message))
        errors = [e for e in body.get("errors") or [] if isinstance(e, Mapping)]
        if errors:
            return ItemResult(op.key, False, error=self._problems_text(errors, "audience link refused"))
        return ItemResult(op.key, True, object_id)

    async def _batch(
        self, verb: str, ops: Sequence[Operation], ids: Mapping[Address, str]
    ) -> list[ItemResult]:
        results: dict[str, ItemResult] = {}
        sent: list[tuple[Operation, str]] = []
        for op in ops:
            object_id = op.id or ids.get(op.address)
            if object_id:
                sent.append((op, object_id))
            else:
                results[op.key] = ItemResult(op.key, False, error=f"{op.address} has no id")
        if sent:
            try:
                body = await self._send_batch(verb, sent)
            except CriteoApiError as exc:
                if exc.status not in ITEM_STATUSES:
                    raise
                body = {"data": [], "errors": exc.problems or [{"title": exc.message}]}
            results.update(self._item_results(sent, body))
        return [results[op.key] for op in ops]

    async def _send_batch(self, verb: str, sent: Sequence[tuple[Operation, str]]) -> dict[str, Any]:
        if verb == "patch_ad_set":
            return await self.client.patch_ad_sets(
                [(i, mapping.ad_set_patch_body(op.payload)) for op, i in sent]
            )
        if verb == "patch_campaign":
            return await self.client.patch_campaigns(
                [(i, mapping.campaign_patch_body(op.payload)) for op, i in sent]
            )
        if verb == "start_ad_set":
            return await self.client.start_ad_sets([i for _, i in sent])
        return await self.client.stop_ad_sets([i for _, i in sent])

    def _item_results(
        self, sent: Sequence[tuple[Operation, str]], body: Mapping[str, Any]
    ) -> dict[str, ItemResult]:
        confirmed = {str(d.get("id")) for d in body.get("data") or [] if isinstance(d, Mapping)}
        by_index: dict[int, list[Mapping[str, Any]]] = {}
        by_id: dict[str, list[Mapping[str, Any]]] = {}
        general: list[Mapping[str, Any]] = []
        ids = {i for _, i in sent}
        for problem in body.get("errors") or []:
            if not isinstance(problem, Mapping):
                continue
            index = _index(problem)
            if index is not None and 0 <= index < len(sent):
                by_index.setdefault(index, []).append(problem)
            elif str(problem.get("id") or "") in ids:
                by_id.setdefault(str(problem["id"]), []).append(problem)
            else:
                general.append(problem)
        results: dict[str, ItemResult] = {}
        for index, (op, object_id) in enumerate(sent):
            problems = by_index.get(index, []) + by_id.get(object_id, [])
            if problems:
                results[op.key] = ItemResult(op.key, False, object_id, self._problems_text(problems, ""))
            elif object_id in confirmed:
                results[op.key] = ItemResult(op.key, True, object_id)
            else:
                reason = self._problems_text(
                    general, "Criteo did not confirm this item and reported no error"
                )
                results[op.key] = ItemResult(op.key, False, object_id, reason)
        return results

    @staticmethod
    def _problems_text(problems: Sequence[Mapping[str, Any]], fallback: str) -> str:
        return "; ".join(problem_text(p) for p in problems) or fallback

    async def find_created(self, resource: Resource, parent_id: str | None) -> list[str]:
        name = resource.attributes.get("name")
        if not isinstance(name, str):
            return []
        if resource.address.kind == "ad_set":
            campaign_id = parent_id or resource.scope.get("campaignId")
            if not campaign_id:
                return []
            rows = await self.client.search_ad_sets(campaign_ids=[str(campaign_id)])
        elif resource.address.kind == "campaign":
            advertiser_id = resource.scope.get("advertiserId")
            if not advertiser_id:
                return []
            rows = await self.client.search_campaigns(advertiser_ids=[str(advertiser_id)])
        else:
            return []
        found = [
            str(row.get("id"))
            for row in rows
            if isinstance(row.get("attributes"), Mapping) and row["attributes"].get("name") == name
        ]
        return sorted(set(found), key=lambda i: (len(i), i))

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

    async def aclose(self) -> None:
        await self.client.aclose()
