"""PostgreSQL state, for teams: a header row and one row per entry for each project and environment.

`reconciler_state` holds one row per (project, workspace) — the workspace is the environment (`--env`),
`default` without one — with its serial and lineage; `reconciler_state_entry` one row per managed object,
create under way or failed step. A batch of records is one transaction that checks the serial (a write
from a stale copy is refused), writes only its rows and raises the serial by one, so its cost does not grow
with the state. A state written by an older version as one document in the header row is read as it is and
moved into entry rows at its first write.

The lock is a session-level advisory lock held on its own connection for the whole run, so the server
releases it when the process dies; a row beside it names the holder (with its lock id) for other runs,
and `force_unlock` ends the session that holds it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg.conninfo import make_conninfo
from pydantic import ValidationError

from reconciler.errors import StateError
from reconciler.state.backend import stale_copy
from reconciler.state.holder import describe, holder, lock_id, locked, not_this_lock
from reconciler.state.model import FORMAT_VERSION, Record, State
from reconciler.state.pg_connect import connect_options, connection_error, query_error

LOG = logging.getLogger("reconciler.state")
_SECTIONS = ("resources", "pending", "failed")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS reconciler_state (
    project text NOT NULL,
    workspace text NOT NULL,
    serial integer NOT NULL,
    document jsonb NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project, workspace)
);
CREATE TABLE IF NOT EXISTS reconciler_state_entry (
    project text NOT NULL,
    workspace text NOT NULL,
    section text NOT NULL,
    address text NOT NULL,
    value jsonb NOT NULL,
    PRIMARY KEY (project, workspace, section, address)
);
CREATE TABLE IF NOT EXISTS reconciler_lock (
    project text NOT NULL,
    workspace text NOT NULL,
    holder jsonb NOT NULL,
    PRIMARY KEY (project, workspace)
);
"""
_UNLOCK = "DELETE FROM reconciler_lock WHERE project = %s AND workspace = %s"
_LOCK_OWNER = """
SELECT l.pid FROM pg_locks l JOIN pg_database d ON d.oid = l.database
WHERE l.locktype = 'advisory' AND l.granted AND d.datname = current_database()
  AND l.classid = %s AND l.objid = %s AND l.objsubid = 1
"""


