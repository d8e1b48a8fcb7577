"""The fake platform's settings in `reconciler.yaml`: the shared ones only."""

from __future__ import annotations

from reconciler.manifest.platform_settings import PlatformSettings


class FakeSettings(PlatformSettings):
    """Fake Ads settings."""


SETTINGS = FakeSettings
