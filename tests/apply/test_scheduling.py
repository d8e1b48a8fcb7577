"""The executor follows the dependency graph: an operation starts when its own dependencies are done, ready
operations of a verb share batches, each platform runs a bounded number of calls, and a failure skips only
what depends on it. A fake in-process provider records when each call ran."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from reconciler import engine
from reconciler.apply import StepOutcome, execute
from reconciler.apply.executor import ApplyReport
from reconciler.model import Address, Operation
from reconciler.model.dag import CycleError
from reconciler.state import FailedStep, LocalStateBackend, Record, State
from tests.apply.fakes import FakeProvider, changes_of, op


def run(
    operations: Sequence[Operation],
    providers: Mapping[str, Any],
    tmp_path: Path,
    state: State | None = None,
    progress: Any = None,
) -> tuple[ApplyReport, State]:
    backend = LocalStateBackend(tmp_path / "state", "p")
    current = state if state is not None else backend.read()
    report = asyncio.run(
        execute(operations, changes_of(operations), providers, backend, current, progress=progress)
    )
    backend.commit(current)
    return report, LocalStateBackend(tmp_path / "state", "p").read()


def test_an_operation_starts_before_an_unrelated_slow_batch_of_the_previous_wave_ends(tmp_path: Path) -> None:
    fake = FakeProvider(delays={"slow": 0.6, "fast": 0.02, "child": 0.02})
    ops = [
        op("a", "slow"),
        op("b", "fast"),
        op("b/c", "child", after=["b"]),
        op("b/c/d", "child2", after=["b/c"]),
    ]
    report, state = run(ops, {"fake": fake}, tmp_path)
    assert all(o.ok for o in report.outcomes)
    slow = fake.call_of("a")
    # In waves, c would wait for a (wave 1) and d for c: here both finish while a still runs.
    assert fake.call_of("b/c").start < slow.end - 0.4
    assert fake.call_of("b/c/d").end < slow.end
    assert [o.operation.key for o in report.outcomes] == ["a", "b", "b/c", "b/c/d"]  # by level, plan order
    assert sorted(state.resources) == ["fake.thing.a", "fake.thing.b", "fake.thing.b/c", "fake.thing.b/c/d"]


def test_operations_of_a_verb_that_become_ready_one_by_one_share_one_call(tmp_path: Path) -> None:
    """A lone ready operation does not leave while the others of its verb are still coming and one call
    can carry them all: they leave together as soon as the last is ready."""
    parents = [op(f"p{n}", f"parent{n}") for n in range(6)]
    children = [op(f"p{n}/c", "child", after=[f"p{n}"], limit=100) for n in range(6)]
    fake = FakeProvider(delays={**{f"parent{n}": 0.03 * (n + 1) for n in range(6)}, "child": 0.4})
    report, _ = run([*parents, *children], {"fake": fake}, tmp_path)
    assert all(o.ok for o in report.outcomes)
    [batch] = [c for c in fake.calls if c.verb == "child"]
    assert batch.keys == [f"p{n}/c" for n in range(6)]
    assert batch.start - fake.call_of("p5").end < 0.1


def test_a_partial_batch_leaves_when_it_costs_no_call_more(tmp_path: Path) -> None:
    """Five operations in batches of two make three calls whatever happens; the first ready one leaves at
    once, since the last batch would carry one alone anyway."""
    parents = [op(f"p{n}", f"parent{n}") for n in range(5)]
    children = [op(f"p{n}/c", "child", after=[f"p{n}"], limit=2) for n in range(5)]
    fake = FakeProvider(delays={**{f"parent{n}": 0.1 * (n + 1) for n in range(5)}, "child": 0.05})
    report, _ = run([*parents, *children], {"fake": fake}, tmp_path)
    assert all(o.ok for o in report.outcomes)
    batches = [c for c in fake.calls if c.verb == "child"]
    assert [c.keys for c in batches] == [["p0/c"], ["p1/c", "p2/c"], ["p3/c", "p4/c"]]
    assert batches[0].start < fake.call_of("p1").end


def test_ready_operations_leave_in_full_batches(tmp_path: Path) -> None:
    ops = [op(f"x{n}", "create", limit=4) for n in range(10)]
    fake = FakeProvider(delays={"create": 0.01})
    run(ops, {"fake": fake}, tmp_path)
    assert [len(c.keys) for c in fake.calls] == [4, 4, 2]


def test_each_platform_runs_at_most_its_concurrency(tmp_path: Path) -> None:
    narrow = FakeProvider(platform="narrow", delays={"create": 0.05}, concurrency=2)
    wide = FakeProvider(platform="wide", delays={"create": 0.05})
    ops = [op(f"n{i}", platform="narrow") for i in range(8)] + [
        op(f"w{i}", platform="wide") for i in range(8)
    ]
    report, _ = run(ops, {"narrow": narrow, "wide": wide}, tmp_path)
    assert len(report.outcomes) == 16 and all(o.ok for o in report.outcomes)
    assert (narrow.peak, wide.peak) == (2, 8)


def test_the_concurrency_argument_is_the_default(tmp_path: Path) -> None:
    class Plain:  # a provider that says nothing about its concurrency
        def __init__(self) -> None:
            self.inner = FakeProvider(delays={"create": 0.05})

        async def execute(self, verb: str, ops: Sequence[Operation], ids: Mapping[Address, str]) -> Any:
            return await self.inner.execute(verb, ops, ids)

    plain = Plain()
    ops = [op(f"x{i}") for i in range(5)]
    backend = LocalStateBackend(tmp_path, "p")
    asyncio.run(execute(ops, changes_of(ops), {"fake": plain}, backend, backend.read(), concurrency=3))  # type: ignore[dict-item]
    assert plain.inner.peak == 3


def test_a_refused_item_skips_what_depends_on_it_and_nothing_else(tmp_path: Path) -> None:
    ops = [
        op("a", "create", limit=3),
        op("b", "create", limit=3),
        op("c", "create", limit=3),
        op("b/x", "child", after=["b"]),
        op("b/x/y", "grandchild", after=["b/x"]),
        op("a/x", "child", after=["a"]),
    ]
    fake = FakeProvider(refuse={"b"})
    report, state = run(ops, {"fake": fake}, tmp_path)
    outcome = {o.operation.key: o for o in report.outcomes}
    assert [c.keys for c in fake.calls if c.verb == "create"] == [["a", "b", "c"]]
    assert (outcome["a"].ok, outcome["c"].ok, outcome["a/x"].ok) == (True, True, True)
    assert (outcome["b"].ok, outcome["b"].error) == (False, "b refused")
    assert outcome["b/x"].error == outcome["b/x/y"].error == "skipped: create of fake.thing.b failed"
    assert {c.verb for c in fake.calls} == {"create", "child"}
    assert sorted(state.resources) == ["fake.thing.a", "fake.thing.a/x", "fake.thing.c"]
    assert state.pending == {}
    failed = state.failed["fake.thing.b"]
    assert (failed.verb, failed.error, failed.attempted) == ("create", "b refused", {"name": "fake.thing.b"})
    # A skipped step is recorded with the failure that stopped it: the next plan says so instead of drift.
    assert sorted(state.failed) == ["fake.thing.b", "fake.thing.b/x", "fake.thing.b/x/y"]
    skipped = state.failed["fake.thing.b/x/y"]
    assert (skipped.verb, skipped.error) == ("grandchild", "skipped: create of fake.thing.b failed")


def test_a_later_success_clears_a_failure_of_an_earlier_apply_only(tmp_path: Path) -> None:
    backend = LocalStateBackend(tmp_path / "state", "p")
    state = backend.read()
    earlier = FailedStep(verb="create", error="old", time="t")
    backend.record(
        state, [Record("failed", "fake.thing.a", earlier), Record("failed", "fake.thing.b", earlier)]
    )
    ops = [op("a"), op("b", "first"), op("b2", "second", creates=False)]
    ops[2].address = ops[1].address  # a second step on b that succeeds after the first one failed
    fake = FakeProvider(refuse={"b"}, delays={"second": 0.05})
    report, stored = run(ops, {"fake": fake}, tmp_path, state)
    assert [o.ok for o in report.outcomes] == [True, False, True]
    assert "fake.thing.a" not in stored.failed
    assert stored.failed["fake.thing.b"].error == "b refused"


def test_progress_hears_the_totals_and_every_step_as_it_finishes(tmp_path: Path) -> None:
    heard: list[Any] = []

    class Watcher:
        def planned(self, totals: Mapping[str, int]) -> None:
            heard.append(dict(totals))

        def step(self, outcome: StepOutcome) -> None:
            heard.append((outcome.operation.key, outcome.ok, outcome.elapsed >= 0.3))

    ops = [op("a", "slow"), op("b", "fast"), op("b/c", "child", after=["b"])]
    fake = FakeProvider(delays={"slow": 0.3}, refuse={"b"})
    run(ops, {"fake": fake}, tmp_path, progress=Watcher())
    assert heard == [{"fake": 3}, ("b", False, False), ("b/c", False, False), ("a", True, True)]


def test_a_dependency_cycle_fails_before_any_call(tmp_path: Path) -> None:
    fake = FakeProvider()
    with pytest.raises(CycleError):
        run([op("a", after=["b"]), op("b", after=["a"]), op("c")], {"fake": fake}, tmp_path)
    assert fake.calls == []


def test_state_writes_asked_for_while_one_is_under_way_go_together(tmp_path: Path) -> None:
    writes: list[int] = []

    class SlowDisk(LocalStateBackend):
        def record(self, state: State, records: Sequence[Record]) -> None:
            time.sleep(0.02)
            writes.append(len(records))
            super().record(state, records)

    ops = [op(f"x{i}") for i in range(16)]
    fake = FakeProvider(delays={"create": 0.01})
    backend = SlowDisk(tmp_path / "state", "p")
    current = backend.read()
    report = asyncio.run(execute(ops, changes_of(ops), {"fake": fake}, backend, current))
    backend.commit(current)
    assert all(o.ok for o in report.outcomes)
    # 16 creates journalled before their call and recorded after it: 32 batches of records, fewer writes.
    assert sum(writes) == 16 + 16 * 2 and len(writes) < 32
    stored = LocalStateBackend(tmp_path / "state", "p").read()
    assert sorted(stored.resources) == sorted(str(o.address) for o in ops) and not stored.pending


def test_the_report_says_how_many_state_writes_the_steps_made_and_their_time(tmp_path: Path) -> None:
    ops = [op("p"), *(op(f"p/{n}", "child", after=["p"]) for n in range(3))]
    report, stored = run(ops, {"fake": FakeProvider()}, tmp_path)
    assert len(stored.resources) == 4
    # p journalled, its result, the children journalled, theirs: at least 2 writes, at most one a batch each
    assert 2 <= report.state_writes <= 4
    assert 0 < report.state_cpu <= report.state_seconds + 0.01


def test_the_next_call_leaves_while_a_batch_s_results_are_written(tmp_path: Path) -> None:
    """A platform's calls in flight are its limit, not its batches being recorded: with one call at a time,
    the second batch's call starts while the first one's results reach the disk."""
    written: list[float] = []

    class SlowResults(LocalStateBackend):
        def record(self, state: State, records: Sequence[Record]) -> None:
            if not any(r.section == "pending" and r.value is not None for r in records):
                time.sleep(0.2)
                written.append(time.monotonic())
            super().record(state, records)

    ops = [op("x0", limit=1), op("x1", limit=1)]
    fake = FakeProvider(delays={"create": 0.05}, concurrency=1)
    backend = SlowResults(tmp_path / "state", "p")
    report = asyncio.run(execute(ops, changes_of(ops), {"fake": fake}, backend, backend.read()))
    assert all(o.ok for o in report.outcomes) and fake.peak == 1
    first, second = fake.calls
    assert first.end < second.start < written[0]  # not after the first batch's results were written


def test_creates_waiting_for_their_platform_s_slot_are_journalled_meanwhile(tmp_path: Path) -> None:
    """With one call at a time, the second batch of creates is journalled while it waits for the slot (here
    in the same write as the first): its call leaves as soon as the first answer is in, not after a journal
    write of its own."""
    journalled: list[tuple[float, list[str]]] = []

    class SlowJournal(LocalStateBackend):
        def record(self, state: State, records: Sequence[Record]) -> None:
            if any(r.section == "pending" and r.value is not None for r in records):
                time.sleep(0.2)
                journalled.append((time.monotonic(), [r.address for r in records if r.section == "pending"]))
            super().record(state, records)

    ops = [op("x0", limit=1), op("x1", limit=1)]
    fake = FakeProvider(delays={"create": 0.3}, concurrency=1)
    backend = SlowJournal(tmp_path / "state", "p")
    current = backend.read()
    report = asyncio.run(execute(ops, changes_of(ops), {"fake": fake}, backend, current))
    backend.commit(current)
    assert all(o.ok for o in report.outcomes) and fake.peak == 1
    first, second = fake.calls
    assert [addresses for _, addresses in journalled] == [["fake.thing.x0", "fake.thing.x1"]]
    assert journalled[0][0] < first.start
    assert second.start - first.end < 0.1  # no journal write between the two calls
    stored = LocalStateBackend(tmp_path / "state", "p").read()
    assert sorted(stored.resources) == ["fake.thing.x0", "fake.thing.x1"] and not stored.pending


@pytest.mark.parametrize(("name", "platform", "calls"), [("criteo-retargeting", "criteo", 16)])
def test_a_provider_keeps_in_flight_what_its_platform_settings_allow(
    example: Callable[[str], Path], name: str, platform: str, calls: int
) -> None:
    """Criteo limits calls a minute, not calls in flight: its provider (the executor's limit) and its
    client's session keep 16 in flight; the throttle spreads a larger run over the minutes it needs."""
    workspace = engine.open_workspace(example(name))
    engine.open_providers(workspace)
    provider = workspace.providers[platform]
    assert getattr(provider, "concurrency", None) == calls
    assert provider.client.session._gate._value == calls  # type: ignore[attr-defined]
    asyncio.run(workspace.aclose())


def test_a_partial_batch_leaves_at_once_when_nothing_more_of_its_verb_can_come(tmp_path: Path) -> None:
    """The last operations of a verb do not wait for the batch in flight: none could join them."""
    parents = [op("p0", "parent0"), op("p1", "parent1")]
    children = [op(f"p{n}/{c}", "child", after=[f"p{n}"], limit=2) for n, c in ((0, "a"), (0, "b"), (1, "a"))]
    fake = FakeProvider(delays={"parent0": 0.03, "parent1": 0.06, "child": 0.4})
    report, _ = run([*parents, *children], {"fake": fake}, tmp_path)
    assert all(o.ok for o in report.outcomes)
    first, second = [c for c in fake.calls if c.verb == "child"]
    assert (first.keys, second.keys) == (["p0/a", "p0/b"], ["p1/a"])
    assert second.start < first.end  # it left when p1/a became ready, not when the first batch ended


def test_a_skipped_operation_is_not_waited_for_by_the_rest_of_its_verb(tmp_path: Path) -> None:
    parents = [op("p0", "parent0"), op("p1", "parent1"), op("p2", "parent2")]
    children = [op(f"p{n}/c", "child", after=[f"p{n}"], limit=100) for n in range(3)]
    delays = {"parent0": 0.01, "parent1": 0.05, "parent2": 0.1, "child": 0.4}
    fake = FakeProvider(delays=delays, refuse={"p2"})
    report, _ = run([*parents, *children], {"fake": fake}, tmp_path)
    [batch] = [c for c in fake.calls if c.verb == "child"]
    assert batch.keys == ["p0/c", "p1/c"]
    assert batch.start - fake.call_of("p2").end < 0.1  # p2/c was skipped: nothing more could join them
    assert [o.operation.key for o in report.failed] == ["p2", "p2/c"]
