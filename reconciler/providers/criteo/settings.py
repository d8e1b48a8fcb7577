"""Criteo's settings in `reconciler.yaml` (`platforms.criteo`): OAuth client credentials."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from reconciler.manifest.platform_settings import ClientCredentials, PlatformSettings


class CriteoSettings(PlatformSettings):
    """Criteo Marketing Solutions API settings."""

    concurrency: ClassVar[int] = 16
    """Criteo limits calls per minute (250 per application, announced in `x-ratelimit-*` headers, which the
    client's throttle follows) and not calls in flight; creates cannot be batched, so an apply is as fast as
    the calls it keeps in flight (the throttle still spreads a larger run over the minutes it needs)."""

    credentials: ClientCredentials | None = Field(
        default=None,
        description="Environment variable names of `client_id` and `client_secret`; optional with `sandbox`.",
    )


SETTINGS = CriteoSettings
