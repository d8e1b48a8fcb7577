"""Apply: carry out a plan's operations through the providers, recording state after every step."""

from __future__ import annotations

from reconciler.apply.events import ApplyProgress, StepOutcome
from reconciler.apply.executor import ApplyReport, execute

__all__ = ["ApplyProgress", "ApplyReport", "StepOutcome", "execute"]
