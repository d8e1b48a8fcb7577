"""One state contract, one suite: every backend (local files, the machine's real PostgreSQL) passes it.

Lineage and serial, a stale copy's write refused, the lock exclusive, a dead holder's lock taken over,
environments apart, incremental writes that survive a reopen, `force_unlock`, `state rm` and `state mv`.
"""

from __future__ import annotations

import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest

from reconciler.errors import LockedError, StateError
from reconciler.state import (
    FailedStep,
    LocalStateBackend,
    PendingCreate,
    PostgresStateBackend,
    Record,
    StateBackend,
    StateEntry,
)
from reconciler.state.edit import move, remove
from tests.state.server import DSN, forget

Opener = Callable[..., StateBackend]
CAMPAIGN = "criteo.campaign.summer"
FR = "criteo.ad_set.summer/fr"
DE = "criteo.ad_set.summer/de"


@pytest.fixture(params=["local", "postgres"])
def backend_of(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, Opener]]:
    """(kind, open(env=None)): each call a new backend object on the same stored state, as another run."""
    project = f"test-{uuid.uuid4().hex[:12]}"
    if request.param == "local":

        def local(env: str | None = None) -> StateBackend:
            return LocalStateBackend(tmp_path / "state" / (env or ""), project)

        yield "local", local
        return

    def postgres(env: str | None = None) -> StateBackend:
        return PostgresStateBackend(DSN, project, env or "default")

    yield "postgres", postgres
    forget(project)


def put(address: str, object_id: str, parent: str | None = None) -> Record:
    return Record("resources", address, StateEntry(id=object_id, parent=parent, applied={"name": address}))


def test_lineage_is_set_at_the_first_write_and_the_serial_counts_writes(
    backend_of: tuple[str, Opener],
) -> None:
    _, open_backend = backend_of
    backend = open_backend()
    state = backend.read()
    assert (state.serial, state.lineage, state.resources) == (0, "", {})
    backend.record(state, [put(CAMPAIGN, "1")])
    assert state.serial == 1 and state.lineage
    backend.record(state, [put(FR, "2", CAMPAIGN)])
    backend.commit(state)
    again = open_backend().read()
    assert (again.serial, again.lineage) == (2, state.lineage)
    assert again.resources[FR] == StateEntry(id="2", parent=CAMPAIGN, applied={"name": FR})


def test_a_write_from_a_stale_copy_is_refused(backend_of: tuple[str, Opener]) -> None:
    _, open_backend = backend_of
    mine, theirs = open_backend(), open_backend()
    first, second = mine.read(), theirs.read()
    mine.record(first, [put(CAMPAIGN, "1")])
    with pytest.raises(StateError, match=r"changed by another run \(serial 1, this run expected 0\)"):
        theirs.record(second, [put(CAMPAIGN, "999")])
    with pytest.raises(StateError, match="changed by another run"):
        mine.record(mine.read().model_copy(update={"serial": 0}), [put(CAMPAIGN, "998")])
    stored = open_backend().read()
    assert (stored.serial, stored.resources[CAMPAIGN].id) == (1, "1")
    assert second.resources == {}  # nothing of a refused write is carried out in memory either


def test_the_lock_is_exclusive_and_names_its_holder(backend_of: tuple[str, Opener]) -> None:
    _, open_backend = backend_of
    with open_backend().lock("apply"):
        with pytest.raises(LockedError) as caught, open_backend().lock("plan"):
            pass
        message = str(caught.value)
        assert "running `apply`" in message and "lock id " in message and "force-unlock" in message
    with open_backend().lock("apply"):
        pass


def hold_lock(kind: str, opener_code: str) -> subprocess.Popen[str]:
    """Another process that takes the lock, says `locked` and sleeps."""
    code = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from reconciler.state import LocalStateBackend, PostgresStateBackend\n"
        f"with {opener_code}.lock('apply'):\n"
        "    print('locked', flush=True)\n"
        "    time.sleep(120)\n"
    )
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stdout.readline().strip() == "locked", kind
    return process


