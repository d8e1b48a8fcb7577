"""Long property run: the AppLovin round trip of tests/providers/applovin/test_round_trip.py with the
`applovin-bench` Hypothesis profile (200 random manifests: apply, plan no change, one edit plans one field).

Run with `.venv/bin/python -m bench.bench_applovin_round_trip [EXAMPLES]`; prints the time and the outcome,
and Hypothesis's statistics (which kinds the edits hit). A failure prints the smallest manifest Hypothesis
found and a blob to reproduce it (`@reproduce_failure`).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEST = "tests/providers/applovin/test_round_trip.py"


def main(examples: int | None) -> int:
    env = {**os.environ, "APPLOVIN_ROUND_TRIP_PROFILE": "applovin-bench"}
    if examples is not None:
        env["APPLOVIN_ROUND_TRIP_EXAMPLES"] = str(examples)
    started = time.perf_counter()
    command = [sys.executable, "-m", "pytest", TEST, "-q", "-p", "no:cacheprovider"]
    result = subprocess.run([*command, "--hypothesis-show-statistics"], cwd=ROOT, env=env, check=False)
    print(
        f"applovin round trip ({examples or 'profile'} examples): {time.perf_counter() - started:.1f}s,",
        "passed" if result.returncode == 0 else "FAILED",
    )
    return result.returncode


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else None))
