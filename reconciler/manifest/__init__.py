"""Manifests: load a project directory (reconciler.yaml, YAML manifests) into validated resources."""

from __future__ import annotations

from reconciler.manifest.loader import Project, find_manifest_files, load_config, load_project
from reconciler.manifest.project_config import PlatformSettings, ProjectConfig

__all__ = [
    "PlatformSettings",
    "Project",
    "ProjectConfig",
    "find_manifest_files",
    "load_config",
    "load_project",
]
