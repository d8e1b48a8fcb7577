"""The Provider protocol: what every platform implements so the engine can plan and apply through it."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from reconciler.model import (
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

if TYPE_CHECKING:
    import httpx

WAITING = logging.getLogger("reconciler.waiting")
"""Where providers say what they wait for (throttling, asynchronous processing); progress displays listen."""


def waiting(platform: str, what: str) -> None:
    """Say that a platform's work is waiting, with `platform` and `what` attributes on the log record."""
    WAITING.info("%s: waiting, %s", platform, what, extra={"platform": platform, "what": what})


@dataclass(frozen=True)
class ProviderConfig:
    """How to reach one platform: a base URL (or an in-process transport) and the credential values.

    `credentials` holds the values read from the environment variables named in reconciler.yaml; they
    never leave the provider (not logged, not in errors, plans or state).
    """

    base_url: str
    credentials: Mapping[str, str] = field(default_factory=dict, repr=False)
    transport: httpx.AsyncBaseTransport | None = field(default=None, repr=False)
    concurrency: int = 8
    auth_url: str | None = None
    """Base URL of the platform's authorization server when it is not `base_url` (an OAuth host
    apart from the API); None means the API host serves it. The sandbox serves both under one prefix."""
    options: Mapping[str, Any] = field(default_factory=dict)
    """Platform-specific settings from reconciler.yaml (for example an auth mode and a token file)."""


def located(
    resource: Resource | Change,
    path: str,
    message: str,
    hint: str,
    severity: Severity = Severity.ERROR,
    rule: str = "",
) -> Diagnostic:
    """A diagnostic about one field of a resource (or of its change), located where the manifest wrote it
    (or its parent); `rule`: the code of the platform rule that found it."""
    where = resource.location(path)
    return Diagnostic(
        message=message,
        file=where.file if where else "",
        line=where.line if where else 0,
        column=where.column if where else 0,
        field=path,
        hint=hint,
        severity=severity,
        address=str(resource.address),
        rule=rule,
    )


@dataclass(frozen=True)
class ObjectRef:
    """A live object the engine asks a provider to read: its address, its platform id and its scope (the
    identifiers it lives under, e.g. its advertiser), all a read needs."""

    address: Address
    id: str
    scope: Mapping[str, str] = field(default_factory=dict)
    owned: frozenset[str] = frozenset()
    """The top-level fields the project sets on the object (in the manifests or the last apply): a read may
    leave the others out, and skip the calls only they need. Empty: not known, read every field."""


@dataclass(frozen=True)
class ImportFilters:
    """Which live objects `reconciler import` reads: by advertiser, by campaign (with everything in it) or by
    object id (with the parents it needs); nothing given means everything the credentials reach."""

    advertisers: tuple[str, ...] = ()
    campaigns: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportedObject:
    """One live object written to a manifest: the address it got, its id, its parent's address, its scope."""

    address: Address
    id: str
    parent: Address | None = None


@dataclass
class ImportedFile:
    """One manifest file `reconciler import` writes: its name, its document and the objects it declares."""

    name: str
    document: dict[str, Any]
    objects: list[ImportedObject] = field(default_factory=list)
    notes: dict[str, str] = field(default_factory=dict)
    """Comments after the `key: value` lines of the written YAML, by key (why a value is a placeholder)."""
    skipped: list[str] = field(default_factory=list)
    """Objects found but not written, each with the reason and what to do instead."""


def slug(text: Any, fallback: str) -> str:
    """A manifest key made from an object's name: lower case letters, digits and `-`, 60 at most."""
    cleaned = re.sub(r"[^a-z0-9]+", "-", str(text or "").lower()).strip("-")[:60].strip("-")
    return cleaned or fallback


def unique_key(wanted: str, object_id: str, taken: set[str]) -> str:
    """`wanted`, or `wanted-<id>` when another object already has that key; the key is then taken."""
    key = wanted if wanted not in taken else f"{wanted}-{object_id}"
    taken.add(key)
    return key


def pruned(value: Any) -> Any:
    """The value without null fields and empty lists or mappings (what a manifest leaves unset)."""
    if isinstance(value, dict):
        kept = {k: pruned(v) for k, v in value.items()}
        return {k: v for k, v in kept.items() if v not in (None, [], {})}
    if isinstance(value, list):
        return [pruned(v) for v in value]
    return value


