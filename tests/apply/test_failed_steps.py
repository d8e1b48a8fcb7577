"""A step that failed is recorded in state, and the next plan says "the last apply failed: <error>" for it,
never drift; a later successful step clears it. Driven through the CLI against `reconciler sandbox serve`
with fault injection on one endpoint."""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

from tests.conftest import BIN, sandbox_server

FR = "criteo.ad_set.summer-retargeting/fr-cart-abandoners"


def reconciler(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CRITEO_CLIENT_ID": "acme-ci", "CRITEO_CLIENT_SECRET": "secret"}
    return subprocess.run([str(BIN), *args], capture_output=True, text=True, env=env, timeout=120)


def served_project(project: Path, base: str) -> None:
    config = project / "reconciler.yaml"
    config.write_text(re.sub(r"endpoint: \S+", f"endpoint: {base}/criteo", config.read_text(), count=1))


def state_of(project: Path) -> dict[str, object]:
    return dict(json.loads((project / "state" / "default.state.json").read_text()))


def test_a_failed_follow_up_step_is_planned_as_the_last_apply_failed_not_drift(
    example: Callable[[str], Path], tmp_path: Path
) -> None:
    project = example("criteo-retargeting")
    db = tmp_path / "served.sqlite"
    with sandbox_server(db, "--fail-share", "1", "--faults-only", r"PUT .*/audience$") as base:
        served_project(project, base)
        applied = reconciler("apply", str(project), "--auto-approve")
        assert applied.returncode == 1
        assert "FAILED link_audience" in applied.stdout
        failed = state_of(project)["failed"]
        assert isinstance(failed, dict) and FR in failed
        assert (
            failed[FR]["verb"] == "link_audience" and failed[FR]["error"] and failed[FR]["time"].endswith("Z")
        )
        plan = reconciler("plan", str(project))
    assert plan.returncode == 0, plan.stderr
    headline = next(line for line in plan.stdout.splitlines() if line.startswith(f"  ~ {FR}"))
    assert f", the last apply failed: {failed[FR]['error']})" in headline
    assert "drift" not in plan.stdout
    assert "undo drift" not in plan.stdout
    with sandbox_server(db) as base:  # the platform accepts audience links again
        served_project(project, base)
        assert reconciler("apply", str(project), "--auto-approve").returncode == 0
        assert state_of(project)["failed"] == {}
        assert reconciler("plan", str(project), "--detailed-exitcode").returncode == 0


def test_a_failed_create_is_planned_again_with_its_error(
    example: Callable[[str], Path], tmp_path: Path
) -> None:
    project = example("criteo-retargeting")
    with sandbox_server(
        tmp_path / "served.sqlite", "--fail-share", "1", "--faults-only", r"POST .*/ad-sets$"
    ) as base:
        served_project(project, base)
        applied = reconciler("apply", str(project), "--auto-approve")
        assert applied.returncode == 1
        state = state_of(project)
        assert FR in state["failed"]  # type: ignore[operator]
        assert FR in state["pending"]  # type: ignore[operator]  # a 503 to a POST: it may have been made
        plan = reconciler("plan", str(project), "--format", "markdown")
    assert f"**`+` `{FR}`** — create: the last apply failed: " in plan.stdout
