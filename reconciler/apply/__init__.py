"""Apply: carry out a plan's operations through the providers, recording state after every step."""

from __future__ import annotations

from reconciler.apply.executor import ApplyReport, StepOutcome, execute

__all__ = ["ApplyReport", "StepOutcome", "execute"]
