"""The network sections of `bench.portfolio`: calls per endpoint against their lower bounds, apply wall time
at a given latency against the latency bound, speed against the naive per-object client, and 429s against a
sandbox announcing a lower rate limit."""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from pathlib import Path

from bench.bounds import answered, latency_bound, read_bounds, statuses, tally, write_bounds
from bench.generate import Counts, Shape, write_project
from bench.harness import run
from bench.presets import PLATFORMS, Context, endpoints, only
from bench.report import Row, Section, at_least, at_most

WRITE_FACTOR, READ_FACTOR, LATENCY_FACTOR = 1.05, 1.1, 2.0
NAMES = {"amazon_dsp": "Amazon", "applovin": "AppLovin", "criteo": "Criteo"}


def describe(counts: Counts) -> str:
    return "; ".join(
        f"{NAMES[p]} "
        + ", ".join(f"{n:,} {k.replace('_', ' ')}" for k, n in kinds.items() if k != "resources")
        for p, kinds in counts.objects.items()
    )


def calls(ctx: Context) -> Section:
    """Write calls of a first apply and reads of the no-op plan after it, per endpoint, vs their bounds."""
    section = Section(
        "Calls per endpoint vs the lower bound (first apply of a saved plan; no-op plan after it)"
    )
    with ctx.sandbox("calls") as sandbox:
        root = ctx.place("calls")
        counts = write_project(root, ctx.preset.calls, ctx.fixtures, endpoints(sandbox))
        ctx.say(f"calls: {counts.resources:,} resources ({describe(counts)})")
        plan = root / "plan.json"
        run(["plan", str(root), "-o", str(plan)], ctx.env).check()
        sandbox.clear()
        applied = run(["apply", str(plan)], ctx.env).check()
        apply_log = sandbox.requests()
        sandbox.clear()
        again = run(["plan", str(root), "--detailed-exitcode"], ctx.env).check(0, 2)
        plan_log = sandbox.requests()
    section.notes.append(f"portfolio: {counts.resources:,} resources: {describe(counts)}")
    section.notes.append(
        f"first apply {applied.seconds:.1f} s, no-op plan {again.seconds:.1f} s (no latency)"
    )
    section.add(
        Row(
            "no-op plan after apply finds no changes",
            again.code == 0,
            "bool",
            accept="yes",
            ok=again.code == 0,
        )
    )
    # A call refused with 429 did nothing and is sent again after the platform's delay: it is counted apart
    # (Amazon DSP publishes no limit, so the calls in flight when it first refuses are refused too).
    written, read = tally(answered(apply_log)), tally(answered(plan_log))
    for platform in (p for p in PLATFORMS if p in counts.objects):
        _compare(section, platform, "write", written, write_bounds(counts), WRITE_FACTOR)
        _compare(section, platform, "read", read, read_bounds(counts), READ_FACTOR)
        refused = statuses([r for r in (*apply_log, *plan_log) if r["platform"] == platform], 429)
        what = f"{NAMES[platform]} calls refused with 429 and sent again (apply + no-op plan)"
        section.add(Row(what, refused, "calls"))
        tokens = sum(n for (p, c, _), n in read.items() if p == platform and c == "auth")
        apply_reads = sum(n for (p, c, _), n in written.items() if p == platform and c == "read")
        section.add(Row(f"{NAMES[platform]} token calls of the no-op plan", tokens, "calls", 1.0))
        section.add(Row(f"{NAMES[platform]} reads during the apply", apply_reads, "calls"))
    return section


def _compare(
    section: Section,
    platform: str,
    kind: str,
    measured: Mapping[tuple[str, str, str], int],
    bounds: Mapping[tuple[str, str], int],
    factor: float,
) -> None:
    seen = {e: n for (p, c, e), n in measured.items() if p == platform and c == kind}
    wanted = {e: n for (p, e), n in bounds.items() if p == platform}
    what = "writes (apply)" if kind == "write" else "reads (no-op plan)"
    for name in sorted(set(seen) | set(wanted)):
        section.add(
            Row(f"  {NAMES[platform]} {name}", seen.get(name, 0), "calls", wanted.get(name, 0) or None)
        )
    total, bound = sum(seen.values()), sum(wanted.values())
    ok = at_most(total / bound if bound else None, factor)
    section.add(Row(f"{NAMES[platform]} {what}", total, "calls", bound, f"≤ {factor}× bound", ok))