class PostgresStateBackend:
    """State of one project and workspace (environment) in a PostgreSQL database."""

    def __init__(
        self,
        dsn: str,
        project: str,
        name: str = "default",
        dsn_label: str = "the database",
        sslmode: str | None = None,
    ) -> None:
        self._dsn = dsn
        self._options = connect_options(dsn, sslmode)
        self.project = project
        self.name = name
        self.dsn_label = dsn_label
        self._ready = False
        self._held: psycopg.Connection | None = None  # the lock's connection, reused for writes
        key = int.from_bytes(hashlib.sha256(f"{project}/{name}".encode()).digest()[:8], "big", signed=True)
        self._key = key
        unsigned = key & 0xFFFFFFFFFFFFFFFF
        self._key_parts = (unsigned >> 32, unsigned & 0xFFFFFFFF)

    def describe(self) -> str:
        return f"PostgreSQL ({self.dsn_label}), project {self.project!r}, workspace {self.name!r}"

    def _connect(self, autocommit: bool = False) -> psycopg.Connection:
        try:
            conninfo = make_conninfo(self._dsn, **self._options)
            connection = psycopg.connect(conninfo, autocommit=autocommit, connect_timeout=10)
        except psycopg.Error as exc:
            raise connection_error(exc, self.dsn_label) from None
        if not self._ready:
            try:
                with connection.transaction():
                    connection.execute(
                        "SELECT pg_advisory_xact_lock(7209183364)"
                    )  # one schema creator at a time
                    connection.execute(_SCHEMA)
            except psycopg.Error as exc:
                connection.close()
                raise query_error(exc, "create its tables") from None
            self._ready = True
        return connection

    @contextmanager
    def _connection(self, what: str) -> Iterator[psycopg.Connection]:
        """The lock's connection while this backend holds the lock, else a new one for this call."""
        connection = self._held or self._connect(autocommit=True)
        try:
            yield connection
        except psycopg.Error as exc:
            raise query_error(exc, what) from None
        finally:
            if connection is not self._held:
                connection.close()

    def _where(self) -> tuple[str, str]:
        return (self.project, self.name)

    def read(self) -> State:
        with self._connection("read the state") as connection:
            row = connection.execute(
                "SELECT serial, document FROM reconciler_state WHERE project = %s AND workspace = %s",
                self._where(),
            ).fetchone()
            if row is None:
                self._refuse_shared_row(connection)
                return State(project=self.project)
            entries = connection.execute(
                "SELECT section, address, value FROM reconciler_state_entry"
                " WHERE project = %s AND workspace = %s",
                self._where(),
            ).fetchall()
        document = dict(row[1])
        if int(document.get("format_version") or 1) > FORMAT_VERSION:
            raise StateError(
                f"the state in {self.describe()} was written by a newer reconciler", hint="upgrade reconciler"
            )
        for section, address, value in entries:
            document.setdefault(section, {})[address] = value
        try:
            state = State.model_validate({**document, "serial": row[0], "format_version": FORMAT_VERSION})
        except ValidationError as exc:
            raise StateError(f"the stored state is unreadable: {str(exc).splitlines()[0]}") from None
        return state

    def _refuse_shared_row(self, connection: psycopg.Connection) -> None:
        """An environment without a row of its own, while the project has a row in workspace `default`: an
        older reconciler kept every environment there. Planning from nothing would create duplicates."""
        if self.name == "default":
            return
        shared = connection.execute(
            "SELECT 1 FROM reconciler_state WHERE project = %s AND workspace = 'default'", (self.project,)
        ).fetchone()
        if shared is not None:
            raise StateError(
                f"the PostgreSQL state of project {self.project!r} has no row for environment {self.name!r}, "
                "but a shared row `default`: an older reconciler kept every environment in that one row",
                hint="give that row to the environment it belongs to: UPDATE reconciler_state SET "
                f"workspace = '{self.name}' WHERE project = '{self.project}' AND workspace = 'default'",
            )

    def record(self, state: State, records: Sequence[Record]) -> None:
        latest = {(r.section, r.address): r for r in records}  # the last record of an entry wins
        lineage = state.lineage or str(uuid.uuid4())
        header = json.dumps({"lineage": lineage, "project": self.project, "format_version": FORMAT_VERSION})
        with self._connection("write the state") as connection, connection.transaction():
            row = connection.execute(
                "SELECT serial, document FROM reconciler_state"
                " WHERE project = %s AND workspace = %s FOR UPDATE",
                self._where(),
            ).fetchone()
            stored = row[0] if row else 0
            if stored != state.serial:
                raise stale_copy(stored, state.serial)
            if row is not None:
                self._move_document(connection, row[1])
            connection.execute(
                "INSERT INTO reconciler_state (project, workspace, serial, document) VALUES (%s, %s, %s, %s)"
                " ON CONFLICT (project, workspace) DO UPDATE"
                " SET serial = EXCLUDED.serial, document = EXCLUDED.document, updated_at = now()",
                (*self._where(), state.serial + 1, header),
            )
            with connection.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO reconciler_state_entry (project, workspace, section, address, value)"
                    " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (project, workspace, section, address)"
                    " DO UPDATE SET value = EXCLUDED.value",
                    [
                        (*self._where(), r.section, r.address, r.value.model_dump_json())
                        for r in latest.values()
                        if r.value is not None
                    ],
                )
                cursor.executemany(
                    "DELETE FROM reconciler_state_entry"
                    " WHERE project = %s AND workspace = %s AND section = %s AND address = %s",
                    [(*self._where(), r.section, r.address) for r in latest.values() if r.value is None],
                )
        state.apply(records)
        state.serial += 1
        state.lineage = lineage
        state.project = self.project

    def _move_document(self, connection: psycopg.Connection, document: dict[str, Any]) -> None:
        """Entries an older version kept inside the header's document, moved to entry rows."""
        rows = [
            (*self._where(), section, address, json.dumps(value))
            for section in _SECTIONS
            for address, value in (document.get(section) or {}).items()
        ]
        if rows:
            with connection.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO reconciler_state_entry (project, workspace, section, address, value)"
                    " VALUES (%s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                    rows,
                )

    def commit(self, state: State) -> None:
        """Nothing to fold: every batch is already in its rows."""

    @contextmanager
    def lock(self, operation: str, notice: Callable[[str], None] | None = None) -> Iterator[None]:
        connection = self._connect(autocommit=True)
        try:
            got = connection.execute("SELECT pg_try_advisory_lock(%s)", (self._key,)).fetchone()
            if not got or not got[0]:
                info, session = self._holder(connection)
                raise locked(info, self._id(info, session), "PostgreSQL releases it when that process ends")
            left, _ = self._holder(connection)
            if left is not None:
                (notice or LOG.warning)(
                    f"Took over the state lock {lock_id(left)} of {describe(left)}: its PostgreSQL session "
                    "ended without releasing it, so the server released it."
                )
            mine = {**holder(operation), "session": connection.info.backend_pid}
            connection.execute(
                "INSERT INTO reconciler_lock (project, workspace, holder) VALUES (%s, %s, %s)"
                " ON CONFLICT (project, workspace) DO UPDATE SET holder = EXCLUDED.holder",
                (*self._where(), json.dumps(mine)),
            )
        except psycopg.Error as exc:
            connection.close()
            raise query_error(exc, "take the state lock") from None
        except BaseException:
            connection.close()
            raise
        self._held = connection
        try:
            yield
        finally:
            self._held = None
            try:
                connection.execute(_UNLOCK, self._where())
                connection.execute("SELECT pg_advisory_unlock(%s)", (self._key,))
            except psycopg.Error:
                pass  # the session is gone (force-unlocked): the server released the lock with it
            connection.close()

    def _holder(self, connection: psycopg.Connection) -> tuple[dict[str, Any] | None, int | None]:
        """The recorded holder (if any) and the server session that holds the advisory lock (if any)."""
        row = connection.execute(
            "SELECT holder FROM reconciler_lock WHERE project = %s AND workspace = %s", self._where()
        ).fetchone()
        owner = connection.execute(_LOCK_OWNER, self._key_parts).fetchone()
        return (dict(row[0]) if row else None), (int(owner[0]) if owner else None)

    def _id(self, info: dict[str, Any] | None, session: int | None) -> str:
        return lock_id(info) if info is not None else lock_id({"session": session})

    def force_unlock(self, given: str) -> str:
        with self._connection("release the state lock") as connection:
            info, session = self._holder(connection)
            if info is None and session is None:
                raise not_this_lock(given, None)
            key = self._id(info, session)
            if key != given:
                raise not_this_lock(given, key)
            ended = ""
            if session is not None:
                done = connection.execute("SELECT pg_terminate_backend(%s)", (session,)).fetchone()
                if not done or not done[0]:
                    raise StateError(f"PostgreSQL did not end session {session}, which holds the state lock")
                self._wait_released(connection)
                ended = f": ended the PostgreSQL session {session} that held it"
            connection.execute(_UNLOCK, self._where())
        return f"Released the state lock {key} of {describe(info)}{ended}."

    def _wait_released(self, connection: psycopg.Connection) -> None:
        deadline = time.monotonic() + 10
        while connection.execute(_LOCK_OWNER, self._key_parts).fetchone() is not None:
            if time.monotonic() > deadline:
                raise StateError("the PostgreSQL session that held the state lock did not end within 10 s")
            time.sleep(0.05)
