"""Benchmark: the plan after a killed apply, which looks up what the creates the apply left under way made.

An Amazon DSP project of about `--resources` addresses (default 10,000) is applied against `reconciler
sandbox serve --latency-ms 50` and SIGKILLed after `--kill` seconds (default 4), while batches of creates
are under way (journalled in state, not recorded). The plan then runs twice against that sandbox: on the
state the kill left (it looks the creates up and adopts what they made), and on a copy of it without the
creates under way (the same reads without the look-ups). The difference is what the look-ups cost: their
calls against their bound, one list per kind and parent for the creates matched by name (a campaign's ad
groups fit in one page of 100 here; the advertiser's campaigns take ceil(campaigns / 100) pages), and their
time. A look-up per create, one after the other, would cost a call and a round trip each.

Run with `.venv/bin/python bench/bench_recovery.py [--resources N] [--kill SECONDS] [--latency-ms MS]`.
"""

from __future__ import annotations

import argparse
import math
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bounds import answered
from bench.chaos import apply_killed
from bench.generate import Shape, write_project
from bench.harness import Sandbox, bench_env, run
from bench.presets import endpoints
from reconciler.state import LocalStateBackend, Record, State

PAGE = 100
"""FACTS.md: "Read endpoints are `POST .../list` ... they return at most 100 items a page"."""


def left_by_kill(root: Path) -> State:
    return LocalStateBackend(root / "state", "bench").read()


def without_creates_under_way(root: Path, copy: Path) -> None:
    """`root` copied to `copy`, its state without the creates under way."""
    shutil.copytree(root, copy)
    (copy / "state" / "default.lock").unlink(missing_ok=True)  # the killed apply's
    backend = LocalStateBackend(copy / "state", "bench")
    with backend.lock("bench"):
        state = backend.read()
        backend.record(state, [Record("pending", address, None) for address in state.pending])
        backend.commit(state)


def bound(state: State, shape: Shape, campaigns: int) -> int | None:
    """The fewest calls that find what every create under way made, when all are matched by name: the pages
    of one list per kind (the ad groups of their campaigns, as declared; the advertiser's campaigns)."""
    kinds = {address.split(".")[1] for address in state.pending}
    if not kinds <= {"campaign", "ad_group"}:
        return None
    parents = {p.parent for a, p in state.pending.items() if a.split(".")[1] == "ad_group"}
    return math.ceil(len(parents) * shape.ad_groups / PAGE) + ("campaign" in kinds) * math.ceil(
        campaigns / PAGE
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resources", type=int, default=10_000)
    parser.add_argument("--kill", type=float, default=4.0, help="seconds after which the apply is killed")
    parser.add_argument("--latency-ms", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-recovery-") as temporary:
        work = Path(temporary)
        with Sandbox(work / "fixtures.sqlite") as seeded:
            fixtures = seeded.fixtures()
        env = bench_env(fixtures)
        with Sandbox(work / "served.sqlite", "--latency-ms", str(args.latency_ms)) as sandbox:
            root = work / "project"
            shape = Shape().amazon_resources(args.resources)
            counts = write_project(root, shape, fixtures, endpoints(sandbox))
            code, killed = apply_killed(root, env, args.kill)
            state = left_by_kill(root)
            without_creates_under_way(root, work / "copy")
            sandbox.clear()
            recovering = run(["plan", str(root)], env).check(0, 2)
            with_lookups = answered(sandbox.requests())
            sandbox.clear()
            plain = run(["plan", str(work / "copy")], env).check(0, 2)
            without = answered(sandbox.requests())
    if killed is None:
        print(f"the apply ended (exit {code}) before {args.kill} s: give a shorter --kill")
        return 1
    kinds = sorted({a.split(".")[1] for a in state.pending})
    parents = len({p.parent for p in state.pending.values()})
    adopted = recovering.stdout.count("created by an interrupted run")
    lookups = len(with_lookups) - len(without)
    fewest = bound(state, shape, counts.objects["amazon_dsp"].get("campaigns", 0))
    print(
        f"{counts.resources:,} resources, apply killed after {killed:g} s at {args.latency_ms} ms a call: "
        f"{len(state.resources):,} recorded, {len(state.pending):,} creates under way ({', '.join(kinds)}) "
        f"under {parents} parent(s); the plan adopts {adopted}"
    )
    print(f"plan with the look-ups    {recovering.seconds:6.2f} s  {len(with_lookups):5} calls")
    print(f"plan without them         {plain.seconds:6.2f} s  {len(without):5} calls")
    verdict = "n/a (creates matched by id are under way)" if fewest is None else f"bound {fewest}"
    ok = fewest is None or lookups <= fewest
    print(
        f"look-ups                  {recovering.seconds - plain.seconds:6.2f} s  {lookups:5} calls  "
        f"{verdict}: {'PASS' if ok else 'FAIL'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