def latency(ctx: Context) -> Section:
    """Apply wall time at `--latency-ms` vs the latency bound, and speed vs the naive per-object client."""
    ms = ctx.latency_ms
    section = Section(f"Apply at {ms} ms latency vs the latency bound; speed vs a naive per-object client")
    shape = ctx.preset.latency
    section.notes.append(
        "latency bound = latency × (1 token + Σ over the plan's dependency levels of"
        f" ceil(calls / concurrency)), concurrency {dict(ctx.concurrency)}"
    )
    ours: dict[str, float] = {}
    with ctx.sandbox("latency", "--latency-ms", str(ms)) as sandbox:
        for platform in PLATFORMS:
            root = ctx.place(f"latency-{platform}")
            counts = write_project(root, only(shape, platform), ctx.fixtures, endpoints(sandbox))
            ctx.say(f"latency: {NAMES[platform]} {counts.resources:,} resources at {ms} ms")
            plan = root / "plan.json"
            run(["plan", str(root), "-o", str(plan)], ctx.env).check()
            applied = run(["apply", str(plan)], ctx.env).check()
            ours[platform] = applied.seconds
            throttled = statuses([r for r in sandbox.requests() if r["platform"] == platform], 429)
            seconds, depth, needed = latency_bound(json.loads(plan.read_text()), ms / 1000, ctx.concurrency)[
                platform
            ]
            strict = platform != "criteo"
            section.add(
                Row(
                    f"{NAMES[platform]} apply of {counts.resources:,} resources"
                    f" ({depth} levels, {needed:,} calls; CPU {applied.cpu:.1f} s; {throttled} 429s)",
                    applied.seconds,
                    "s",
                    seconds,
                    f"≤ {LATENCY_FACTOR}× bound" if strict else "",
                    at_most(applied.seconds / seconds, LATENCY_FACTOR) if strict else None,
                )
            )
        refused = statuses([r for r in sandbox.requests() if r["platform"] == "criteo"], 429)
    _against_naive(ctx, section, ours)
    section.add(
        Row("Criteo 429s received by reconciler at 250/min", refused, "429s", accept="= 0", ok=refused == 0)
    )
    return section


def _against_naive(ctx: Context, section: Section, ours: Mapping[str, float]) -> None:
    """The naive client on a fresh sandbox at the same latency, against reconciler's `apply PLANFILE` above
    (what a CI apply job runs; the plan was made before, and the naive client reads nothing). Each is timed
    as the process a user runs: `python -m bench.naive`, whose own figure (from its first line of work to
    its last answer) is shown beside."""
    ms = str(ctx.latency_ms)
    targets = {"amazon_dsp": 5.0, "criteo": 1.0}
    script = (sys.executable, "-m", "bench.naive")
    env = {**ctx.env, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    with ctx.sandbox("naive", "--latency-ms", ms) as sandbox:
        roots = {p: ctx.place(f"naive-{p}") for p in targets}
        for platform, root in roots.items():
            write_project(root, only(ctx.preset.latency, platform), ctx.fixtures, endpoints(sandbox))
        ctx.say("speed: naive client")
        runs = {
            platform: run([platform, str(roots[platform]), sandbox.url(platform)], env, script).check()
            for platform in targets
        }
    for platform, target in targets.items():
        them = runs[platform]
        inside = json.loads(them.stdout)
        section.add(
            Row(
                f"{NAMES[platform]} speed: naive script ({them.seconds:.1f} s, {inside['seconds']:.1f} s"
                f" in its calls; {inside['calls']:,} calls, {inside['throttled']} 429s) / reconciler apply"
                f" ({ours[platform]:.1f} s)",
                them.seconds / ours[platform],
                "x",
                accept=f"≥ {target:g}×",
                ok=at_least(them.seconds / ours[platform], target),
            )
        )


def throttle(ctx: Context) -> Section:
    """A Criteo apply against a sandbox announcing 60 calls a minute: every 429 is a failure."""
    section = Section("Criteo against a sandbox announcing --rate-limit 60")
    shape = Shape(
        criteo_campaigns=1, ad_sets=ctx.preset.throttle_ad_sets, audience_every=0, start_ad_sets=False
    )
    with ctx.sandbox("throttle", "--rate-limit", "60") as sandbox:
        root = ctx.place("throttle")
        counts = write_project(root, shape, ctx.fixtures, endpoints(sandbox))
        ctx.say(f"throttle: Criteo {counts.resources} resources at 60 calls/min")
        applied = run(["apply", str(root), "--auto-approve"], ctx.env)
        log = sandbox.requests()
    refused = statuses(log, 429)
    sent = len(log)
    section.notes.append(
        f"apply of {counts.resources} resources exited {applied.code} after {applied.seconds:.1f} s; "
        f"{sent} calls ({sent / max(applied.seconds / 60, 1e-9):.0f} a minute on average)"
    )
    section.add(Row("429s received", refused, "429s", accept="= 0", ok=refused == 0))
    section.add(Row("apply succeeded", applied.code == 0, "bool", accept="yes", ok=applied.code == 0))
    return section
