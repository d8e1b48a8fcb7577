"""The fake platform's manifest: `things`, each with a key, a name and a size."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from reconciler.manifest.base import Built, Claim, PlatformManifest, locations
from reconciler.manifest.fields import KindFields
from reconciler.manifest.types import ManifestFile, Strict
from reconciler.manifest.yaml_loader import LoadedYaml
from reconciler.model import Address, Resource


class Thing(Strict):
    key: str = Field(pattern=r"^[a-z0-9-]+$")
    name: str
    size: int = Field(ge=0)


class FakeManifest(ManifestFile):
    platform: Literal["fake"]
    things: list[Thing] = Field(default_factory=list)


def build(manifest: Any, loaded: LoadedYaml, file: str) -> Built:
    built = Built()
    for i, thing in enumerate(manifest.things):
        attributes = thing.model_dump(exclude={"key"})
        resource = Resource(
            Address("fake", "thing", (thing.key,)),
            attributes,
            locations=locations(loaded, file, ("things", i), attributes),
        )
        built.resources.append(resource)
        built.claims.append(Claim(resource.address, resource.locations[""]))
    return built


MANIFEST = PlatformManifest(
    platform="fake", model=FakeManifest, build=build, kinds={"thing": KindFields(Thing)}
)
