"""What an apply tells its watchers as it goes: each step's outcome as it finishes, and what it waits for.

The executor calls an `ApplyProgress` (the terminal display, the CI line printer, or nothing); waits that
happen deep in a platform's client (throttling, asynchronous processing) are logged on the
`reconciler.waiting` logger with `platform` and `what` attributes, so a display can show a heartbeat
without the providers knowing about it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from reconciler.model import Operation
from reconciler.providers.base import WAITING, waiting

__all__ = ["WAITING", "ApplyProgress", "StepOutcome", "waiting"]


@dataclass
class StepOutcome:
    """One operation's end: success, failure (with the platform's message) or skipped; `elapsed` is the
    number of seconds since the apply started."""

    operation: Operation
    ok: bool
    error: str = ""
    elapsed: float = 0.0

    @property
    def platform(self) -> str:
        return self.operation.address.platform


class ApplyProgress(Protocol):
    def planned(self, totals: Mapping[str, int]) -> None:
        """Before the first step: how many operations each platform will run."""
        ...

    def step(self, outcome: StepOutcome) -> None:
        """As each operation finishes (or is skipped)."""
        ...
