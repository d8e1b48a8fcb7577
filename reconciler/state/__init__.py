"""State: which platform object each address manages, behind one backend protocol (local JSON by default)."""

from __future__ import annotations

from reconciler.state.backend import StateBackend
from reconciler.state.local import LocalStateBackend
from reconciler.state.model import PendingCreate, State, StateEntry

__all__ = ["LocalStateBackend", "PendingCreate", "State", "StateBackend", "StateEntry"]
