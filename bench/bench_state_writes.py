"""Benchmark: the share of an apply spent writing state, and the cost per operation, at 1k / 5k / 10k ops.

The apply runs the real executor and the local state backend (journal, fsync before each batch of creates,
one compaction at the end) against an in-process fake provider (no network): campaigns → ad groups →
targets, 100 operations a campaign, batches of 10 / 100 / 100, 8 calls at a time. Each figure is the best of
`--rounds` runs:
- with a platform latency per call (default 50 ms): the state's share of the apply, i.e. the apply's time
  beyond the same apply with a backend that writes nothing (bound ≤ 5%); `in writer s` is the time the
  writer thread spent, mostly while calls were in flight;
- with no latency: the executor's and the state's CPU cost per operation, whose growth must stay linear.
The log-log exponent of apply time over size is printed for both (bound ≤ 1.05), and what rewriting the whole
state file once per batch (the scheme before the journal) would have added.

This is the hardest case for the state: a platform that costs no CPU and answers every call in exactly the
latency, so every millisecond the state writes take shows. The acceptance figure is measured on real
applies by `bench.portfolio --only scale` (the share of the writer's CPU time and the compaction in a served
apply, from `reconciler -v apply`).

Run with `.venv/bin/python bench/bench_state_writes.py [--latency-ms 50] [SIZES...]`.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import math
import sys
import tempfile
import time
from collections.abc import Awaitable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reconciler.apply import ApplyReport, execute
from reconciler.cli import GC_THRESHOLDS
from reconciler.model import Operation
from reconciler.state import LocalStateBackend, Record, State
from tests.apply.fakes import FakeProvider, changes_of, op

SHARE_BOUND = 0.05
EXPONENT_BOUND = 1.05


def portfolio(size: int) -> list[Operation]:
    """`size` operations: size/100 campaigns, each with 9 ad groups of 10 targets."""
    ops: list[Operation] = []
    for c in range(max(1, size // 100)):
        campaign = f"c{c}"
        ops.append(op(campaign, "create_campaign", limit=10))
        for g in range(9):
            group = f"{campaign}/g{g}"
            ops.append(op(group, "create_ad_group", after=[campaign], limit=100))
            ops += [op(f"{group}/t{t}", "create_target", after=[group], limit=100) for t in range(10)]
    return ops


class TimedBackend(LocalStateBackend):
    """The local backend, timing every write (records and the compaction)."""

    spent = 0.0
    batches = 0

    def record(self, state: State, records: Sequence[Record]) -> None:
        started = time.perf_counter()
        super().record(state, records)
        self.spent += time.perf_counter() - started
        self.batches += 1

    def commit(self, state: State) -> None:
        started = time.perf_counter()
        super().commit(state)
        self.spent += time.perf_counter() - started


class MemoryBackend(TimedBackend):
    """Keeps the state in memory only: the same apply without any state write, as the baseline."""

    def record(self, state: State, records: Sequence[Record]) -> None:
        state.apply(records)
        state.serial += 1
        self.batches += 1

    def commit(self, state: State) -> None:
        pass


def apply_once(
    size: int, latency: float, backend_type: type[TimedBackend]
) -> tuple[float, TimedBackend, State]:
    """The wall seconds of one apply of `size` operations, its backend and the final state."""
    ops = portfolio(size)
    provider = FakeProvider(
        delays={verb: latency for verb in ("create_campaign", "create_ad_group", "create_target")}
    )
    with tempfile.TemporaryDirectory() as directory:
        backend = backend_type(Path(directory), "bench")
        state = backend.read()
        started = time.perf_counter()
        report = _run(execute(ops, changes_of(ops), {"fake": provider}, backend, state))  # type: ignore[dict-item]
        backend.commit(state)
        wall = time.perf_counter() - started
        assert not report.failed and len(state.resources) == len(ops)
    return wall, backend, state


def _run(work: Awaitable[ApplyReport]) -> ApplyReport:
    """`work` on an event loop, its result kept outside the main task as `reconciler.cli.common.run` keeps it
    (`asyncio.run` formats the main task with its result when it restores the SIGINT handler: the repr of
    every outcome, which no apply pays)."""
    done: list[ApplyReport] = []

    async def runner() -> None:
        done.append(await work)

    asyncio.run(runner())
    return done[0]


def rewrite_cost(state: State, batches: int) -> float:
    """What writing the whole state file once per batch (the scheme before the journal) would take."""
    with tempfile.TemporaryDirectory() as directory:
        started = time.perf_counter()
        (Path(directory) / "state.json").write_text(state.model_dump_json(indent=2))
        return (time.perf_counter() - started) * batches


def exponent(sizes: Sequence[int], walls: Sequence[float]) -> float:
    """Least-squares slope of log(wall) over log(size)."""
    xs, ys = [math.log(s) for s in sizes], [math.log(w) for w in walls]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)


def main() -> int:
    gc.set_threshold(*GC_THRESHOLDS)  # the collector set as `reconciler` sets it for every command
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 5000, 10000])
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument("--rounds", type=int, default=3, help="Best of this many runs per figure.")
    args = parser.parse_args()
    ok = True
    print(
        f"{'ops':>6} {'latency':>8} {'apply s':>8} {'no-state s':>10} {'state share':>11} {'µs/op':>6}"
        f" {'writes':>6} {'in writer s':>11}  whole-file rewrite per batch"
    )
    for latency in (args.latency_ms / 1000, 0.0):
        walls: list[float] = []
        for size in args.sizes:
            runs, baselines = [], []
            for _ in range(args.rounds):  # interleaved, so a busy moment of the machine hits both
                runs.append(apply_once(size, latency, TimedBackend))
                baselines.append(apply_once(size, latency, MemoryBackend)[0])
            wall, backend, state = min(runs, key=lambda r: r[0])
            baseline = min(baselines)
            share = max(0.0, wall - baseline) / wall
            walls.append(wall)
            old = rewrite_cost(state, backend.batches)
            print(
                f"{size:>6} {latency * 1000:>6.0f}ms {wall:>8.3f} {baseline:>10.3f} {share:>11.1%}"
                f" {wall / size * 1e6:>6.0f} {backend.batches:>6} {backend.spent:>11.3f}"
                f"  would add {old:.2f} s ({old / wall:.0%})"
            )
            ok = ok and (share <= SHARE_BOUND or not latency)
        slope = exponent(args.sizes, walls)
        print(
            f"  growth exponent of apply time over size at {latency * 1000:.0f} ms: {slope:.2f}"
            f" (bound ≤ {EXPONENT_BOUND})"
        )
        ok = ok and slope <= EXPONENT_BOUND
    print(
        f"bounds: state writes ≤ {SHARE_BOUND:.0%} of the apply at {args.latency_ms:.0f} ms latency (apply "
        f"time beyond the same apply without state writes), exponent ≤ {EXPONENT_BOUND}: "
        + ("met" if ok else "NOT MET")
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
