"""Emulators of the ad platforms' APIs (one ASGI app, one path prefix per platform, state in SQLite).

The sandbox plays the third party: it imports nothing from the rest of `reconciler`.
"""

from __future__ import annotations

from reconciler.sandbox.app import create_app
from reconciler.sandbox.faults import Faults
from reconciler.sandbox.settings import SandboxSettings

__all__ = ["Faults", "SandboxSettings", "create_app"]
