"""Plans: the pure builder (changes and ordered operations) and the saved plan file format."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reconciler.exports import lazy_exports

if TYPE_CHECKING:
    from reconciler.plan.builder import build_changes, build_operations, fingerprint
    from reconciler.plan.file import PlanChange, PlanFile, PlanOperation, PlanSummary


# Each part loads when first used: applying a saved plan reads the file format without the builder (and
# the diff library it loads).
__getattr__ = lazy_exports(
    __name__,
    {
        "builder": ("build_changes", "build_operations", "fingerprint"),
        "file": ("PlanChange", "PlanFile", "PlanOperation", "PlanSummary"),
    },
)

__all__ = [
    "PlanChange",
    "PlanFile",
    "PlanOperation",
    "PlanSummary",
    "build_changes",
    "build_operations",
    "fingerprint",
]
