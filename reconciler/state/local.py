"""Local state: a JSON file per project and environment, an append-only journal beside it, and a lock file.

`<dir>/<name>.state.json` holds the state as of the last compaction; `<dir>/<name>.journal` the batches
recorded since (see `journal.py`); `<dir>/<name>.lock` names the holder of the lock. A write is refused
when the stored state is not the one the writer read (serial check), as PostgreSQL does.

The lock is an advisory `flock` on the lock file, which the kernel drops when its process ends. A lock file
left by a process that is no longer running on this host is taken over with a notice; any other lock left
behind (another host, a hand-written file) is refused with its id, for `reconciler force-unlock ID`.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import socket
import tempfile
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pydantic_core
from pydantic import ValidationError

from reconciler.errors import StateError
from reconciler.state.backend import stale_copy
from reconciler.state.holder import describe, holder, lock_id, locked, not_this_lock, pid_alive
from reconciler.state.journal import Journal, sync_directory
from reconciler.state.model import FORMAT_VERSION, Record, State

LOG = logging.getLogger("reconciler.state")
_Signature = tuple[tuple[int, int, int] | None, tuple[int, int, int] | None]


class LocalStateBackend:
    """State in `<dir>/<name>.state.json` (+ `<name>.journal`), lock in `<dir>/<name>.lock`."""

    def __init__(self, directory: Path, project: str, name: str = "default") -> None:
        self.directory = directory
        self.project = project
        self.path = directory / f"{name}.state.json"
        self.lock_path = directory / f"{name}.lock"
        self.journal = Journal(directory / f"{name}.journal")
        self._locked = False
        self._seen: tuple[_Signature, int] | None = None  # files as last read or written, and their serial

    def describe(self) -> str:
        return str(self.path)

    def read(self) -> State:
        state = self._load()
        if self._locked and not self.journal.open and self.journal.path.exists():
            self._compact(state)  # a crashed run left its journal: continue from it
        return state

    def record(self, state: State, records: Sequence[Record]) -> None:
        self._check_fresh(state)
        if not self.journal.open:
            if self.journal.path.exists():
                self._compact(state)  # the journal of another session: fold it in before starting ours
            self.directory.mkdir(parents=True, exist_ok=True)
        state.lineage = state.lineage or str(uuid.uuid4())
        state.project = self.project
        state.format_version = FORMAT_VERSION
        try:
            sync = any(r.section == "pending" and r.value is not None for r in records)
            self.journal.append(state, records, sync=sync)
        except OSError as exc:
            raise StateError(f"cannot write the state journal {self.journal.path}: {exc.strerror}") from None
        state.apply(records)
        state.serial += 1
        self._seen = (self._signature(), state.serial)

    def commit(self, state: State) -> None:
        if self.journal.path.exists():
            self._check_fresh(state)
            self._compact(state)

    def _load(self) -> State:
        signature = self._signature()
        if not self.path.exists():
            state = State(project=self.project)
        else:
            try:
                state = State.model_validate_json(self.path.read_text(encoding="utf-8"))
            except (ValidationError, ValueError, OSError) as exc:
                raise StateError(
                    f"cannot read the state file {self.path}: {str(exc).splitlines()[0]}",
                    hint="restore it from version control or a backup; never edit it by hand",
                ) from None
        if state.format_version > FORMAT_VERSION:
            raise StateError(
                f"the state file {self.path} was written by a newer reconciler "
                f"(format {state.format_version})",
                hint="upgrade reconciler",
            )
        if state.project and state.project != self.project:
            raise StateError(
                f"the state file {self.path} belongs to project {state.project!r}, not {self.project!r}",
                hint="point `state.path` in reconciler.yaml at this project's own state directory",
            )
        if self.journal.path.exists():
            self.journal.replay(state)
        self._seen = (signature, state.serial)
        return state

    def _check_fresh(self, state: State) -> None:
        """Refuse to write from a copy older than the stored state (the files are stat'ed, re-read only when
        someone else changed them)."""
        seen = self._seen
        stored = seen[1] if seen is not None and seen[0] == self._signature() else self._load().serial
        if stored != state.serial:
            raise stale_copy(stored, state.serial)

    def _compact(self, state: State) -> None:
        """Write the whole state file atomically, then drop the journal (a crash in between leaves a journal
        the state file already holds, which the next read recognises by its serial)."""
        state.project = self.project
        state.format_version = FORMAT_VERSION
        self.directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=f".{self.path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(pydantic_core.to_json(state, indent=2))  # UTF-8, as `model_dump_json` gives it
                handle.write(b"\n")
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        except OSError as exc:
            Path(tmp).unlink(missing_ok=True)
            raise StateError(f"cannot write the state file {self.path}: {exc.strerror}") from None
        sync_directory(self.directory)  # the new state file is durable before the journal goes
        self.journal.remove()  # a removal lost to a power cut leaves a journal the state file already holds
        self._seen = (self._signature(), state.serial)

    def _signature(self) -> _Signature:
        return (_stat(self.path), _stat(self.journal.path))

    @contextmanager
    def lock(self, operation: str, notice: Callable[[str], None] | None = None) -> Iterator[None]:
        self.directory.mkdir(parents=True, exist_ok=True)
        fd = self._acquire(operation, notice or LOG.warning)
        self._locked = True
        try:
            yield
        finally:
            self._locked = False
            self.journal.close()
            self.lock_path.unlink(missing_ok=True)
            os.close(fd)

    def _acquire(self, operation: str, notice: Callable[[str], None]) -> int:
        while True:
            fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                raw, info = self._held()
                raise locked(info, lock_id(info, raw), f"lock file {self.lock_path}") from None
            if _inode(self.lock_path) != _inode_fd(fd):
                os.close(fd)  # its holder removed that file as we opened it: take the new one
                continue
            raw = os.read(fd, 1 << 16).decode("utf-8", "replace")
            if raw.strip():
                self._take_over(fd, raw, notice)
            mine = json.dumps(holder(operation)).encode()
            os.ftruncate(fd, 0)
            os.pwrite(fd, mine, 0)
            os.fsync(fd)
            return fd

    def _take_over(self, fd: int, raw: str, notice: Callable[[str], None]) -> None:
        """A lock file nobody holds: take it over when its process is dead on this host, else refuse."""
        info = _parse(raw)
        key = lock_id(info, raw)
        where = f"lock file {self.lock_path}"
        if info is None or info.get("host") != socket.gethostname() or not info.get("pid"):
            os.close(fd)
            raise locked(info, key, where, "; it may be held from another host, so it is not taken over")
        if pid_alive(info.get("pid")):
            os.close(fd)
            raise locked(info, key, where, f"; process {info.get('pid')} still runs on this host")
        notice(
            f"Took over the state lock {key} of {describe(info)}: process {info.get('pid')} is no longer "
            f"running on this host, so it ended without releasing the lock ({self.lock_path})."
        )

    def _held(self) -> tuple[str, dict[str, Any] | None]:
        try:
            raw = self.lock_path.read_text(encoding="utf-8")
        except OSError:
            return "", None
        return raw, _parse(raw)

    def force_unlock(self, given: str) -> str:
        raw, info = self._held()
        if not self.lock_path.exists():
            raise not_this_lock(given, None)
        key = lock_id(info, raw)
        if key != given:
            raise not_this_lock(given, key)
        self.lock_path.unlink(missing_ok=True)
        pid = (info or {}).get("pid")
        still = ""
        if (info or {}).get("host") == socket.gethostname() and pid_alive(pid):
            still = f" Process {pid} still runs: stop it, it goes on as if it held the lock."
        return f"Released the state lock {key} of {describe(info)} ({self.lock_path}).{still}"


def _parse(raw: str) -> dict[str, Any] | None:
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _stat(path: Path) -> tuple[int, int, int] | None:
    try:
        found = path.stat()
    except FileNotFoundError:
        return None
    return (found.st_ino, found.st_size, found.st_mtime_ns)


def _inode(path: Path) -> tuple[int, int] | None:
    try:
        found = path.stat()
    except FileNotFoundError:
        return None
    return (found.st_dev, found.st_ino)


def _inode_fd(fd: int) -> tuple[int, int]:
    found = os.fstat(fd)
    return (found.st_dev, found.st_ino)
