"""Portfolio benchmark (issue 13): generates three-platform portfolios, drives `reconciler` and
`reconciler sandbox serve` as separate processes, and prints one table of figures against their bounds.

    .venv/bin/python -m bench.portfolio                      # --size medium, every section
    .venv/bin/python -m bench.portfolio --size large --json bench.json
    .venv/bin/python -m bench.portfolio --quick --only calls,startup
    .venv/bin/python -m bench.portfolio --campaigns 1000 --children 10000 --only calls

Sections: calls (writes and no-op plan reads per endpoint vs Σ ceil(objects / batch limit)), latency (apply at
`--latency-ms` vs the latency bound, and speed vs a naive per-object client), throttle (429s against a sandbox
announcing 60 calls a minute), scale (validate, apply and no-op plan at growing sizes, growth exponents),
manifest (one large manifest), startup. A last section gives the machine's speed before and after them (the
time of a fixed pure-Python loop), so that figures taken on different machines or at different moments can be
compared. Exit status 0 when every checked figure passes, 1 otherwise.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from bench import cpu, network
from bench.harness import Sandbox, bench_env
from bench.presets import CONCURRENCY, PRESETS, Context, children, resize
from bench.report import Row, Section, render, save

LOOP_STEPS = 10_000_000

SECTIONS: dict[str, Callable[[Context], Section]] = {
    "calls": network.calls,
    "latency": network.latency,
    "throttle": network.throttle,
    "scale": cpu.scale,
    "manifest": cpu.manifest,
    "startup": cpu.startup,
}


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.portfolio", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--size", choices=sorted(PRESETS), default="medium", help="preset sizes (default medium)"
    )
    parser.add_argument("--quick", action="store_true", help="the smallest sizes (same as --size quick)")
    parser.add_argument("--campaigns", type=int, help="campaigns of the calls portfolio (all platforms)")
    parser.add_argument("--children", type=int, help="objects below the campaigns of the calls portfolio")
    parser.add_argument("--scale", help="comma-separated Amazon DSP resource counts of the scale section")
    parser.add_argument("--only", help=f"comma-separated sections among {', '.join(SECTIONS)}")
    parser.add_argument(
        "--latency-ms", type=int, default=50, help="latency of the latency section (default 50)"
    )
    parser.add_argument(
        "--concurrency",
        action="append",
        default=[],
        metavar="PLATFORM=N",
        help="calls in flight per platform",
    )
    parser.add_argument("--json", type=Path, help="also write the table as JSON to this file")
    parser.add_argument(
        "--keep", type=Path, help="work in this directory and keep it (default: a temporary one)"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    preset = PRESETS["quick" if args.quick else args.size]
    calls = resize(preset.calls, args.campaigns, args.children)
    preset = replace(preset, calls=calls)
    if args.scale:
        preset = replace(preset, scale=tuple(int(n) for n in args.scale.split(",")))
    chosen = [s.strip() for s in args.only.split(",")] if args.only else list(SECTIONS)
    unknown = [s for s in chosen if s not in SECTIONS]
    if unknown:
        raise SystemExit(f"unknown section(s) {', '.join(unknown)}; choose among {', '.join(SECTIONS)}")
    concurrency = dict(CONCURRENCY)
    for item in args.concurrency:
        platform, _, number = item.partition("=")
        concurrency[platform] = int(number)
    with tempfile.TemporaryDirectory(prefix="bench-") as temporary:
        work = args.keep or Path(temporary)
        work.mkdir(parents=True, exist_ok=True)
        with Sandbox(work / "fixtures.sqlite") as sandbox:
            fixtures = sandbox.fixtures()
        ctx = Context(work, fixtures, bench_env(fixtures), preset, args.latency_ms, concurrency)
        campaigns = calls.amazon_campaigns + calls.criteo_campaigns + calls.applovin_campaigns
        ctx.say(
            f"size {'quick' if args.quick else args.size}: calls portfolio of {campaigns:,} campaigns and "
            f"{children(calls):,} objects below them; sections {', '.join(chosen)}"
        )
        sections = []
        before = machine_speed()
        started = time.perf_counter()
        for name in chosen:
            began = time.perf_counter()
            section = SECTIONS[name](ctx)
            section.notes.append(f"section took {time.perf_counter() - began:.0f} s")
            sections.append(section)
        ctx.say(f"done in {time.perf_counter() - started:.0f} s")
        sections.append(machine(before, machine_speed()))
    render(sections, sys.stdout)
    if args.json:
        save(sections, args.json)
    return 1 if any(r.ok is False for s in sections for r in s.rows) else 0


def machine_speed() -> float:
    """Seconds this interpreter takes for a loop of `LOOP_STEPS` empty steps: the machine's speed at this
    moment for pure-Python work, which most of reconciler's CPU time is."""
    started = time.perf_counter()
    for _ in range(LOOP_STEPS):
        pass
    return time.perf_counter() - started


def machine(before: float, after: float) -> Section:
    """The machine's speed before and after the sections, for information."""
    section = Section("Machine: a loop of 10 million empty Python steps (lower is faster)")
    section.add(Row("before the sections", before, "s"))
    section.add(Row("after the sections", after, "s"))
    return section


if __name__ == "__main__":
    sys.exit(main())
