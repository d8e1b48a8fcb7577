"""Settings of the AppLovin emulator."""

from __future__ import annotations

from dataclasses import dataclass

from reconciler.sandbox.settings import ServeOption


@dataclass
class Settings:
    token_ttl_seconds: int = 3600
    """Lifetime of an access token (60 minutes)."""
    rate_limit_per_minute: int = 1200
    """Calls per minute per OAuth client before 429 (undocumented; a sandbox choice)."""
    asset_delay_seconds: float = 0.0
    """Seconds an uploaded asset stays `processing`."""
    asset_error_share: float = 0.0
    """Share of assets (chosen by a hash of type and content) that end in `error`."""


OPTIONS = (
    ServeOption(
        "--applovin-asset-delay",
        "asset_delay_seconds",
        float,
        "AppLovin: seconds an uploaded asset stays `processing`.",
    ),
    ServeOption(
        "--applovin-asset-error-share",
        "asset_error_share",
        float,
        "AppLovin: share of uploaded assets that end in `error`.",
        0,
        1,
    ),
)
