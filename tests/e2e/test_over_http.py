"""End to end over a real loopback port: `reconciler sandbox serve` and the CLI as separate processes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import BIN, SandboxAPI, sandbox_server


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    with sandbox_server(tmp_path / "served.sqlite") as base:
        yield base


def run(
    *args: str, env: dict[str, str] | None = None, stdin: int | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN), *args], capture_output=True, text=True, env=env, timeout=120)


def test_plan_apply_plan_over_http_with_credentials_from_the_environment(
    served: str, example: Callable[[str], Path]
) -> None:
    project = example("criteo-retargeting")
    config = project / "reconciler.yaml"
    config.write_text(config.read_text().replace("endpoint: sandbox", f"endpoint: {served}/criteo"))
    env = {**os.environ, "CRITEO_CLIENT_ID": "acme-ci", "CRITEO_CLIENT_SECRET": "very-secret-value"}
    planned = run("plan", str(project), "--detailed-exitcode", "-o", str(project / "plan.json"), env=env)
    assert planned.returncode == 2, planned.stderr
    applied = run("apply", str(project), "--auto-approve", env=env)
    assert applied.returncode == 0, applied.stderr
    final = run("plan", str(project), "--detailed-exitcode", env=env)
    assert final.returncode == 0, final.stdout + final.stderr
    requests = httpx.get(f"{served}/_sandbox/requests").json()["requests"]
    assert any(r["path"].endswith("/ad-sets/search") for r in requests)
    state_text = (project / "state" / "default.state.json").read_text()
    assert "very-secret-value" not in state_text
    assert "very-secret-value" not in (project / "plan.json").read_text()
    assert all("very-secret-value" not in r.stdout + r.stderr for r in (planned, applied, final))
    assert not (project / ".reconciler").exists(), "an HTTP endpoint must not start the embedded sandbox"
    assert len(json.loads(state_text)["resources"]) == 4


def test_second_apply_fails_at_once_naming_the_lock_holder(example: Callable[[str], Path]) -> None:
    project = example("criteo-retargeting")
    first = subprocess.Popen(
        [str(BIN), "apply", str(project)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lock = project / "state" / "default.lock"
    try:
        for _ in range(200):
            if lock.exists():
                break
            time.sleep(0.05)
        assert lock.exists(), "the first apply never took the lock"
        started = time.monotonic()
        second = run("apply", str(project), "--auto-approve")
        assert time.monotonic() - started < 20
        assert second.returncode == 1
        holder = json.loads(lock.read_text())
        assert f"pid {first.pid}" in second.stderr and holder["holder"] in second.stderr
        assert "running `apply`" in second.stderr
    finally:
        first.communicate("no\n", timeout=60)
    assert first.returncode == 1
    assert not lock.exists()


def test_creates_whose_answers_were_lost_are_adopted_after_the_outage(
    tmp_path: Path, example: Callable[[str], Path]
) -> None:
    project = example("criteo-retargeting")
    db = tmp_path / "flaky.sqlite"
    env = {**os.environ, "CRITEO_CLIENT_ID": "acme-ci", "CRITEO_CLIENT_SECRET": "s"}
    config = project / "reconciler.yaml"
    original = config.read_text()
    lose_creates = ("--lose-share", "1", "--faults-only", r"^POST .*/marketing-solutions/ad-sets$")
    with sandbox_server(db, *lose_creates) as flaky:
        config.write_text(original.replace("endpoint: sandbox", f"endpoint: {flaky}/criteo"))
        failed = run("apply", str(project), "--auto-approve", env=env)
        assert failed.returncode == 1
        assert failed.stdout.count("FAILED create_ad_set") == 3, failed.stdout
        assert "may have carried it out" in failed.stdout or "504" in failed.stdout
    state = json.loads((project / "state" / "default.state.json").read_text())
    assert len(state["pending"]) == 3 and list(state["resources"]) == ["criteo.campaign.summer-retargeting"]
    with sandbox_server(db) as healthy:
        httpx.delete(f"{healthy}/_sandbox/requests")
        config.write_text(original.replace("endpoint: sandbox", f"endpoint: {healthy}/criteo"))
        plan = run("plan", str(project), env=env)
        assert plan.returncode == 0, plan.stderr
        assert plan.stdout.count("(adopt object") == 3 and "0 to create" in plan.stdout
        assert run("apply", str(project), "--auto-approve", env=env).returncode == 0
        assert run("plan", str(project), "--detailed-exitcode", env=env).returncode == 0
        campaign = json.loads((project / "state" / "default.state.json").read_text())["resources"][
            "criteo.campaign.summer-retargeting"
        ]["id"]
        log = httpx.get(f"{healthy}/_sandbox/requests").json()["requests"]
        assert not any(r["method"] == "POST" and r["path"].endswith("/ad-sets") for r in log), "created again"
    fixtures = SandboxAPI(db)
    found = fixtures.call("POST", "/ad-sets/search", {"filters": {"campaignIds": [campaign]}}).json()["data"]
    assert len(found) == 3


def test_verbose_logs_every_call_and_no_secret(served: str, example: Callable[[str], Path]) -> None:
    project = example("criteo-retargeting")
    config = project / "reconciler.yaml"
    config.write_text(config.read_text().replace("endpoint: sandbox", f"endpoint: {served}/criteo"))
    env = {**os.environ, "CRITEO_CLIENT_ID": "acme-ci", "CRITEO_CLIENT_SECRET": "very-secret-value"}
    applied = run("-vv", "apply", str(project), "--auto-approve", env=env)
    assert applied.returncode == 0, applied.stderr
    assert "Criteo POST /2027-01/marketing-solutions/ad-sets -> 201" in applied.stderr
    assert re.search(r"state: [1-9]\d* writes during the steps took [\d.]+ s of CPU", applied.stderr)
    assert "very-secret-value" not in applied.stderr + applied.stdout


def test_verbose_plan_says_what_it_reads_even_before_any_apply(
    served: str, example: Callable[[str], Path]
) -> None:
    """Before the first apply a plan makes no call; at -v and -vv it says why instead of printing nothing."""
    project = example("criteo-retargeting")
    config = project / "reconciler.yaml"
    config.write_text(config.read_text().replace("endpoint: sandbox", f"endpoint: {served}/criteo"))
    env = {**os.environ, "CRITEO_CLIENT_ID": "acme-ci", "CRITEO_CLIENT_SECRET": "very-secret-value"}
    state_file = project / "state" / "default.state.json"
    for verbosity in ("-v", "-vv"):
        empty = run(verbosity, "plan", str(project), env=env)
        assert empty.returncode == 0, empty.stderr
        assert f"state {state_file} is empty (serial 0): no apply has recorded an object yet" in empty.stderr
        assert "every resource of the manifests is planned as a create" in empty.stderr
    assert run("apply", str(project), "--auto-approve", env=env).returncode == 0
    planned = run("-vv", "plan", str(project), env=env)
    assert f"state {state_file}: serial " in planned.stderr
    assert "4 object(s) recorded; reading them from criteo" in planned.stderr
    assert "Criteo POST /2027-01/marketing-solutions/ad-sets/search -> 200" in planned.stderr
    assert "very-secret-value" not in planned.stderr
