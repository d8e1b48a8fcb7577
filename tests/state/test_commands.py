"""The state commands through the CLI: `state rm`, `state mv`, `force-unlock`, and the notice of a lock
taken over from a dead process."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from tests.conftest import Result, SandboxAPI

CAMPAIGN = "criteo.campaign.summer-retargeting"
FR = "criteo.ad_set.summer-retargeting/fr-cart-abandoners"


def applied(example: Callable[[str], Path], cli: Callable[..., Result]) -> Path:
    project = example("criteo-retargeting")
    result = cli("apply", str(project), "--auto-approve")
    assert result.exit_code == 0, result.stderr
    return project


def listed(cli: Callable[..., Result], project: Path) -> list[str]:
    return [line.split("\t")[0] for line in cli("state", "list", str(project)).stdout.splitlines()]


def test_state_rm_stops_managing_a_subtree_without_touching_the_platform(
    example: Callable[[str], Path], cli: Callable[..., Result], sandbox_api: Callable[[Path], SandboxAPI]
) -> None:
    project = applied(example, cli)
    ids = {
        a: e["id"]
        for a, e in json.loads((project / "state/default.state.json").read_text())["resources"].items()
    }
    removed = cli("state", "rm", CAMPAIGN, str(project))
    assert removed.exit_code == 0, removed.stderr
    assert f"  removed {CAMPAIGN}\n" in removed.stdout
    assert f"  removed {FR}  (below a removed address)" in removed.stdout
    assert "Removed 4 address(es) from state; nothing changed on the platforms." in removed.stdout
    assert listed(cli, project) == []
    live = sandbox_api(project).call("GET", f"/ad-sets/{ids[FR]}").json()["data"]
    assert live["attributes"]["name"] == "FR cart abandoners"  # still there, unmanaged
    missing = cli("state", "rm", CAMPAIGN, str(project))
    assert missing.exit_code == 1 and f"{CAMPAIGN} is not in state; nothing was removed" in missing.stderr


def test_state_rm_of_one_child_keeps_its_parent(
    example: Callable[[str], Path], cli: Callable[..., Result]
) -> None:
    project = applied(example, cli)
    assert cli("state", "rm", FR, str(project)).exit_code == 0
    assert CAMPAIGN in listed(cli, project) and FR not in listed(cli, project)


def test_state_mv_does_what_a_moved_entry_does(
    example: Callable[[str], Path], cli: Callable[..., Result]
) -> None:
    project = applied(example, cli)
    manifest = project / "campaigns" / "retargeting.yaml"
    manifest.write_text(manifest.read_text().replace("key: summer-retargeting", "key: summer-2027"))
    assert "4 to create, 0 to update, 4 to retire" in cli("plan", str(project)).stdout
    de = "criteo.ad_set.summer-retargeting/de-cart-abandoners"
    taken = cli("state", "mv", FR, de, str(project))
    assert taken.exit_code == 1 and f"{de} is already in state; nothing was moved" in taken.stderr
    itself = cli("state", "mv", CAMPAIGN, CAMPAIGN, str(project))
    assert itself.exit_code == 1 and "is the target itself; nothing was moved" in itself.stderr
    moved = cli("state", "mv", CAMPAIGN, "criteo.campaign.summer-2027", str(project))
    assert moved.exit_code == 0, moved.stderr
    assert f"  moved {FR} → criteo.ad_set.summer-2027/fr-cart-abandoners" in moved.stdout
    assert "Moved 4 address(es) in state; nothing changed on the platforms." in moved.stdout
    assert cli("plan", str(project), "--detailed-exitcode").exit_code == 0


def test_a_lock_left_by_a_dead_process_is_taken_over_with_a_notice(
    example: Callable[[str], Path], cli: Callable[..., Result]
) -> None:
    project = example("criteo-retargeting")
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    (project / "state").mkdir()
    left = {"id": "c0ffee", "holder": "ci@runner", "pid": gone.pid, "host": socket.gethostname(), "time": "T"}
    (project / "state" / "default.lock").write_text(json.dumps(left | {"operation": "apply"}))
    result = cli("apply", str(project), "--auto-approve")
    assert result.exit_code == 0, result.stderr
    assert (
        f"Took over the state lock c0ffee of ci@runner (pid {gone.pid} on {socket.gethostname()}, running "
        f"`apply` since T): process {gone.pid} is no longer running on this host" in result.stderr
    )
    assert not (project / "state" / "default.lock").exists()


def test_force_unlock_releases_a_lock_held_elsewhere(
    example: Callable[[str], Path], cli: Callable[..., Result]
) -> None:
    project = example("criteo-retargeting")
    (project / "state").mkdir()
    lock = {
        "id": "9f2a41",
        "holder": "ci@runner-7",
        "pid": 4242,
        "host": "runner-7",
        "time": "T",
        "operation": "apply",
    }
    (project / "state" / "default.lock").write_text(json.dumps(lock))
    refused = cli("apply", str(project), "--auto-approve")
    assert refused.exit_code == 1
    assert (
        "the state is locked by ci@runner-7 (pid 4242 on runner-7, running `apply` since T); lock id 9f2a41"
        in (refused.stderr)
    )
    assert "`reconciler force-unlock 9f2a41`" in refused.stderr
    wrong = cli("force-unlock", "123456", str(project))
    assert (
        wrong.exit_code == 1
        and "the state lock has the id 9f2a41, not 123456; nothing was released" in wrong.stderr
    )
    released = cli("force-unlock", "9f2a41", str(project))
    assert released.exit_code == 0, released.stderr
    assert released.stdout.startswith("Released the state lock 9f2a41 of ci@runner-7 (pid 4242 on runner-7")
    assert cli("apply", str(project), "--auto-approve").exit_code == 0
    again = cli("force-unlock", "9f2a41", str(project))
    assert again.exit_code == 1 and "the state is not locked" in again.stderr


def test_force_unlock_works_per_environment(
    example: Callable[[str], Path], cli: Callable[..., Result]
) -> None:
    project = example("criteo-retargeting")
    with (project / "reconciler.yaml").open("a") as config:
        config.write("environments:\n  staging: {}\n  prod: {}\n")
    (project / "state" / "staging").mkdir(parents=True)
    (project / "state" / "staging" / "default.lock").write_text('{"id": "abc123", "host": "elsewhere"}')
    assert cli("force-unlock", "abc123", str(project), "--env", "prod").exit_code == 1
    assert cli("force-unlock", "abc123", str(project), "--env", "staging").exit_code == 0
