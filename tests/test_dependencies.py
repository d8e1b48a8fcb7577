"""DESIGN.md's dependency rules, checked on the imports of every module."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "reconciler"


def imports_of(area: str) -> dict[str, set[str]]:
    """Module path → the modules it imports, for every module under reconciler/<area>."""
    root = PACKAGE / area
    files = [root.with_suffix(".py")] if root.with_suffix(".py").exists() else sorted(root.rglob("*.py"))
    found: dict[str, set[str]] = {}
    for path in files:
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
        found[str(path.relative_to(PACKAGE.parent))] = names
    return found


def offenders(area: str, allowed: tuple[str, ...], forbidden: tuple[str, ...] = ()) -> list[str]:
    bad = []
    for module, names in imports_of(area).items():
        for name in names:
            ours = name == "reconciler" or name.startswith("reconciler.")
            if (ours and not name.startswith(allowed)) or name.startswith(forbidden):
                bad.append(f"{module} imports {name}")
    return bad


def test_model_imports_only_errors() -> None:
    assert offenders("model", ("reconciler.model", "reconciler.errors")) == []


def test_core_layers_never_import_providers_apply_or_httpx() -> None:
    core = ("reconciler.model", "reconciler.errors")
    assert offenders("manifest", (*core, "reconciler.manifest"), ("httpx",)) == []
    assert offenders("diff", core, ("httpx",)) == []
    plan = (*core, "reconciler.plan", "reconciler.diff", "reconciler.state")
    assert offenders("plan", plan, ("httpx",)) == []
    assert offenders("state", (*core, "reconciler.state"), ("httpx",)) == []


def test_providers_import_only_base_model_and_their_own_package() -> None:
    providers = PACKAGE / "providers"
    for platform in [
        p.name for p in providers.iterdir() if p.is_dir() and not p.name.startswith("_") and p.name != "kit"
    ]:
        allowed = (
            "reconciler.model",
            "reconciler.errors",
            "reconciler.providers.base",
            "reconciler.providers.kit",
            f"reconciler.providers.{platform}",
        )
        assert offenders(f"providers/{platform}", allowed) == [], platform


def test_apply_reaches_providers_and_state_only_through_their_protocols() -> None:
    allowed = (
        "reconciler.model",
        "reconciler.errors",
        "reconciler.apply",
        "reconciler.providers.base",
        "reconciler.state",
    )
    assert offenders("apply", allowed) == []


def test_sandbox_imports_nothing_of_the_rest() -> None:
    assert offenders("sandbox", ("reconciler.sandbox",)) == []


def test_the_checks_see_real_imports() -> None:
    """Guard against a vacuous pass: the scanner must find the imports that exist."""
    assert any("reconciler.model" in names for names in imports_of("plan").values())
    assert any("reconciler.providers.base" in names for names in imports_of("apply").values())
