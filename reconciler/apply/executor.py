"""The executor: dependency waves, batches at each verb's limit, bounded concurrency, state after every step.

Creates are journalled in state (`pending`) before the call, so a crash or timeout between the
platform's create and the state write is recovered on the next run by adopting the object, never by
creating a duplicate. A failed item never stops the other items of its batch; operations that depend
on a failed one are skipped and reported.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from reconciler.apply.events import ApplyProgress, StepOutcome
from reconciler.errors import PlatformError, ReconcilerError
from reconciler.model import Address, Change, Diagnostic, ItemResult, Operation, Severity, Verb
from reconciler.model.dag import waves
from reconciler.providers.base import Provider
from reconciler.state import PendingCreate, State, StateBackend, StateEntry


@dataclass
class ApplyReport:
    outcomes: list[StepOutcome] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    """What the platforms reported after the steps (moderation, asynchronous processing)."""

    @property
    def failed(self) -> list[StepOutcome]:
        return [o for o in self.outcomes if not o.ok]

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == Severity.ERROR]


class _Recorder:
    """Applies step results to the state and writes it, one writer at a time."""

    def __init__(self, backend: StateBackend, state: State, changes: Mapping[Address, Change]) -> None:
        self.backend = backend
        self.state = state
        self.changes = changes
        self.lock = asyncio.Lock()

    def ids(self) -> dict[Address, str]:
        return {Address.parse(a): e.id for a, e in self.state.resources.items()}

    async def journal(self, ops: Sequence[Operation], ids: Mapping[Address, str]) -> None:
        async with self.lock:
            now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            for op in ops:
                change = self.changes[op.address]
                self.state.pending[str(op.address)] = PendingCreate(
                    verb=op.verb.name,
                    started_at=now,
                    parent=str(change.parent) if change.parent else None,
                    parent_id=ids.get(change.parent) if change.parent else None,
                    scope=dict(change.scope),
                    attributes=change.desired,
                )
            self.backend.write(self.state)

    async def record(
        self, ops: Sequence[Operation], results: Mapping[str, ItemResult], unknown: bool
    ) -> None:
        """Record a batch in state. A failed create stays journalled only when its outcome is unknown:
        no result for it and `unknown` (the call may have been carried out)."""
        async with self.lock:
            for op in ops:
                result = results.get(op.key)
                address = str(op.address)
                change = self.changes[op.address]
                if result is None or not result.ok:
                    certain = not unknown if result is None else not result.unknown
                    if op.creates and certain:
                        self.state.pending.pop(address, None)  # certainly nothing was created
                    continue
                if op.forgets:
                    self.state.resources.pop(address, None)
                elif op.creates:
                    self.state.pending.pop(address, None)
                    self.state.resources[address] = StateEntry(
                        id=result.id or "",
                        parent=str(change.parent) if change.parent else None,
                        scope=dict(change.scope),
                        applied=change.desired,
                    )
                elif address in self.state.resources:
                    self.state.resources[address].applied = change.desired
            self.backend.write(self.state)


async def execute(
    operations: Sequence[Operation],
    changes: Sequence[Change],
    providers: Mapping[str, Provider],
    backend: StateBackend,
    state: State,
    concurrency: int = 8,
    progress: ApplyProgress | None = None,
) -> ApplyReport:
    """Run the operations wave by wave; return every outcome. State is written after every batch."""
    recorder = _Recorder(backend, state, {c.address: c for c in changes})
    by_key = {op.key: op for op in operations}
    report = ApplyReport()
    failed: set[str] = set()
    gate = asyncio.Semaphore(concurrency)
    started = time.monotonic()
    if progress:
        totals: dict[str, int] = {}
        for op in operations:
            totals[op.address.platform] = totals.get(op.address.platform, 0) + 1
        progress.planned(totals)

    def finish(op: Operation, ok: bool, error: str = "") -> None:
        outcome = StepOutcome(op, ok, error, time.monotonic() - started)
        report.outcomes.append(outcome)
        if not ok:
            failed.add(op.key)
        if progress:
            progress.step(outcome)

    async def run_batch(verb: Verb, batch: list[Operation]) -> None:
        provider = providers[batch[0].address.platform]
        async with gate:
            ids = recorder.ids()
            creates = [op for op in batch if op.creates]
            if creates:
                await recorder.journal(creates, ids)
            try:
                results = {r.key: r for r in await provider.execute(verb, batch, ids)}
            except ReconcilerError as exc:
                unknown = not isinstance(exc, PlatformError) or exc.may_have_changed
                await recorder.record(batch, {}, unknown=unknown)
                for op in batch:
                    finish(op, False, exc.message)
                return
            await recorder.record(batch, results, unknown=True)
        for op in batch:
            result = results.get(op.key)
            if result is None:
                finish(op, False, "the platform did not report on this item")
            else:
                finish(op, result.ok, result.error)

    deps = {op.key: op.after for op in operations}
    for wave in waves([op.key for op in operations], deps):
        runnable: dict[tuple[str, Verb], list[Operation]] = {}
        for key in wave:
            op = by_key[key]
            blocked = [d for d in op.after if d in failed]
            if blocked:
                finish(
                    op, False, f"skipped: {by_key[blocked[0]].verb} of {by_key[blocked[0]].address} failed"
                )
                continue
            runnable.setdefault((op.address.platform, op.verb), []).append(op)
        batches = [
            (verb, group[i : i + group[0].batch_limit])
            for (_, verb), group in runnable.items()
            for i in range(0, len(group), max(1, group[0].batch_limit))
        ]
        await asyncio.gather(*(run_batch(verb, batch) for verb, batch in batches))
    return report
