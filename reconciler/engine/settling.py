"""Settling during an apply: each platform reports on the asynchronous outcome of what the apply touched
(creative moderation, asset processing) as soon as the last step on the kinds it settles has finished,
while the apply's other steps go on, instead of after the very last step.

A provider names those kinds in `settled_kinds`; one that does not (or the steps of an interrupted apply)
settles after the last step, with every object the apply touched.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Collection, Mapping, Sequence

from reconciler.apply import ApplyProgress, StepOutcome
from reconciler.model import Address, Diagnostic, Operation
from reconciler.providers.base import ObjectRef, Provider
from reconciler.state import State


class Settling:
    """An apply watcher (`ApplyProgress`): it starts a provider's `settle` when no step on its settled kinds
    is left, and passes every event on to `progress`. `reports()` waits for all of them, in platform order.
    """

    def __init__(
        self,
        providers: Mapping[str, Provider],
        operations: Sequence[Operation],
        touched: Collection[str],
        state: State,
        wait: bool,
        note: Callable[[str], None] | None,
        progress: ApplyProgress | None,
    ) -> None:
        self._providers = providers
        self._touched = touched
        self._state = state
        self._wait = wait
        self._note = note
        self._progress = progress
        self._kinds = {name: getattr(p, "settled_kinds", None) for name, p in providers.items()}
        self._left = {name: 0 for name in providers}
        for op in operations:
            if self._settles(op.address):
                self._left[op.address.platform] += 1
        self._running: dict[str, asyncio.Task[list[Diagnostic]]] = {}
        for name, left in self._left.items():
            if left == 0 and self._kinds[name] is not None:
                self._start(name)

    def _settles(self, address: Address) -> bool:
        kinds = self._kinds.get(address.platform)
        return kinds is not None and address.kind in kinds

    def _start(self, platform: str) -> None:
        """Settle what the apply touched on `platform` (of its settled kinds, when it names them)."""
        kinds = self._kinds[platform]
        objects = [
            ObjectRef(address, entry.id, entry.scope)
            for text, entry in self._state.resources.items()
            if text in self._touched
            and (address := Address.parse(text)).platform == platform
            and (kinds is None or address.kind in kinds)
        ]
        if objects:
            settle = self._providers[platform].settle(objects, self._wait, self._note)
            self._running[platform] = asyncio.ensure_future(settle)

    def planned(self, totals: Mapping[str, int]) -> None:
        if self._progress:
            self._progress.planned(totals)

    def step(self, outcome: StepOutcome) -> None:
        address = outcome.operation.address
        if self._settles(address):
            self._left[address.platform] -= 1
            if self._left[address.platform] == 0:
                self._start(address.platform)
        if self._progress:
            self._progress.step(outcome)

    async def reports(self) -> list[Diagnostic]:
        """Every platform's report, once the steps are over (a platform not started yet starts now)."""
        for name in self._providers:
            if name not in self._running and (self._kinds[name] is None or self._left[name] > 0):
                self._start(name)
        found = await asyncio.gather(*self._running.values())
        by_platform = dict(zip(self._running, found, strict=True))
        return [d for name in self._providers for d in by_platform.get(name, [])]

    async def cancel(self) -> None:
        """Stop the settles still running (the apply ended with an error)."""
        for task in self._running.values():
            task.cancel()
        await asyncio.gather(*self._running.values(), return_exceptions=True)
