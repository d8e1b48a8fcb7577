"""The engine: one run against a project — validate, read live state, plan, check a saved plan, apply.

It wires the layers together in the one direction DESIGN.md draws: manifests and the providers' offline
rules first (nothing reaches a platform before the input is valid), then state and live reads, then the
pure plan assembly, then the executor. The CLI calls only what this package exports.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reconciler.engine.applying import apply_plan, check_fresh, check_integrity
    from reconciler.engine.importing import ImportReport, import_objects
    from reconciler.engine.planning import make_plan
    from reconciler.engine.policies import check_policy
    from reconciler.engine.workspace import (
        SANDBOX_DB,
        Opened,
        Workspace,
        login,
        open_providers,
        open_saved,
        open_state,
        open_workspace,
        provider_config,
    )

_WHERE = {
    "apply_plan": "applying",
    "check_fresh": "applying",
    "check_integrity": "applying",
    "ImportReport": "importing",
    "import_objects": "importing",
    "check_policy": "policies",
    "make_plan": "planning",
    "SANDBOX_DB": "workspace",
    "Opened": "workspace",
    "Workspace": "workspace",
    "login": "workspace",
    "open_providers": "workspace",
    "open_saved": "workspace",
    "open_state": "workspace",
    "open_workspace": "workspace",
    "provider_config": "workspace",
}


def __getattr__(name: str) -> Any:
    """Each part of the engine loads when first used (`validate` never loads the executor or HTTP)."""
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(name)
    value = getattr(importlib.import_module(f"reconciler.engine.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "SANDBOX_DB",
    "ImportReport",
    "Opened",
    "Workspace",
    "apply_plan",
    "check_fresh",
    "check_integrity",
    "check_policy",
    "import_objects",
    "login",
    "make_plan",
    "open_providers",
    "open_saved",
    "open_state",
    "open_workspace",
    "provider_config",
]
