"""Criteo's settings in `reconciler.yaml` (`platforms.criteo`): OAuth client credentials."""

from __future__ import annotations

from pydantic import Field

from reconciler.manifest.platform_settings import ClientCredentials, PlatformSettings


class CriteoSettings(PlatformSettings):
    """Criteo Marketing Solutions API settings."""

    credentials: ClientCredentials | None = Field(
        default=None,
        description="Environment variable names of `client_id` and `client_secret`; optional with `sandbox`.",
    )


SETTINGS = CriteoSettings
