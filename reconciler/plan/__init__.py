"""Plans: the pure builder (changes and ordered operations) and the saved plan file format."""

from __future__ import annotations

from reconciler.plan.builder import build_changes, build_operations, fingerprint
from reconciler.plan.file import PlanChange, PlanFile, PlanOperation, PlanSummary

__all__ = [
    "PlanChange",
    "PlanFile",
    "PlanOperation",
    "PlanSummary",
    "build_changes",
    "build_operations",
    "fingerprint",
]
