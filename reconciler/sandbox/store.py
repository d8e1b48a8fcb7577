"""SQLite persistence of the sandbox: every platform's objects, counters, tokens, rate windows and the
request log live in one database file, so several processes opening it one after the other (or at
the same time) see one platform. Nothing outlives a transaction in memory but the "schema is ready" flag
and the open connection (SQLite notices another process's writes at the start of each transaction).

One connection per thread, opened on its first transaction and kept (the file in write-ahead-log mode,
folded back into the one file when the store closes): `Store.transaction()` takes the write lock
(`BEGIN IMMEDIATE`), and commits or rolls back. Objects are JSON documents keyed by (platform, kind, id);
a transaction keeps the text of those it read or wrote, and reads a kind's ids in order from an index.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, overload

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS objects (
    platform TEXT NOT NULL,
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    doc TEXT NOT NULL,
    PRIMARY KEY (platform, kind, id)
);
CREATE INDEX IF NOT EXISTS objects_in_order ON objects (platform, kind, CAST(id AS INTEGER), id);
CREATE TABLE IF NOT EXISTS tokens (
    token TEXT PRIMARY KEY,
    platform TEXT NOT NULL,
    client_id TEXT NOT NULL,
    issued_at REAL NOT NULL,
    expires_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS rate_windows (
    platform TEXT NOT NULL,
    client_id TEXT NOT NULL,
    window_start INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (platform, client_id, window_start)
);
CREATE TABLE IF NOT EXISTS requests (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    platform TEXT NOT NULL,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    status INTEGER NOT NULL,
    at REAL NOT NULL
);
"""

ORDER = "CAST(id AS INTEGER), id"
"""The order of a kind's documents: by numeric id (the `objects_in_order` index holds it)."""

Seeder = Callable[["Tx"], None]


@dataclass(frozen=True)
class Token:
    token: str
    platform: str
    client_id: str
    issued_at: float
    expires_at: float


@dataclass(frozen=True)
class LoggedRequest:
    platform: str
    method: str
    path: str
    status: int


class OrderedIds(Sequence[str]):
    """The ids of one kind's documents in `ORDER`, read from the index a window at a time as they are
    reached (valid while the transaction that made it is open)."""

    WINDOW = 256

    def __init__(self, conn: sqlite3.Connection, platform: str, kind: str) -> None:
        self.conn = conn
        self.where = (platform, kind)
        self.size: int | None = None
        self.start = 0
        self.window: list[str] = []

    def __len__(self) -> int:
        if self.size is None:
            row = self.conn.execute(
                "SELECT COUNT(*) FROM objects WHERE platform = ? AND kind = ?", self.where
            ).fetchone()
            self.size = int(row[0])
        return self.size

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        if not self.start <= index < self.start + len(self.window):
            rows = self.conn.execute(
                f"SELECT id FROM objects WHERE platform = ? AND kind = ? ORDER BY {ORDER} LIMIT ? OFFSET ?",
                (*self.where, self.WINDOW, index),
            ).fetchall()
            self.start, self.window = index, [str(row[0]) for row in rows]
        return self.window[index - self.start]


