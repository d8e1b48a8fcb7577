"""Plans: the pure builder (changes and ordered operations) and the saved plan file format."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reconciler.plan.builder import build_changes, build_operations, fingerprint
    from reconciler.plan.file import PlanChange, PlanFile, PlanOperation, PlanSummary

_WHERE = {
    "PlanChange": "file",
    "PlanFile": "file",
    "PlanOperation": "file",
    "PlanSummary": "file",
    "build_changes": "builder",
    "build_operations": "builder",
    "fingerprint": "builder",
}


def __getattr__(name: str) -> Any:
    """Each part loads when first used: applying a saved plan reads the file format without the builder
    (and the diff library it loads)."""
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(name)
    value = getattr(importlib.import_module(f"reconciler.plan.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "PlanChange",
    "PlanFile",
    "PlanOperation",
    "PlanSummary",
    "build_changes",
    "build_operations",
    "fingerprint",
]
