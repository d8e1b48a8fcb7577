"""Manifests: load a project directory (reconciler.yaml, YAML manifests) into validated resources."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reconciler.exports import lazy_exports

if TYPE_CHECKING:
    from reconciler.manifest.loader import (
        Project,
        ProjectInputs,
        find_manifest_files,
        load_config,
        load_project,
        read_inputs,
    )
    from reconciler.manifest.project_config import PlatformSettings, ProjectConfig


# Each part loads when first used: a module of the package (`manifest.variables`) imports without the
# loader and the manifests' models.
__getattr__ = lazy_exports(
    __name__,
    {
        "loader": (
            "Project",
            "ProjectInputs",
            "find_manifest_files",
            "load_config",
            "load_project",
            "read_inputs",
        ),
        "project_config": ("PlatformSettings", "ProjectConfig"),
    },
)

__all__ = [
    "PlatformSettings",
    "Project",
    "ProjectConfig",
    "ProjectInputs",
    "find_manifest_files",
    "load_config",
    "load_project",
    "read_inputs",
]
