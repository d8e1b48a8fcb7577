"""Amazon DSP over HTTP: `reconciler sandbox serve` on a loopback port, Login with Amazon credentials from
the environment, and no secret in plans, state or output."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import httpx

from tests.conftest import BIN, sandbox_server

SECRETS = ("very-secret-value", "Atzr|refresh-secret")


def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN), *args], capture_output=True, text=True, env=env, timeout=120)


def test_launch_over_http_with_login_with_amazon(example: Callable[[str], Path], tmp_path: Path) -> None:
    project = example("amazon-dsp-launch")
    env = {
        **os.environ,
        "AMAZON_ADS_CLIENT_ID": "acme-ci",
        "AMAZON_ADS_CLIENT_SECRET": SECRETS[0],
        "AMAZON_ADS_REFRESH_TOKEN": SECRETS[1],
    }
    with sandbox_server(tmp_path / "served.sqlite") as served:
        config = project / "reconciler.yaml"
        base = f"{served}/amazon-dsp"
        config.write_text(
            config.read_text().replace("endpoint: sandbox", f"endpoint: {base}\n    auth_endpoint: {base}")
        )
        planned = run("plan", str(project), "--detailed-exitcode", "-o", str(project / "plan.json"), env=env)
        assert planned.returncode == 2, planned.stderr
        applied = run("apply", str(project), "--auto-approve", env=env)
        assert applied.returncode == 0, applied.stdout + applied.stderr
        final = run("plan", str(project), "--detailed-exitcode", env=env)
        assert final.returncode == 0, final.stdout + final.stderr
        requests = httpx.get(f"{served}/_sandbox/requests").json()["requests"]
    tokens = [r for r in requests if r["path"] == "/amazon-dsp/auth/o2/token"]
    assert len(tokens) == 3  # one token per run
    state_text = (project / "state" / "default.state.json").read_text()
    for secret in SECRETS:
        assert secret not in state_text
        assert secret not in (project / "plan.json").read_text()
        assert all(secret not in r.stdout + r.stderr for r in (planned, applied, final))
    assert not (project / ".reconciler").exists(), "an HTTP endpoint must not start the embedded sandbox"
    assert len(json.loads(state_text)["resources"]) == 7
