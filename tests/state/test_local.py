"""Local state: atomic writes with lineage and serial, and a lock naming its holder."""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import pytest

from reconciler.errors import LockedError, StateError
from reconciler.state import LocalStateBackend, StateEntry


def test_new_state_is_empty_and_writes_increment_the_serial(tmp_path: Path) -> None:
    backend = LocalStateBackend(tmp_path / "state", "shop")
    state = backend.read()
    assert (state.serial, state.resources) == (0, {})
    state.resources["criteo.campaign.a"] = StateEntry(id="1")
    backend.write(state)
    backend.write(state)
    again = backend.read()
    assert again.serial == 2
    assert again.lineage == state.lineage
    assert again.resources["criteo.campaign.a"].id == "1"
    assert [p.name for p in (tmp_path / "state").iterdir()] == ["default.state.json"]


def test_state_of_another_project_is_refused(tmp_path: Path) -> None:
    LocalStateBackend(tmp_path, "one").write(LocalStateBackend(tmp_path, "one").read())
    with pytest.raises(StateError, match="belongs to project 'one'"):
        LocalStateBackend(tmp_path, "two").read()


def test_corrupt_state_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "default.state.json").write_text("{not json")
    with pytest.raises(StateError, match="cannot read the state file"):
        LocalStateBackend(tmp_path, "shop").read()


def test_lock_names_holder_pid_host_time_and_operation(tmp_path: Path) -> None:
    backend = LocalStateBackend(tmp_path, "shop")
    with backend.lock("apply"):
        held = json.loads(backend.lock_path.read_text())
        assert held["pid"] == os.getpid()
        assert held["host"] == socket.gethostname()
        assert held["operation"] == "apply"
        assert held["time"].endswith("Z")
        with pytest.raises(LockedError) as caught, LocalStateBackend(tmp_path, "shop").lock("apply"):
            pass
        assert f"pid {os.getpid()}" in str(caught.value)
        assert "running `apply`" in str(caught.value)
    assert not backend.lock_path.exists()


def test_lock_left_by_a_dead_process_says_so(tmp_path: Path) -> None:
    backend = LocalStateBackend(tmp_path, "shop")
    backend.lock_path.write_text(
        json.dumps(
            {"holder": "ci@x", "pid": 999999, "host": socket.gethostname(), "time": "t", "operation": "apply"}
        )
    )
    with pytest.raises(LockedError, match="no longer running"), backend.lock("apply"):
        pass
