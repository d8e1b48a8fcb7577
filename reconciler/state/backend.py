"""The protocol every state backend implements: read, atomic write, and an exclusive lock."""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Protocol

from reconciler.state.model import State


class StateBackend(Protocol):
    def read(self) -> State:
        """The current state; a new empty state (serial 0) when none was written yet."""
        ...

    def write(self, state: State) -> None:
        """Replace the stored state atomically and increment `state.serial`."""
        ...

    def lock(self, operation: str) -> AbstractContextManager[None]:
        """Hold the exclusive lock for `operation`; fail at once with LockedError naming the holder."""
        ...

    def describe(self) -> str:
        """Where the state lives, for messages."""
        ...
