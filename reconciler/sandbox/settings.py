"""Settings of the sandbox: rate limits, token lifetime and the clock every platform reads."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from reconciler.sandbox.faults import Faults


@dataclass
class SandboxSettings:
    """Knobs of the emulated platforms. Defaults are the documented production values."""

    rate_limit_per_minute: int = 250
    """Criteo: calls per calendar minute per OAuth client (application)."""
    token_ttl_seconds: int = 900
    """Criteo: lifetime of an access token, reported as `expires_in`."""
    clock: Callable[[], float] = field(default=time.time)
    """Seconds since the epoch; tests may freeze or advance it."""
    faults: Faults = field(default_factory=Faults)
    """Injected latency, refused calls and lost answers (none by default)."""
