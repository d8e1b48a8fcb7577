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
    applovin_token_ttl_seconds: int = 3600
    """AppLovin: lifetime of an access token (60 minutes)."""
    applovin_rate_limit_per_minute: int = 1200
    """AppLovin: calls per minute per OAuth client before 429 (undocumented; a sandbox choice)."""
    applovin_asset_delay_seconds: float = 0.0
    """AppLovin: seconds an uploaded asset stays `processing`."""
    applovin_asset_error_share: float = 0.0
    """AppLovin: share of assets (chosen by a hash of type and content) that end in `error`."""
    amazon_token_ttl_seconds: int = 3600
    """Amazon DSP: lifetime of a Login with Amazon access token (`expires_in`)."""
    amazon_rate_limit_per_second: int = 100
    """Amazon DSP: calls a second per client id before 429 with Retry-After (limits are unpublished)."""
    amazon_default_target_delay_seconds: float = 0.0
    """Amazon DSP: seconds before a new ad group's default targets show in `/targets/list` (real: ≤ 30)."""
    clock: Callable[[], float] = field(default=time.time)
    """Seconds since the epoch; tests may freeze or advance it."""
    faults: Faults = field(default_factory=Faults)
    """Injected latency, refused calls and lost answers (none by default)."""
