"""Fuzzing the examples: 10,000 seeded structural mutations (see tests/hostile/fuzz.py), each through
`validate`, `render` and `plan` of the real CLI in-process. Prints the count of runs that ended in a
traceback or took more than 10 seconds (it must be 0), with the first few of them.

Run with `.venv/bin/python bench/fuzz.py [COUNT] [SEED]` from the repository root.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.hostile.fuzz import commands, fuzz


def main(count: int, seed: int) -> int:
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as workdir:
        failures = fuzz(seed, count, Path(workdir), commands)
    elapsed = time.monotonic() - started
    print(f"{count} mutations (seed {seed}), {3 * count} runs in {elapsed:.0f} s: {len(failures)} failures")
    for failure in failures[:10]:
        print(f"\n{' '.join(failure.args)}\n  mutations: {failure.mutations}\n{failure.problem[-1500:]}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000, int(sys.argv[2]) if len(sys.argv) > 2 else 1)
    )
