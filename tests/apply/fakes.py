"""An in-process provider for executor tests and benchmarks: each call sleeps as long as its verb says,
refuses the items it is told to, and records when it ran."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from reconciler.model import Action, Address, Change, ItemResult, Operation, Verb


@dataclass
class Call:
    verb: str
    keys: list[str]
    start: float
    end: float = 0.0


@dataclass
class FakeProvider:
    """`delays` per verb in seconds (0 by default); `refuse` the keys of items the platform refuses."""

    platform: str = "fake"
    delays: Mapping[str, float] = field(default_factory=dict)
    refuse: set[str] = field(default_factory=set)
    concurrency: int = 8
    calls: list[Call] = field(default_factory=list)
    active: int = 0
    peak: int = 0

    async def execute(
        self, verb: Verb, ops: Sequence[Operation], ids: Mapping[Address, str]
    ) -> list[ItemResult]:
        call = Call(verb.name, [op.key for op in ops], time.monotonic())
        self.calls.append(call)
        self.active += 1
        self.peak = max(self.peak, self.active)
        try:
            await asyncio.sleep(self.delays.get(verb.name, 0.0))
        finally:
            self.active -= 1
            call.end = time.monotonic()
        return [
            ItemResult(op.key, False, error=f"{op.key} refused")
            if op.key in self.refuse
            else ItemResult(op.key, True, id=op.id or f"id-{op.key}")
            for op in ops
        ]

    def call_of(self, key: str) -> Call:
        return next(c for c in self.calls if key in c.keys)


def address(name: str, platform: str = "fake") -> Address:
    return Address(platform, "thing", tuple(name.split("/")))


def op(
    name: str,
    verb: str = "create",
    after: Sequence[str] = (),
    limit: int = 1,
    platform: str = "fake",
    creates: bool = True,
) -> Operation:
    """An operation keyed `name` on the address `fake.thing.<name>`."""
    return Operation(
        key=name,
        address=address(name, platform),
        verb=Verb(verb, verb, limit, creates=creates),
        after=list(after),
    )


def changes_of(operations: Sequence[Operation]) -> list[Change]:
    """A create change per address, desiring its name."""
    seen = {o.address: o for o in operations}
    return [Change(a, Action.CREATE, desired={"name": str(a)}) for a in seen]
