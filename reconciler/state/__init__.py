"""State: which platform object each address manages, behind one backend protocol (local or PostgreSQL)."""

from __future__ import annotations

from reconciler.state.backend import StateBackend
from reconciler.state.local import LocalStateBackend
from reconciler.state.model import FailedStep, PendingCreate, Record, State, StateEntry
from reconciler.state.postgres import PostgresStateBackend

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