class Tx:
    """One open transaction on the sandbox database."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._savepoints = 0
        self._texts: dict[tuple[str, str, str], str | None] = {}
        """The stored text of the documents read or written in this transaction (None: no document)."""

    @property
    def conn(self) -> sqlite3.Connection:
        """The connection, for statements of its own (the documents read so far are read again, as such
        a statement may change them)."""
        self._texts.clear()
        return self._conn

    # -- documents -------------------------------------------------------------------------------

    def get(self, platform: str, kind: str, object_id: str) -> dict[str, Any] | None:
        """A document (a fresh copy each call), or None."""
        key = (platform, kind, object_id)
        if key in self._texts:
            text = self._texts[key]
        else:
            row = self._conn.execute(
                "SELECT doc FROM objects WHERE platform = ? AND kind = ? AND id = ?", key
            ).fetchone()
            text = self._texts[key] = None if row is None else str(row[0])
        return None if text is None else json.loads(text)  # a new dict each call

    def put(self, platform: str, kind: str, object_id: str, doc: dict[str, Any]) -> None:
        text = json.dumps(doc, sort_keys=True)
        self._conn.execute(
            "INSERT INTO objects (platform, kind, id, doc) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (platform, kind, id) DO UPDATE SET doc = excluded.doc",
            (platform, kind, object_id, text),
        )
        self._texts[(platform, kind, object_id)] = text

    def all(self, platform: str, kind: str, where: tuple[str, str] | None = None) -> list[dict[str, Any]]:
        """Every document of one kind (or those whose top-level field `where[0]` is the string
        `where[1]`, picked out without parsing the others), ordered by numeric id."""
        query, args = "", [platform, kind]
        if where is not None:
            query, args = " AND json_extract(doc, ?) = ?", [*args, f"$.{where[0]}", where[1]]
        rows = self._conn.execute(
            f"SELECT doc FROM objects WHERE platform = ? AND kind = ?{query} ORDER BY {ORDER}", args
        ).fetchall()
        return [json.loads(row[0]) for row in rows]

    def ids(self, platform: str, kind: str, among: Collection[str] | None = None) -> Sequence[str]:
        """The ids of every document of one kind (or of those among `among`), in the order of `all`
        (nothing parsed). Without `among`, they are read from an index a window at a time, so a page of a
        list costs the same however many documents there are."""
        if among is None:
            return OrderedIds(self._conn, platform, kind)
        rows = self._conn.execute(
            "SELECT wanted.value FROM json_each(?) AS wanted WHERE EXISTS (SELECT 1 FROM objects "
            "WHERE platform = ? AND kind = ? AND id = wanted.value) "
            "ORDER BY CAST(wanted.value AS INTEGER), wanted.value",
            (json.dumps(sorted(set(among))), platform, kind),
        ).fetchall()
        return [str(row[0]) for row in rows]

    def next_id(self, counter: str, start: int) -> str:
        """The next string-encoded integer id of a counter, `start` being the first one handed out."""
        row = self._conn.execute("SELECT value FROM counters WHERE name = ?", (counter,)).fetchone()
        value = start if row is None else int(row[0]) + 1
        self._conn.execute(
            "INSERT INTO counters (name, value) VALUES (?, ?) "
            "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            (counter, value),
        )
        return str(value)

    def next_ids(self, counter: str, start: int, count: int) -> str:
        """Reserve the next `count` (≥ 1) ids of a counter at once, the ids `count` calls of `next_id`
        would hand out: the first of them (the others follow it)."""
        first = self.next_id(counter, start)
        if count > 1:
            last = int(first) + count - 1
            self._conn.execute("UPDATE counters SET value = ? WHERE name = ?", (last, counter))
        return first

    # -- meta ------------------------------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        self._conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    # -- auth ------------------------------------------------------------------------------------

    def add_token(self, token: Token) -> None:
        """Store a new token (and forget the ones that expired more than an hour ago)."""
        self._conn.execute("DELETE FROM tokens WHERE expires_at < ?", (token.issued_at - 3600,))
        self._conn.execute(
            "INSERT INTO tokens (token, platform, client_id, issued_at, expires_at) VALUES (?, ?, ?, ?, ?)",
            (token.token, token.platform, token.client_id, token.issued_at, token.expires_at),
        )

    def token(self, platform: str, token: str) -> Token | None:
        row = self._conn.execute(
            "SELECT token, platform, client_id, issued_at, expires_at FROM tokens "
            "WHERE token = ? AND platform = ?",
            (token, platform),
        ).fetchone()
        return None if row is None else Token(row[0], row[1], row[2], float(row[3]), float(row[4]))

    def count_call(self, platform: str, client_id: str, window_start: int) -> int:
        """Count one call of a client in a rate window; returns the calls counted in it so far."""
        self._conn.execute(
            "DELETE FROM rate_windows WHERE platform = ? AND client_id = ? AND window_start < ?",
            (platform, client_id, window_start),
        )
        self._conn.execute(
            "INSERT INTO rate_windows (platform, client_id, window_start, count) VALUES (?, ?, ?, 1) "
            "ON CONFLICT (platform, client_id, window_start) DO UPDATE SET count = count + 1",
            (platform, client_id, window_start),
        )
        row = self._conn.execute(
            "SELECT count FROM rate_windows WHERE platform = ? AND client_id = ? AND window_start = ?",
            (platform, client_id, window_start),
        ).fetchone()
        return int(row[0])

    # -- request log -----------------------------------------------------------------------------

    def log_request(self, platform: str, method: str, path: str, status: int, at: float) -> None:
        self._conn.execute(
            "INSERT INTO requests (platform, method, path, status, at) VALUES (?, ?, ?, ?, ?)",
            (platform, method, path, status, at),
        )

    def requests(self) -> list[LoggedRequest]:
        rows = self._conn.execute(
            "SELECT platform, method, path, status FROM requests ORDER BY seq"
        ).fetchall()
        return [LoggedRequest(row[0], row[1], row[2], int(row[3])) for row in rows]

    # -- nesting ---------------------------------------------------------------------------------

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """Undo the writes of the block if it raises (the enclosing transaction goes on)."""
        self._savepoints += 1
        name = f"sp{self._savepoints}"
        self._conn.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            self._texts.clear()
            self._conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
            self._conn.execute(f"RELEASE SAVEPOINT {name}")
            raise
        else:
            self._conn.execute(f"RELEASE SAVEPOINT {name}")


class Store:
    """The sandbox database file. Opened lazily; created and seeded on first use."""

    def __init__(self, path: Path, seeders: dict[str, Seeder] | None = None) -> None:
        self.path = Path(path)
        self.seeders = dict(seeders or {})
        self._ready = False
        self._lock = threading.Lock()
        self._local = threading.local()
        self._opened: list[sqlite3.Connection] = []

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=30.0, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA busy_timeout = 30000")
        # No fsync per commit: a killed process loses nothing (the writes are in the OS's cache); only a
        # machine crash could, and an emulator's data may be lost then. Commits took 4 ms each otherwise.
        conn.execute("PRAGMA synchronous = OFF")
        # Write-ahead log: a commit appends to the -wal file instead of creating and deleting a rollback
        # journal (a fifth of the cost). The last connection to close folds the log into the file.
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA cache_size = -32768")  # KiB: the pages a large platform's reads come back to
        with self._lock:
            self._opened.append(conn)
        return conn

    def _prepare(self, conn: sqlite3.Connection) -> None:
        """Create the tables and run the seeders that have not run yet (idempotent, cross-process safe)."""
        with self._lock:
            if self._ready:
                return
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn.execute("BEGIN IMMEDIATE")
            try:
                for statement in SCHEMA.split(";"):
                    if statement.strip():
                        conn.execute(statement)
                tx = Tx(conn)
                for name, seed in self.seeders.items():
                    key = f"seeded:{name}"
                    if tx.meta(key) is None:
                        seed(tx)
                        tx.set_meta(key, "1")
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            self._ready = True

    def _file(self) -> int | None:
        """The inode of the database file, None when there is none."""
        try:
            return os.stat(self.path).st_ino
        except FileNotFoundError:
            return None

    def _connection(self) -> sqlite3.Connection:
        """This thread's connection, opened again (and the file created and seeded) when the file was
        removed or replaced since its last transaction."""
        local = self._local
        file = self._file()
        if getattr(local, "conn", None) is None or file is None or file != local.file:
            if getattr(local, "conn", None) is not None:
                self._close(local.conn)
            if file is None:
                self._ready = False  # the file was removed since: create and seed it again
            self.path.parent.mkdir(parents=True, exist_ok=True)
            local.conn = self._connect()
            local.file = self._file()
        self._prepare(local.conn)
        return local.conn

    def _close(self, conn: sqlite3.Connection) -> None:
        with self._lock:
            self._opened.remove(conn)
        conn.close()

    def close(self) -> None:
        """Close every connection (the write-ahead log is folded into the file); a later transaction
        opens a new one."""
        with self._lock:
            opened, self._opened = self._opened, []
        for conn in opened:
            conn.close()
        self._local = threading.local()

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        """A write transaction: committed when the block ends, rolled back if it raises."""
        conn = self._connection()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield Tx(conn)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
