"""The AppLovin provider: campaigns, targets, creative sets, assets, ads, source bids and sources.

Reads are a few calls per managed campaign (`reading.py`); changes become operations (`operations.py`)
carried out one object a call by the kit's writer (`writes.py`: AppLovin has no batch endpoints). File
assets are identified by the sha256 of their content, computed at plan time (`resolve`); `settle` waits
for asynchronous asset processing and the ads the platform makes (`processing.py`), and reports assets
that ended in error.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from reconciler.errors import ValidationFailed
from reconciler.model import Address, Change, Diagnostic, LiveObject, Operation, Resource
from reconciler.providers.applovin import importing, mapping, media, reading, rules
from reconciler.providers.applovin.client import AppLovinClient, ClosableTokens
from reconciler.providers.applovin.kinds import KINDS
from reconciler.providers.applovin.operations import operations
from reconciler.providers.applovin.processing import SETTLE_TIMEOUT, Processing
from reconciler.providers.applovin.writes import declared, describe
from reconciler.providers.base import (
    ImportedFile,
    ImportFilters,
    ObjectRef,
    ProviderConfig,
    located,
)
from reconciler.providers.kit.http import HttpSession
from reconciler.providers.kit.provider import KitProvider, live_warning
from reconciler.providers.kit.recovery import Created, Made, made_by_name, made_under_owners, made_with_ids
from reconciler.providers.kit.writes import Writer


class AppLovinProvider(KitProvider):
    """AppLovin AppDiscovery Campaign Management API."""

    platform = "applovin"
    kind_schemas = KINDS
    settled_kinds = None  # after the last step: an ad's step already waits for its assets' processing

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
        timeout = float(config.options.get("settle_timeout", SETTLE_TIMEOUT))
        self.processing = Processing(self.client, timeout=timeout, sleep=sleep, clock=clock)
        self.root = Path(str(config.options.get("project_dir", ".")))
        self.writer = Writer(self.client, declared(self.root, self.processing), describe)

    # -- pure -----------------------------------------------------------------------------------------

    def operations(self, change: Change) -> list[Operation]:
        return operations(change)

    def natural_id(self, resource: Resource, parent_id: str | None) -> str | None:
        kind = resource.address.kind
        if parent_id is None:
            return None
        if kind in ("targets", "source_bids", "sources"):
            return parent_id
        if kind == "ad":
            campaign_id, set_id = mapping.id_parts(parent_id, 2)
            a = resource.attributes
            return mapping.ad_natural_id(campaign_id, set_id, str(a.get("size")), str(a.get("template")))
        return None

    def notices(self, live: Mapping[Address, LiveObject]) -> list[Diagnostic]:
        return [
            live_warning(
                address,
                f"asset is in error on AppLovin: {obj.attributes.get('message') or 'no message'}",
                "replace the file, URL or text of this asset to upload it again",
            )
            for address, obj in sorted(live.items())
            if address.kind == "asset" and obj.attributes.get("status") == "error"
        ]

    # -- plan time ------------------------------------------------------------------------------------

    async def resolve(self, resources: Sequence[Resource]) -> list[Resource]:
        """File assets get the sha256 of their content (the file is read relative to the project), and
        the file's properties must be those the guide's asset types table gives its type
        (rules.FILE_BOOK: image or video, sizes, orientation, length)."""
        problems: list[Diagnostic] = []
        resolved: list[Resource] = []
        for resource in resources:
            content = str(resource.attributes.get("content", ""))
            if resource.address.kind != "asset" or not content.startswith("file:"):
                resolved.append(resource)
                continue
            path = self.root / resource.scope.get("file", "")
            try:
                data = path.read_bytes()
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
            probed = {**resource.attributes, "media": media.probe(path.name, data)}
            problems += rules.FILE_BOOK.validate([replace(resource, attributes=probed)])
            attributes = {**resource.attributes, "content": f"sha256:{hashlib.sha256(data).hexdigest()}"}
            resolved.append(replace(resource, attributes=attributes, scope=dict(resource.scope)))
        if problems:
            raise ValidationFailed(problems)
        return resolved

    # -- reads and writes -----------------------------------------------------------------------------

    async def read(self, objects: Sequence[ObjectRef]) -> dict[Address, LiveObject]:
        return await reading.read(self.client, objects)

    async def find_created(self, created: Sequence[Created]) -> Made:
        """Campaigns by name (one list), creative sets by name under their campaign (one list per campaign),
        what has a campaign's id (targets, source bids, sources) at once, assets and the rest by the ids
        they would have (one read)."""
        kind = created[0][0].address.kind if created else ""
        if kind == "campaign":
            return made_by_name(created, await self.client.campaigns(), lambda c: c.get("campaign_id"))
        under: list[tuple[Resource, str]] = [(r, parent) for r, parent in created if parent]
        if kind in ("targets", "source_bids", "sources"):
            return {r.address: [parent] for r, parent in under}
        if kind == "creative_set":
            return await made_under_owners(under, lambda c: c[1], self._creative_sets_named)
        return await made_with_ids(
            self.read,
            [
                (r, f"{parent}/{r.address.path[-1]}" if kind == "asset" else self.natural_id(r, parent))
                for r, parent in under
            ],
        )

    async def _creative_sets_named(self, campaign: str, created: list[Created]) -> Made:
        sets = await self.client.creative_sets(campaign)
        return made_by_name(created, sets, lambda s: f"{campaign}/{s['id']}" if s.get("id") else None)

    async def settle(
        self, objects: Sequence[ObjectRef], wait: bool, progress: Callable[[str], None] | None
    ) -> list[Diagnostic]:
        return await self.processing.settle(objects, wait, progress)

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
            *(reading.missing_is_none(self.client.targets(str(c["campaign_id"]))) for c in campaigns)
        )
        return importing.manifest(list(zip(campaigns, targets, strict=True)), taken)


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
