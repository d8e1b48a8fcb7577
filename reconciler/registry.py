"""The one place that lists the platforms. The engine, the manifest loader, the project settings, the
sandbox and the CLI are built from it; adding a platform is its own packages plus one line in `PLATFORMS`.

A platform's parts are found by convention, and imported only when first needed (so `reconciler
--version` and `validate` never load HTTP, the sandbox or PostgreSQL):

- `reconciler.manifest.<name>:MANIFEST`: its manifest model and how a file becomes resources;
- `reconciler.providers.<name>.settings:SETTINGS`: its settings model in `reconciler.yaml`;
- `reconciler.providers.<name>.rules:validate`: its offline rules;
- `reconciler.providers.<name>.provider:PROVIDER`: its provider class (built from a `ProviderConfig`);
- `reconciler.providers.<name>.auth:LOGIN`: (optional) its interactive authorization (`reconciler auth`);
- `reconciler.sandbox.<name>`: its emulator, mounted under `prefix` in the sandbox.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reconciler.manifest.base import PlatformManifest


@dataclass(frozen=True)
class Platform:
    """One platform: how people and manifests name it, where the sandbox serves it, and where its parts
    live (each `module:attribute`, by default the conventional place for `name`)."""

    name: str
    title: str
    prefix: str
    modules: dict[str, str] = field(default_factory=dict)

    def part(self, role: str) -> Any:
        """One of the platform's parts, imported on first use: `manifest`, `settings`, `rules`, `provider`,
        `login` (None when the platform has no interactive authorization) or `emulator` (a module)."""
        where = self.modules.get(role) or _CONVENTION[role].format(name=self.name)
        module_name, _, attribute = where.partition(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if role in _OPTIONAL and exc.name == module_name:
                return None
            raise
        if not attribute:
            return module
        found = getattr(module, attribute, None)
        if found is None and role not in _OPTIONAL:
            raise AttributeError(f"platform {self.name}: {where} does not exist")
        return found

    @property
    def manifest(self) -> PlatformManifest:
        manifest: PlatformManifest = self.part("manifest")
        return manifest

    @property
    def emulator(self) -> ModuleType:
        module: ModuleType = self.part("emulator")
        return module


_CONVENTION = {
    "manifest": "reconciler.manifest.{name}:MANIFEST",
    "settings": "reconciler.providers.{name}.settings:SETTINGS",
    "rules": "reconciler.providers.{name}.rules:validate",
    "provider": "reconciler.providers.{name}.provider:PROVIDER",
    "login": "reconciler.providers.{name}.auth:LOGIN",
    "emulator": "reconciler.sandbox.{name}",
}
_OPTIONAL = frozenset({"login"})

PLATFORMS: dict[str, Platform] = {
    p.name: p
    for p in (
        Platform("amazon_dsp", "Amazon DSP", "/amazon-dsp"),
        Platform("applovin", "AppLovin", "/applovin"),
        Platform("criteo", "Criteo", "/criteo"),
    )
}


def platform(name: str) -> Platform:
    return PLATFORMS[name]


@contextmanager
def registered(extra: Platform) -> Iterator[Platform]:
    """`extra` registered for the time of a block (tests register a platform of their own)."""
    if extra.name in PLATFORMS:
        raise ValueError(f"platform {extra.name} is already registered")
    PLATFORMS[extra.name] = extra
    try:
        yield extra
    finally:
        del PLATFORMS[extra.name]
