"""PostgreSQL state on the machine's real server: serials, lost-update protection and the advisory lock."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest

from reconciler.errors import LockedError, StateError
from reconciler.state import PostgresStateBackend, StateEntry
from tests.conftest import Result

DSN = os.environ.get("RECONCILER_TEST_PG_DSN", "postgresql://127.0.0.1:5432/test")


@pytest.fixture
def project() -> Iterator[str]:
    name = f"test-{uuid.uuid4().hex[:12]}"
    yield name
    with psycopg.connect(DSN, autocommit=True) as connection:
        connection.execute("DELETE FROM reconciler_state WHERE project = %s", (name,))
        connection.execute("DELETE FROM reconciler_lock WHERE project = %s", (name,))


def test_state_round_trips_with_serial_and_lineage(project: str) -> None:
    backend = PostgresStateBackend(DSN, project)
    state = backend.read()
    assert (state.serial, state.lineage) == (0, "")
    state.resources["criteo.campaign.c"] = StateEntry(id="500001", applied={"name": "C"})
    backend.write(state)
    again = PostgresStateBackend(DSN, project).read()
    assert again.serial == 1 and again.lineage == state.lineage != ""
    assert again.resources["criteo.campaign.c"].applied == {"name": "C"}


def test_a_write_from_a_stale_copy_is_refused(project: str) -> None:
    backend = PostgresStateBackend(DSN, project)
    first = backend.read()
    second = backend.read()
    backend.write(first)
    with pytest.raises(StateError, match="changed by another run"):
        backend.write(second)
    assert backend.read().serial == 1


def test_lock_names_the_holder_and_is_released(project: str) -> None:
    one = PostgresStateBackend(DSN, project)
    other = PostgresStateBackend(DSN, project)
    held = rf"pid {os.getpid()} .*running `apply`"
    with one.lock("apply"), pytest.raises(LockedError, match=held), other.lock("apply"):
        pass
    with PostgresStateBackend(DSN, project).lock("apply"):
        pass


def test_lock_of_a_killed_process_is_released_by_the_server(project: str) -> None:
    code = (
        "import sys, time\n"
        "from reconciler.state import PostgresStateBackend\n"
        f"with PostgresStateBackend({DSN!r}, {project!r}).lock('apply'):\n"
        "    print('locked', flush=True)\n"
        "    time.sleep(60)\n"
    )
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with (
            pytest.raises(LockedError, match=f"pid {holder.pid}"),
            PostgresStateBackend(DSN, project).lock("apply"),
        ):
            pass
    finally:
        holder.kill()
        holder.wait()
    for _ in range(50):
        try:
            with PostgresStateBackend(DSN, project).lock("apply"):
                return
        except LockedError:
            time.sleep(0.1)
    pytest.fail("the lock of a killed process was never released")


def test_project_with_postgres_state_plans_and_applies(
    example: Callable[[str], Path], cli: Callable[..., Result], project: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = example("criteo-retargeting")
    config = root / "reconciler.yaml"
    text = config.read_text().replace("project: acme-retargeting", f"project: {project}")
    config.write_text(
        text.replace("  backend: local\n  path: state\n", "  backend: postgres\n  dsn: TEAM_STATE_DSN\n")
    )
    monkeypatch.delenv("TEAM_STATE_DSN", raising=False)
    missing = cli("plan", str(root))
    assert missing.exit_code == 1 and "TEAM_STATE_DSN" in missing.stderr
    monkeypatch.setenv("TEAM_STATE_DSN", DSN)
    assert cli("plan", str(root), "--detailed-exitcode").exit_code == 2
    applied = cli("apply", str(root), "--auto-approve")
    assert applied.exit_code == 0, applied.stderr
    assert cli("plan", str(root), "--detailed-exitcode").exit_code == 0
    assert not (root / "state").exists()
    listing = cli("state", "list", str(root)).stdout.splitlines()
    assert len(listing) == 4
