"""Benchmark: the plan after a killed apply, which looks up what the creates the apply left under way made.

An Amazon DSP project of about `--resources` addresses (default 10,000) is applied against `reconciler
sandbox serve --latency-ms 50` and SIGKILLed after `--kill` seconds (default 4), while batches of creates
are under way (journalled in state, not recorded). Then the plan runs (`reconciler plan`, timed), and its
look-up step alone (`engine.reading.recover`, in this process, the access token fetched first): its reads,
from the sandbox's log, against their bound, the pages of one list per kind for the creates matched by name
(the ad groups of their campaigns as declared, 100 a page; the advertiser's campaigns), and its time. Target
sets and creative associations are found by their ids in one read (no bound checked). A look-up per create,
one after the other, would cost a call and a round trip each.

Run with `.venv/bin/python bench/bench_recovery.py [--resources N] [--kill SECONDS] [--latency-ms MS]`.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bounds import answered, call_class, endpoint
from bench.chaos import apply_killed
from bench.generate import Shape, write_project
from bench.harness import Sandbox, bench_env, run
from bench.presets import endpoints
from reconciler.engine import open_workspace
from reconciler.engine.reading import recover
from reconciler.engine.workspace import open_providers
from reconciler.state import State

PAGE = 100
"""FACTS.md: "Read endpoints are `POST .../list` ... they return at most 100 items a page"."""


def reads(log: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The reads of the sandbox's log not refused with 429."""
    return [r for r in answered(log) if call_class(r["method"], r["path"]) == "read"]


def bound(state: State, shape: Shape, campaigns: int) -> int | None:
    """The fewest reads that find what every create under way made, when all are matched by name: the pages
    of one list per kind (the ad groups of their campaigns, as declared; the advertiser's `campaigns`)."""
    kinds = {address.split(".")[1] for address in state.pending}
    if not kinds <= {"campaign", "ad_group"}:
        return None
    parents = {p.parent for a, p in state.pending.items() if a.split(".")[1] == "ad_group"}
    pages = math.ceil(len(parents) * shape.ad_groups / PAGE)
    return pages + math.ceil(campaigns / PAGE) if "campaign" in kinds else pages


def look_ups(root: Path, env: Mapping[str, str], sandbox: Sandbox) -> tuple[State, float, int, list[str]]:
    """The plan's look-up step alone: the state it starts from, its seconds, the creates it finds and its
    reads by endpoint."""
    os.environ.update(env)  # the project's credentials

    async def recovered() -> tuple[State, float, int]:
        workspace = open_workspace(root)
        open_providers(workspace)
        try:
            for provider in workspace.providers.values():
                await provider.warm()
            state = workspace.backend.read()
            sandbox.clear()
            started = time.perf_counter()
            adopted = await recover(workspace, state)
            return state, time.perf_counter() - started, len(adopted)
        finally:
            await workspace.aclose()

    state, seconds, found = asyncio.run(recovered())
    return state, seconds, found, [endpoint(r["method"], r["path"]) for r in reads(sandbox.requests())]


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
            time.sleep(0.5 + 4 * args.latency_ms / 1000)  # the killed apply's last calls land first
            sandbox.clear()
            planned = run(["plan", str(root)], env).check(0, 2)
            plan_reads = len(reads(sandbox.requests()))
            state, seconds, found, calls = look_ups(root, env, sandbox)
    if killed is None:
        print(f"the apply ended (exit {code}) before {args.kill} s: give a shorter --kill")
        return 1
    kinds = sorted({a.split(".")[1] for a in state.pending})
    parents = len({p.parent for p in state.pending.values()})
    print(
        f"{counts.resources:,} resources, apply killed after {killed:g} s at {args.latency_ms} ms a call: "
        f"{len(state.resources):,} recorded, {len(state.pending):,} creates under way ({', '.join(kinds)}) "
        f"under {parents} parent(s)"
    )
    adopted = planned.stdout.count("created by an interrupted run")
    print(f"the plan           {planned.seconds:6.2f} s  {plan_reads:5} reads  (adopts {adopted})")
    seeded = len(fixtures["amazon_dsp"].get("campaigns", []))  # the sandbox's own, listed with ours
    fewest = bound(state, shape, counts.objects["amazon_dsp"].get("campaigns", 0) + seeded)
    ok = fewest is None or len(calls) <= fewest
    verdict = "n/a (creates matched by id are under way)" if fewest is None else f"bound {fewest}"
    print(
        f"its look-ups       {seconds:6.2f} s  {len(calls):5} reads  (find {found})  {verdict}: "
        + ("PASS" if ok else "FAIL")
    )
    print("  by endpoint: " + (", ".join(f"{e} ×{n}" for e, n in Counter(calls).items()) or "none"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
