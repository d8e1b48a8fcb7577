"""The AppLovin provider: campaigns, targets, creative sets, assets, ads, source bids and sources.

Reads are a few calls per managed campaign (campaign, targets, creative sets with their assets and ads,
source bids and sources page by page). Changes become one call each (AppLovin has no batch endpoints),
except source bids and sources, whose rows go in as few requests as the API takes. File assets are
identified by the sha256 of their content, computed at plan time (`resolve`); `settle` waits for
asynchronous asset processing and the ads the platform makes, and reports assets that ended in error.
"""

from __future__ import annotations

import asyncio
import hashlib
import mimetypes
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from reconciler.errors import PlatformError, ValidationFailed
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
from reconciler.providers.applovin import importing, mapping, money
from reconciler.providers.applovin.client import AppLovinApiError, AppLovinClient, ClosableTokens
from reconciler.providers.base import (
    ImportedFile,
    ImportFilters,
    ObjectRef,
    ProviderConfig,
    ProviderDefaults,
    located,
    waiting,
)
from reconciler.providers.kit.http import HttpSession

CAMPAIGN = KindSchema(
    kind="campaign",
    immutable=frozenset({"platform", "bundle_id", "package_name", "bid_type", "goal_period"}),
    retire_note="retire (status false: AppLovin has no delete)",
)
TARGETS = KindSchema(
    kind="targets",
    retire_note="forget (targets live as long as their campaign)",
    adopt_note="adopt the campaign's targets (every AppLovin campaign has them)",
    money=money.targets_money,
)
CREATIVE_SET = KindSchema(
    kind="creative_set", retire_note="retire (disable every size: AppLovin has no delete)"
)
ASSET = KindSchema(
    kind="asset", write_only=frozenset({"content"}), retire_note="remove the asset from its creative set"
)
AD = KindSchema(
    kind="ad",
    immutable=frozenset({"size", "template"}),
    retire_note="retire (status false: AppLovin has no delete)",
    adopt_note="adopt the ad the platform generated",
)
SOURCE_BIDS = KindSchema(
    kind="source_bids",
    retire_note="forget (the overrides are left as they are)",
    adopt_note="adopt the campaign's source bid overrides: the manifests now own all of them",
    money=money.source_bids_money,
)
SOURCES = KindSchema(
    kind="sources",
    retire_note="forget (the sources keep their status)",
    adopt_note="adopt the campaign's sources",
)
KINDS = {s.kind: s for s in (CAMPAIGN, TARGETS, CREATIVE_SET, ASSET, AD, SOURCE_BIDS, SOURCES)}

# The platform refused the item itself (bad input, unknown object): nothing was made. Anything else
# (auth, throttling, 5xx, timeouts) fails the whole call.
ITEM_STATUSES = frozenset({400, 404, 409, 422})
SETTLE_TIMEOUT = 600.0
POLL_FIRST, POLL_MAX = 0.2, 5.0


_HANDLER = {
    "update_targets": "post_targets",
    "replace_asset": "upload_asset",
    "update_source_bids": "post_source_bids",
    "update_sources": "post_sources",
}
"""Update verbs carried out by the same call as their create."""

VERBS: dict[str, Verb] = {
    v.name: v
    for v in (
        Verb("create_campaign", "create campaign", creates=True),
        Verb("activate_campaign", "activate campaign", final=True),
        Verb("update_campaign", "update campaign"),
        Verb("retire_campaign", "stop campaign", forgets=True),
        Verb("post_targets", "set targets", creates=True),
        Verb("update_targets", "update targets"),
        Verb("create_creative_set", "create creative set", creates=True),
        Verb("update_creative_set", "update creative set"),
        Verb("post_sizes", "set creative set sizes"),
        Verb("retire_creative_set", "disable creative set", forgets=True),
        Verb("upload_asset", "upload asset", creates=True),
        Verb("replace_asset", "replace asset"),
        Verb("remove_asset", "remove asset", forgets=True),
        Verb("claim_ad", "claim ad", creates=True),
        Verb("update_ad", "update ad"),
        Verb("retire_ad", "stop ad", forgets=True),
        Verb("post_source_bids", "set source bids", creates=True),
        Verb("update_source_bids", "update source bids"),
        Verb("post_sources", "set sources", creates=True),
        Verb("update_sources", "update sources"),
        Verb("forget", "forget", 100, forgets=True),
    )
}
"""Every verb of AppLovin's operations. The same call that creates an object may update it later
(targets, source bids, sources); those get an update verb of their own, so only creates are journalled."""


