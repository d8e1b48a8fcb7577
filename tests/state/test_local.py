"""Local state: the journal beside the state file and its compaction, and the lock file's special cases
(the common contract is in test_conformance.py)."""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import pytest

from reconciler.errors import LockedError, StateError
from reconciler.state import LocalStateBackend, PendingCreate, Record, StateEntry


def put(address: str, object_id: str) -> Record:
    return Record("resources", address, StateEntry(id=object_id))


def test_batches_go_to_the_journal_and_commit_compacts_them(tmp_path: Path) -> None:
    backend = LocalStateBackend(tmp_path / "state", "shop")
    state = backend.read()
    backend.record(state, [put("criteo.campaign.a", "1")])
    backend.record(state, [put("criteo.campaign.b", "2")])
    assert sorted(p.name for p in (tmp_path / "state").iterdir()) == ["default.journal"]
    lines = backend.journal.path.read_text().splitlines()
    assert json.loads(lines[0]) == {"lineage": state.lineage, "project": "shop", "base": 0}
    assert [json.loads(line)["serial"] for line in lines[1:]] == [1, 2]
    backend.commit(state)
    assert [p.name for p in (tmp_path / "state").iterdir()] == ["default.state.json"]
    stored = json.loads(backend.path.read_text())
    assert (stored["serial"], sorted(stored["resources"])) == (2, ["criteo.campaign.a", "criteo.campaign.b"])


def test_a_locked_read_after_a_crash_compacts_the_journal(tmp_path: Path) -> None:
    crashed = LocalStateBackend(tmp_path, "shop")
    state = crashed.read()
    crashed.record(state, [put("criteo.campaign.a", "1")])
    crashed.journal.close()  # the process died here: no commit
    backend = LocalStateBackend(tmp_path, "shop")
    with backend.lock("apply"):
        again = backend.read()
        assert not backend.journal.path.exists()
        backend.record(again, [put("criteo.campaign.b", "2")])
    assert LocalStateBackend(tmp_path, "shop").read().serial == 2


def test_the_result_of_a_journalled_create_is_journalled_as_its_id_and_replayed_whole(tmp_path: Path) -> None:
    backend = LocalStateBackend(tmp_path, "shop")
    state = backend.read()
    address, desired = "criteo.ad_set.a", {"name": "a", "budget": {"amount": 5}}
    under_way = PendingCreate(verb="create", started_at="t", parent="criteo.campaign.c", attributes=desired)
    backend.record(state, [Record("pending", address, under_way)])
    made = StateEntry(id="77", parent="criteo.campaign.c", applied=desired)
    edited = StateEntry(id="78", parent="criteo.campaign.c", applied={"name": "b"})
    backend.record(state, [Record("pending", address, None), Record("resources", address, made)])
    backend.record(state, [Record("resources", "criteo.ad_set.b", edited)])
    lines = [json.loads(line) for line in backend.journal.path.read_text().splitlines()]
    assert lines[2]["records"] == [{"section": "resources", "address": address, "created": "77"}]
    assert "value" in lines[3]["records"][0]  # not made from a create under way: written whole
    replayed = LocalStateBackend(tmp_path, "shop").read()
    assert replayed.resources == state.resources == {address: made, "criteo.ad_set.b": edited}
    assert replayed.pending == {}


def test_a_torn_last_journal_line_is_not_replayed(tmp_path: Path) -> None:
    backend = LocalStateBackend(tmp_path, "shop")
    state = backend.read()
    backend.record(state, [put("criteo.campaign.a", "1")])
    with backend.journal.path.open("a") as journal:
        journal.write('{"serial": 2, "records": [{"sect')  # killed in the middle of a write
    assert list(LocalStateBackend(tmp_path, "shop").read().resources) == ["criteo.campaign.a"]


def test_a_damaged_journal_is_a_clear_error(tmp_path: Path) -> None:
    backend = LocalStateBackend(tmp_path, "shop")
    state = backend.read()
    backend.record(state, [put("criteo.campaign.a", "1")])
    backend.record(state, [put("criteo.campaign.b", "2")])
    lines = backend.journal.path.read_text().splitlines()
    backend.journal.path.write_text("\n".join([lines[0], "garbage", lines[2]]) + "\n")
    with pytest.raises(StateError, match="damaged at line 2"):
        LocalStateBackend(tmp_path, "shop").read()


