"""Lazy package exports: a package names the module each of its exports lives in, and that module loads
the first time the export is used (so `validate` never loads the executor or HTTP, and an apply of a saved
plan never loads the plan builder or the manifests' models)."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterable, Mapping
from typing import Any


def lazy_exports(package: str, modules: Mapping[str, Iterable[str]]) -> Callable[[str], Any]:
    """The module `__getattr__` of `package`, whose `modules` (names relative to it) hold these exports;
    each export is loaded once."""
    namespace = vars(sys.modules[package])
    where = {name: module for module, names in modules.items() for name in names}

    def __getattr__(name: str) -> Any:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        namespace[name] = value
        return value

    return __getattr__
