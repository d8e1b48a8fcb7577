"""The CPU sections of `bench.portfolio`: validate, apply and no-op plan of growing Amazon DSP projects with
their growth exponents, one large manifest, and start-up time."""

from __future__ import annotations

import re
import shutil

from bench.bounds import statuses
from bench.generate import Shape, big_manifest, resources_label, write_project
from bench.harness import REPO, loglog_slope, median, run
from bench.presets import Context, endpoints
from bench.report import Row, Section, at_most
from reconciler.sandbox.amazon_dsp.settings import Settings as AmazonSandbox

PLAN_LIMITS = {10_000: (4.0, 300.0), 50_000: (20.0, None)}
"""Resources → (seconds, MiB) a no-op plan may take at that size."""
VALIDATE_LIMITS = {10_000: 3.0}
PLAN_EXPONENT, APPLY_EXPONENT = 1.1, 1.05
STATE_SHARE = 5.0
"""Per cent of an apply's wall time its state writes may take: the CPU time the steps' writes took in the
writer thread and the compaction's time, as `reconciler -v apply` reports them. (The writer thread's wall
time is shown too: it includes its waits for the interpreter lock while the rest of the apply runs.)"""
STATE_LINE = re.compile(
    r"state: (\d+) writes during the steps took ([\d.]+) s of CPU \(([\d.]+) s in the writer thread\),"
    r" the compaction ([\d.]+) s"
)
AMAZON_CALLS_PER_SECOND = AmazonSandbox().rate_limit_per_second


def scale(ctx: Context) -> Section:
    section = Section(
        "Scale: Amazon DSP projects (served sandbox, no latency): validate, first `apply --auto-approve`,"
        " no-op plan"
    )
    sizes: list[float] = []
    series: dict[str, list[float]] = {"validate": [], "apply": [], "apply_cpu": [], "plan": [], "plan_mb": []}
    for target in ctx.preset.scale:
        with ctx.sandbox(f"scale-{target}") as sandbox:
            root = ctx.place(f"scale-{target}")
            counts = write_project(root, Shape().amazon_resources(target), ctx.fixtures, endpoints(sandbox))
            n = counts.resources
            ctx.say(f"scale: {n:,} resources: validate, apply, plan")
            validated = run(["validate", str(root)], ctx.env).check()
            applied = run(["-v", "apply", str(root), "--auto-approve"], ctx.env).check()
            writes = sandbox.requests()
            sandbox.clear()
            again = run(["plan", str(root), "--detailed-exitcode"], ctx.env).check(0, 2)
            reads = sandbox.requests()
        throttled = statuses(reads, 429)
        sizes.append(n)
        for name, value in (
            ("validate", validated.seconds),
            ("apply", applied.seconds),
            ("apply_cpu", applied.cpu),
            ("plan", again.seconds),
            ("plan_mb", again.peak_mb),
        ):
            series[name].append(value)
        label = resources_label(target)
        seconds, megabytes = PLAN_LIMITS.get(target, (None, None))
        section.add(
            Row(
                f"[{label}] validate of {n:,} resources",
                validated.seconds,
                "s",
                *_limit(validated.seconds, VALIDATE_LIMITS.get(target)),
            )
        )
        section.add(Row(f"[{label}] validate peak memory", validated.peak_mb, "MB"))
        # The sandbox answers an Amazon DSP client 100 calls a second: past that, an apply is paced by the
        # limit (bound: calls / 100 s), so its wall time per resource grows from the size where the limit
        # starts to count; its CPU time is what reconciler itself costs per resource.
        calls = len(writes)
        section.add(
            Row(
                f"[{label}] apply ({calls:,} calls, {statuses(writes, 429)} 429s)",
                applied.seconds,
                "s",
                calls / AMAZON_CALLS_PER_SECOND,
            )
        )
        section.add(_state_share(label, applied.stderr, applied.seconds))
        section.add(Row(f"[{label}] apply per resource: wall", applied.seconds / n * 1000, "ms"))
        section.add(Row(f"[{label}] apply per resource: CPU", applied.cpu / n * 1000, "ms"))
        section.add(
            Row(
                f"[{label}] no-op plan ({len(reads):,} calls; {throttled} 429s)",
                again.seconds,
                "s",
                *_limit(again.seconds, seconds),
            )
        )
        section.add(
            Row(f"[{label}] no-op plan peak memory", again.peak_mb, "MB", *_limit(again.peak_mb, megabytes))
        )
        if again.code != 0:
            section.add(Row(f"[{label}] no-op plan finds no changes", False, "bool", accept="yes", ok=False))
    exponents = (
        ("no-op plan time", "plan", PLAN_EXPONENT),
        ("apply CPU time", "apply_cpu", APPLY_EXPONENT),
        ("apply wall time (paced by the rate limit at scale)", "apply", None),
        ("validate time", "validate", None),
        ("no-op plan peak memory", "plan_mb", None),
    )
    for title, name, limit in exponents:
        slope = loglog_slope(sizes, series[name])
        section.add(Row(f"growth exponent of {title} (log-log)", slope, "", *_limit(slope, limit)))
    return section


