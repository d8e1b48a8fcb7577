"""One registration point: outside a platform's own packages, only the registry names a platform."""

from __future__ import annotations

import re
from pathlib import Path

from reconciler.registry import PLATFORMS

PACKAGE = Path(__file__).resolve().parent.parent / "reconciler"
NAMES = re.compile("|".join(["amazon", "applovin", "criteo"]), re.IGNORECASE)


def own(path: Path) -> bool:
    """Whether a file belongs to one platform: its provider, emulator or manifest package or module."""
    parts = path.relative_to(PACKAGE).parts
    if parts[0] in ("providers", "sandbox", "manifest") and len(parts) > 1:
        return Path(parts[1]).stem in PLATFORMS
    return False


def test_only_the_registry_and_the_platforms_own_packages_name_a_platform() -> None:
    naming = [
        str(path.relative_to(PACKAGE))
        for path in sorted(PACKAGE.rglob("*"))
        if path.is_file()
        and path.suffix in (".py", ".js", ".css")
        and path.name != "registry.py"
        and not own(path)
        and NAMES.search(path.read_text(encoding="utf-8"))
    ]
    assert naming == []


def test_the_check_sees_the_platforms_packages() -> None:
    """Guard against a vacuous pass: each registered platform has its own packages, which do name it."""
    for name in PLATFORMS:
        provider = PACKAGE / "providers" / name
        assert own(provider / "provider.py") and NAMES.search((provider / "provider.py").read_text())
