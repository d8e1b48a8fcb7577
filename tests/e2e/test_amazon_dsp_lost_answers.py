"""Amazon DSP creates whose answer is lost (the platform made the object; the caller saw a 504), for every
kind Amazon creates: ad groups, target sets and creative associations (campaigns are in the provider
conformance suite). Against `reconciler sandbox serve --lose-share 1 --faults-only REGEX` on a loopback
port: the apply fails, the create stays journalled, the next plan adopts what the platform made, and the
re-apply neither makes it twice nor fails on it (`ASSOCIATION_ALREADY_EXISTS`, `DUPLICATE_TARGET`)."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import BIN, sandbox_server

ADVERTISER = "520724305968518499"
PREFIX = "/amazon-dsp"
CREDENTIALS = {
    "AMAZON_ADS_CLIENT_ID": "acme-ci",
    "AMAZON_ADS_CLIENT_SECRET": "client-secret-value",
    "AMAZON_ADS_REFRESH_TOKEN": "Atzr|refresh-value",
}


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **CREDENTIALS, "NO_COLOR": "1"}
    return subprocess.run([str(BIN), *args], capture_output=True, text=True, env=env, timeout=180)


def point_at(project: Path, base: str, old: str = "sandbox") -> None:
    config = project / "reconciler.yaml"
    text = config.read_text(encoding="utf-8")
    new = f"{base}{PREFIX}\n    auth_endpoint: {base}{PREFIX}"
    if old == "sandbox":
        text = text.replace("endpoint: sandbox", f"endpoint: {new}", 1)
    else:
        text = text.replace(old, base)
    config.write_text(text, encoding="utf-8")


def live(base: str) -> dict[str, list[Any]]:
    """What the advertiser has, through the API: ad group names, association pairs, targets by type."""
    with httpx.Client(base_url=base + PREFIX, timeout=30) as client:
        token = client.post(
            "/auth/o2/token",
            data={
                "grant_type": "refresh_token",
                "refresh_token": "r",
                "client_id": "a",
                "client_secret": "s",
            },
        ).json()["access_token"]
        client.headers.update(
            {
                "Authorization": f"Bearer {token}",
                "Amazon-Advertising-API-ClientId": "a",
                "Amazon-Ads-AccountId": ADVERTISER,
            }
        )
        groups = client.post("/dsp/v1/adGroups/list", json={}).json()["adGroups"]
        ours = [g for g in groups if g["name"].startswith("Acme")]
        ids = [g["adGroupId"] for g in ours]
        pairs = client.post(
            "/dsp/v1/adCreatives/associations/adGroups/list", json={"adGroupIdFilter": {"include": ids}}
        ).json()["associations"]
        targets = client.post("/dsp/v1/targets/list", json={"filters": {"adGroupIdFilter": ids}}).json()
    return {
        "ad groups": sorted(g["name"] for g in ours),
        "associations": sorted((a["adGroupId"], a["adCreativeId"]) for a in pairs),
        "targets": sorted(json.dumps(t["targetDetails"], sort_keys=True) for t in targets["targets"]),
    }


@pytest.mark.parametrize(
    ("lost", "kind"),
    [
        (r"^POST /amazon-dsp/dsp/v1/adCreatives/associations/adGroups$", "associations"),
        (r"^POST /amazon-dsp/dsp/v1/adGroups$", "ad groups"),
        (r"^POST /amazon-dsp/dsp/v1/targets$", "targets"),
    ],
    ids=["association", "ad-group", "targets"],
)
def test_a_lost_create_is_adopted_and_never_made_twice(
    example: Callable[[str], Path], tmp_path: Path, lost: str, kind: str
) -> None:
    db = tmp_path / "served.sqlite"
    project = example("amazon-dsp-launch")
    with sandbox_server(db, "--lose-share", "1", "--faults-only", lost) as faulty:
        point_at(project, faulty)
        failed = run("apply", str(project), "--auto-approve")
        assert failed.returncode == 1, failed.stdout + failed.stderr
        made = live(faulty)
    assert made[kind], f"the platform made no {kind}: {made}"
    state = json.loads((project / "state" / "default.state.json").read_text(encoding="utf-8"))
    assert state["pending"], "a create whose outcome is unknown stays journalled"
    with sandbox_server(db) as calm:
        point_at(project, calm, old=faulty)
        planned = run("plan", str(project))
        assert planned.returncode == 0, planned.stdout + planned.stderr
        assert "created by an interrupted run" in planned.stdout, planned.stdout
        applied = run("apply", str(project), "--auto-approve")
        assert applied.returncode == 0, applied.stdout + applied.stderr
        final = run("plan", str(project), "--detailed-exitcode")
        assert final.returncode == 0, final.stdout + final.stderr
        after = live(calm)
    assert after[kind] == made[kind], f"{kind} made again: {made[kind]} → {after[kind]}"
    assert len(after["ad groups"]) == 1 and len(after["associations"]) == 2, after
    state = json.loads((project / "state" / "default.state.json").read_text(encoding="utf-8"))
    assert not state["pending"] and len(state["resources"]) == 7
