"""What every kit-built provider shares: `KitProvider` (its kinds table, its writer running the verbs, its
client to close), `operation`, the one way a change becomes an operation of a verb, and `live_warning`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from reconciler.model import Address, Change, Diagnostic, ItemResult, KindSchema, Operation, Severity, Verb
from reconciler.providers.base import ProviderConfig, ProviderDefaults
from reconciler.providers.kit.writes import Writer


def operation(
    verb: Verb,
    change: Change,
    payload: Mapping[str, Any] | None = None,
    *,
    after: Sequence[Operation | str] = (),
    parent: str | None = None,
) -> Operation:
    """An operation of `verb` on the change's object, keyed `verb:address`. `after`: the operations (or
    keys) it waits for; `parent`: the field its parent's id goes in (a create's ref)."""
    return Operation(
        f"{verb.name}:{change.address}",
        change.address,
        verb,
        dict(payload or {}),
        id=change.id,
        refs={parent: change.parent} if parent and change.parent is not None else {},
        after=[a if isinstance(a, str) else a.key for a in after],
    )


def live_warning(address: Address, message: str, hint: str) -> Diagnostic:
    """A warning about a live object that no change of the manifests can fix (moderation, processing)."""
    return Diagnostic(message, hint=hint, severity=Severity.WARNING, address=str(address))


class KitProvider(ProviderDefaults):
    """A provider whose kinds are a table (`kind_schemas`) and whose verbs a kit `Writer` runs."""

    kind_schemas: Mapping[str, KindSchema]
    config: ProviderConfig
    writer: Writer
    client: Any
    """The platform's client: the writer's and the reads' calls go through it; `aclose` closes it."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.config.base_url!r})"

    @property
    def concurrency(self) -> int:
        """Calls the executor keeps in flight on this platform: as many as its client's session allows."""
        return self.config.concurrency

    def kinds(self) -> Mapping[str, KindSchema]:
        return self.kind_schemas

    def verbs(self) -> Mapping[str, Verb]:
        return self.writer.verbs()

    async def execute(
        self, verb: Verb, ops: Sequence[Operation], ids: Mapping[Address, str]
    ) -> list[ItemResult]:
        return await self.writer.execute(verb, ops, ids)

    async def warm(self) -> None:
        await self.client.warm()

    async def aclose(self) -> None:
        await self.client.aclose()