class Provider(Protocol):
    """One platform. Reads and writes go through `read` and `execute`; everything else is pure."""

    platform: str

    def kinds(self) -> Mapping[str, KindSchema]:
        """The kinds this provider manages, with their immutable and write-only fields."""
        ...

    async def read(self, objects: Sequence[ObjectRef]) -> dict[Address, LiveObject]:
        """Read the live objects with these ids, as few calls as possible.

        An object is left out only when the platform said unambiguously that it does not exist (a by-id
        read answering not-found, a search by id answering a well-formed list without it); an answer that
        cannot be read raises `PlatformError` (the kit's answer checks do so)."""
        ...

    def verbs(self) -> Mapping[str, Verb]:
        """Every verb this provider's operations use, by name."""
        ...

    def operations(self, change: Change) -> list[Operation]:
        """The calls that carry out one change (pure). Keys are unique within the change."""
        ...

    async def execute(
        self, verb: Verb, ops: Sequence[Operation], ids: Mapping[Address, str]
    ) -> list[ItemResult]:
        """Run operations of one verb as one batch (len(ops) <= its batch_limit); one result per op.

        `ids` resolves the addresses in each op's `refs`. A failure of one item never hides the others:
        raise PlatformError only when the whole call failed.
        """
        ...

    async def find_created(self, created: Sequence[tuple[Resource, str | None]]) -> dict[Address, list[str]]:
        """For creates of one kind that an interrupted run may have made, each with its parent's id (None
        for an object without a parent), the ids of the live objects each may have made (same parent and
        name); a create absent from the answer made none.

        Used to recover creates that reached the platform but not the state (crash, timeout). One call
        answers for every create of the kind left under way, so that the lists it needs are read once.
        """
        ...

    async def resolve(self, resources: Sequence[Resource]) -> list[Resource]:
        """The resources with names replaced by platform ids, looked up at plan time (cached per run).

        Raise ValidationFailed with located diagnostics, listing the candidates, when a name matches no
        object or several. Providers without names return the resources unchanged.
        """
        ...

    def natural_id(self, resource: Resource, parent_id: str | None) -> str | None:
        """The id under which the platform may already hold this resource without any create by us
        (for example default targets a platform adds to every new ad group: `<adGroupId>/DEVICE`),
        else None. The engine reads such ids and, when the object exists, adopts it instead of creating.
        """
        ...

    def notices(self, live: Mapping[Address, LiveObject]) -> list[Diagnostic]:
        """Warnings about live objects that no change can fix (e.g. a creative rejected by moderation)."""
        ...

    async def settle(
        self, objects: Sequence[ObjectRef], wait: bool, progress: Callable[[str], None] | None
    ) -> list[Diagnostic]:
        """After apply, on the objects it touched: wait (when `wait`) for the platform's asynchronous
        processing to end, then report on it. An ERROR diagnostic makes the apply fail."""
        ...

    async def discover(
        self, filters: ImportFilters, managed: set[str], taken: set[Address]
    ) -> list[ImportedFile]:
        """Live objects that no state manages (`managed` holds the ids state knows), as manifest files for
        `reconciler import`; `taken` are the addresses the project already uses (keys must not collide)."""
        ...

    async def warm(self) -> None:
        """Get ready for the calls an apply is about to make (an access token), while it prepares them."""
        ...

    async def aclose(self) -> None: ...


class ProviderDefaults:
    """What a provider without names, pre-existing objects or asynchronous processing does."""

    settled_kinds: frozenset[str] | None = frozenset()
    """The kinds `settle` reports on: an apply settles them as soon as its last step on them is done, while
    its other steps go on. None: `settle` is given every object the apply touched, after its last step."""

    async def resolve(self, resources: Sequence[Resource]) -> list[Resource]:
        return list(resources)

    async def warm(self) -> None:
        return None

    def natural_id(self, resource: Resource, parent_id: str | None) -> str | None:
        return None

    def notices(self, live: Mapping[Address, LiveObject]) -> list[Diagnostic]:
        return []

    async def settle(
        self, objects: Sequence[ObjectRef], wait: bool, progress: Callable[[str], None] | None
    ) -> list[Diagnostic]:
        return []
