"""The Amazon DSP property round trip (tests/providers/amazon_dsp/test_round_trip.py) with the long profile:
COUNT random valid manifests (200 by default), each applied to a fresh in-process sandbox and planned again
(no change), then one owned field edited (exactly that field planned). Hypothesis shrinks a failure to the
smallest manifest it finds and prints it. The suite runs 6 derandomized examples of the same test.

Run with `.venv/bin/python bench/round_trip.py [COUNT]` from the repository root (about 2 s an example).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TEST = ROOT / "tests" / "providers" / "amazon_dsp" / "test_round_trip.py"


def main(count: int) -> int:
    os.environ["ROUND_TRIP_PROFILE"] = "bench"
    os.environ["ROUND_TRIP_EXAMPLES"] = str(count)
    started = time.monotonic()
    code = int(pytest.main([str(TEST), "-q", "-p", "no:cacheprovider", "--rootdir", str(ROOT)]))
    print(f"{count} random Amazon DSP manifests in {time.monotonic() - started:.0f} s: exit {code}")
    return code


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 200))
