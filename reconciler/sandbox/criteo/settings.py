"""Settings of the Criteo emulator (defaults: the documented production values)."""

from __future__ import annotations

from dataclasses import dataclass

from reconciler.sandbox.settings import ServeOption


@dataclass
class Settings:
    rate_limit_per_minute: int = 250
    """Calls per calendar minute per OAuth client (application) before 429 (FACTS.md: 250)."""
    token_ttl_seconds: int = 900
    """Lifetime of an access token, reported as `expires_in` (FACTS.md: 900)."""


OPTIONS = (
    ServeOption(
        "--rate-limit", "rate_limit_per_minute", int, "Criteo calls a minute per client before 429.", 1
    ),
    ServeOption("--token-ttl", "token_ttl_seconds", int, "Lifetime of a Criteo access token in seconds.", 1),
)
