"""What a platform's manifest module provides to the loader, and helpers to locate its resources."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from reconciler.manifest.fields import KindFields
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
    `notes` adds a hint for unknown fields of a given model; `kinds` names the fields of each kind of
    resource the manifest declares (for `lifecycle.ignore_changes`).
    """

    platform: str
    model: type[BaseModel]
    build: Callable[[Any, LoadedYaml, str], Built]
    tags: Mapping[str, type[BaseModel]] = field(default_factory=dict)
    notes: Mapping[type[BaseModel], str] = field(default_factory=dict)
    kinds: Mapping[str, KindFields] = field(default_factory=dict)


def locate(loaded: LoadedYaml, file: str, prefix: PathKey, key: bool = False) -> SourceLocation:
    """Where the value at `prefix` was written (with `key`, where its key was)."""
    at = loaded.position(prefix, prefer_key=key)
    return SourceLocation(file, at.line, at.column)


@dataclass(eq=False, repr=False)
class Locations(Mapping[str, SourceLocation]):
    """Locations of a resource: "" → the entry at `prefix`; each dotted path of `attributes` (into
    mappings, and with `lists` into lists by index) → where its key (or item) is written. Worked out when
    asked for: most never are (only a problem or a plan line needs one), and a large project has hundreds
    of thousands.

    `sources` names where an attribute was written when it is not `prefix.NAME`; `orders` maps an
    attribute list that was sorted into canonical order to the written index of each of its items."""

    loaded: LoadedYaml
    file: str
    prefix: PathKey
    attributes: Mapping[str, Any]
    lists: bool = False
    sources: Mapping[str, PathKey] = field(default_factory=dict)
    orders: Mapping[str, list[int]] = field(default_factory=dict)

    def __getitem__(self, dotted: str) -> SourceLocation:
        if dotted == "":
            return locate(self.loaded, self.file, self.prefix, key=self.lists)
        written = self._written(dotted.split("."))
        if written is None:
            raise KeyError(dotted)
        at = self.loaded.position(written, prefer_key=True)
        return SourceLocation(self.file, at.line, at.column)

    def item(self, dotted: str, index: int) -> SourceLocation | None:
        """Where the `index`-th item of the list at `dotted` is written (a list kept in its written order,
        such as `lifecycle.ignore_changes`), or None when the attributes have no such list."""
        written = self._written(dotted.split("."))
        if written is None:
            return None
        at = self.loaded.position((*written, index), prefer_key=True)
        return SourceLocation(self.file, at.line, at.column)

    def _written(self, parts: list[str]) -> PathKey | None:
        """The YAML path of the attribute path `parts`, or None when the attributes have no such path."""
        value: Any = self.attributes
        path: list[str | int] = []
        for depth, part in enumerate(parts):
            if isinstance(value, Mapping) and part in value:
                value = value[part]
                path.append(part)
            elif self.lists and isinstance(value, list) and part.isdigit() and int(part) < len(value):
                value = value[int(part)]
                order = self.orders.get(parts[0]) if depth == 1 else None
                path.append(order[int(part)] if order else int(part))
            else:
                return None
        if parts[0] in self.sources:
            return (*self.sources[parts[0]], *path[1:])
        return (*self.prefix, *path)

    def __iter__(self) -> Iterator[str]:
        yield ""
        pending: list[tuple[Any, str]] = [(self.attributes, "")]
        while pending:
            value, path = pending.pop()
            if isinstance(value, Mapping):
                inner: Iterable[tuple[Any, Any]] = value.items()
            elif self.lists and isinstance(value, list) and path:
                inner = enumerate(value)
            else:
                continue
            for name, item in inner:
                here = f"{path}.{name}" if path else str(name)
                yield here
                pending.append((item, here))

    def __len__(self) -> int:
        return sum(1 for _ in self)


def locations(
    loaded: LoadedYaml, file: str, prefix: PathKey, attributes: Mapping[str, Any]
) -> Mapping[str, SourceLocation]:
    """Locations of a resource (see `Locations`)."""
    return Locations(loaded, file, prefix, attributes)
