"""Settings of the sandbox: the clock every emulator reads, the injected faults, and each emulator's own
knobs (its `Settings`, by platform name; defaults are the documented production values)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from reconciler.sandbox.faults import Faults

T = TypeVar("T")


@dataclass(frozen=True)
class ServeOption:
    """A `reconciler sandbox serve` option that sets one field of an emulator's `Settings`."""

    flag: str
    field: str
    kind: type
    help: str
    low: float | None = 0
    high: float | None = None


@dataclass
class SandboxSettings:
    """Knobs of the emulated platforms."""

    clock: Callable[[], float] = field(default=time.time)
    """Seconds since the epoch; tests may freeze or advance it."""
    faults: Faults = field(default_factory=Faults)
    """Injected latency, refused calls and lost answers (none by default)."""
    platforms: dict[str, Any] = field(default_factory=dict)
    """Each emulator's `Settings` by platform name; an emulator missing here runs with its defaults."""

    def of(self, platform: str, kind: type[T]) -> T:
        """The settings of one emulator (its defaults when none were given)."""
        found = self.platforms.get(platform)
        if not isinstance(found, kind):
            found = kind()
            self.platforms[platform] = found
        return found
