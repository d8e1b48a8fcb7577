"""Local state: one JSON file per project in the state directory, atomic writes and a lock file."""

from __future__ import annotations

import json
import os
import socket
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pydantic import ValidationError

from reconciler.errors import LockedError, StateError
from reconciler.state.holder import held_by, holder
from reconciler.state.model import State


class LocalStateBackend:
    """State in `<dir>/<name>.state.json`, lock in `<dir>/<name>.lock`."""

    def __init__(self, directory: Path, project: str, name: str = "default") -> None:
        self.directory = directory
        self.project = project
        self.path = directory / f"{name}.state.json"
        self.lock_path = directory / f"{name}.lock"

    def describe(self) -> str:
        return str(self.path)

    def read(self) -> State:
        if not self.path.exists():
            return State(project=self.project)
        try:
            state = State.model_validate_json(self.path.read_text(encoding="utf-8"))
        except (ValidationError, ValueError, OSError) as exc:
            raise StateError(
                f"cannot read the state file {self.path}: {str(exc).splitlines()[0]}",
                hint="restore it from version control or a backup; never edit it by hand",
            ) from None
        if state.project and state.project != self.project:
            raise StateError(
                f"the state file {self.path} belongs to project {state.project!r}, not {self.project!r}",
                hint="point `state.path` in reconciler.yaml at this project's own state directory",
            )
        return state

    def write(self, state: State) -> None:
        state.serial += 1
        state.lineage = state.lineage or str(uuid.uuid4())
        state.project = self.project
        self.directory.mkdir(parents=True, exist_ok=True)
        data = state.model_dump_json(indent=2)
        fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=f".{self.path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(data + "\n")
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    @contextmanager
    def lock(self, operation: str) -> Iterator[None]:
        self.directory.mkdir(parents=True, exist_ok=True)
        info = holder(operation)
        try:
            fd = os.open(self.lock_path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            raise LockedError(self._held_message()) from None
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(info, handle)
        try:
            yield
        finally:
            self.lock_path.unlink(missing_ok=True)

    def _held_message(self) -> str:
        try:
            held = json.loads(self.lock_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return f"the state is locked by another run (lock file {self.lock_path})"
        message = f"{held_by(held)}; lock file {self.lock_path}"
        if held.get("host") == socket.gethostname() and not _alive(int(held.get("pid", 0))):
            message += (
                f"; process {held.get('pid')} is no longer running, so the lock is left over from a crash"
            )
        return message


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
