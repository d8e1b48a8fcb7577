"""Declarative batch writes: each verb a provider declares is bound to the call that carries it out.

A `Write` says which call sends a batch of items (`send`, a method of the provider's client), and how the
platform's answer maps back to one `ItemResult` per item (`results`). `Writer.execute` does the rest the
same way for every platform: it fills in ids (the object's own, and the `refs` to objects created earlier
in the apply), fails alone an item that has no id yet, sends the batch (or each item, for endpoints that
take one object a call), turns a refusal of the whole request for bad input into a failure of each of its
items, and returns exactly one result per operation: an item the answer says nothing about is a failure
whose outcome is `unknown` (a create stays journalled, so the next plan adopts it instead of making a
duplicate).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from reconciler.errors import PlatformError
from reconciler.model import Address, ItemResult, Operation, Verb

REFUSED = frozenset({400, 404, 409, 422})
"""Statuses with which a platform refuses a request for its content: nothing was carried out."""


@dataclass(frozen=True)
class Item:
    """One operation ready to send: the object's id (None for a create) and its references' ids."""

    op: Operation
    id: str | None
    refs: dict[str, str] = field(default_factory=dict)

    @property
    def payload(self) -> dict[str, Any]:
        return self.op.payload


Send = Callable[[Any, Sequence[Item]], Awaitable[Any]]
"""(client, items) → the platform's answer."""
Results = Callable[[Sequence[Item], Any], Mapping[int, ItemResult]]
"""(items, answer) → result by item position; positions left out are reported as unknown outcomes."""


def confirmed(items: Sequence[Item], answer: Any) -> dict[int, ItemResult]:
    """Every item succeeded (the call's answer carries nothing per item), keeping each item's id."""
    return {i: ItemResult(item.op.key, True, item.id) for i, item in enumerate(items)}


def created_id(extract: Callable[[Any], Any]) -> Results:
    """Results of a one-object create whose answer holds the new id where `extract` finds it."""

    def results(items: Sequence[Item], answer: Any) -> dict[int, ItemResult]:
        new_id = extract(answer)
        if new_id in (None, ""):
            return {}  # the object may exist: the outcome stays unknown, the create journalled
        return {0: ItemResult(items[0].op.key, True, str(new_id))}

    return results


@dataclass(frozen=True)
class Write:
    """How one verb is carried out. `send=None`: nothing is called (a retirement that only forgets).
    `one_by_one`: the endpoint takes one object a call; the batch's items are sent concurrently.
    `refusal`: turns a whole request refused for bad input (a `refused` status) into an answer for
    `results`, when the refusal still says which items were wrong; without it every item fails with the
    refusal's reason. `group`: items with different keys cannot share a call (e.g. they belong to
    different accounts): each group is sent on its own, concurrently."""

    verb: Verb
    send: Send | None = None
    results: Results = confirmed
    one_by_one: bool = False
    refused: frozenset[int] = REFUSED
    refusal: Callable[[PlatformError], Any] | None = None
    group: Callable[[Item], Hashable] | None = None


class Writer:
    """Runs a provider's declared writes against its client."""

    def __init__(self, client: Any, writes: Iterable[Write], describe: Callable[[PlatformError], str]):
        self.client = client
        self.writes = {w.verb.name: w for w in writes}
        self._describe = describe

    def verbs(self) -> dict[str, Verb]:
        return {name: write.verb for name, write in self.writes.items()}

    async def execute(
        self, verb: Verb, ops: Sequence[Operation], ids: Mapping[Address, str]
    ) -> list[ItemResult]:
        """One result per operation, in order. Raise only when a batch call failed as a whole without
        saying what became of its items (auth, throttling, 5xx, an unreadable answer)."""
        write = self.writes.get(verb.name)
        if write is None or write.verb != verb:
            raise PlatformError(f"{self.client.label} has no operation `{verb.name}`")
        results: dict[str, ItemResult] = {}
        items: list[Item] = []
        for op in ops:
            item, problem = _item(op, ids, needs_id=not verb.creates)
            if item is None:
                results[op.key] = ItemResult(op.key, False, error=problem)
            else:
                items.append(item)
        if write.send is None:
            results.update((i.op.key, ItemResult(i.op.key, True, i.id)) for i in items)
        elif write.one_by_one:
            for part in await _together([self._alone(write, [item]) for item in items]):
                results.update(part)
        elif items:
            groups = _grouped(items, write.group)
            if len(groups) == 1:
                results.update(await self._send(write, items))
            else:
                for part in await _together([self._alone(write, group) for group in groups]):
                    results.update(part)
        return [results[op.key] for op in ops]

    async def _alone(self, write: Write, items: Sequence[Item]) -> dict[str, ItemResult]:
        """A call of some of the batch's items: when it fails as a whole, only its items fail (their
        outcome unknown when the platform may have carried them out); the rest of the batch goes on."""
        try:
            return await self._send(write, items)
        except PlatformError as exc:
            return {
                i.op.key: ItemResult(i.op.key, False, i.id, exc.message, unknown=exc.may_have_changed)
                for i in items
            }

    async def _send(self, write: Write, items: Sequence[Item]) -> dict[str, ItemResult]:
        assert write.send is not None
        try:
            answer = await write.send(self.client, items)
        except PlatformError as exc:
            if getattr(exc, "status", None) not in write.refused:
                raise
            if write.refusal is None:
                reason = self._describe(exc)
                return {i.op.key: ItemResult(i.op.key, False, i.id, reason) for i in items}
            answer = write.refusal(exc)
        by_position = write.results(items, answer)
        return {
            item.op.key: by_position.get(index)
            or ItemResult(
                item.op.key,
                False,
                item.id,
                f"{self.client.label} did not report on this item; it may have been carried out",
                unknown=True,
            )
            for index, item in enumerate(items)
        }


async def _together(calls: Sequence[Awaitable[dict[str, ItemResult]]]) -> list[dict[str, ItemResult]]:
    """The calls run concurrently; a single one is awaited in place (it starts at once, as a lone call
    does)."""
    if len(calls) == 1:
        return [await calls[0]]
    return list(await asyncio.gather(*calls))


def _grouped(items: Sequence[Item], key: Callable[[Item], Hashable] | None) -> list[list[Item]]:
    if key is None:
        return [list(items)]
    groups: dict[Hashable, list[Item]] = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    return list(groups.values())


def _item(op: Operation, ids: Mapping[Address, str], needs_id: bool) -> tuple[Item | None, str]:
    object_id = op.id or ids.get(op.address)
    if needs_id and not object_id:
        return None, f"{op.address} has no id"
    refs: dict[str, str] = {}
    for name, address in op.refs.items():
        found = ids.get(address)
        if not found:
            return None, f"{address} has no id yet"
        refs[name] = found
    return Item(op, object_id, refs), ""
