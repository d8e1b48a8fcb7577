"""What an apply writes to state: creates journalled before their call, each batch's results after it.

Every write is one batch of records (`StateBackend.record`), so its cost is the batch's; writes run one at
a time in a worker thread, so the platform calls in flight go on while a batch reaches the disk, and the
writes asked for while one is under way go together in the next (one worker call, one fsync: a group
commit), so many small batches in flight never queue behind each other's disk writes. A failed
step is recorded under `failed` (verb, error, time, the attributes it was carrying out) until a later step
on the same address succeeds in another apply; so is a step skipped because one it waits for failed.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

from reconciler.apply.events import StepOutcome
from reconciler.model import Address, Change, ItemResult, Operation
from reconciler.state import FailedStep, PendingCreate, Record, State, StateBackend, StateEntry


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Recorder:
    def __init__(self, backend: StateBackend, state: State, changes: Mapping[Address, Change]) -> None:
        self.backend = backend
        self.state = state
        self.changes = changes
        self.ids: dict[Address, str] = {Address.parse(a): e.id for a, e in state.resources.items()}
        self._failed_now: set[str] = set()  # addresses with a step that failed in this apply
        self._queued: list[tuple[list[Record], asyncio.Future[None]]] = []
        self._writer: asyncio.Task[None] | None = None
        self.writes = 0
        self.seconds = 0.0  # spent writing, in the worker thread
        self.cpu = 0.0

    async def _write(self, records: list[Record]) -> None:
        """Write these records after every write asked for before; return once they are stored."""
        if not records:
            return
        stored: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._queued.append((records, stored))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.ensure_future(self._drain())
        await stored

    async def _drain(self) -> None:
        """Write what is queued, all of it in one call, until nothing is (the worker thread is the only
        writer of the state meanwhile; the event loop only reads entries the queued batches do not hold)."""
        while self._queued:
            taken, self._queued = self._queued, []
            try:
                await asyncio.to_thread(self._store, [r for rs, _ in taken for r in rs])
            except Exception as exc:  # every caller of the write hears why it failed
                for _, stored in taken:
                    if not stored.done():
                        stored.set_exception(exc)
                continue
            for _, stored in taken:
                if not stored.done():
                    stored.set_result(None)

    def _store(self, records: list[Record]) -> None:
        started, cpu = time.perf_counter(), time.thread_time()
        try:
            self.backend.record(self.state, records)
        finally:
            self.writes += 1
            self.seconds += time.perf_counter() - started
            self.cpu += time.thread_time() - cpu

    async def journal(self, creates: Sequence[Operation]) -> None:
        """Record the creates as under way, before their call."""
        now = _now()
        records: list[Record] = []
        for op in creates:
            change = self.changes[op.address]
            pending = PendingCreate(
                verb=op.verb.name,
                started_at=now,
                parent=str(change.parent) if change.parent else None,
                parent_id=self.ids.get(change.parent) if change.parent else None,
                scope=dict(change.scope),
                attributes=change.desired,
            )
            records.append(Record("pending", str(op.address), pending))
        await self._write(records)

    async def record(
        self, batch: Sequence[Operation], results: Mapping[str, ItemResult], missing: str, unknown: bool
    ) -> None:
        """Record a batch's results. A failed create stays journalled only when its outcome is unknown: its
        result says so, or there is none and `unknown` (the call may have been carried out). An item
        without a result failed with the `missing` message."""
        await self._write(self._results(batch, results, missing, unknown))
        for op in batch:
            result = results.get(op.key)
            if result is not None and result.ok:
                if op.verb.forgets:
                    self.ids.pop(op.address, None)
                elif op.verb.creates:
                    self.ids[op.address] = result.id or ""

    async def skipped(self, outcomes: Sequence[StepOutcome]) -> None:
        """Record the operations skipped because a step they wait for failed. An address whose own step
        failed in this apply keeps that error."""
        now = _now()
        records: list[Record] = []
        for outcome in outcomes:
            op, address = outcome.operation, str(outcome.operation.address)
            if address in self._failed_now:
                continue
            self._failed_now.add(address)
            attempted = self.changes[op.address].desired
            failed = FailedStep(verb=op.verb.name, error=outcome.error, time=now, attempted=attempted)
            records.append(Record("failed", address, failed))
        await self._write(records)

    def _results(
        self, batch: Sequence[Operation], results: Mapping[str, ItemResult], missing: str, unknown: bool
    ) -> list[Record]:
        now = _now()
        records: list[Record] = []
        for op in batch:
            result = results.get(op.key)
            address = str(op.address)
            change = self.changes[op.address]
            if result is None or not result.ok:
                certain = not unknown if result is None else not result.unknown
                if op.verb.creates and certain:
                    records.append(Record("pending", address, None))  # certainly nothing was created
                error = result.error if result is not None else missing
                self._failed_now.add(address)
                failed = FailedStep(verb=op.verb.name, error=error, time=now, attempted=change.desired)
                records.append(Record("failed", address, failed))
                continue
            if address in self.state.failed and address not in self._failed_now:
                records.append(Record("failed", address, None))
            if op.verb.forgets:
                records.append(Record("resources", address, None))
            elif op.verb.creates:
                entry = StateEntry(
                    id=result.id or "",
                    parent=str(change.parent) if change.parent else None,
                    scope=dict(change.scope),
                    applied=change.desired,
                )
                records += [Record("pending", address, None), Record("resources", address, entry)]
            elif address in self.state.resources:
                applied = self.state.resources[address].model_copy(update={"applied": change.desired})
                records.append(Record("resources", address, applied))
        return records
