"""An apply killed in the middle: every step it recorded is in the next run's state (the journal is
replayed, then compacted under the lock), its lock is taken over with a notice, and nothing is created
twice on the platform."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from tests.conftest import BIN, sandbox_server


def reconciler(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CRITEO_CLIENT_ID": "acme-ci", "CRITEO_CLIENT_SECRET": "secret"}
    return subprocess.run([str(BIN), *args], capture_output=True, text=True, env=env, timeout=120)


def recorded(journal: Path) -> dict[str, set[str]]:
    """The addresses each section holds after the journal's complete lines, as a replay would leave them."""
    sections: dict[str, set[str]] = {"resources": set(), "pending": set()}
    for line in journal.read_text().split("\n")[1:-1]:
        for record in json.loads(line)["records"]:
            if "created" in record:  # a create under way was made: its entry is in, its pending entry out
                sections["pending"].discard(record["address"])
                sections["resources"].add(record["address"])
            elif record["section"] in sections:
                target = sections[record["section"]]
                (target.add if record["value"] is not None else target.discard)(record["address"])
    return sections


def test_an_apply_killed_midway_continues_without_duplicates(
    example: Callable[[str], Path], tmp_path: Path
) -> None:
    project = example("criteo-retargeting")
    with sandbox_server(tmp_path / "served.sqlite", "--latency-ms", "150") as base:
        config = project / "reconciler.yaml"
        config.write_text(config.read_text().replace("endpoint: sandbox", f"endpoint: {base}/criteo"))
        env = {**os.environ, "CRITEO_CLIENT_ID": "acme-ci", "CRITEO_CLIENT_SECRET": "secret"}
        apply = subprocess.Popen(
            [str(BIN), "apply", str(project), "--auto-approve"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        journal = project / "state" / "default.journal"
        deadline = time.monotonic() + 60
        while not (journal.exists() and any("ad_set" in a for a in recorded(journal)["pending"])):
            assert apply.poll() is None and time.monotonic() < deadline, (
                "the apply ended before it was killed"
            )
            time.sleep(0.01)
        os.kill(apply.pid, signal.SIGKILL)
        apply.wait()
        before = recorded(journal)
        assert "criteo.campaign.summer-retargeting" in before["resources"]
        assert not (project / "state" / "default.state.json").exists()  # nothing compacted: the run died

        listed = reconciler("state", "list", str(project))
        assert listed.returncode == 0, listed.stderr
        in_state = {line.split("\t")[0] for line in listed.stdout.splitlines()}
        assert before["resources"] | before["pending"] <= in_state

        resumed = reconciler("apply", str(project), "--auto-approve")
        assert resumed.returncode == 0, resumed.stdout + resumed.stderr
        assert "Took over the state lock " in resumed.stderr
        assert f"pid {apply.pid}" in resumed.stderr and "is no longer running" in resumed.stderr
        assert not journal.exists() and (project / "state" / "default.state.json").exists()
        assert reconciler("plan", str(project), "--detailed-exitcode").returncode == 0

        token = httpx.post(
            f"{base}/criteo/oauth2/token",
            data={"grant_type": "client_credentials", "client_id": "audit", "client_secret": "x"},
        ).json()["access_token"]
        api = httpx.Client(
            base_url=f"{base}/criteo/2027-01/marketing-solutions",
            headers={"Authorization": f"Bearer {token}"},
        )
        campaigns = api.post("/campaigns/search", json={"filters": {}}).json()["data"]
        mine = [c for c in campaigns if c["attributes"]["name"].startswith("Acme summer retargeting")]
        assert len(mine) == 1
        ad_sets = api.post("/ad-sets/search", json={"filters": {"campaignIds": [mine[0]["id"]]}}).json()[
            "data"
        ]
        assert sorted(a["attributes"]["name"] for a in ad_sets) == sorted(
            ["FR cart abandoners", "DE cart abandoners", "ES lookalikes (paused until the July drop)"]
        )
        api.close()
