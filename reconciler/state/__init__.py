"""State: which platform object each address manages, behind one backend protocol (local or PostgreSQL)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reconciler.state.backend import StateBackend
from reconciler.state.local import LocalStateBackend
from reconciler.state.model import FailedStep, PendingCreate, Record, State, StateEntry

if TYPE_CHECKING:
    from reconciler.state.postgres import PostgresStateBackend


def __getattr__(name: str) -> object:
    """`PostgresStateBackend` loads the database driver only when a project uses it."""
    if name == "PostgresStateBackend":
        from reconciler.state.postgres import PostgresStateBackend

        return PostgresStateBackend
    raise AttributeError(name)


__all__ = [
    "FailedStep",
    "LocalStateBackend",
    "PendingCreate",
    "PostgresStateBackend",
    "Record",
    "State",
    "StateBackend",
    "StateEntry",
]
