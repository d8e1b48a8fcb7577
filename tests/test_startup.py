"""What a command loads: `validate` reads manifests offline, so it must not import the HTTP client, the event
loop, the plan and apply machinery, the sandbox, the database driver or the diff library (start-up time is
most of an offline command's time); `apply PLANFILE` neither reads the manifests again nor loads the plan
builder, the diff library or the renderers it does not use."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from tests.conftest import Result

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

SAVED_APPLY_HEAVY = (
    "reconciler.manifest.manifest_file",
    "reconciler.manifest.base",
    "reconciler.plan.builder",
    "deepdiff",
    "jinja2",
    "psycopg",
    "reconciler.render.html",
    "reconciler.render.markdown",
)

PROBE = """
import sys
sys.argv = ["reconciler", sys.argv[1], sys.argv[2]]
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
        [sys.executable, "-c", probe, "validate", str(project)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert "Valid:" in found.stdout, found.stdout + found.stderr
    assert found.stdout.splitlines()[-1] == "LOADED:", found.stdout


def test_apply_of_a_saved_plan_loads_nothing_it_does_not_need(
    example: Callable[[str], Path], cli: Callable[..., Result]
) -> None:
    project = example("criteo-retargeting")
    plan = project / "plan.json"
    assert cli("plan", str(project), "-o", str(plan)).exit_code == 0
    probe = PROBE.format(heavy=SAVED_APPLY_HEAVY)
    found = subprocess.run(
        [sys.executable, "-c", probe, "apply", str(plan)], capture_output=True, text=True, timeout=120
    )
    assert "Apply complete" in found.stdout, found.stdout + found.stderr
    assert found.stdout.splitlines()[-1] == "LOADED:", found.stdout