def test_a_journal_already_compacted_is_recognised(tmp_path: Path) -> None:
    """A crash between writing the state file and removing the journal: the journal is not replayed twice."""
    backend = LocalStateBackend(tmp_path, "shop")
    state = backend.read()
    backend.record(state, [put("criteo.campaign.a", "1")])
    kept = backend.journal.path.read_text()
    backend.commit(state)
    backend.journal.path.write_text(kept)
    again = LocalStateBackend(tmp_path, "shop").read()
    assert (again.serial, list(again.resources)) == (1, ["criteo.campaign.a"])


def test_state_of_another_project_is_refused(tmp_path: Path) -> None:
    one = LocalStateBackend(tmp_path, "one")
    state = one.read()
    one.record(state, [put("criteo.campaign.a", "1")])
    one.commit(state)
    with pytest.raises(StateError, match="belongs to project 'one'"):
        LocalStateBackend(tmp_path, "two").read()


def test_corrupt_state_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "default.state.json").write_text("{not json")
    with pytest.raises(StateError, match="cannot read the state file"):
        LocalStateBackend(tmp_path, "shop").read()


def test_a_state_of_format_1_is_read(tmp_path: Path) -> None:
    (tmp_path / "default.state.json").write_text(
        json.dumps(
            {
                "format_version": 1,
                "lineage": "L",
                "serial": 4,
                "project": "shop",
                "resources": {"criteo.campaign.a": {"id": "1", "parent": None, "scope": {}, "applied": {}}},
                "pending": {},
            }
        )
    )
    state = LocalStateBackend(tmp_path, "shop").read()
    assert (state.serial, state.resources["criteo.campaign.a"].id, state.failed) == (4, "1", {})


def test_lock_file_names_holder_pid_host_time_operation_and_id(tmp_path: Path) -> None:
    backend = LocalStateBackend(tmp_path, "shop")
    with backend.lock("apply"):
        held = json.loads(backend.lock_path.read_text())
        assert (held["pid"], held["host"], held["operation"]) == (os.getpid(), socket.gethostname(), "apply")
        assert held["time"].endswith("Z") and len(held["id"]) == 12
        with pytest.raises(LockedError) as caught, LocalStateBackend(tmp_path, "shop").lock("apply"):
            pass
        assert f"pid {os.getpid()}" in str(caught.value) and f"lock id {held['id']}" in str(caught.value)
    assert not backend.lock_path.exists()


def test_a_lock_from_another_host_is_not_taken_over(tmp_path: Path) -> None:
    backend = LocalStateBackend(tmp_path, "shop")
    other = {
        "id": "abc",
        "holder": "ci@elsewhere",
        "pid": 1,
        "host": "elsewhere",
        "time": "T",
        "operation": "apply",
    }
    backend.lock_path.write_text(json.dumps(other))
    with pytest.raises(LockedError) as caught, backend.lock("apply"):
        pass
    assert "ci@elsewhere (pid 1 on elsewhere, running `apply` since T); lock id abc" in str(caught.value)
    assert "`reconciler force-unlock abc`" in str(caught.value)
    assert json.loads(backend.lock_path.read_text()) == other


def test_a_hand_written_lock_says_what_it_knows(tmp_path: Path) -> None:
    backend = LocalStateBackend(tmp_path, "shop")
    backend.lock_path.write_text('{"holder": "alice"}')
    with pytest.raises(LockedError) as caught, backend.lock("apply"):
        pass
    message = str(caught.value)
    assert "None" not in message
    assert "locked by alice (the lock records no process, host or time)" in message
    lock_id = message.split("lock id ")[1].split(";")[0]
    backend.lock_path.write_text("held by the release manager, do not apply")
    with pytest.raises(LockedError) as caught, backend.lock("apply"):
        pass
    assert "None" not in str(caught.value) and "a run that recorded no name" in str(caught.value)
    other_id = str(caught.value).split("lock id ")[1].split(";")[0]
    assert other_id != lock_id
    assert "Released the state lock" in backend.force_unlock(other_id)
    assert not backend.lock_path.exists()


def test_a_lock_of_a_live_process_on_this_host_is_not_taken_over(tmp_path: Path) -> None:
    """A lock file naming a process that still runs (an older version's lock, not held by flock)."""
    backend = LocalStateBackend(tmp_path, "shop")
    backend.lock_path.write_text(json.dumps({"pid": os.getppid(), "host": socket.gethostname()}))
    with (
        pytest.raises(LockedError, match=f"process {os.getppid()} still runs on this host"),
        backend.lock("x"),
    ):
        pass
