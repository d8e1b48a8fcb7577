"""The Criteo Marketing Solutions provider (API 2027-01): campaigns and ad sets."""

from __future__ import annotations

from reconciler.providers.base import Platform
from reconciler.providers.criteo import rules
from reconciler.providers.criteo.provider import CriteoProvider

PLATFORM = Platform(name="criteo", rules=rules.validate, provider=CriteoProvider, sandbox_prefix="/criteo")

__all__ = ["PLATFORM", "CriteoProvider"]
