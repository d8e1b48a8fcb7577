"""Settings of the Amazon DSP emulator."""

from __future__ import annotations

from dataclasses import dataclass

from reconciler.sandbox.settings import ServeOption


@dataclass
class Settings:
    token_ttl_seconds: int = 3600
    """Lifetime of a Login with Amazon access token (`expires_in`)."""
    rate_limit_per_second: int = 100
    """Calls a second per client id before 429 with Retry-After (limits are unpublished)."""
    default_target_delay_seconds: float = 0.0
    """Seconds before a new ad group's default targets show in `/targets/list` (real: up to 30)."""


OPTIONS = (
    ServeOption(
        "--amazon-default-target-delay",
        "default_target_delay_seconds",
        float,
        "Amazon DSP: seconds before a new ad group's default targets show in /targets/list.",
    ),
)
