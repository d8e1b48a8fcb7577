"""Smoke tests of the benchmarks in `bench/`: at their smallest sizes they run end to end against
`reconciler sandbox serve` and print their tables with measured numbers. The bounds themselves are not
asserted (figures are for `bench/`, never timed tests in the suite)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

TITLES = (
    "Calls per endpoint vs the lower bound",
    "Apply at 50 ms latency vs the latency bound",
    "Criteo against a sandbox announcing --rate-limit 60",
    "Scale: Amazon DSP projects",
    "One manifest of",
    "Start-up",
    "Machine: a loop",
)


def bench(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=REPO, capture_output=True, text=True, timeout=600
    )


def test_portfolio_quick_prints_every_section_with_numbers(tmp_path: Path) -> None:
    table = tmp_path / "bench.json"
    done = bench("bench.portfolio", "--quick", "--json", str(table))
    assert done.returncode in (0, 1), done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    for title in TITLES:
        assert f"== {title}" in done.stdout
    assert re.search(
        r"^Amazon writes \(apply\) +\d+ calls +\d+ calls +\d+\.\d\dx +≤ 1.05× bound +(PASS|FAIL)$",
        done.stdout,
        re.M,
    )
    assert re.search(
        r"^reconciler --version \(median of 1\) +\d+\.\d+ s +≤ 0.3 +(PASS|FAIL)$", done.stdout, re.M
    )
    assert re.search(r"^\d+ PASS, \d+ FAIL$", done.stdout, re.M)
    sections = json.loads(table.read_text())
    assert [s["title"][:15] for s in sections] == [title[:15] for title in TITLES]
    rows = [row for section in sections for row in section["rows"]]
    assert all(isinstance(row["value"], int | float) for row in rows), [r for r in rows if r["value"] is None]
    checked = [row for row in rows if row["ok"] is not None]
    assert len(checked) >= 15
    assert done.returncode == (1 if any(row["ok"] is False for row in checked) else 0)


def test_one_chaos_round_prints_its_audit_and_the_summary() -> None:
    done = bench("bench.chaos", "--rounds", "1", "--seed", "2")
    assert done.returncode in (0, 1), done.stdout + done.stderr
    assert re.search(
        r"^round  1: fail \d\.\d\d lose \d\.\d\d latency \d+ ms on \w+; apply .*; \d+ re-apply\(ies\); "
        r"converged (yes|no); duplicates \d+, orphans \d+, dangling \d+, pending \d+, stuck lock (yes|no)",
        done.stdout,
        re.M,
    )
    for figure in ("rounds converged within 3 re-applies", "duplicates", "orphans", "dangling state entries"):
        assert re.search(rf"^{figure} +\d+ ", done.stdout, re.M), done.stdout
    assert re.search(r"^hand-removed locks +0 locks", done.stdout, re.M)


def test_the_recovery_benchmark_prints_the_look_ups_against_their_bound() -> None:
    done = subprocess.run(
        [sys.executable, "bench/bench_recovery.py", "--resources", "2000", "--kill", "1"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(
        r"apply killed after 1 s at 50 ms a call: [\d,]+ recorded, [\d,]+ creates under way", done.stdout
    )
    assert re.search(r"^the plan +\d+\.\d\d s +[\d,]+ reads", done.stdout, re.M)
    assert re.search(
        r"^its look-ups +\d+\.\d\d s +[\d,]+ reads .*(bound \d+|n/a .*): PASS$", done.stdout, re.M
    )
