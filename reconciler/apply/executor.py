"""The executor: follows the dependency graph, batches at each verb's limit, bounded concurrency per platform,
state recorded after every batch.

An operation is ready as soon as its own `after` dependencies have succeeded; it does not wait for
unrelated work. Ready operations queue per (platform, verb) and leave as one batch of up to the verb's
`batch_limit`: a full batch at once; a partial one when nothing more of its verb can come, or when no
batch of that verb is in flight and either nothing else of its platform is (waiting could stall it) or
sending it costs no call more in the end (the verb's last batch would be partial anyway). So operations
that become ready one by one share calls instead of each making its own. Each platform
runs at most `provider.concurrency` calls at a time (the `concurrency` argument when the provider does not
say); a call's place goes to the next batch as soon as its answer is in, while its results are recorded.

Creates are journalled in state (`pending`) before the call, so a crash or timeout between the
platform's create and the state write is recovered on the next run by adopting the object, never by
creating a duplicate. While all of a platform's calls are in flight, its next batches of creates (up to one
per call) are formed and journalled, so that each leaves the moment a call's place is free. A failed item
never stops the other items of its batch; it is recorded in state (`failed`: verb, error, time), and
operations that depend on it are skipped, reported and recorded as failed too (so the next plan says the
last apply did not carry them out, rather than blaming drift).
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from reconciler.apply.events import ApplyProgress, StepOutcome
from reconciler.apply.recorder import Recorder
from reconciler.errors import PlatformError, ReconcilerError
from reconciler.model import Change, Diagnostic, ItemResult, Operation, Severity, Verb
from reconciler.model.dag import waves
from reconciler.providers.base import Provider
from reconciler.state import State, StateBackend


@dataclass
class ApplyReport:
    outcomes: list[StepOutcome] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    """What the platforms reported after the steps (moderation, asynchronous processing)."""
    state_writes: int = 0
    state_seconds: float = 0.0
    state_cpu: float = 0.0
    """How many state writes the steps made, the seconds the writer thread spent on them, and its CPU time."""

    @property
    def failed(self) -> list[StepOutcome]:
        return [o for o in self.outcomes if not o.ok]

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == Severity.ERROR]


class _Graph:
    """Which operations wait for which, and the queues of the ready ones."""

    def __init__(self, operations: Sequence[Operation]) -> None:
        self.by_key = {op.key: op for op in operations}
        keys = list(self.by_key)
        deps = {op.key: [d for d in op.after if d in self.by_key and d != op.key] for op in operations}
        # A cycle fails here, before any call. The report lists operations by level, then in plan order.
        self.order = {key: n for n, key in enumerate(k for wave in waves(keys, deps) for k in wave)}
        self.waiting = {k: len(set(d)) for k, d in deps.items()}
        self.dependants: dict[str, list[str]] = {}
        for key, found in deps.items():
            for d in set(found):
                self.dependants.setdefault(d, []).append(key)
        self.finished: set[str] = set()
        self.ready: dict[tuple[str, Verb], deque[Operation]] = {}
        self.to_come: dict[tuple[str, Verb], int] = {}  # operations of a verb still waiting for others
        for key in keys:
            if self.waiting[key]:
                kind = (self.by_key[key].address.platform, self.by_key[key].verb)
                self.to_come[kind] = self.to_come.get(kind, 0) + 1
        for key in keys:
            if self.waiting[key] == 0:
                self.enqueue(self.by_key[key])

    def enqueue(self, op: Operation) -> None:
        self.ready.setdefault((op.address.platform, op.verb), deque()).append(op)

    def succeeded(self, op: Operation) -> None:
        for key in self.dependants.get(op.key, ()):
            self.waiting[key] -= 1
            if self.waiting[key] == 0 and key not in self.finished:
                self.arrived(self.by_key[key])
                self.enqueue(self.by_key[key])

    def arrived(self, op: Operation) -> None:
        """`op` no longer waits for others: it is ready, or skipped."""
        kind = (op.address.platform, op.verb)
        self.to_come[kind] -= 1

    def blocked_by(self, op: Operation) -> list[Operation]:
        """Every operation not finished yet that depends (directly or not) on `op`."""
        found: list[Operation] = []
        todo = list(self.dependants.get(op.key, ()))
        seen = set(todo)
        while todo:
            key = todo.pop()
            if key in self.finished:
                continue
            found.append(self.by_key[key])
            for later in self.dependants.get(key, ()):
                if later not in seen:
                    seen.add(later)
                    todo.append(later)
        return found


async def execute(
    operations: Sequence[Operation],
    changes: Sequence[Change],
    providers: Mapping[str, Provider],
    backend: StateBackend,
    state: State,
    concurrency: int = 8,
    progress: ApplyProgress | None = None,
) -> ApplyReport:
    """Run the operations as their dependencies allow; return every outcome. Watchers hear each as it
    finishes; the report lists them by dependency level, then in plan order (the same on every run). State
    is recorded after every batch (the caller commits it)."""
    recorder = Recorder(backend, state, {c.address: c for c in changes})
    graph = _Graph(operations)
    report = ApplyReport()
    started = time.monotonic()
    limits = {name: max(1, int(getattr(p, "concurrency", concurrency))) for name, p in providers.items()}
    calling: dict[str, int] = {}  # calls in flight per platform
    running: dict[str, int] = {}  # batches under way per platform (their call, then their records)
    running_verb: dict[tuple[str, Verb], int] = {}
    if progress:
        totals: dict[str, int] = {}
        for op in operations:
            totals[op.address.platform] = totals.get(op.address.platform, 0) + 1
        progress.planned(totals)

    def finish(op: Operation, ok: bool, error: str = "") -> list[StepOutcome]:
        """Report `op`; when it failed, also every operation waiting for it. Returns those skipped."""
        done = [StepOutcome(op, ok, error, time.monotonic() - started)]
        graph.finished.add(op.key)
        if ok:
            graph.succeeded(op)
        else:
            skipped = f"skipped: {op.verb} of {op.address} failed"
            for blocked in graph.blocked_by(op):
                graph.finished.add(blocked.key)
                graph.arrived(blocked)
                done.append(StepOutcome(blocked, False, skipped, done[0].elapsed))
        report.outcomes.extend(done)
        if progress:
            for outcome in done:
                progress.step(outcome)
        return done[1:]

    async def call(
        verb: Verb, batch: list[Operation], journalled: asyncio.Future[None] | None
    ) -> dict[str, ItemResult] | ReconcilerError:
        """The batch's results by key, or why the whole call failed (its creates journalled first, or while
        it waited for its platform's slot: `journalled`)."""
        creates = [op for op in batch if op.verb.creates]
        if journalled is not None:
            await journalled
        elif creates:
            await recorder.journal(creates)
        provider = providers[batch[0].address.platform]
        try:
            return {r.key: r for r in await provider.execute(verb, batch, MappingProxyType(recorder.ids))}
        except ReconcilerError as exc:
            return exc

    async def run_batch(verb: Verb, batch: list[Operation], journalled: asyncio.Future[None] | None) -> None:
        platform = batch[0].address.platform
        try:
            results = await call(verb, batch, journalled)
        finally:
            calling[platform] -= 1
        dispatch()  # the call is over: the platform's next batch leaves while this one's results are recorded
        if isinstance(results, ReconcilerError):
            exc = results
            unknown = not isinstance(exc, PlatformError) or exc.may_have_changed
            await recorder.record(batch, {}, exc.message, unknown=unknown)
            await recorder.skipped([s for op in batch for s in finish(op, False, exc.message)])
            return
        missing = "the platform did not report on this item"
        await recorder.record(batch, results, missing, unknown=True)
        skipped: list[StepOutcome] = []
        for op in batch:
            result = results.get(op.key)
            ok = result is not None and result.ok
            skipped += finish(op, ok, missing if result is None else result.error)
        await recorder.skipped(skipped)

    tasks: dict[asyncio.Task[None], tuple[str, Verb]] = {}
    primed: dict[str, deque[tuple[Verb, list[Operation], asyncio.Future[None]]]] = {}
    """Per platform, batches of creates formed while all its calls were in flight, journalled meanwhile."""

    def leaves(platform: str, verb: Verb, ready: int) -> bool:
        """Whether a partial batch of `ready` operations leaves now (see the module docstring)."""
        size, more = max(1, verb.batch_limit), graph.to_come.get((platform, verb), 0)
        if not more:
            return True  # nothing more of its verb can come
        if running_verb.get((platform, verb), 0):
            return False  # a batch of this verb is in flight: the next one fills up meanwhile
        if not running.get(platform, 0):
            return True  # nothing else of the platform is under way: waiting could stall it
        return 1 + -(-more // size) <= -(-(ready + more) // size)  # it costs no call more in the end

    def launch(
        platform: str, verb: Verb, batch: list[Operation], journalled: asyncio.Future[None] | None
    ) -> None:
        calling[platform] = calling.get(platform, 0) + 1
        tasks[asyncio.ensure_future(run_batch(verb, batch, journalled))] = (platform, verb)

    def dispatch() -> None:
        for platform, waiting in primed.items():
            while waiting and calling.get(platform, 0) < limits.get(platform, concurrency):
                launch(platform, *waiting.popleft())
        for (platform, verb), queue in graph.ready.items():
            limit = limits.get(platform, concurrency)
            while queue:
                free = calling.get(platform, 0) < limit
                # A platform at its limit gets its next batches of creates ready: journalled while they wait.
                if not free and not (verb.creates and len(primed.get(platform, ())) < limit):
                    break
                size = max(1, queue[0].verb.batch_limit)
                if len(queue) < size and not leaves(platform, queue[0].verb, len(queue)):
                    break
                batch = [queue.popleft() for _ in range(min(size, len(queue)))]
                running[platform] = running.get(platform, 0) + 1
                running_verb[(platform, verb)] = running_verb.get((platform, verb), 0) + 1
                if free:
                    launch(platform, verb, batch, None)
                else:
                    journalled = asyncio.ensure_future(recorder.journal(batch))
                    primed.setdefault(platform, deque()).append((verb, batch, journalled))

    dispatch()
    try:
        while tasks:
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                platform, verb = tasks.pop(task)
                running[platform] -= 1
                running_verb[(platform, verb)] -= 1
                task.result()
            dispatch()
    finally:
        waits: list[asyncio.Future[None]] = [*tasks]
        waits += [journalled for waiting in primed.values() for _, _, journalled in waiting]
        for wait in waits:
            wait.cancel()
        if waits:
            await asyncio.gather(*waits, return_exceptions=True)
    report.outcomes.sort(key=lambda o: graph.order[o.operation.key])
    report.state_writes, report.state_seconds, report.state_cpu = (
        recorder.writes,
        recorder.seconds,
        recorder.cpu,
    )
    return report
