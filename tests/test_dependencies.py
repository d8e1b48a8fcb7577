"""The layers of docs/architecture.md and what each may import, checked on the imports of every module.

Data flows one way: manifests and providers feed the pure diff and plan; the executor runs a plan through
the providers' and the state's protocols; the engine wires them; the CLI calls the engine and the
renderers. The sandbox plays the third party and imports nothing of the rest.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "reconciler"
CORE = ("reconciler.model", "reconciler.errors", "reconciler.exports")

ALLOWED: dict[str, tuple[str, ...]] = {
    "model": CORE,
    "errors": CORE,
    "exports": (),
    "registry": ("reconciler.manifest.base",),  # for a type only: the parts are imported by name, lazily
    "diff": CORE,
    "state": (*CORE, "reconciler.state"),
    "manifest": (*CORE, "reconciler.manifest", "reconciler.registry"),
    "plan": (*CORE, "reconciler.plan", "reconciler.diff", "reconciler.state"),
    "policy": (*CORE, "reconciler.plan", "reconciler.manifest.project_config", "reconciler.render.values"),
    "apply": (*CORE, "reconciler.apply", "reconciler.providers.base", "reconciler.state"),
    "providers/base": CORE,
    "providers/kit": (*CORE, "reconciler.providers.base", "reconciler.providers.kit"),
    "render": (*CORE, "reconciler.render", "reconciler.plan", "reconciler.apply"),
    "sandbox": ("reconciler.sandbox",),
    "schemas": ("reconciler.manifest", "reconciler.plan"),
    "engine": (
        *CORE,
        "reconciler.engine",
        "reconciler.manifest",
        "reconciler.plan",
        "reconciler.policy",
        "reconciler.apply",
        "reconciler.state",
        "reconciler.providers.base",
        "reconciler.registry",
        "reconciler.sandbox",  # only to run the embedded emulator for `endpoint: sandbox`
    ),
    "cli": (
        *CORE,
        "reconciler.cli",
        "reconciler.engine",
        "reconciler.render",
        "reconciler.plan",
        "reconciler.manifest",
        "reconciler.state",
        "reconciler.providers.base",
        "reconciler.registry",
        "reconciler.schemas",
        "reconciler.sandbox",  # only `sandbox serve`
    ),
}
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "model": ("httpx", "pydantic", "psycopg"),
    "diff": ("httpx", "psycopg"),
    "plan": ("httpx", "psycopg"),
    "state": ("httpx",),
    "manifest": ("httpx", "psycopg"),
}


def area_of(path: Path) -> str:
    parts = path.relative_to(PACKAGE).parts
    if parts[0] == "providers" and len(parts) > 1:
        inner = Path(parts[1]).stem
        return f"providers/{inner}" if inner in ("base", "kit") else "providers/<platform>"
    return Path(parts[0]).stem


def allowed(area: str, path: Path) -> tuple[str, ...]:
    if area == "providers/<platform>":
        platform = path.relative_to(PACKAGE).parts[1]
        return (
            *CORE,
            "reconciler.providers.base",
            "reconciler.providers.kit",
            "reconciler.manifest.platform_settings",
            f"reconciler.providers.{platform}",
        )
    return ALLOWED[area]


def imports_of(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "reconciler":  # `from reconciler import engine` imports reconciler.engine
                names.update(f"reconciler.{alias.name}" for alias in node.names)
            else:
                names.add(node.module)
    return names


def modules() -> list[Path]:
    return [p for p in sorted(PACKAGE.rglob("*.py")) if p.name != "__init__.py" or p.parent != PACKAGE]


def test_every_module_imports_only_what_its_layer_may() -> None:
    bad: list[str] = []
    for path in modules():
        area = area_of(path)
        ours = allowed(area, path)
        for name in imports_of(path):
            if name.startswith("reconciler") and not name.startswith(ours):
                bad.append(f"{path.relative_to(PACKAGE)} ({area}) imports {name}")
            if name.startswith(FORBIDDEN.get(area, ())):
                bad.append(f"{path.relative_to(PACKAGE)} ({area}) imports {name}")
    assert bad == []


def test_every_layer_has_a_rule() -> None:
    areas = {area_of(p) for p in modules()}
    assert areas - {*ALLOWED, "providers/<platform>"} == set()
    assert {
        "model",
        "diff",
        "plan",
        "apply",
        "state",
        "sandbox",
        "render",
        "policy",
        "engine",
        "cli",
    } <= areas


def test_the_checks_see_real_imports() -> None:
    """Guard against a vacuous pass: the scanner finds imports that exist."""
    assert "reconciler.model" in imports_of(PACKAGE / "plan" / "builder.py")
    assert any("reconciler.providers.base" in imports_of(p) for p in (PACKAGE / "apply").glob("*.py"))
