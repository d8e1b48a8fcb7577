"""The AppLovin AppDiscovery provider (Campaign Management API v1): campaigns, targets, creative sets,
assets, ads, source bids and sources."""

from __future__ import annotations

from reconciler.providers.applovin import rules
from reconciler.providers.applovin.provider import AppLovinProvider
from reconciler.providers.base import Platform

PLATFORM = Platform(
    name="applovin", rules=rules.validate, provider=AppLovinProvider, sandbox_prefix="/applovin"
)

__all__ = ["PLATFORM", "AppLovinProvider"]
