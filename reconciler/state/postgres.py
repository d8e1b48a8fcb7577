"""PostgreSQL state, for teams: one row per project, optimistic serial checks, and an advisory lock.

The lock is a session-level advisory lock held on its own connection for the whole run, so it is
released by the server when the process dies; a row beside it names the holder for other runs.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from pydantic import ValidationError

from reconciler.errors import LockedError, StateError
from reconciler.state.holder import held_by, holder
from reconciler.state.model import State

_SCHEMA = """
CREATE TABLE IF NOT EXISTS reconciler_state (
    project text NOT NULL,
    workspace text NOT NULL,
    serial integer NOT NULL,
    document jsonb NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project, workspace)
);
CREATE TABLE IF NOT EXISTS reconciler_lock (
    project text NOT NULL,
    workspace text NOT NULL,
    holder jsonb NOT NULL,
    PRIMARY KEY (project, workspace)
);
"""


class PostgresStateBackend:
    """State of one project (and workspace) in the `reconciler_state` table of a PostgreSQL database."""

    def __init__(
        self, dsn: str, project: str, name: str = "default", dsn_label: str = "the database"
    ) -> None:
        self._dsn = dsn
        self.project = project
        self.name = name
        self.dsn_label = dsn_label
        self._ready = False

    def describe(self) -> str:
        return f"PostgreSQL ({self.dsn_label}), project {self.project!r}, workspace {self.name!r}"

    def _connect(self, autocommit: bool = False) -> psycopg.Connection:
        try:
            connection = psycopg.connect(self._dsn, autocommit=autocommit, connect_timeout=10)
        except psycopg.Error as exc:
            raise StateError(
                f"cannot connect to the PostgreSQL state backend ({self.dsn_label}): {self._clean(exc)}",
                hint="check the connection string in that environment variable and that the server is up",
            ) from None
        if not self._ready:
            with connection.transaction():
                connection.execute("SELECT pg_advisory_xact_lock(7209183364)")  # one schema creator at a time
                connection.execute(_SCHEMA)
            self._ready = True
        return connection

    def _clean(self, exc: Exception) -> str:
        text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return text.replace(self._dsn, "***")

    def read(self) -> State:
        with self._connect() as connection:
            row = connection.execute(
                "SELECT document FROM reconciler_state WHERE project = %s AND workspace = %s",
                (self.project, self.name),
            ).fetchone()
        if row is None:
            return State(project=self.project)
        try:
            return State.model_validate(row[0])
        except ValidationError as exc:
            raise StateError(f"the stored state is unreadable: {str(exc).splitlines()[0]}") from None

    def write(self, state: State) -> None:
        expected = state.serial
        state.serial += 1
        state.lineage = state.lineage or str(uuid.uuid4())
        state.project = self.project
        document = state.model_dump_json()
        with self._connect() as connection, connection.transaction():
            row = connection.execute(
                "SELECT serial FROM reconciler_state WHERE project = %s AND workspace = %s FOR UPDATE",
                (self.project, self.name),
            ).fetchone()
            stored = row[0] if row else 0
            if stored != expected:
                state.serial = expected
                raise StateError(
                    f"the state was changed by another run (serial {stored}, this run expected {expected})",
                    hint="run `reconciler plan` again",
                )
            connection.execute(
                "INSERT INTO reconciler_state (project, workspace, serial, document) VALUES (%s, %s, %s, %s)"
                " ON CONFLICT (project, workspace) DO UPDATE"
                " SET serial = EXCLUDED.serial, document = EXCLUDED.document, updated_at = now()",
                (self.project, self.name, state.serial, document),
            )

    @contextmanager
    def lock(self, operation: str) -> Iterator[None]:
        key = int.from_bytes(
            hashlib.sha256(f"{self.project}/{self.name}".encode()).digest()[:8], "big", signed=True
        )
        connection = self._connect(autocommit=True)
        try:
            got = connection.execute("SELECT pg_try_advisory_lock(%s)", (key,)).fetchone()
            if not got or not got[0]:
                raise LockedError(self._held_message(connection))
            connection.execute(
                "INSERT INTO reconciler_lock (project, workspace, holder) VALUES (%s, %s, %s)"
                " ON CONFLICT (project, workspace) DO UPDATE SET holder = EXCLUDED.holder",
                (self.project, self.name, json.dumps(holder(operation))),
            )
            try:
                yield
            finally:
                connection.execute(
                    "DELETE FROM reconciler_lock WHERE project = %s AND workspace = %s",
                    (self.project, self.name),
                )
                connection.execute("SELECT pg_advisory_unlock(%s)", (key,))
        finally:
            connection.close()

    def _held_message(self, connection: psycopg.Connection) -> str:
        row = connection.execute(
            "SELECT holder FROM reconciler_lock WHERE project = %s AND workspace = %s",
            (self.project, self.name),
        ).fetchone()
        if row is None:
            return f"the state of project {self.project!r} is locked by another run"
        return f"{held_by(row[0])}; PostgreSQL releases the lock when that process ends"
