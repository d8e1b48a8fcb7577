"""Benchmark and long property run: the Criteo round trip of tests/providers/criteo/test_round_trip.py with
the `criteo-bench` Hypothesis profile (300 random manifests: apply, plan no change, one edit plans one field).

Run with `.venv/bin/python bench/bench_criteo_round_trip.py [EXAMPLES]`; prints the time and the outcome. A
failure prints the smallest manifest Hypothesis found and a blob to reproduce it (`@reproduce_failure`).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEST = "tests/providers/criteo/test_round_trip.py"


def main(examples: int | None) -> int:
    env = {**os.environ, "CRITEO_ROUND_TRIP_PROFILE": "criteo-bench"}
    if examples is not None:
        env["CRITEO_ROUND_TRIP_EXAMPLES"] = str(examples)
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "pytest", TEST, "-q", "-p", "no:cacheprovider"], cwd=ROOT, env=env, check=False
    )
    print(
        f"criteo round trip ({examples or 'profile'} examples): {time.perf_counter() - started:.1f}s,",
        "passed" if result.returncode == 0 else "FAILED",
    )
    return result.returncode


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else None))