def _state_share(label: str, log: str, seconds: float) -> Row:
    """The share of an apply's wall time that went to writing its state, from its `-v` log."""
    found = STATE_LINE.search(log)
    if found is None:
        return Row(f"[{label}] state writes reported by the apply", False, "bool", accept="yes", ok=False)
    writes, cpu, thread, compaction = int(found[1]), float(found[2]), float(found[3]), float(found[4])
    share = (cpu + compaction) / seconds * 100
    return Row(
        f"[{label}] state writes' share of the apply ({writes} writes: {cpu:.2f} s of CPU, {thread:.2f} s in"
        f" the writer thread; compaction {compaction:.2f} s)",
        share,
        "%",
        *_limit(share, STATE_SHARE),
    )


def _limit(value: float | None, limit: float | None) -> tuple[None, str, bool | None]:
    """The (bound, acceptance, verdict) of a figure that must stay at or under `limit` (None: information)."""
    if limit is None:
        return None, "", None
    return None, f"≤ {limit:g}", at_most(value, limit)


def manifest(ctx: Context) -> Section:
    section = Section(f"One manifest of {ctx.preset.manifest_mb:g} MB (validate, offline)")
    root = ctx.place("manifest")
    (root / "campaigns").mkdir(parents=True)
    (root / "reconciler.yaml").write_text("project: big\nplatforms:\n  amazon_dsp:\n    endpoint: sandbox\n")
    resources = big_manifest(root / "campaigns" / "big.yaml", ctx.fixtures, ctx.preset.manifest_mb)
    size = (root / "campaigns" / "big.yaml").stat().st_size / 1_000_000
    ctx.say(f"manifest: validate one {size:.1f} MB manifest ({resources:,} resources)")
    validated = run(["validate", str(root)], ctx.env).check()
    section.add(
        Row(
            f"validate of a {size:.1f} MB manifest ({resources:,} resources)",
            validated.seconds,
            "s",
            *_limit(validated.seconds, 3.0),
        )
    )
    section.add(Row("  peak memory", validated.peak_mb, "MB"))
    return section


def startup(ctx: Context) -> Section:
    section = Section("Start-up")
    example = ctx.place("example")
    shutil.copytree(
        REPO / "examples" / "amazon-dsp-launch",
        example,
        ignore=shutil.ignore_patterns("state", ".reconciler"),
    )
    runs = max(1, ctx.preset.startup_runs)
    ctx.say(f"startup: {runs} run(s) of --version and of validate")
    version = [run(["--version"], ctx.env).check().seconds for _ in range(runs)]
    validate = [run(["validate", str(example)], ctx.env).check().seconds for _ in range(runs)]
    section.add(
        Row(f"reconciler --version (median of {runs})", median(version), "s", *_limit(median(version), 0.3))
    )
    section.add(
        Row(
            f"validate examples/amazon-dsp-launch (median of {runs})",
            median(validate),
            "s",
            *_limit(median(validate), 0.8),
        )
    )
    return section
