"""Adding a platform is its own packages plus one registration: a tiny fake platform (one kind, an
in-memory emulator, tests/fake_platform/) goes through validate → plan → apply → plan with the real engine
and CLI, with no other change anywhere."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from reconciler.registry import registered
from tests.conftest import Result
from tests.fake_platform import FAKE


@pytest.fixture
def fake() -> Iterator[None]:
    with registered(FAKE):
        yield


def project(root: Path, size: int = 3) -> Path:
    (root / "things").mkdir(parents=True, exist_ok=True)
    (root / "reconciler.yaml").write_text(
        "project: fake-demo\nplatforms:\n  fake:\n    endpoint: sandbox\n"
        "state: {backend: local, path: state}\n",
        encoding="utf-8",
    )
    (root / "things" / "things.yaml").write_text(
        "platform: fake\nthings:\n"
        f"  - {{key: lamp, name: Lamp, size: {size}}}\n"
        "  - {key: desk, name: Desk, size: 7}\n",
        encoding="utf-8",
    )
    return root


def test_a_registered_platform_is_validated_planned_and_applied_through_the_cli(
    fake: None, tmp_path: Path, cli: Callable[..., Result]
) -> None:
    root = project(tmp_path / "p")
    validated = cli("validate", str(root))
    assert validated.exit_code == 0, validated.stderr
    assert "Valid: 2 resource(s)" in validated.stdout
    planned = cli("plan", str(root), "--detailed-exitcode")
    assert planned.exit_code == 2, planned.stderr
    assert "+ fake.thing.lamp" in planned.stdout and "Plan: 2 to create" in planned.stdout
    applied = cli("apply", str(root), "--auto-approve")
    assert applied.exit_code == 0, applied.stdout + applied.stderr
    assert cli("plan", str(root), "--detailed-exitcode").exit_code == 0
    state = json.loads((root / "state" / "default.state.json").read_text(encoding="utf-8"))
    assert sorted(state["resources"]) == ["fake.thing.desk", "fake.thing.lamp"]
    project(root, size=5)
    edited = cli("plan", str(root), "--detailed-exitcode")
    assert edited.exit_code == 2 and "size: 3 → 5" in edited.stdout
    assert cli("apply", str(root), "--auto-approve").exit_code == 0
    assert cli("plan", str(root), "--detailed-exitcode").exit_code == 0


def test_its_rules_settings_and_schema_come_from_its_own_packages(
    fake: None, tmp_path: Path, cli: Callable[..., Result]
) -> None:
    root = project(tmp_path / "p", size=12)
    refused = cli("validate", str(root))
    assert refused.exit_code == 1
    assert "things.yaml:3" in refused.stderr and "size is at most 10 (got 12)" in refused.stderr
    exported = cli("schema", "export", "--out", str(tmp_path / "schemas"))
    assert exported.exit_code == 0
    schema = json.loads((tmp_path / "schemas" / "project.schema.json").read_text(encoding="utf-8"))
    assert "fake" in json.dumps(schema["$defs"]["PlatformsConfig"]["properties"])


def test_without_the_registration_the_platform_is_unknown(tmp_path: Path, cli: Callable[..., Result]) -> None:
    refused = cli("validate", str(project(tmp_path / "p")))
    assert refused.exit_code == 1 and "fake" in refused.stderr
