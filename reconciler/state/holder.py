"""Who holds a state lock: the record every backend stores beside its lock, its id, and how it is described.

A lock record may be incomplete (written by hand, or by an older version): the description says plainly
what is known, and its id is derived from its content when it has none, so `force-unlock` can name it.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import socket
import uuid
from datetime import UTC, datetime
from typing import Any

from reconciler.errors import LockedError


def holder(operation: str) -> dict[str, Any]:
    """This process as a lock holder: lock id, user@host, pid, host, time and operation."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return {
        "id": uuid.uuid4().hex[:12],
        "holder": f"{user}@{socket.gethostname()}",
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "operation": operation,
    }


def lock_id(info: dict[str, Any] | None, raw: str = "") -> str:
    """The lock's id: the one it records, else a digest of what it holds (stable for the same content)."""
    if info and isinstance(info.get("id"), str) and info["id"]:
        return str(info["id"])
    text = raw or json.dumps(info or {}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def held_by(info: dict[str, Any] | None) -> str:
    return f"the state is locked by {describe(info)}"


def describe(info: dict[str, Any] | None) -> str:
    """`ci@runner (pid 42 on runner, running `apply` since …)`, with only what the record holds."""
    info = info if isinstance(info, dict) else {}
    pid, host, operation, time = (info.get(k) or "" for k in ("pid", "host", "operation", "time"))
    details: list[str] = []
    if pid:
        details.append(f"pid {pid}" + (f" on {host}" if host else ""))
    elif host:
        details.append(f"on {host}")
    if operation:
        details.append(f"running `{operation}`" + (f" since {time}" if time else ""))
    elif time:
        details.append(f"since {time}")
    who = info.get("holder") or "a run that recorded no name"
    if not details:
        return f"{who} (the lock records no process, host or time)"
    return f"{who} ({', '.join(details)})"


def locked(info: dict[str, Any] | None, key: str, where: str, note: str = "") -> LockedError:
    """The error for a lock held by someone else, with its id and how to release it."""
    return LockedError(
        f"{held_by(info)}; lock id {key}; {where}{note}",
        hint="wait for that run to finish; if it is gone, release the lock with "
        f"`reconciler force-unlock {key}` (with the project directory and --env of this command)",
    )


def not_this_lock(given: str, key: str | None) -> LockedError:
    if key is None:
        return LockedError(f"the state is not locked (no lock {given})", hint="nothing to release")
    return LockedError(
        f"the state lock has the id {key}, not {given}; nothing was released",
        hint="copy the lock id from the message of the run that found the state locked",
    )


def pid_alive(pid: object) -> bool:
    """Whether a process with this id runs on this host (a pid that is not a positive number: no)."""
    if not isinstance(pid, int) or isinstance(pid, bool) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
