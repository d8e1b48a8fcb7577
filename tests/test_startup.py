"""What a command loads: `validate` reads manifests offline, so it must not import the HTTP client, the event
loop, the plan and apply machinery, the sandbox, the database driver or the diff library (start-up time is
most of an offline command's time)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

HEAVY = (
    "httpx",
    "asyncio",
    "psycopg",
    "deepdiff",
    "jinja2",
    "reconciler.plan",
    "reconciler.apply",
    "reconciler.render",
    "reconciler.sandbox",
)

PROBE = """
import sys
sys.argv = ["reconciler", "validate", sys.argv[1]]
from reconciler.cli import main
try:
    main()
except SystemExit:
    pass
print("LOADED:" + ",".join(m for m in {heavy!r} if m in sys.modules))
"""


def test_validate_of_an_example_loads_nothing_it_does_not_need(example: Callable[[str], Path]) -> None:
    project = example("amazon-dsp-launch")
    probe = PROBE.format(heavy=HEAVY)
    found = subprocess.run(
        [sys.executable, "-c", probe, str(project)], capture_output=True, text=True, check=True, timeout=60
    )
    assert "Valid:" in found.stdout, found.stdout + found.stderr
    assert found.stdout.splitlines()[-1] == "LOADED:", found.stdout
