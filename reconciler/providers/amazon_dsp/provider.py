"""The Amazon DSP provider: kinds `campaign`, `ad_group`, `targets` and `creative_association`.

Reads are one paginated list call per kind and advertiser (plus a flights and a products call per
campaign), run concurrently. Changes become operations at each endpoint's batch limit; campaigns and
ad groups are created inactive and activated by a `final` PATCH once everything below them exists.
Target sets are written as deletes then posts of single targets, several sets per request (1000
targets), never splitting a set; a set on an ad group made in this apply first waits for the
platform's default targets of its type so they are replaced, not left behind. Names (locations,
audiences, product categories, creatives) are resolved to ids at plan time; moderation results are
reported as warnings on plan (`notices`) and after apply (`settle`).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from reconciler.errors import PlanError, PlatformError, ValidationFailed
from reconciler.model import (
    Action,
    Address,
    Change,
    Diagnostic,
    ItemResult,
    KindSchema,
    LiveObject,
    Operation,
    Resource,
    Severity,
    Verb,
)
from reconciler.providers.amazon_dsp import importing, mapping, money, rules, timeline
from reconciler.providers.amazon_dsp.client import AmazonApiError, AmazonDspClient, error_text
from reconciler.providers.base import (
    ImportedFile,
    ImportFilters,
    ObjectRef,
    ProviderConfig,
    ProviderDefaults,
    located,
)

CAMPAIGN_BATCH = 5
AD_GROUP_BATCH = 20
TARGET_BATCH = 1000
ASSOCIATION_BATCH = 20
FILTER_LIMIT = 20
PAGE_SIZE = 100
DEFAULTS_WAIT = 30.0
DEFAULTS_POLL = 0.5
ADD_FIRST = frozenset({"inventorySource"})
"""Target types whose new targets are posted before the old ones are deleted (the rest: delete first,
since a target that only changes `negative` or its audience group is deleted and posted again)."""

CAMPAIGNS = "/dsp/v1/campaigns"
AD_GROUPS = "/dsp/v1/adGroups"
TARGETS = "/dsp/v1/targets"
ASSOCIATIONS = "/dsp/v1/adCreatives/associations/adGroups"

CAMPAIGN = KindSchema(
    kind="campaign",
    retire_note="retire (set INACTIVE: Amazon DSP has no delete for campaigns)",
    money=money.campaign_money,
    open_ended=money.campaign_open_ended,
    timeline=timeline.campaign_timeline,
)
AD_GROUP = KindSchema(
    kind="ad_group",
    immutable=frozenset({"inventoryType"}),
    retire_note="retire (set INACTIVE: Amazon DSP has no delete for ad groups)",
    money=money.ad_group_money,
    open_ended=money.ad_group_open_ended,
    timeline=timeline.ad_group_timeline,
)
TARGETS_KIND = KindSchema(
    kind="targets",
    retire_note="delete this type's targets (inventory sources are only forgotten)",
    adopt_note="the manifests now own every target of this type on the ad group: targets they do not "
    "list (platform defaults included) are deleted",
)
ASSOCIATION = KindSchema(
    kind="creative_association",
    immutable=frozenset({"creative"}),
    retire_note="delete the creative association",
    timeline=timeline.association_timeline,
)

# Statuses where Amazon refused the request's items (bad input): the items failed, nothing was made.
ITEM_STATUSES = frozenset({400, 404, 409, 422})

# Discovery endpoints for names: manifest field → (path, list key, id field, what it is).
DISCOVERY: dict[str, tuple[str, str, str, str]] = {
    "geoLocation": ("/dsp/v1/geoLocations/list", "geoLocations", "geoLocationId", "location"),
    "audienceId": ("/dsp/v1/audiences/list", "audiences", "audienceId", "audience"),
    "advertisedProductCategoryIds": (
        "/dsp/v1/advertisedProductCategories/list",
        "advertisedProductCategories",
        "advertisedProductCategoryId",
        "advertised product category",
    ),
    "creative": ("/dsp/v1/adCreatives/list", "adCreatives", "adCreativeId", "creative"),
}


VERBS: dict[str, Verb] = {
    v.name: v
    for v in (
        Verb("create_campaign", "create campaign", CAMPAIGN_BATCH, creates=True),
        Verb("patch_campaign", "update campaign", CAMPAIGN_BATCH),
        Verb("activate_campaign", "activate campaign", CAMPAIGN_BATCH, final=True),
        Verb("retire_campaign", "set campaign inactive", CAMPAIGN_BATCH, forgets=True),
        Verb("delete_flights", "delete flights"),
        Verb("update_flights", "update flights"),
        Verb("create_flights", "create flights"),
        Verb("add_products", "add tracked products"),
        Verb("delete_products", "remove tracked products"),
        Verb("create_ad_group", "create ad group", AD_GROUP_BATCH, creates=True),
        Verb("patch_ad_group", "update ad group", AD_GROUP_BATCH),
        Verb("activate_ad_group", "activate ad group", AD_GROUP_BATCH, final=True),
        Verb("retire_ad_group", "set ad group inactive", AD_GROUP_BATCH, forgets=True),
        Verb("put_targets", "set targets", TARGET_BATCH, creates=True),
        Verb("replace_targets", "replace targets", TARGET_BATCH),
        Verb("delete_target_set", "delete targets", TARGET_BATCH, forgets=True),
        Verb("create_association", "associate creative", ASSOCIATION_BATCH, creates=True),
        Verb("patch_association", "update creative association", ASSOCIATION_BATCH),
        Verb("delete_association", "delete creative association", ASSOCIATION_BATCH, forgets=True),
    )
}


def _chunks(items: Sequence[str], size: int) -> list[list[str]]:
    unique = list(dict.fromkeys(items))
    return [unique[i : i + size] for i in range(0, len(unique), size)]


def _index(item: Mapping[str, Any]) -> int | None:
    try:
        return int(item.get("index"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


class AmazonDspProvider(ProviderDefaults):
    """Amazon DSP (Amazon Ads API, /dsp/v1)."""

    platform = "amazon_dsp"

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
        self._clock = clock
        self._sleep = sleep
        self._advertisers: dict[Address, str] = {}
        self._names: dict[tuple[str, str, str], list[tuple[str, str]]] = {}
        self._created_ad_groups: dict[str, tuple[float, str]] = {}
        self._moderation: dict[str, mapping.Moderation] = {}

    def __repr__(self) -> str:
        return f"AmazonDspProvider(base_url={self.config.base_url!r})"

    # -- advertisers ----------------------------------------------------------------------------------

    def _learn(self, address: Address, scope: Mapping[str, Any]) -> None:
        advertiser = scope.get(mapping.ADVERTISER)
        if advertiser:
            self._advertisers[address] = str(advertiser)

    def _advertiser_of(self, address: Address) -> list[str]:
        """The advertiser of an address: known, else that of another address of the same campaign,
        else every advertiser this run has seen."""
        known = self._advertisers.get(address)
        if known:
            return [known]
        for other, advertiser in self._advertisers.items():
            if other.path[:1] == address.path[:1]:
                return [advertiser]
        return sorted(set(self._advertisers.values()))

    # -- pure -----------------------------------------------------------------------------------------

    def kinds(self) -> Mapping[str, KindSchema]:
        return {
            "campaign": CAMPAIGN,
            "ad_group": AD_GROUP,
            "targets": TARGETS_KIND,
            "creative_association": ASSOCIATION,
        }

    def natural_id(self, resource: Resource, parent_id: str | None) -> str | None:
        if resource.address.kind != "targets" or not parent_id:
            return None
        self._learn(resource.address, resource.scope)
        return mapping.target_set_id(parent_id, resource.address.path[-1])

    def operations(self, change: Change) -> list[Operation]:
        self._learn(change.address, change.scope)
        advertiser = next(iter(self._advertiser_of(change.address)), "")
        kind = change.address.kind
        if kind == "campaign":
            ops = self._campaign_operations(change)
        elif kind == "ad_group":
            ops = self._ad_group_operations(change)
        elif kind == "targets":
            ops = self._target_operations(change)
        elif kind == "creative_association":
            ops = self._association_operations(change)
        else:
            raise PlatformError(f"{change.address}: Amazon DSP has no kind `{kind}`")
        for op in ops:
            op.payload[mapping.ADVERTISER] = advertiser
        return ops

    def _campaign_operations(self, change: Change) -> list[Operation]:
        desired = change.desired
        if change.action == Action.RETIRE:
            return [self._op("retire_campaign", change, {})]
        if change.action == Action.CREATE:
            create = self._op("create_campaign", change, dict(desired))
            ops = [create]
            products = desired.get("trackedProducts") or []
            if products:
                ops.append(self._op("add_products", change, {"products": products}, after=[create.key]))
            if str(desired.get("state", "")).upper() == "ACTIVE":
                ops.append(self._op("activate_campaign", change, {}))
            return ops
        paths = [f.path for f in change.fields]
        ops = []
        patch = mapping.patch_body(desired, paths, skip=("flights", "trackedProducts", "state"))
        activate = False
        if any(p == "state" for p in paths):
            if str(desired.get("state", "")).upper() == "ACTIVE":
                activate = True
            else:
                patch["state"] = desired.get("state")
        if patch:
            ops.append(self._op("patch_campaign", change, patch))
        for field in change.fields:
            if field.path == "flights":
                ops.extend(self._flight_operations(change, field.old or [], field.new or []))
            elif field.path == "trackedProducts":
                ops.extend(self._product_operations(change, field.old or [], field.new or []))
        if activate:
            ops.append(self._op("activate_campaign", change, {}))
        return ops

    def _flight_operations(
        self, change: Change, old: Sequence[Mapping[str, Any]], new: Sequence[Mapping[str, Any]]
    ) -> list[Operation]:
        """Flights are identified by their start: delete, then update, then create (in that order)."""
        have = {mapping.instant(f.get("startDateTime")): f for f in old}
        want = {mapping.instant(f.get("startDateTime")): f for f in new}
        gone = [start for start in have if start not in want]
        now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        started = [s for s in gone if str(s) <= now]
        if started:
            raise ValidationFailed(
                [
                    located(
                        change,
                        "flights",
                        f"the flight starting {start} has started: Amazon DSP cannot delete it",
                        "keep the flight in the manifest (you may lower its budget or end it sooner)",
                    )
                    for start in started
                ]
            )
        changed = [
            dict(want[s])
            for s in want
            if s in have
            and mapping.canonical_key(mapping.flight_from_wire(want[s]))
            != mapping.canonical_key(mapping.flight_from_wire(have[s]))
        ]
        added = [dict(want[s]) for s in want if s not in have]
        ops: list[Operation] = []
        if gone:
            ops.append(self._op("delete_flights", change, {"starts": gone}))
        if changed:
            ops.append(self._op("update_flights", change, {"flights": changed}, after=[o.key for o in ops]))
        if added:
            ops.append(self._op("create_flights", change, {"flights": added}, after=[o.key for o in ops]))
        return ops

    def _product_operations(
        self, change: Change, old: Sequence[Mapping[str, Any]], new: Sequence[Mapping[str, Any]]
    ) -> list[Operation]:
        have = {mapping.product_key(p): dict(p) for p in old}
        want = {mapping.product_key(p): dict(p) for p in new}
        replaced = [k for k in want if k in have and mapping.product_from_wire(want[k]) != have[k]]
        delete = [have[k] for k in have if k not in want or k in replaced]
        add = [want[k] for k in want if k not in have or k in replaced]
        ops: list[Operation] = []
        if delete:
            ops.append(self._op("delete_products", change, {"products": delete}))
        if add:
            ops.append(self._op("add_products", change, {"products": add}, after=[o.key for o in ops]))
        return ops

    def _ad_group_operations(self, change: Change) -> list[Operation]:
        desired = change.desired
        if change.action == Action.RETIRE:
            return [self._op("retire_ad_group", change, {})]
        active = str(desired.get("state", "")).upper() == "ACTIVE"
        if change.action == Action.CREATE:
            inventory = str(desired.get("inventoryType", ""))
            if inventory in rules.DEPRECATED_INVENTORY:
                raise ValidationFailed(
                    [
                        located(
                            change,
                            "inventoryType",
                            f"Amazon DSP no longer creates {inventory} ad groups (deprecated since June 30, "
                            "2025); existing ones keep running",
                            f"use {rules.DEPRECATED_INVENTORY[inventory]} for a new ad group",
                        )
                    ]
                )
            ops = [
                self._op(
                    "create_ad_group",
                    change,
                    dict(desired),
                    refs=self._parent_ref(change, "campaignId"),
                )
            ]
            if active:
                ops.append(self._op("activate_ad_group", change, {}))
            return ops
        paths = [f.path for f in change.fields]
        patch = mapping.patch_body(desired, paths, skip=("state",))
        if "state" in paths and not active:
            patch["state"] = desired.get("state")
        ops = [self._op("patch_ad_group", change, patch)] if patch else []
        if "state" in paths and active:
            ops.append(self._op("activate_ad_group", change, {}))
        return ops

    def _target_operations(self, change: Change) -> list[Operation]:
        type_key = change.address.path[-1]
        if change.action == Action.RETIRE:
            return [self._op("delete_target_set", change, {"type": type_key})]
        targets = list(change.desired.get("targets") or [])
        if change.action == Action.CREATE:
            payload = {"type": type_key, "targets": targets}
            refs = self._parent_ref(change, "adGroupId")
            return [self._op("put_targets", change, payload, refs=refs)]
        old = next((f.old for f in change.fields if f.path == "targets"), None) or []
        delete, add = mapping.target_delta(old, targets)
        if not delete and not add:
            return []
        payload = {"type": type_key, "targets": targets, "delete": delete, "add": add}
        return [self._op("replace_targets", change, payload)]

    def _association_operations(self, change: Change) -> list[Operation]:
        if change.action == Action.RETIRE:
            return [self._op("delete_association", change, {})]
        if change.action == Action.CREATE:
            refs = self._parent_ref(change, "adGroupId")
            payload = dict(change.desired)
            return [self._op("create_association", change, payload, refs=refs)]
        return [self._op("patch_association", change, dict(change.desired))]

    @staticmethod
    def _parent_ref(change: Change, field: str) -> dict[str, Address]:
        return {field: change.parent} if change.parent is not None else {}

    @staticmethod
    def _op(
        verb: str,
        change: Change,
        payload: dict[str, Any],
        *,
        after: list[str] | None = None,
        refs: dict[str, Address] | None = None,
    ) -> Operation:
        return Operation(
            f"{verb}:{change.address}",
            change.address,
            VERBS[verb],
            payload,
            id=change.id,
            refs=refs or {},
            after=after or [],
        )

    # -- names ----------------------------------------------------------------------------------------

    async def resolve(self, resources: Sequence[Resource]) -> list[Resource]:
        for resource in resources:
            self._learn(resource.address, resource.scope)
        wanted: dict[tuple[str, str, str], None] = {}
        for resource in resources:
            for field, name, _ in self._names_in(resource):
                wanted[(resource.scope.get(mapping.ADVERTISER, ""), field, name)] = None
        missing = [k for k in wanted if k not in self._names]
        found = await asyncio.gather(*(self._discover(*k) for k in missing))
        self._names.update(zip(missing, found, strict=True))
        problems: list[Diagnostic] = []
        resolved = [self._resolved(r, problems) for r in resources]
        if not problems:
            problems.extend(await self._creative_problems(resolved))
        if problems:
            raise ValidationFailed(problems)
        return resolved

    async def _creative_problems(self, resources: Sequence[Resource]) -> list[Diagnostic]:
        """Associations whose creative does not exist in the advertiser, or whose type the ad group's
        inventory type does not accept (the guide's compatibility table): found at plan time, before any
        write, with one discovery read per advertiser and page of 100 creatives."""
        inventory = {
            r.address: r.attributes.get("inventoryType") for r in resources if r.address.kind == "ad_group"
        }
        associations = [r for r in resources if r.address.kind == "creative_association"]
        wanted: dict[str, set[str]] = {}
        for resource in associations:
            wanted.setdefault(resource.scope.get(mapping.ADVERTISER, ""), set()).add(
                str(resource.attributes["creative"])
            )
        reads = [
            (advertiser, chunk)
            for advertiser, ids in wanted.items()
            for chunk in _chunks(sorted(ids), PAGE_SIZE)
        ]
        pages = await asyncio.gather(*(self._creatives(advertiser, chunk) for advertiser, chunk in reads))
        types = {
            (advertiser, row["adCreativeId"]): row.get("creativeType")
            for (advertiser, _), rows in zip(reads, pages, strict=True)
            for row in rows
        }
        problems: list[Diagnostic] = []
        for resource in associations:
            advertiser = resource.scope.get(mapping.ADVERTISER, "")
            creative = str(resource.attributes["creative"])
            if (advertiser, creative) not in types:
                problems.append(
                    located(
                        resource,
                        "creative",
                        f"creative {creative} does not exist in advertiser {advertiser}",
                        "write the id (or the exact name) of one of the advertiser's creatives",
                    )
                )
                continue
            kind = inventory.get(resource.parent) if resource.parent else None
            accepted = mapping.CREATIVE_TYPES_BY_INVENTORY.get(str(kind), frozenset())
            creative_type = types[(advertiser, creative)]
            if kind is not None and creative_type not in accepted:
                problems.append(
                    located(
                        resource,
                        "creative",
                        f"creative {creative} is a {creative_type} creative, which {kind} ad groups "
                        "do not accept",
                        f"associate a creative of one of these types: {', '.join(sorted(accepted))}",
                    )
                )
        return problems

    async def _creatives(self, advertiser: str, ids: Sequence[str]) -> list[dict[str, Any]]:
        filters = [{"field": "AD_CREATIVE_ID", "value": i, "include": True} for i in ids]
        path, key, _, _ = DISCOVERY["creative"]
        rows = await self.client.list_all(path, advertiser, {"filters": filters}, key)
        return [{**row, "adCreativeId": str(row.get("adCreativeId"))} for row in rows]

    @staticmethod
    def _names_in(resource: Resource) -> list[tuple[str, str, str]]:
        """(discovery field, name, attribute path) of every `{name: ...}` in a resource."""
        attributes = resource.attributes
        found: list[tuple[str, str, str]] = []
        kind = resource.address.kind
        if kind == "ad_group":
            for i, item in enumerate(attributes.get("advertisedProductCategoryIds") or []):
                if isinstance(item, Mapping) and "name" in item:
                    found.append(
                        (
                            "advertisedProductCategoryIds",
                            str(item["name"]),
                            f"advertisedProductCategoryIds.{i}",
                        )
                    )
        elif kind == "creative_association":
            creative = attributes.get("creative")
            if isinstance(creative, Mapping) and "name" in creative:
                found.append(("creative", str(creative["name"]), "creative"))
        elif kind == "targets":
            for i, target in enumerate(attributes.get("targets") or []):
                for field in ("geoLocation", "audienceId"):
                    value = target.get(field) if isinstance(target, Mapping) else None
                    if isinstance(value, Mapping) and "name" in value:
                        found.append((field, str(value["name"]), f"targets.{i}.{field}"))
        return found

    async def _discover(self, advertiser: str, field: str, name: str) -> list[tuple[str, str]]:
        """(id, name) of the objects named so; when there is none, of those whose name holds the name's
        longest word (`*word*`, the API's fuzzy match), as candidates to show."""
        path, key, id_field, _ = DISCOVERY[field]
        found: list[tuple[str, str]] = []
        for value in (name, f"*{max(name.split(), key=len, default=name)}*"):
            body = {"filters": [{"field": "NAME", "value": value, "include": True}]}
            rows = await self.client.list_all(path, advertiser, body, key)
            found = [
                (str(row.get(id_field) or row.get("id") or ""), str(row.get("name") or "")) for row in rows
            ]
            if any(_same_name(n, name) for _, n in found):
                break
        return found

    def _resolved(self, resource: Resource, problems: list[Diagnostic]) -> Resource:
        names = self._names_in(resource)
        if not names:
            return resource
        advertiser = resource.scope.get(mapping.ADVERTISER, "")
        ids: dict[str, str] = {}
        for field, name, path in names:
            candidates = self._names.get((advertiser, field, name), [])
            exact = [c for c in candidates if _same_name(c[1], name)]
            what = DISCOVERY[field][3]
            if len(exact) == 1:
                ids[path] = exact[0][0]
                continue
            if not exact:
                listed = ", ".join(f"{n!r} ({i})" for i, n in candidates[:10]) or "none"
                message = f"no {what} is named {name!r} (candidates: {listed})"
                hint = f"write the exact name of an existing {what}, or its id"
            else:
                listed = ", ".join(f"{n!r} ({i})" for i, n in exact)
                message = f"{len(exact)} {what}s are named {name!r}: {listed}"
                hint = "write the id of the one you mean instead of its name"
            problems.append(located(resource, path, message, hint))
        if len(ids) < len(names):
            return resource
        attributes = _replace_names(resource.attributes, ids)
        if resource.address.kind == "targets":
            attributes["targets"] = mapping.sort_targets(attributes.get("targets") or [])
        elif resource.address.kind == "ad_group":
            attributes["advertisedProductCategoryIds"] = sorted(
                attributes.get("advertisedProductCategoryIds") or [], key=mapping.canonical_key
            )
        return replace(resource, attributes=attributes)

    # -- reads ----------------------------------------------------------------------------------------

    async def read(self, objects: Sequence[ObjectRef]) -> dict[Address, LiveObject]:
        mine = [ref for ref in objects if ref.address.platform == self.platform]
        for ref in mine:
            self._learn(ref.address, ref.scope)
        by_advertiser: dict[str, list[tuple[Address, str]]] = {}
        for ref in mine:
            for advertiser in self._advertiser_of(ref.address):
                by_advertiser.setdefault(advertiser, []).append((ref.address, str(ref.id)))
        results = await asyncio.gather(*(self._read_for(a, objs) for a, objs in by_advertiser.items()))
        live: dict[Address, LiveObject] = {}
        for result in results:
            live.update(result)
        return live

    async def _read_for(
        self, advertiser: str, objects: Sequence[tuple[Address, str]]
    ) -> dict[Address, LiveObject]:
        by_kind: dict[str, dict[str, list[Address]]] = {}
        for address, object_id in objects:
            by_kind.setdefault(address.kind, {}).setdefault(object_id, []).append(address)
        target_sets = {
            object_id: split
            for object_id in by_kind.get("targets", {})
            if (split := mapping.split_target_set_id(object_id)) is not None
        }
        associations = {
            object_id: split
            for object_id in by_kind.get("creative_association", {})
            if (split := mapping.split_association_id(object_id)) is not None
        }
        ad_group_ids = [
            *by_kind.get("ad_group", {}),
            *(s[0] for s in target_sets.values()),
            *(s[0] for s in associations.values()),
        ]
        ad_groups, target_rows, association_rows = await asyncio.gather(
            self._list_ad_groups(advertiser, ad_group_ids),
            self._list_targets(
                advertiser, [s[0] for s in target_sets.values()], {s[1] for s in target_sets.values()}
            ),
            self._list_associations(advertiser, [s[0] for s in associations.values()]),
        )
        campaign_ids = [*by_kind.get("campaign", {}), *(str(r.get("campaignId")) for r in ad_groups.values())]
        campaigns = await self._read_campaigns(advertiser, campaign_ids, set(by_kind.get("campaign", {})))
        live: dict[Address, LiveObject] = {}
        for object_id, addresses in by_kind.get("campaign", {}).items():
            if object_id in campaigns:
                for address in addresses:
                    live[address] = LiveObject(address, object_id, campaigns[object_id][1])
        for object_id, addresses in by_kind.get("ad_group", {}).items():
            row = ad_groups.get(object_id)
            if row is None:
                continue
            automated = mapping.campaign_budget_automated(
                campaigns.get(str(row.get("campaignId")), ({}, {}))[0]
            )
            for address in addresses:
                live[address] = LiveObject(address, object_id, mapping.ad_group_from_wire(row, automated))
        grouped: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for row in target_rows:
            parsed = mapping.target_from_wire(row)
            if parsed is not None:
                grouped.setdefault((parsed[0], parsed[1]), []).append(parsed[2])
        for object_id, (ad_group_id, type_key) in target_sets.items():
            if ad_group_id not in ad_groups:
                continue
            attributes = {"targets": mapping.sort_targets(grouped.get((ad_group_id, type_key), []))}
            for address in by_kind["targets"][object_id]:
                live[address] = LiveObject(address, object_id, attributes)
        by_pair = {(str(r.get("adGroupId")), str(r.get("adCreativeId"))): r for r in association_rows}
        rejected: list[tuple[str, str]] = []
        for object_id, pair in associations.items():
            row = by_pair.get(pair)
            if row is None:
                continue
            moderation = mapping.moderation_from_wire(row)
            self._moderation[object_id] = moderation
            if moderation.status == "NOT_APPROVED":
                rejected.append(pair)
            for address in by_kind["creative_association"][object_id]:
                live[address] = LiveObject(address, object_id, mapping.association_from_wire(row))
        if rejected:
            await self._read_moderation(advertiser, rejected)
        return live

    async def _list_ad_groups(self, advertiser: str, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        rows = await self._list_in_chunks(AD_GROUPS + "/list", advertiser, "adGroupIdFilter", ids, "adGroups")
        return {str(r.get("adGroupId")): r for r in rows}

    async def _list_in_chunks(
        self, path: str, advertiser: str, filter_name: str, ids: Sequence[str], key: str, size: int = 100
    ) -> list[dict[str, Any]]:
        chunks = _chunks([i for i in ids if i], size)
        pages = await asyncio.gather(
            *(self.client.list_all(path, advertiser, {filter_name: {"include": c}}, key) for c in chunks)
        )
        return [row for page in pages for row in page]

    async def _list_targets(
        self, advertiser: str, ad_group_ids: Sequence[str], type_keys: Iterable[str]
    ) -> list[dict[str, Any]]:
        types = sorted(mapping.BY_KEY[k].wire for k in type_keys)
        chunks = _chunks([i for i in ad_group_ids if i], 100)
        pages = await asyncio.gather(
            *(
                self.client.list_all(
                    TARGETS + "/list",
                    advertiser,
                    {"filters": {"adGroupIdFilter": chunk, "targetTypeFilter": types}},
                    "targets",
                )
                for chunk in chunks
            )
        )
        return [row for page in pages for row in page]

    async def _list_associations(self, advertiser: str, ad_group_ids: Sequence[str]) -> list[dict[str, Any]]:
        return await self._list_in_chunks(
            ASSOCIATIONS + "/list", advertiser, "adGroupIdFilter", ad_group_ids, "associations", FILTER_LIMIT
        )

    async def _read_campaigns(
        self, advertiser: str, ids: Sequence[str], full: set[str]
    ) -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
        """campaign id → (wire row, canonical attributes); flights and products only for `full` ids."""
        rows = await self._list_in_chunks(
            CAMPAIGNS + "/list", advertiser, "campaignIdFilter", ids, "campaigns"
        )
        return await self._with_extras(advertiser, rows, full)

    async def _with_extras(
        self, advertiser: str, rows: Sequence[dict[str, Any]], full: set[str]
    ) -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
        """campaign id → (wire row, canonical attributes) of listed rows; flights and products read only for
        `full` ids."""
        wanted = [r for r in rows if str(r.get("campaignId")) in full]
        extras = await asyncio.gather(*(self._campaign_extras(advertiser, r) for r in wanted))
        result: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
            str(r.get("campaignId")): (r, {}) for r in rows
        }
        for row, (flights, products) in zip(wanted, extras, strict=True):
            result[str(row.get("campaignId"))] = (row, mapping.campaign_from_wire(row, flights, products))
        return result

    async def _campaign_extras(
        self, advertiser: str, row: Mapping[str, Any]
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        campaign_id = str(row.get("campaignId"))
        inline = mapping.wire_flights(row)
        flights_call = self._flights(advertiser, campaign_id) if inline is None else _value(inline)
        flights, products = await asyncio.gather(flights_call, self._products(advertiser, campaign_id))
        return flights, products

    async def _flights(self, advertiser: str, campaign_id: str) -> list[dict[str, Any]]:
        return await self.client.list_all(
            f"{CAMPAIGNS}/{campaign_id}/flights/list", advertiser, {}, "flights"
        )

    async def _products(self, advertiser: str, campaign_id: str) -> list[dict[str, Any]]:
        body = await self.client.get(f"{CAMPAIGNS}/{campaign_id}/conversionTracking/products", advertiser)
        rows = body.get("productTrackingList") or body.get("products") or []
        return [r for r in rows if isinstance(r, dict)]

    async def _read_moderation(self, advertiser: str, pairs: Sequence[tuple[str, str]]) -> None:
        """The reasons of NOT_APPROVED associations, from `/moderations/list` (20 ids a filter)."""
        for chunk in [pairs[i : i + FILTER_LIMIT] for i in range(0, len(pairs), FILTER_LIMIT)]:
            body = {
                "adGroupIdFilter": {"include": list(dict.fromkeys(p[0] for p in chunk))},
                "adCreativeIdFilter": {"include": list(dict.fromkeys(p[1] for p in chunk))},
            }
            rows = await self.client.list_all(
                ASSOCIATIONS + "/moderations/list", advertiser, body, "associationStatuses"
            )
            for row in rows:
                object_id = mapping.association_id(str(row.get("adGroupId")), str(row.get("adCreativeId")))
                moderation = mapping.moderation_from_wire(row)
                if moderation.rejected:
                    self._moderation[object_id] = mapping.Moderation("NOT_APPROVED", moderation.rejected)

    # -- warnings -------------------------------------------------------------------------------------

    def notices(self, live: Mapping[Address, LiveObject]) -> list[Diagnostic]:
        found: list[Diagnostic] = []
        for address, obj in sorted(live.items()):
            if address.kind != "creative_association":
                continue
            moderation = self._moderation.get(obj.id)
            if moderation is not None and moderation.status == "NOT_APPROVED":
                found.append(self._rejected(address, obj.id, moderation))
        return found

    @staticmethod
    def _rejected(address: Address, object_id: str, moderation: mapping.Moderation) -> Diagnostic:
        ad_group_id, _, creative_id = object_id.partition("/")
        reasons = "; ".join(
            f"{experience}: {', '.join(why) or 'no reason given'}" for experience, why in moderation.rejected
        )
        return Diagnostic(
            message=f"creative {creative_id} is NOT_APPROVED by moderation on ad group {ad_group_id}"
            + (f" ({reasons})" if reasons else ""),
            hint="fix the creative per Amazon DSP policy, or associate another creative",
            severity=Severity.WARNING,
            address=str(address),
        )

    async def settle(
        self, objects: Sequence[ObjectRef], wait: bool, progress: Callable[[str], None] | None
    ) -> list[Diagnostic]:
        associations = [r for r in objects if r.address.kind == "creative_association"]
        if not associations:
            return []
        live = await self.read(associations)
        return self.notices(live)

    # -- writes ---------------------------------------------------------------------------------------

    def verbs(self) -> Mapping[str, Verb]:
        return VERBS

    async def execute(
        self, verb: Verb, ops: Sequence[Operation], ids: Mapping[Address, str]
    ) -> list[ItemResult]:
        if not ops:
            return []
        for op in ops:
            self._learn(op.address, op.payload)
        handlers: dict[
            str, Callable[[Sequence[Operation], Mapping[Address, str]], Awaitable[list[ItemResult]]]
        ] = {
            "create_campaign": self._create_campaigns,
            "patch_campaign": lambda o, i: self._patch(CAMPAIGNS, "campaigns", "campaignId", o, i, _fields),
            "activate_campaign": lambda o, i: self._patch(
                CAMPAIGNS, "campaigns", "campaignId", o, i, _to_active
            ),
            "retire_campaign": lambda o, i: self._patch(
                CAMPAIGNS, "campaigns", "campaignId", o, i, _to_inactive
            ),
            "create_ad_group": self._create_ad_groups,
            "patch_ad_group": lambda o, i: self._patch(AD_GROUPS, "adGroups", "adGroupId", o, i, _fields),
            "activate_ad_group": lambda o, i: self._patch(
                AD_GROUPS, "adGroups", "adGroupId", o, i, _to_active
            ),
            "retire_ad_group": lambda o, i: self._patch(
                AD_GROUPS, "adGroups", "adGroupId", o, i, _to_inactive
            ),
            "delete_flights": self._each(self._delete_flights),
            "update_flights": self._each(self._update_flights),
            "create_flights": self._each(self._create_flights),
            "add_products": self._each(self._add_products),
            "delete_products": self._each(self._delete_products),
            "put_targets": self._put_targets,
            "replace_targets": self._put_targets,
            "delete_target_set": self._put_targets,
            "create_association": lambda o, i: self._associations("POST", ASSOCIATIONS, o, i),
            "patch_association": lambda o, i: self._associations("PATCH", ASSOCIATIONS, o, i),
            "delete_association": lambda o, i: self._associations("POST", ASSOCIATIONS + "/delete", o, i),
        }
        handler = handlers.get(verb.name)
        if handler is None:
            raise PlatformError(f"Amazon DSP has no operation `{verb}`")
        return await handler(ops, ids)

    # campaigns and ad groups ------------------------------------------------------------------------

    async def _create_campaigns(
        self, ops: Sequence[Operation], ids: Mapping[Address, str]
    ) -> list[ItemResult]:
        items = [(op, mapping.campaign_create_body(_desired(op), _advertiser(op))) for op in ops]
        return await self._batch_write("POST", CAMPAIGNS, "campaigns", "campaignId", items)

    async def _create_ad_groups(
        self, ops: Sequence[Operation], ids: Mapping[Address, str]
    ) -> list[ItemResult]:
        results: dict[str, ItemResult] = {}
        items: list[tuple[Operation, dict[str, Any]]] = []
        for op in ops:
            campaign_id = _ref(op, "campaignId", ids)
            if not campaign_id:
                results[op.key] = ItemResult(op.key, False, error=f"the campaign of {op.address} has no id")
                continue
            items.append((op, mapping.ad_group_create_body(_desired(op), campaign_id)))
        for result in await self._batch_write("POST", AD_GROUPS, "adGroups", "adGroupId", items):
            results[result.key] = result
            if result.ok and result.id:
                op = next(o for o, _ in items if o.key == result.key)
                self._created_ad_groups[result.id] = (self._clock(), str(op.payload.get("inventoryType", "")))
        return [results[op.key] for op in ops]

    async def _patch(
        self,
        path: str,
        key: str,
        id_field: str,
        ops: Sequence[Operation],
        ids: Mapping[Address, str],
        body: Callable[[Operation], dict[str, Any]],
    ) -> list[ItemResult]:
        results: dict[str, ItemResult] = {}
        items: list[tuple[Operation, dict[str, Any]]] = []
        for op in ops:
            object_id = op.id or ids.get(op.address)
            if not object_id:
                results[op.key] = ItemResult(op.key, False, error=f"{op.address} has no id")
                continue
            items.append((op, {id_field: object_id, **body(op)}))
        for result in await self._batch_write("PATCH", path, key, id_field, items):
            results[result.key] = result
        return [results[op.key] for op in ops]

    async def _batch_write(
        self,
        method: str,
        path: str,
        key: str,
        id_field: str,
        items: Sequence[tuple[Operation, dict[str, Any]]],
    ) -> list[ItemResult]:
        """One 207 batch call of one advertiser's items; one result per item."""
        if not items:
            return []
        results: list[ItemResult] = []
        for advertiser, group in _by_advertiser(items).items():
            try:
                body = await self.client.request(method, path, advertiser, json={key: [b for _, b in group]})
            except AmazonApiError as exc:
                if exc.status not in ITEM_STATUSES:
                    raise
                results.extend(ItemResult(op.key, False, error=exc.detail) for op, _ in group)
                continue
            successes = {_index(s): s for s in body.get("success") or [] if isinstance(s, Mapping)}
            errors: dict[int | None, list[str]] = {}
            for error in body.get("error") or []:
                if isinstance(error, Mapping):
                    errors.setdefault(_index(error), []).append(error_text(error))
            for index, (op, item) in enumerate(group):
                if index in errors:
                    results.append(ItemResult(op.key, False, error="; ".join(errors[index])))
                elif index in successes:
                    object_id = successes[index].get(id_field) or item.get(id_field)
                    results.append(ItemResult(op.key, True, str(object_id) if object_id else None))
                elif op.creates:
                    raise PlatformError(f"Amazon DSP {method} {path} did not report on {op.address}")
                else:
                    results.append(ItemResult(op.key, False, error="Amazon DSP did not report on this item"))
        return results

    # flights and tracked products -------------------------------------------------------------------

    def _each(
        self, call: Callable[[Operation, str, str], Awaitable[None]]
    ) -> Callable[[Sequence[Operation], Mapping[Address, str]], Awaitable[list[ItemResult]]]:
        """A handler running `call(op, advertiser, campaign id)` for each op, one result each."""

        async def run(ops: Sequence[Operation], ids: Mapping[Address, str]) -> list[ItemResult]:
            results: list[ItemResult] = []
            for op in ops:
                campaign_id = op.id or ids.get(op.address)
                if not campaign_id:
                    results.append(ItemResult(op.key, False, error=f"{op.address} has no id"))
                    continue
                try:
                    await call(op, _advertiser(op), campaign_id)
                except (AmazonApiError, _ItemFailed) as exc:
                    if isinstance(exc, AmazonApiError) and exc.status not in ITEM_STATUSES:
                        raise
                    results.append(ItemResult(op.key, False, error=getattr(exc, "detail", str(exc))))
                    continue
                results.append(ItemResult(op.key, True, campaign_id))
            return results

        return run

    async def _flight_ids(self, advertiser: str, campaign_id: str) -> dict[str, str]:
        rows = await self._flights(advertiser, campaign_id)
        return {mapping.instant(r.get("startDateTime")): str(r.get("flightId")) for r in rows}

    async def _delete_flights(self, op: Operation, advertiser: str, campaign_id: str) -> None:
        known = await self._flight_ids(advertiser, campaign_id)
        flight_ids = [known[s] for s in op.payload.get("starts") or [] if s in known]
        if flight_ids:
            body = await self.client.request(
                "POST",
                f"{CAMPAIGNS}/{campaign_id}/flights/delete",
                advertiser,
                json={"flightIds": flight_ids},
            )
            _raise_errors(body)

    async def _update_flights(self, op: Operation, advertiser: str, campaign_id: str) -> None:
        known = await self._flight_ids(advertiser, campaign_id)
        flights = []
        for flight in op.payload.get("flights") or []:
            flight_id = known.get(mapping.instant(flight.get("startDateTime")))
            if flight_id is None:
                raise _ItemFailed(f"flight starting {flight.get('startDateTime')} no longer exists")
            flights.append({"flightId": flight_id, **flight})
        body = await self.client.request(
            "PATCH",
            f"{CAMPAIGNS}/{campaign_id}/flights",
            advertiser,
            json={"flights": flights},
            idempotent=True,
        )
        _raise_errors(body)

    async def _create_flights(self, op: Operation, advertiser: str, campaign_id: str) -> None:
        body = await self.client.request(
            "POST",
            f"{CAMPAIGNS}/{campaign_id}/flights",
            advertiser,
            json={"flights": op.payload.get("flights")},
        )
        _raise_errors(body)

    async def _add_products(self, op: Operation, advertiser: str, campaign_id: str) -> None:
        body = await self.client.request(
            "POST",
            f"{CAMPAIGNS}/{campaign_id}/conversionTracking/products",
            advertiser,
            json={"productTrackingList": op.payload.get("products")},
        )
        _raise_errors(body)

    async def _delete_products(self, op: Operation, advertiser: str, campaign_id: str) -> None:
        body = await self.client.request(
            "POST",
            f"{CAMPAIGNS}/{campaign_id}/conversionTracking/products/delete",
            advertiser,
            json={"productTrackingList": op.payload.get("products")},
        )
        _raise_errors(body)

    # targets ----------------------------------------------------------------------------------------

    async def _put_targets(self, ops: Sequence[Operation], ids: Mapping[Address, str]) -> list[ItemResult]:
        """Carry out target-set operations: deletes first, then posts, several sets a request."""
        results: dict[str, ItemResult] = {}
        plans: list[_TargetPlan] = []
        for op in ops:
            ad_group_id = _ref(op, "adGroupId", ids) or _ad_group_of(op.id)
            if not ad_group_id:
                results[op.key] = ItemResult(op.key, False, error=f"the ad group of {op.address} has no id")
                continue
            plans.append(_TargetPlan(op, ad_group_id, str(op.payload.get("type", op.address.path[-1]))))
        for advertiser, group in _by_advertiser([(p.op, p) for p in plans]).items():
            sets = [p for _, p in group]
            await self._plan_from_live(advertiser, sets)
            # An ad group must keep one exchange or deal: new inventory sources go in before old ones go.
            first = [p for p in sets if p.type_key in ADD_FIRST]
            await self._send_targets(advertiser, "POST", TARGETS, first, "add")
            ok = [p for p in sets if not p.error]
            await self._send_targets(advertiser, "POST", TARGETS + "/deleteByObject", ok, "delete")
            later = [p for p in sets if not p.error and p.type_key not in ADD_FIRST]
            await self._send_targets(advertiser, "POST", TARGETS, later, "add")
        for plan in plans:
            if plan.error:
                results[plan.op.key] = ItemResult(plan.op.key, False, error=plan.error)
            else:
                set_id = mapping.target_set_id(plan.ad_group_id, plan.type_key)
                results[plan.op.key] = ItemResult(plan.op.key, True, set_id)
        return [results[op.key] for op in ops]

    async def _plan_from_live(self, advertiser: str, plans: Sequence[_TargetPlan]) -> None:
        """Fill the deletes and adds of sets planned without live targets (creates and retirements),
        waiting first for the default targets of ad groups made in this run."""
        pending = [p for p in plans if "delete" not in p.op.payload]
        if not pending:
            for plan in plans:
                plan.delete = list(plan.op.payload.get("delete") or [])
                plan.add = list(plan.op.payload.get("add") or [])
            return
        waiting = {
            (p.ad_group_id, p.type_key): self._created_ad_groups[p.ad_group_id][0] + DEFAULTS_WAIT
            for p in pending
            if p.ad_group_id in self._created_ad_groups
            and mapping.BY_KEY[p.type_key].wire
            in mapping.defaulted_types(self._created_ad_groups[p.ad_group_id][1])
        }
        while True:
            rows = await self._list_targets(
                advertiser, [p.ad_group_id for p in pending], {p.type_key for p in pending}
            )
            live: dict[tuple[str, str], list[dict[str, Any]]] = {}
            for row in rows:
                parsed = mapping.target_from_wire(row)
                if parsed is not None:
                    live.setdefault((parsed[0], parsed[1]), []).append(parsed[2])
            now = self._clock()
            waiting = {k: deadline for k, deadline in waiting.items() if k not in live and now < deadline}
            if not waiting:
                break
            await self._sleep(DEFAULTS_POLL)
        for plan in plans:
            if "delete" in plan.op.payload:
                plan.delete = list(plan.op.payload.get("delete") or [])
                plan.add = list(plan.op.payload.get("add") or [])
                continue
            have = live.get((plan.ad_group_id, plan.type_key), [])
            if plan.op.forgets and plan.type_key in ADD_FIRST:
                continue  # the last inventory sources cannot go: the set is only forgotten
            desired = [] if plan.op.forgets else list(plan.op.payload.get("targets") or [])
            plan.delete, plan.add = mapping.target_delta(have, desired)

    async def _send_targets(
        self, advertiser: str, method: str, path: str, plans: Sequence[_TargetPlan], which: str
    ) -> None:
        """Send the deletes or adds of these sets, 1000 targets a request, never splitting a set
        (unless it alone holds more than 1000)."""
        requests: list[list[tuple[_TargetPlan, dict[str, Any]]]] = [[]]
        for plan in plans:
            wire = [mapping.target_to_wire(plan.type_key, t, plan.ad_group_id) for t in getattr(plan, which)]
            if not wire:
                continue
            if requests[-1] and len(requests[-1]) + len(wire) > TARGET_BATCH:
                requests.append([])
            for target in wire:
                if len(requests[-1]) >= TARGET_BATCH:
                    requests.append([])
                requests[-1].append((plan, target))
        await asyncio.gather(*(self._send_target_request(advertiser, method, path, r) for r in requests if r))

    async def _send_target_request(
        self, advertiser: str, method: str, path: str, items: Sequence[tuple[_TargetPlan, dict[str, Any]]]
    ) -> None:
        try:
            body = await self.client.request(
                method, path, advertiser, json={"targets": [t for _, t in items]}
            )
        except AmazonApiError as exc:
            if exc.status not in ITEM_STATUSES:
                raise
            for plan, _ in items:
                plan.fail(exc.detail)
            return
        for error in body.get("error") or []:
            index = _index(error) if isinstance(error, Mapping) else None
            if index is not None and 0 <= index < len(items):
                items[index][0].fail(error_text(error))

    # creative associations --------------------------------------------------------------------------

    async def _associations(
        self, method: str, path: str, ops: Sequence[Operation], ids: Mapping[Address, str]
    ) -> list[ItemResult]:
        results: dict[str, ItemResult] = {}
        items: list[tuple[Operation, dict[str, Any]]] = []
        deleting = path.endswith("/delete")
        for op in ops:
            pair = mapping.split_association_id(op.id) if op.id else None
            ad_group_id = pair[0] if pair else _ref(op, "adGroupId", ids)
            if not ad_group_id:
                results[op.key] = ItemResult(op.key, False, error=f"the ad group of {op.address} has no id")
                continue
            attributes = {"creative": pair[1]} if deleting and pair else _desired(op)
            body = mapping.association_to_wire(attributes, ad_group_id)
            items.append((op, {k: body[k] for k in ("adGroupId", "adCreativeId")} if deleting else body))
        for advertiser, group in _by_advertiser(items).items():
            for result in await self._association_call(advertiser, method, path, group):
                results[result.key] = result
        return [results[op.key] for op in ops]

    async def _association_call(
        self, advertiser: str, method: str, path: str, items: Sequence[tuple[Operation, dict[str, Any]]]
    ) -> list[ItemResult]:
        try:
            body = await self.client.request(
                method, path, advertiser, json={"associations": [b for _, b in items]}
            )
        except AmazonApiError as exc:
            if exc.status not in ITEM_STATUSES:
                raise
            return [ItemResult(op.key, False, error=exc.detail) for op, _ in items]
        errors: dict[int | None, list[str]] = {}
        for error in body.get("error") or []:
            if isinstance(error, Mapping):
                errors.setdefault(_index(error), []).append(error_text(error))
        succeeded = {_index(s) for s in body.get("success") or [] if isinstance(s, Mapping)}
        results: list[ItemResult] = []
        for index, (op, item) in enumerate(items):
            object_id = mapping.association_id(item["adGroupId"], item["adCreativeId"])
            if index in errors:
                results.append(ItemResult(op.key, False, error="; ".join(errors[index])))
            elif index in succeeded:
                results.append(ItemResult(op.key, True, object_id))
            elif op.creates:
                raise PlatformError(f"Amazon DSP {method} {path} did not report on {op.address}")
            else:
                results.append(ItemResult(op.key, False, error="Amazon DSP did not report on this item"))
        return results

    # -- recovery -------------------------------------------------------------------------------------

    async def find_created(self, resource: Resource, parent_id: str | None) -> list[str]:
        self._learn(resource.address, resource.scope)
        name = resource.attributes.get("name")
        advertiser = resource.scope.get(mapping.ADVERTISER)
        if not isinstance(name, str) or not advertiser:
            return []
        if resource.address.kind == "campaign":
            rows = await self.client.list_all(CAMPAIGNS + "/list", advertiser, {}, "campaigns")
            id_field = "campaignId"
        elif resource.address.kind == "ad_group" and parent_id:
            body = {"campaignIdFilter": {"include": [parent_id]}}
            rows = await self.client.list_all(AD_GROUPS + "/list", advertiser, body, "adGroups")
            id_field = "adGroupId"
        else:
            return []
        found = {str(r.get(id_field)) for r in rows if r.get("name") == name and r.get(id_field)}
        return sorted(found, key=lambda i: (len(i), i))

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
        ad_groups_list = AD_GROUPS + "/list"
        if chosen:
            campaign_rows, in_campaigns, by_id = await asyncio.gather(
                self._list_in_chunks(
                    CAMPAIGNS + "/list", advertiser, "campaignIdFilter", chosen, "campaigns"
                ),
                self._list_in_chunks(
                    ad_groups_list, advertiser, "campaignIdFilter", filters.campaigns, "adGroups"
                ),
                self._list_in_chunks(ad_groups_list, advertiser, "adGroupIdFilter", filters.ids, "adGroups"),
            )
            ad_group_rows = [*in_campaigns, *by_id]
            listed = {str(r.get("campaignId")) for r in campaign_rows}
            parents = sorted({str(r.get("campaignId")) for r in ad_group_rows} - listed)
            campaign_rows += await self._list_in_chunks(
                CAMPAIGNS + "/list", advertiser, "campaignIdFilter", parents, "campaigns"
            )
        else:
            campaign_rows = await self.client.list_all(CAMPAIGNS + "/list", advertiser, {}, "campaigns")
            ids = [str(r.get("campaignId")) for r in campaign_rows]
            ad_group_rows = await self._list_in_chunks(
                ad_groups_list, advertiser, "campaignIdFilter", ids, "adGroups"
            )
        campaign_ids = {str(r.get("campaignId")) for r in campaign_rows}
        campaigns = await self._with_extras(advertiser, campaign_rows, campaign_ids - managed)
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
        canonical = {i: attributes for i, (_, attributes) in campaigns.items() if i not in managed}
        deals = {
            i for i, (row, _) in campaigns.items() if row.get("amazonGuaranteedDeal") and i not in managed
        }
        return importing.manifests(advertiser, canonical, groups, managed, taken, deals)

    async def aclose(self) -> None:
        await self.client.aclose()


class _ItemFailed(Exception):
    """One operation failed for a reason found before or after the call (not a whole-call failure)."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class _TargetPlan:
    """What one target-set operation deletes and adds, and its first error."""

    def __init__(self, op: Operation, ad_group_id: str, type_key: str) -> None:
        self.op = op
        self.ad_group_id = ad_group_id
        self.type_key = type_key
        self.delete: list[dict[str, Any]] = []
        self.add: list[dict[str, Any]] = []
        self.error = ""

    def fail(self, message: str) -> None:
        if not self.error:
            wire = mapping.BY_KEY[self.type_key].wire
            self.error = f"{wire} targets of ad group {self.ad_group_id}: {message}"


def _desired(op: Operation) -> dict[str, Any]:
    return {k: v for k, v in op.payload.items() if k != mapping.ADVERTISER}


def _advertiser(op: Operation) -> str:
    return str(op.payload.get(mapping.ADVERTISER) or "")


def _ref(op: Operation, field: str, ids: Mapping[Address, str]) -> str | None:
    ref = op.refs.get(field)
    if ref is not None:
        return ids.get(ref)
    value = op.payload.get(field)
    return str(value) if value else None


def _same_name(found: str, wanted: str) -> bool:
    return found.strip().casefold() == wanted.strip().casefold()


def _ad_group_of(object_id: str | None) -> str | None:
    split = mapping.split_target_set_id(object_id) if object_id else None
    return split[0] if split else None


def _by_advertiser(items: Sequence[tuple[Operation, Any]]) -> dict[str, list[tuple[Operation, Any]]]:
    grouped: dict[str, list[tuple[Operation, Any]]] = {}
    for op, item in items:
        grouped.setdefault(_advertiser(op), []).append((op, item))
    return grouped


def _fields(op: Operation) -> dict[str, Any]:
    return _desired(op)


def _to_active(op: Operation) -> dict[str, Any]:
    return {"state": "ACTIVE"}


def _to_inactive(op: Operation) -> dict[str, Any]:
    return {"state": "INACTIVE"}


def _raise_errors(body: Mapping[str, Any]) -> None:
    errors = [error_text(e) for e in body.get("error") or [] if isinstance(e, Mapping)]
    if errors:
        raise _ItemFailed("; ".join(errors))


async def _value(value: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return value


def _replace_names(attributes: dict[str, Any], ids: Mapping[str, str]) -> dict[str, Any]:
    """A copy of `attributes` with the value at each dotted path of `ids` replaced by its id."""

    def walk(value: Any, path: str) -> Any:
        if path in ids:
            return ids[path]
        if isinstance(value, dict):
            return {k: walk(v, f"{path}.{k}" if path else k) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, f"{path}.{i}") for i, v in enumerate(value)]
        return value

    result: dict[str, Any] = walk(attributes, "")
    return result


PROVIDER = AmazonDspProvider