def opener_code(kind: str, backend: StateBackend) -> str:
    if isinstance(backend, LocalStateBackend):
        return f"LocalStateBackend(Path({str(backend.directory)!r}), {backend.project!r})"
    assert isinstance(backend, PostgresStateBackend)
    return f"PostgresStateBackend({DSN!r}, {backend.project!r}, {backend.name!r})"


def test_the_lock_of_a_dead_holder_is_taken_over_with_a_notice(backend_of: tuple[str, Opener]) -> None:
    kind, open_backend = backend_of
    holder = hold_lock(kind, opener_code(kind, open_backend()))
    with pytest.raises(LockedError, match=f"pid {holder.pid}"), open_backend().lock("apply"):
        pass
    holder.kill()
    holder.wait()
    notices: list[str] = []
    deadline = time.monotonic() + 10
    while True:
        try:
            with open_backend().lock("apply", notices.append):
                break
        except LockedError:  # PostgreSQL notices the dead session within moments
            assert time.monotonic() < deadline, "the lock of a killed process was never taken over"
            time.sleep(0.1)
    assert len(notices) == 1, notices
    assert notices[0].startswith("Took over the state lock ") and f"pid {holder.pid}" in notices[0]
    with open_backend().lock("apply", notices.append):
        pass
    assert len(notices) == 1  # a lock released properly leaves nothing to take over


def test_environments_are_apart(backend_of: tuple[str, Opener]) -> None:
    _, open_backend = backend_of
    staging = open_backend("staging")
    state = staging.read()
    staging.record(state, [put(CAMPAIGN, "1")])
    staging.commit(state)
    assert open_backend("prod").read().resources == {}
    assert open_backend("staging").read().resources[CAMPAIGN].id == "1"
    with open_backend("staging").lock("apply"), open_backend("prod").lock("apply"):
        pass


def test_incremental_writes_survive_a_reopen_without_commit(backend_of: tuple[str, Opener]) -> None:
    _, open_backend = backend_of
    backend = open_backend()
    state = backend.read()
    backend.record(state, [put(CAMPAIGN, "1")])
    for n in range(30):
        address = f"criteo.ad_set.summer/s{n}"
        pending = PendingCreate(verb="create_ad_set", started_at="t", parent=CAMPAIGN)
        backend.record(state, [Record("pending", address, pending)])
        backend.record(state, [Record("pending", address, None), put(address, str(100 + n), CAMPAIGN)])
    failed = FailedStep(verb="patch_ad_set", error="refused", time="t", attempted={"name": "x"})
    backend.record(state, [Record("failed", "criteo.ad_set.summer/s3", failed)])
    reopened = open_backend().read()  # as the next run after a crash: no commit happened
    assert reopened.serial == state.serial == 62
    assert reopened.resources == state.resources and len(reopened.resources) == 31
    assert reopened.pending == {}
    assert reopened.failed == {"criteo.ad_set.summer/s3": failed}
    backend.commit(state)
    assert open_backend().read() == reopened


def test_force_unlock_releases_only_the_named_lock(backend_of: tuple[str, Opener]) -> None:
    kind, open_backend = backend_of
    holder = hold_lock(kind, opener_code(kind, open_backend()))
    try:
        with pytest.raises(LockedError) as caught, open_backend().lock("apply"):
            pass
        lock_id = str(caught.value).split("lock id ")[1].split(";")[0]
        with pytest.raises(LockedError, match=f"the state lock has the id {lock_id}, not 0000"):
            open_backend().force_unlock("0000")
        said = open_backend().force_unlock(lock_id)
        assert said.startswith(f"Released the state lock {lock_id} of ")
        with open_backend().lock("apply"):
            pass
        with pytest.raises(LockedError, match="the state is not locked"):
            open_backend().force_unlock(lock_id)
    finally:
        holder.kill()
        holder.wait()


