"""Who holds a state lock: the record every backend stores beside its lock, and how it is described."""

from __future__ import annotations

import getpass
import os
import socket
from datetime import UTC, datetime
from typing import Any


def holder(operation: str) -> dict[str, Any]:
    """This process as a lock holder: user@host, pid, host, time and operation."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return {
        "holder": f"{user}@{socket.gethostname()}",
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "operation": operation,
    }


def held_by(info: dict[str, Any]) -> str:
    return (
        f"the state is locked by {info.get('holder')} (pid {info.get('pid')} on {info.get('host')}, "
        f"running `{info.get('operation')}` since {info.get('time')})"
    )
