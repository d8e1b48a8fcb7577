"""Chaos benchmark (issue 12): rounds of `apply` against `reconciler sandbox serve` with random faults
(refused calls, lost answers, latency) and random SIGKILLs of the apply, then re-applies with the faults
off or lower until `plan --detailed-exitcode` is clean, then an audit of every platform through its API.

    .venv/bin/python -m bench.chaos                    # 30 rounds, seed 1
    .venv/bin/python -m bench.chaos --rounds 5 --seed 7

Each round has its own small three-platform portfolio and a fresh sandbox; the round's faults, kill delay and
portfolio follow from `--seed` and the round number (the sandbox draws its faults from its own seed, so the
interleaving of calls can still differ between runs). A lock left by a killed apply is never removed by hand:
if the next apply cannot take it over, the round counts a stuck lock and does not converge.
Exit status 0 when every round converged within `--max-reapplies` with no duplicate, orphan, dangling entry
or stuck lock.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.audit import Findings, audit
from bench.generate import Shape, write_project
from bench.harness import BIN, PREFIXES, Run, Sandbox, bench_env, free_port, run
from bench.report import Row, Section, render

FAULT_SCOPES = {
    "all": "",
    "writes": r"^(POST|PATCH|PUT|DELETE) (?!.*(/list|/search|/token|/access_token)$)",
    "creates": r"^POST .*/(campaigns|adGroups|ad-sets|campaign|creative_set)$",
}
"""Which calls the faults hit (`--faults-only`): every platform call, the writes, or the creates."""


@dataclass
class Faults:
    fail: float
    lose: float
    latency_ms: int
    scope: str

    def options(self) -> list[str]:
        options = ["--fail-share", f"{self.fail:.2f}", "--lose-share", f"{self.lose:.2f}"]
        if self.latency_ms:
            options += ["--latency-ms", str(self.latency_ms)]
        if FAULT_SCOPES[self.scope]:
            options += ["--faults-only", FAULT_SCOPES[self.scope]]
        return options

    def lower(self) -> Faults:
        return Faults(self.fail / 4, self.lose / 4, self.latency_ms, self.scope)

    def __str__(self) -> str:
        return f"fail {self.fail:.2f} lose {self.lose:.2f} latency {self.latency_ms} ms on {self.scope}"


@dataclass
class Round:
    number: int
    faults: Faults
    killed_after: float | None = None
    first_exit: int | None = None
    reapplies: int = 0
    converged: bool = False
    stuck_lock: bool = False
    findings: Findings = field(default_factory=Findings)
    notes: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        f = self.findings
        return self.converged and not (f.duplicates or f.orphans or f.dangling or self.stuck_lock)


def shape(rng: random.Random) -> Shape:
    """A small three-platform portfolio."""
    return Shape(
        amazon_campaigns=rng.randint(1, 3),
        ad_groups=rng.randint(1, 3),
        locations=rng.randint(1, 2),
        audiences=rng.randint(0, 2),
        creatives=rng.randint(1, 2),
        tracked_every=rng.choice([0, 1, 2]),
        criteo_campaigns=rng.randint(1, 2),
        ad_sets=rng.randint(1, 4),
        applovin_campaigns=rng.randint(1, 2),
        countries=rng.randint(1, 3),
        creative_sets=rng.randint(0, 2),
        source_bids=rng.randint(0, 4),
    )


def apply_killed(root: Path, env: dict[str, str], delay: float | None) -> tuple[int, float | None]:
    """`apply --auto-approve`, SIGKILLed after `delay` seconds if still running; (exit code, kill time)."""
    process = subprocess.Popen(
        [str(BIN), "apply", str(root), "--auto-approve"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        return process.wait(timeout=delay if delay is not None else 600), None
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        return process.wait(), delay


def play(number: int, seed: int, work: Path, max_reapplies: int) -> Round:
    rng = random.Random(f"{seed}:{number}")
    faults = Faults(
        fail=rng.uniform(0, 0.3),
        lose=rng.uniform(0, 0.3),
        latency_ms=rng.choice([0, 20, 50, 100]),
        scope=rng.choice(sorted(FAULT_SCOPES)),
    )
    result = Round(number, faults)
    portfolio, kill, calmer = shape(rng), rng.random() < 0.6, rng.choice(["off", "lower"])
    delay = rng.uniform(0.2, 1.5) if kill else None  # applies of these portfolios take about 0.5–2 s
    port, db, root = free_port(), work / f"round-{number}.sqlite", work / f"round-{number}"
    with Sandbox(db, *faults.options(), port=port) as sandbox:
        fixtures = sandbox.fixtures()
        env = bench_env(fixtures)
        write_project(root, portfolio, fixtures, {p: sandbox.url(p) for p in PREFIXES})
        result.first_exit, result.killed_after = apply_killed(root, env, delay)
    reduced = faults.lower().options() if calmer == "lower" else []
    with Sandbox(db, *reduced, port=port):
        result.notes.append(f"re-applies with faults {calmer}")
        for attempt in range(max_reapplies + 1):
            planned = run(["plan", str(root), "--detailed-exitcode"], env)
            if planned.code == 0:
                result.converged = True
                break
            result.notes.append(f"plan {attempt + 1} exited {planned.code} {_summary(planned)}")
            if attempt == max_reapplies:
                break
            result.reapplies += 1
            applied = run(["apply", str(root), "--auto-approve"], env)
            result.notes.append(f"re-apply {attempt + 1} exited {applied.code} {_summary(applied)}")
            locked = "lock" in (applied.stdout + applied.stderr).lower()
            if applied.code != 0 and locked and (root / "state" / "default.lock").exists():
                result.stuck_lock = True
                result.notes.append("the lock of the killed apply was not taken over")
                break
    with Sandbox(db, port=port) as sandbox:
        result.findings = asyncio.run(audit(root, sandbox.base, fixtures))
    return result


def _summary(done: Run) -> str:
    """The line of a run's output that says how it ended (an error, a failed step, the plan's totals), and
    the first step that failed with its error."""
    lines = [line.strip() for line in (done.stdout + "\n" + done.stderr).splitlines() if line.strip()]
    failed = [line for line in lines if line.startswith(("Error", "FAILED"))]
    telling = failed or [line for line in lines if line.startswith(("Plan:", "Apply"))]
    steps = [line for line in lines if line.split()[1:2] == ["FAILED"]]
    first = f"; first failed step: {steps[0][:300]}" if steps else ""
    return f"({(telling or lines or [''])[0][:300]}{first})"


def describe(r: Round) -> str:
    f = r.findings
    kill = f"killed after {r.killed_after:.1f} s" if r.killed_after is not None else f"exited {r.first_exit}"
    verdict = "ok" if r.clean else "FAIL"
    return (
        f"round {r.number:>2}: {r.faults}; apply {kill}; {r.reapplies} re-apply(ies); "
        f"converged {'yes' if r.converged else 'no'}; duplicates {len(f.duplicates)}, "
        f"orphans {len(f.orphans)}, dangling {len(f.dangling)}, pending {f.pending}, "
        f"stuck lock {'yes' if r.stuck_lock else 'no'} -> {verdict}"
    )


def summary(rounds: list[Round], max_reapplies: int) -> Section:
    section = Section(f"Chaos: {len(rounds)} rounds")
    total = len(rounds)

    def count(predicate: Callable[[Round], bool]) -> int:
        return sum(1 for r in rounds if predicate(r))

    converged = count(lambda r: r.converged)
    section.add(
        Row(
            f"rounds converged within {max_reapplies} re-applies",
            converged,
            "rounds",
            total,
            "= all",
            converged == total,
        )
    )
    for label, attribute in (
        ("duplicates", "duplicates"),
        ("orphans", "orphans"),
        ("dangling state entries", "dangling"),
    ):
        n = sum(len(getattr(r.findings, attribute)) for r in rounds)
        section.add(Row(label, n, "objects", accept="= 0", ok=n == 0))
    stuck = count(lambda r: r.stuck_lock)
    section.add(
        Row(
            "stuck locks (a killed apply's lock not taken over)", stuck, "rounds", accept="= 0", ok=stuck == 0
        )
    )
    section.add(Row("hand-removed locks", 0, "locks", accept="= 0", ok=True))
    section.add(Row("applies killed", count(lambda r: r.killed_after is not None), "rounds"))
    section.add(Row("re-applies in all", sum(r.reapplies for r in rounds), "applies"))
    return section


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.chaos", description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-reapplies", type=int, default=3)
    parser.add_argument("--round", type=int, action="append", help="play only this round (repeatable)")
    parser.add_argument("--verbose", action="store_true", help="list every finding of every round")
    args = parser.parse_args(argv)
    rounds = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="chaos-") as temporary:
        for number in args.round or range(1, args.rounds + 1):
            result = play(number, args.seed, Path(temporary), args.max_reapplies)
            rounds.append(result)
            print(describe(result), flush=True)
            details = [*result.notes] if args.verbose or not result.clean else []
            if args.verbose or not result.clean:
                details += [*result.findings.duplicates, *result.findings.orphans, *result.findings.dangling]
            for line in details:
                print(f"          {line}", flush=True)
    print(f"\n{len(rounds)} rounds in {time.perf_counter() - started:.0f} s (seed {args.seed})\n")
    render([summary(rounds, args.max_reapplies)], sys.stdout)
    return 0 if all(r.clean for r in rounds) else 1


if __name__ == "__main__":
    sys.exit(main())
