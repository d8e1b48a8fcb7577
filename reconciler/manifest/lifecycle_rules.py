"""Lifecycle rules of the loaded resources: taken out of each entry's attributes (they are never sent to a
platform), checked against the fields of the resource's kind, and merged over the kind's defaults of
`lifecycle:` in reconciler.yaml (whose kinds and paths are checked too)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from reconciler.manifest.base import Locations
from reconciler.manifest.fields import KindFields
from reconciler.manifest.lifecycle import LifecycleRules
from reconciler.manifest.yaml_loader import LoadedYaml
from reconciler.model import Diagnostic, Lifecycle, Resource, SourceLocation
from reconciler.registry import PLATFORMS

FIELD = "lifecycle"


def kind_fields(kind: str) -> KindFields | None:
    """The fields of `platform.kind`, or None when no manifest declares that kind."""
    platform, _, name = kind.partition(".")
    found = PLATFORMS.get(platform)
    return found.manifest.kinds.get(name) if found else None


def known_kinds() -> list[str]:
    return [f"{name}.{k}" for name, p in sorted(PLATFORMS.items()) for k in p.manifest.kinds]


def take(resources: Iterable[Resource], defaults: Mapping[str, LifecycleRules]) -> list[Diagnostic]:
    """Move each resource's `lifecycle` attribute into `resource.lifecycle`, over its kind's defaults; the
    problems of the paths its own `ignore_changes` names (each at its line)."""
    problems: list[Diagnostic] = []
    for resource in resources:
        kind = f"{resource.address.platform}.{resource.address.kind}"
        own = resource.attributes.get(FIELD)
        if isinstance(own, dict):
            fields = kind_fields(kind)
            for i, path in enumerate(own.get("ignore_changes") or []):
                problem = fields.problem(path) if fields else None
                if problem is not None:
                    where = _item_location(resource, i)
                    problems.append(
                        Diagnostic(
                            f"`{path}` is not a field of {kind}",
                            where.file if where else "",
                            where.line if where else 0,
                            where.column if where else 0,
                            f"{FIELD}.ignore_changes",
                            problem,
                            address=str(resource.address),
                        )
                    )
        resource.attributes.pop(FIELD, None)
        default = defaults.get(kind)
        merged = {
            **(default.model_dump(exclude_unset=True) if default else {}),
            **(own if isinstance(own, dict) else {}),
        }
        if merged:
            resource.lifecycle = Lifecycle(
                ignore_changes=tuple(merged.get("ignore_changes") or ()),
                prevent_retire=merged.get("prevent_retire"),
            )
    return problems


def default_problems(
    defaults: Mapping[str, LifecycleRules], loaded: LoadedYaml, file: str
) -> list[Diagnostic]:
    """The kinds of `lifecycle:` in reconciler.yaml that no manifest declares, and the paths of their
    `ignore_changes` that are not fields of the kind."""
    problems: list[Diagnostic] = []
    for kind, rules in defaults.items():
        fields = kind_fields(kind)
        if fields is None:
            at = loaded.position((FIELD, kind), prefer_key=True)
            problems.append(
                Diagnostic(
                    f"unknown kind `{kind}`",
                    file,
                    at.line,
                    at.column,
                    FIELD,
                    f"name a kind as platform.kind, one of: {', '.join(known_kinds())}",
                )
            )
            continue
        for i, path in enumerate(rules.ignore_changes or []):
            problem = fields.problem(path)
            if problem is not None:
                at = loaded.position((FIELD, kind, "ignore_changes", i))
                problems.append(
                    Diagnostic(
                        f"`{path}` is not a field of {kind}",
                        file,
                        at.line,
                        at.column,
                        f"{FIELD}.{kind}.ignore_changes",
                        problem,
                    )
                )
    return problems


def _item_location(resource: Resource, index: int) -> SourceLocation | None:
    """Where the `index`-th path of a resource's `lifecycle.ignore_changes` is written."""
    if isinstance(resource.locations, Locations):
        found = resource.locations.item(f"{FIELD}.ignore_changes", index)
        if found is not None:
            return found
    return resource.location(f"{FIELD}.ignore_changes.{index}")
