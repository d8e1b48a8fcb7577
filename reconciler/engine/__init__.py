"""The engine: one run against a project — validate, read live state, plan, check a saved plan, apply.

It wires the layers together in the one direction DESIGN.md draws: manifests and the providers' offline
rules first (nothing reaches a platform before the input is valid), then state and live reads, then the
pure plan assembly, then the executor. The CLI calls only what this package exports.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reconciler.exports import lazy_exports

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


# Each part loads when first used (`validate` never loads the executor or HTTP).
__getattr__ = lazy_exports(
    __name__,
    {
        "applying": ("apply_plan", "check_fresh", "check_integrity"),
        "importing": ("ImportReport", "import_objects"),
        "planning": ("make_plan",),
        "policies": ("check_policy",),
        "workspace": (
            "SANDBOX_DB",
            "Opened",
            "Workspace",
            "login",
            "open_providers",
            "open_saved",
            "open_state",
            "open_workspace",
            "provider_config",
        ),
    },
)

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
