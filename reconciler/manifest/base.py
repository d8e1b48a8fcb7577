"""What a platform's manifest module provides to the loader, and helpers to locate its resources."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from reconciler.manifest.yaml_loader import LoadedYaml, PathKey
from reconciler.model import Address, Resource, SourceLocation


@dataclass(frozen=True)
class Claim:
    """An address a manifest entry takes. `reference` is None for an object the project creates (it must be
    unique); a reference to an existing object (e.g. `campaignId=358313`) may repeat with the same value."""

    address: Address
    location: SourceLocation
    reference: str | None = None


@dataclass
class Built:
    """The resources and address claims of one manifest file."""

    resources: list[Resource] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)


@dataclass(frozen=True)
class PlatformManifest:
    """One platform's manifest: its pydantic model and how a validated file becomes resources.

    `tags` maps the discriminator tags that appear in pydantic error locations to the model they select;
    `notes` adds a hint for unknown fields of a given model.
    """

    platform: str
    model: type[BaseModel]
    build: Callable[[Any, LoadedYaml, str], Built]
    tags: Mapping[str, type[BaseModel]] = field(default_factory=dict)
    notes: Mapping[type[BaseModel], str] = field(default_factory=dict)


def locate(loaded: LoadedYaml, file: str, prefix: PathKey) -> SourceLocation:
    """Where the value at `prefix` was written (its key when it has one)."""
    at = loaded.position(prefix, prefer_key=False)
    return SourceLocation(file, at.line, at.column)


def locations(
    loaded: LoadedYaml, file: str, prefix: PathKey, attributes: Mapping[str, Any]
) -> dict[str, SourceLocation]:
    """Locations of a resource: "" → the list item at `prefix`; each dotted path of `attributes`
    (into mappings) → where its key is written."""
    found: dict[str, SourceLocation] = {"": locate(loaded, file, prefix)}

    def walk(value: Mapping[str, Any], path: tuple[str, ...]) -> None:
        for name, inner in value.items():
            here = (*path, name)
            at = loaded.position((*prefix, *here), prefer_key=True)
            found[".".join(here)] = SourceLocation(file, at.line, at.column)
            if isinstance(inner, Mapping):
                walk(inner, here)

    walk(attributes, ())
    return found