def _parts(object_id: str, n: int) -> list[str]:
    """The first `n` parts of a composite id (`campaign/creative set/...`); templates may not hold `/`."""
    return object_id.split("/", n - 1)


def _changed(change: Change) -> dict[str, Any]:
    """Path → old value of each changed field."""
    return {f.path: f.old for f in change.fields}


def _top(paths: Mapping[str, Any]) -> set[str]:
    return {p.split(".", 1)[0] for p in paths}


class AppLovinProvider(ProviderDefaults):
    """AppLovin AppDiscovery Campaign Management API."""

    platform = "applovin"

    def __init__(
        self,
        config: ProviderConfig,
        *,
        client: AppLovinClient | None = None,
        tokens: ClosableTokens | None = None,
        sleep: Callable[[float], Any] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.config = config
        self.client = client or AppLovinClient(_session(config), tokens or _token_source(config))
        self._sleep = sleep
        self._clock = clock
        self.settle_timeout = float(config.options.get("settle_timeout", SETTLE_TIMEOUT))
        self.root = Path(str(config.options.get("project_dir", ".")))

    def __repr__(self) -> str:
        return f"AppLovinProvider(base_url={self.config.base_url!r})"

    # -- pure -----------------------------------------------------------------------------------------

    def kinds(self) -> Mapping[str, KindSchema]:
        return KINDS

    def natural_id(self, resource: Resource, parent_id: str | None) -> str | None:
        kind = resource.address.kind
        if parent_id is None:
            return None
        if kind in ("targets", "source_bids", "sources"):
            return parent_id
        if kind == "ad":
            cid, csid = _parts(parent_id, 2)
            a = resource.attributes
            return mapping.ad_natural_id(cid, csid, str(a.get("size")), str(a.get("template")))
        return None

    def operations(self, change: Change) -> list[Operation]:
        kind = change.address.kind
        if change.action == Action.RETIRE:
            return self._retire(change)
        build = {
            "campaign": self._campaign_ops,
            "targets": self._targets_ops,
            "creative_set": self._creative_set_ops,
            "asset": self._asset_ops,
            "ad": self._ad_ops,
            "source_bids": self._source_bids_ops,
            "sources": self._sources_ops,
        }.get(kind)
        if build is None:
            raise PlatformError(f"{change.address}: AppLovin has no kind `{kind}`")
        return build(change)

    def verbs(self) -> Mapping[str, Verb]:
        return VERBS

    def _op(self, verb: str, change: Change, payload: dict[str, Any], **extra: Any) -> Operation:
        return Operation(
            f"{verb}:{change.address}", change.address, VERBS[verb], payload, id=change.id, **extra
        )

    def _retire(self, change: Change) -> list[Operation]:
        verb = {
            "campaign": "retire_campaign",
            "creative_set": "retire_creative_set",
            "asset": "remove_asset",
            "ad": "retire_ad",
        }.get(change.address.kind, "forget")
        return [self._op(verb, change, {})]

    def _campaign_ops(self, change: Change) -> list[Operation]:
        desired = change.desired
        if change.action == Action.CREATE:
            body = mapping.campaign_create_body(desired)
            ops = [self._op("create_campaign", change, {**body, "status": False})]
            if desired.get("status") is True:
                # The campaign goes live only once everything below it was made.
                ops.append(self._op("activate_campaign", change, {"status": True}))
            return ops
        body = mapping.campaign_update_body(_top(_changed(change)), desired)
        return [self._op("update_campaign", change, body)] if body else []

    def _targets_ops(self, change: Change) -> list[Operation]:
        campaign = {"campaign": change.parent} if change.parent else {}
        if change.action == Action.CREATE:
            body = mapping.targets_body(change.desired, None)
            return [self._op("post_targets", change, body, refs=dict(campaign))]
        old = _changed(change)
        body = mapping.targets_body(change.desired, {"countries": old.get("countries")}, _top(old))
        return [self._op("update_targets", change, body)] if body else []

    def _creative_set_ops(self, change: Change) -> list[Operation]:
        desired = change.desired
        if change.action == Action.CREATE:
            body = mapping.creative_set_body(desired)
            refs = {"campaign": change.parent} if change.parent else {}
            create = self._op("create_creative_set", change, body, refs=refs)
            ops = [create]
            if desired.get("sizes"):
                ops.append(self._op("post_sizes", change, dict(desired["sizes"]), after=[create.key]))
            return ops
        old = _changed(change)
        ops = []
        body = mapping.creative_set_body(desired, _top(old))
        if body:
            ops.append(self._op("update_creative_set", change, body))
        sizes = {
            p.split(".", 1)[1]: desired["sizes"][p.split(".", 1)[1]] for p in old if p.startswith("sizes.")
        }
        if "sizes" in old and isinstance(desired.get("sizes"), Mapping):
            sizes.update(mapping.sizes_body(desired["sizes"], old["sizes"] or {}))
        if sizes:
            ops.append(self._op("post_sizes", change, sizes))
        return ops

    def _asset_ops(self, change: Change) -> list[Operation]:
        payload = {"type": change.address.path[-1], "content": change.desired.get("content")}
        if "file" in change.scope:
            payload["file"] = change.scope["file"]
        refs = {"creative_set": change.parent} if change.parent else {}
        if change.action == Action.CREATE:
            return [self._op("upload_asset", change, payload, refs=refs)]
        return [self._op("replace_asset", change, {**payload, "update": True}, refs=refs)]

    def _ad_ops(self, change: Change) -> list[Operation]:
        body: dict[str, Any] = {k: change.desired[k] for k in ("name", "status") if k in change.desired}
        if change.action == Action.CREATE:
            payload = {**body, "size": change.desired.get("size"), "template": change.desired.get("template")}
            refs = {"creative_set": change.parent} if change.parent else {}
            return [self._op("claim_ad", change, payload, refs=refs)]
        changed = _top(_changed(change))
        body = {k: v for k, v in body.items() if k in changed}
        return [self._op("update_ad", change, body)] if body else []

    def _source_bids_ops(self, change: Change) -> list[Operation]:
        overrides = change.desired.get("overrides") or {}
        if change.action == Action.CREATE:
            rows = mapping.source_bid_rows(overrides, overrides, ())
            refs = {"campaign": change.parent} if change.parent else {}
            return [self._op("post_source_bids", change, {"rows": rows}, refs=refs)]
        old = _changed(change)
        touched = {p.split(".")[1] for p in old if p.startswith("overrides.")}
        removed = set(old.get("keys") or []) - set(overrides)
        rows = mapping.source_bid_rows(overrides, touched, removed)
        return [self._op("update_source_bids", change, {"rows": rows})] if rows else []

    def _sources_ops(self, change: Change) -> list[Operation]:
        apps = change.desired.get("apps") or {}
        if change.action == Action.CREATE:
            rows = [{"app_id": a, "status": s} for a, s in sorted(apps.items())]
            refs = {"campaign": change.parent} if change.parent else {}
            return [self._op("post_sources", change, {"rows": rows}, refs=refs)]
        touched = sorted({p.split(".")[1] for p in _changed(change) if p.startswith("apps.")})
        rows = [{"app_id": a, "status": apps[a]} for a in touched if a in apps]
        return [self._op("update_sources", change, {"rows": rows})] if rows else []

    # -- plan time ------------------------------------------------------------------------------------

    async def resolve(self, resources: Sequence[Resource]) -> list[Resource]:
        """File assets get the sha256 of their content (the file is read relative to the project)."""
        problems: list[Diagnostic] = []
        resolved: list[Resource] = []
        for resource in resources:
            content = str(resource.attributes.get("content", ""))
            if resource.address.kind != "asset" or not content.startswith("file:"):
                resolved.append(resource)
                continue
            path = self.root / resource.scope.get("file", "")
            try:
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
            except OSError as exc:
                problems.append(
                    located(
                        resource,
                        "content",
                        f"cannot read asset file {resource.scope.get('file')}: {exc.strerror or exc}",
                        "the path is relative to the manifest file; check it exists and is readable",
                    )
                )
                continue
            attributes = {**resource.attributes, "content": f"sha256:{digest}"}
            resolved.append(
                Resource(
                    resource.address, attributes, resource.parent, dict(resource.scope), resource.locations
                )
            )
        if problems:
            raise ValidationFailed(problems)
        return resolved

    def notices(self, live: Mapping[Address, LiveObject]) -> list[Diagnostic]:
        found = []
        for address, obj in sorted(live.items()):
            if address.kind == "asset" and obj.attributes.get("status") == "error":
                found.append(
                    Diagnostic(
                        f"asset is in error on AppLovin: {obj.attributes.get('message') or 'no message'}",
                        address=str(address),
                        hint="replace the file, URL or text of this asset to upload it again",
                        severity=Severity.WARNING,
                    )
                )
        return found

    # -- reads ----------------------------------------------------------------------------------------

    async def read(self, objects: Sequence[ObjectRef]) -> dict[Address, LiveObject]:
        by_campaign: dict[str, list[tuple[Address, str]]] = {}
        for ref in objects:
            if ref.address.platform == self.platform:
                by_campaign.setdefault(str(ref.id).split("/", 1)[0], []).append((ref.address, str(ref.id)))
        results = await asyncio.gather(*(self._read_campaign(c, objs) for c, objs in by_campaign.items()))
        live: dict[Address, LiveObject] = {}
        for result in results:
            live.update(result)
        return live

    async def _missing_is_none(self, call: Any) -> Any:
        try:
            return await call
        except AppLovinApiError as exc:
            if exc.status == 404:
                return None
            raise

    async def _read_campaign(self, cid: str, objects: list[tuple[Address, str]]) -> dict[Address, LiveObject]:
        kinds = {a.kind for a, _ in objects}
        calls: dict[str, Any] = {}
        if "campaign" in kinds:
            calls["campaign"] = self._missing_is_none(self.client.campaign(cid))
        if "targets" in kinds:
            calls["targets"] = self._missing_is_none(self.client.targets(cid))
        if kinds & {"creative_set", "asset", "ad"}:
            calls["sets"] = self._missing_is_none(self._creative_sets(cid, "ad" in kinds))
        if "source_bids" in kinds:
            calls["source_bids"] = self._missing_is_none(self.client.source_bids(cid))
        if "sources" in kinds:
            calls["sources"] = self._missing_is_none(self.client.sources(cid))
        answers = dict(zip(calls, await asyncio.gather(*calls.values()), strict=True))
        sets = {str(s.get("id") or s.get("creative_set_id")): s for s in answers.get("sets") or []}
        live: dict[Address, LiveObject] = {}
        for address, object_id in objects:
            attributes = self._attributes(address.kind, object_id, answers, sets)
            if attributes is not None:
                live[address] = LiveObject(address, object_id, attributes)
        return live

    def _attributes(
        self, kind: str, object_id: str, answers: Mapping[str, Any], sets: Mapping[str, Mapping[str, Any]]
    ) -> dict[str, Any] | None:
        if kind == "campaign":
            body = answers.get("campaign")
            return mapping.campaign_from_wire(body) if body else None
        if kind == "targets":
            body = answers.get("targets")
            return mapping.targets_from_wire(body) if body is not None else None
        if kind == "source_bids":
            rows = answers.get("source_bids")
            return mapping.source_bids_from_wire(rows) if rows is not None else None
        if kind == "sources":
            rows = answers.get("sources")
            return mapping.sources_from_wire(rows) if rows is not None else None
        parts = _parts(object_id, 4)
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

    async def _creative_sets(self, cid: str, with_ads: bool) -> list[dict[str, Any]]:
        """The campaign's creative sets with their assets and (when asked) ads."""
        sets = await self.client.creative_sets(cid)
        if with_ads:
            missing = [s for s in sets if "ads" not in s]
            ads = await asyncio.gather(*(self.client.ads(str(s.get("id"))) for s in missing))
            for found, rows in zip(missing, ads, strict=True):
                found["ads"] = rows
        return sets

    async def find_created(self, resource: Resource, parent_id: str | None) -> list[str]:
        kind = resource.address.kind
        if kind == "campaign":
            name = resource.attributes.get("name")
            return sorted(
                {str(c.get("campaign_id")) for c in await self.client.campaigns() if c.get("name") == name}
            )
        if parent_id is None:
            return []
        if kind in ("targets", "source_bids", "sources"):
            return [parent_id]
        if kind == "creative_set":
            name = resource.attributes.get("name")
            sets = await self.client.creative_sets(parent_id)
            return sorted({f"{parent_id}/{s.get('id')}" for s in sets if s.get("name") == name})
        candidate = (
            f"{parent_id}/{resource.address.path[-1]}"
            if kind == "asset"
            else self.natural_id(resource, parent_id)
        )
        if candidate is None:
            return []
        live = await self.read([ObjectRef(resource.address, candidate, resource.scope)])
        return [candidate] if resource.address in live else []

    # -- writes ---------------------------------------------------------------------------------------

    async def execute(
        self, verb: Verb, ops: Sequence[Operation], ids: Mapping[Address, str]
    ) -> list[ItemResult]:
        if verb.name == "forget":
            return [ItemResult(op.key, True, op.id or ids.get(op.address)) for op in ops]
        call = getattr(self, f"_do_{_HANDLER.get(verb.name, verb.name)}", None)
        if call is None:
            raise PlatformError(f"AppLovin has no operation `{verb}`")
        results = []
        for op in ops:
            try:
                results.append(await call(op, ids))
            except AppLovinApiError as exc:
                if exc.status not in ITEM_STATUSES:
                    raise
                results.append(ItemResult(op.key, False, error=exc.message))
        return results

    def _id(self, op: Operation, ids: Mapping[Address, str], ref: str | None = None) -> str | None:
        if ref is not None:
            target = op.refs.get(ref)
            return ids.get(target) if target is not None else None
        return op.id or ids.get(op.address)

    async def _do_create_campaign(self, op: Operation, ids: Mapping[Address, str]) -> ItemResult:
        body = await self.client.create_campaign(op.payload)
        new_id = body.get("campaign_id") or body.get("id")
        if not new_id:
            raise PlatformError(f"AppLovin create of {op.address} returned no campaign_id")
        return ItemResult(op.key, True, str(new_id))

    async def _do_update_campaign(self, op: Operation, ids: Mapping[Address, str]) -> ItemResult:
        object_id = self._id(op, ids)
        if not object_id:
            return ItemResult(op.key, False, error=f"{op.address} has no id")
        await self.client.update_campaign(object_id, op.payload)
        return ItemResult(op.key, True, object_id)

    _do_activate_campaign = _do_update_campaign

    async def _do_retire_campaign(self, op: Operation, ids: Mapping[Address, str]) -> ItemResult:
        return await self._do_update_campaign(replace(op, payload={"status": False}), ids)

    async def _do_post_targets(self, op: Operation, ids: Mapping[Address, str]) -> ItemResult:
        cid = self._id(op, ids, "campaign") if op.creates else self._id(op, ids)
        if not cid:
            return ItemResult(op.key, False, error=f"the campaign of {op.address} has no id yet")
        await self.client.post_targets(cid, op.payload)
        return ItemResult(op.key, True, cid)

    async def _do_create_creative_set(self, op: Operation, ids: Mapping[Address, str]) -> ItemResult:
        cid = self._id(op, ids, "campaign")
        if not cid:
            return ItemResult(op.key, False, error=f"the campaign of {op.address} has no id yet")
        body = await self.client.create_creative_set({**op.payload, "campaign_id": cid})
        new_id = body.get("id") or body.get("creative_set_id")
        if not new_id:
            raise PlatformError(f"AppLovin create of {op.address} returned no creative set id")
        return ItemResult(op.key, True, f"{cid}/{new_id}")

    async def _do_update_creative_set(self, op: Operation, ids: Mapping[Address, str]) -> ItemResult:
        object_id = self._id(op, ids)
        if not object_id:
            return ItemResult(op.key, False, error=f"{op.address} has no id")
        await self.client.update_creative_set(_parts(object_id, 2)[1], op.payload)
        return ItemResult(op.key, True, object_id)

    async def _do_post_sizes(self, op: Operation, ids: Mapping[Address, str]) -> ItemResult:
        object_id = self._id(op, ids)
        if not object_id:
            return ItemResult(op.key, False, error=f"{op.address} has no id")
        await self.client.post_sizes(_parts(object_id, 2)[1], op.payload)
        return ItemResult(op.key, True, object_id)

    async def _do_retire_creative_set(self, op: Operation, ids: Mapping[Address, str]) -> ItemResult:
        sizes = {s: False for s in mapping.SET_SIZES}
        return await self._do_post_sizes(replace(op, payload=sizes), ids)

    async def _do_upload_asset(self, op: Operation, ids: Mapping[Address, str]) -> ItemResult:
        set_id = self._id(op, ids, "creative_set") or (op.id or "").rpartition("/")[0]
        if not set_id:
            return ItemResult(op.key, False, error=f"the creative set of {op.address} has no id yet")
        asset_type = str(op.payload["type"])
        fields = {"type": asset_type}
        if op.payload.get("update"):
            fields["update"] = "true"
        kind, _, value = str(op.payload.get("content")).partition(":")
        upload = None
        if kind == "sha256":
            path = self.root / str(op.payload.get("file"))
            try:
                data = path.read_bytes()
            except OSError as exc:
                return ItemResult(
                    op.key, False, error=f"cannot read {op.payload.get('file')}: {exc.strerror}"
                )
            if hashlib.sha256(data).hexdigest() != value:
                return ItemResult(
                    op.key,
                    False,
                    error=f"{op.payload.get('file')} changed since the plan: run `reconciler plan` again",
                )
            media = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            upload = (path.name, data, media)
        else:
            fields["asset"] = value
        await self.client.post_asset(_parts(set_id, 2)[1], fields, upload)
        return ItemResult(op.key, True, f"{set_id}/{asset_type}")

    async def _do_remove_asset(self, op: Operation, ids: Mapping[Address, str]) -> ItemResult:
        object_id = self._id(op, ids)
        if not object_id:
            return ItemResult(op.key, False, error=f"{op.address} has no id")
        cid_csid, _, asset_type = object_id.rpartition("/")
        await self.client.post_asset(_parts(cid_csid, 2)[1], {"type": asset_type, "remove": "true"})
        return ItemResult(op.key, True, object_id)

    async def _find_ad(self, natural: str) -> tuple[str | None, str]:
        """The ad id behind a natural id, or None and why it is not there (yet)."""
        cid, csid, size, template = _parts(natural, 4)
        sets = await self._creative_sets(cid, with_ads=True)
        found = next((s for s in sets if str(s.get("id")) == csid), None)
        if found is None:
            return None, f"creative set {csid} not found"
        for item in found.get("ads") or []:
            ad = mapping.ad_from_wire(item)
            if ad["size"] == size and ad["template"] == template:
                return str(item.get("id")), ""
        assets = [a for a in found.get("assets") or [] if isinstance(a, Mapping)]
        failed = [a for a in assets if a.get("status") == "error"]
        if failed:
            why = "; ".join(
                f"{a.get('type')}: {mapping.asset_from_wire(a)['message'] or 'error'}" for a in failed
            )
            return None, f"failed: assets in error ({why})"
        if any(a.get("status") == "processing" for a in assets):
            return None, "assets still processing"
        return None, "wait"

    async def _do_claim_ad(self, op: Operation, ids: Mapping[Address, str]) -> ItemResult:
        set_id = self._id(op, ids, "creative_set") or (op.id or "").rsplit("/", 2)[0]
        if not set_id:
            return ItemResult(op.key, False, error=f"the creative set of {op.address} has no id yet")
        cid, csid = _parts(set_id, 2)
        natural = mapping.ad_natural_id(cid, csid, str(op.payload["size"]), str(op.payload["template"]))
        deadline = self._clock() + self.settle_timeout
        delay = POLL_FIRST
        quiet = 0
        while True:
            ad_id, why = await self._find_ad(natural)
            if ad_id is not None:
                break
            quiet = quiet + 1 if why == "wait" else 0
            if why.startswith("failed") or quiet > 3 or self._clock() > deadline:
                reason = why if why.startswith("failed") else "every asset was processed" if quiet else why
                return ItemResult(
                    op.key,
                    False,
                    error=f"AppLovin made no {op.payload['size']} {op.payload['template']!r} ad ({reason})",
                )
            waiting(self.platform, f"{op.address} waits for its ad ({why})")
            await self._sleep(delay)
            delay = min(POLL_MAX, delay * 2)
        body: dict[str, Any] = {k: op.payload[k] for k in ("name", "status") if k in op.payload}
        if body:
            await self.client.update_ad(ad_id, body)
        return ItemResult(op.key, True, natural)

    async def _do_update_ad(self, op: Operation, ids: Mapping[Address, str]) -> ItemResult:
        natural = self._id(op, ids)
        if not natural:
            return ItemResult(op.key, False, error=f"{op.address} has no id")
        ad_id, why = await self._find_ad(natural)
        if ad_id is None:
            return ItemResult(op.key, False, error=f"the ad is gone from AppLovin ({why})")
        await self.client.update_ad(ad_id, op.payload)
        return ItemResult(op.key, True, natural)

    async def _do_retire_ad(self, op: Operation, ids: Mapping[Address, str]) -> ItemResult:
        return await self._do_update_ad(replace(op, payload={"status": False}), ids)

    async def _do_post_source_bids(self, op: Operation, ids: Mapping[Address, str]) -> ItemResult:
        cid = self._id(op, ids, "campaign") if op.creates else self._id(op, ids)
        if not cid:
            return ItemResult(op.key, False, error=f"the campaign of {op.address} has no id yet")
        await self.client.post_source_bids(cid, op.payload.get("rows") or [])
        return ItemResult(op.key, True, cid)

    async def _do_post_sources(self, op: Operation, ids: Mapping[Address, str]) -> ItemResult:
        cid = self._id(op, ids, "campaign") if op.creates else self._id(op, ids)
        if not cid:
            return ItemResult(op.key, False, error=f"the campaign of {op.address} has no id yet")
        await self.client.post_sources(cid, op.payload.get("rows") or [])
        return ItemResult(op.key, True, cid)

    # -- after apply ----------------------------------------------------------------------------------

    async def settle(
        self, objects: Sequence[ObjectRef], wait: bool, progress: Callable[[str], None] | None
    ) -> list[Diagnostic]:
        """Wait for the touched assets to be processed and the ads they promise to exist; report errors."""
        assets = {r.address: r.id for r in objects if r.address.kind == "asset"}
        if not wait or not assets:
            return []
        deadline = self._clock() + self.settle_timeout
        delay = POLL_FIRST
        while True:
            states, missing_ads = await self._asset_states(assets)
            pending = [a for a, s in states.items() if s.get("status") == "processing"]
            if not pending and not missing_ads:
                break
            if self._clock() > deadline:
                return self._report(states) + [
                    Diagnostic(
                        f"still processing after {self.settle_timeout:.0f}s",
                        address=str(a),
                        hint="run `reconciler plan` later to see the outcome",
                        severity=Severity.WARNING,
                    )
                    for a in pending
                ]
            what = f"{len(pending)} asset(s) processing" if pending else f"{missing_ads} ad(s) not made yet"
            waiting(self.platform, what)
            if progress is not None:
                progress(f"AppLovin: waiting, {what}")
            await self._sleep(delay)
            delay = min(POLL_MAX, delay * 2)
        return self._report(states)

    async def _asset_states(self, assets: Mapping[Address, str]) -> tuple[dict[Address, dict[str, Any]], int]:
        campaigns = sorted({i.split("/", 1)[0] for i in assets.values()})
        listed = await asyncio.gather(*(self._creative_sets(c, with_ads=True) for c in campaigns))
        sets = {f"{c}/{s.get('id')}": s for c, rows in zip(campaigns, listed, strict=True) for s in rows}
        states: dict[Address, dict[str, Any]] = {}
        for address, object_id in assets.items():
            set_id, _, asset_type = object_id.rpartition("/")
            found = sets.get(set_id) or {}
            item = next((a for a in found.get("assets") or [] if a.get("type") == asset_type), None)
            states[address] = mapping.asset_from_wire(item) if item else {"status": "missing"}
        missing_ads = 0
        for set_id in {i.rpartition("/")[0] for i in assets.values()}:
            found = sets.get(set_id) or {}
            held = [a for a in found.get("assets") or [] if isinstance(a, Mapping)]
            if any(a.get("status") != "ready" for a in held):
                continue
            sizes: Mapping[str, Any] = found["sizes"] if isinstance(found.get("sizes"), Mapping) else {}
            made = {
                (mapping.ad_from_wire(a)["size"], mapping.ad_from_wire(a)["template"])
                for a in found.get("ads") or []
            }
            for size, template in mapping.expected_templates(str(a.get("type")) for a in held):
                if sizes.get(size) is not False and (size, template) not in made:
                    missing_ads += 1
        return states, missing_ads

    def _report(self, states: Mapping[Address, Mapping[str, Any]]) -> list[Diagnostic]:
        return [
            Diagnostic(
                f"AppLovin could not process this asset: {s.get('message') or 'no message given'}",
                address=str(a),
                hint="fix or replace the file, URL or text, then apply again",
            )
            for a, s in sorted(states.items())
            if s.get("status") == "error"
        ]

    async def discover(
        self, filters: ImportFilters, managed: set[str], taken: set[Address]
    ) -> list[ImportedFile]:
        if filters.advertisers:
            raise ValidationFailed(
                [
                    Diagnostic(
                        "AppLovin has no advertiser filter: the credentials pick the account",
                        field="--advertiser",
                        hint="give --campaign ID or --id ID, or no filter for every campaign",
                    )
                ]
            )
        wanted = {*filters.campaigns, *filters.ids}
        campaigns = [
            c
            for c in await self.client.campaigns()
            if str(c.get("campaign_id")) not in managed
            and (not wanted or str(c.get("campaign_id")) in wanted)
        ]
        targets = await asyncio.gather(
            *(self._missing_is_none(self.client.targets(str(c["campaign_id"]))) for c in campaigns)
        )
        return importing.manifest(list(zip(campaigns, targets, strict=True)), taken)

    async def aclose(self) -> None:
        await self.client.aclose()


def _session(config: ProviderConfig) -> HttpSession:
    secrets: Callable[[], tuple[Any, ...]] = lambda: tuple(config.credentials.values())  # noqa: E731
    return HttpSession(
        config.base_url.rstrip("/"),
        transport=config.transport,
        concurrency=config.concurrency,
        secrets=secrets,
        label="AppLovin",
    )


def _token_source(config: ProviderConfig) -> ClosableTokens:
    from reconciler.providers.applovin.auth import TokenSource

    return TokenSource(config)


PROVIDER = AppLovinProvider
