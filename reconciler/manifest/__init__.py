"""Manifests: load a project directory (reconciler.yaml, YAML manifests) into validated resources."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

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

_WHERE = {
    "PlatformSettings": "project_config",
    "Project": "loader",
    "ProjectConfig": "project_config",
    "ProjectInputs": "loader",
    "find_manifest_files": "loader",
    "load_config": "loader",
    "load_project": "loader",
    "read_inputs": "loader",
}


def __getattr__(name: str) -> Any:
    """Each part loads when first used: a module of the package (`manifest.variables`) imports without the
    loader and the manifests' models."""
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(name)
    value = getattr(importlib.import_module(f"reconciler.manifest.{module}"), name)
    globals()[name] = value
    return value


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