def family(open_backend: Opener) -> None:
    backend = open_backend()
    state = backend.read()
    backend.record(
        state,
        [
            put(CAMPAIGN, "1"),
            put(FR, "2", CAMPAIGN),
            put(DE, "3", CAMPAIGN),
            put("criteo.campaign.winter", "4"),
            Record("failed", DE, FailedStep(verb="patch_ad_set", error="no", time="t")),
        ],
    )


def test_state_rm_removes_the_subtree_and_touches_nothing_else(backend_of: tuple[str, Opener]) -> None:
    _, open_backend = backend_of
    family(open_backend)
    assert remove(open_backend(), [CAMPAIGN], print) == [CAMPAIGN, DE, FR]
    left = open_backend().read()
    assert list(left.resources) == ["criteo.campaign.winter"] and left.failed == {}
    with pytest.raises(StateError, match=r"criteo\.campaign\.summer is not in state; nothing was removed"):
        remove(open_backend(), [CAMPAIGN], print)


def test_state_mv_moves_the_subtree_and_refuses_an_existing_target(backend_of: tuple[str, Opener]) -> None:
    _, open_backend = backend_of
    family(open_backend)
    with pytest.raises(StateError, match=r"criteo\.campaign\.winter is already in state; nothing was moved"):
        move(open_backend(), CAMPAIGN, "criteo.campaign.winter", print)
    with pytest.raises(StateError, match="keeps the platform and kind"):
        move(open_backend(), CAMPAIGN, "criteo.ad_set.autumn", print)
    renamed = move(open_backend(), CAMPAIGN, "criteo.campaign.autumn", print)
    assert renamed == {
        CAMPAIGN: "criteo.campaign.autumn",
        DE: "criteo.ad_set.autumn/de",
        FR: "criteo.ad_set.autumn/fr",
    }
    moved = open_backend().read()
    assert sorted(moved.resources) == [
        "criteo.ad_set.autumn/de",
        "criteo.ad_set.autumn/fr",
        "criteo.campaign.autumn",
        "criteo.campaign.winter",
    ]
    assert moved.resources["criteo.ad_set.autumn/fr"] == StateEntry(
        id="2", parent="criteo.campaign.autumn", applied={"name": FR}
    )
    assert list(moved.failed) == ["criteo.ad_set.autumn/de"]


def test_postgres_entries_are_rows_of_their_own(tmp_path: Path) -> None:
    """The PostgreSQL backend writes one row per entry: a batch touches its rows only."""
    project = f"test-{uuid.uuid4().hex[:12]}"
    try:
        backend = PostgresStateBackend(DSN, project)
        state = backend.read()
        backend.record(state, [put(CAMPAIGN, "1"), put(FR, "2", CAMPAIGN)])
        backend.record(state, [Record("resources", FR, None)])
        with psycopg.connect(DSN) as connection:
            rows = connection.execute(
                "SELECT section, address FROM reconciler_state_entry WHERE project = %s", (project,)
            ).fetchall()
            header = connection.execute(
                "SELECT serial, document FROM reconciler_state WHERE project = %s", (project,)
            ).fetchone()
        assert rows == [("resources", CAMPAIGN)]
        assert header is not None and header[0] == 2 and "resources" not in header[1]
    finally:
        forget(project)


def test_an_entrys_prevent_retire_is_kept_and_absent_when_never_recorded(
    backend_of: tuple[str, Opener],
) -> None:
    _, open_backend = backend_of
    backend = open_backend()
    state = backend.read()
    protected = StateEntry(id="2", parent=CAMPAIGN, applied={"name": FR}, prevent_retire=True)
    backend.record(state, [put(CAMPAIGN, "1"), Record("resources", FR, protected)])
    backend.commit(state)
    again = open_backend().read()
    assert again.resources[FR].prevent_retire is True
    assert again.resources[CAMPAIGN].prevent_retire is None
    assert "prevent_retire" not in again.resources[CAMPAIGN].model_dump_json()
