"""The protocol every state backend implements: read, incremental writes checked by serial, an exclusive
lock with a takeover of dead holders, and `force_unlock`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from typing import Protocol

from reconciler.errors import StateError
from reconciler.state.model import Record, State


def stale_copy(stored: int, expected: int) -> StateError:
    """The refusal of a write from a copy of the state older than the stored one."""
    return StateError(
        f"the state was changed by another run (serial {stored}, this run expected {expected})",
        hint="run `reconciler plan` again",
    )


class StateBackend(Protocol):
    def read(self) -> State:
        """The current state; a new empty state (serial 0) when none was written yet."""
        ...

    def record(self, state: State, records: Sequence[Record]) -> None:
        """Store the records as one durable batch and carry them out on `state`; the serial goes up by one.

        Refused (StateError, nothing written) when the stored state is no longer the one `state` was read
        from: a write from a stale copy never overwrites another run's. The cost is the batch's, not the
        state's."""
        ...

    def commit(self, state: State) -> None:
        """Fold the batches recorded so far into the stored state (the local backend compacts its journal);
        batches are durable without it."""
        ...

    def lock(
        self, operation: str, notice: Callable[[str], None] | None = None
    ) -> AbstractContextManager[None]:
        """Hold the exclusive lock for `operation`. A lock whose holder is known to be dead is taken over,
        with a `notice` naming it; otherwise fail at once with LockedError naming the holder and lock id."""
        ...

    def force_unlock(self, lock_id: str) -> str:
        """Release the lock with this id (LockedError when it has another id or none); says what it did."""
        ...

    def describe(self) -> str:
        """Where the state lives, for messages."""
        ...
