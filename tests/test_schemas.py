"""The JSON Schemas in schemas/ are checked in and must match the models; examples point editors at them."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from reconciler.schemas import all_schemas
from tests.conftest import EXAMPLES, REPO


def test_checked_in_schemas_are_up_to_date() -> None:
    for name, document in all_schemas().items():
        path = REPO / "schemas" / name
        assert path.exists(), f"schemas/{name} is missing: run `make schemas`"
        assert json.loads(path.read_text()) == document, f"schemas/{name} is out of date: run `make schemas`"


def test_every_example_file_declares_its_schema() -> None:
    """Every project file and manifest of the examples (var files hold plain variables: no schema)."""
    var_files = {
        (project.parent / name).resolve()
        for project in EXAMPLES.rglob("reconciler.yaml")
        for name in yaml.safe_load(project.read_text()).get("var_files", [])
    }
    files = sorted(p for p in EXAMPLES.rglob("*.yaml") if p.resolve() not in var_files)
    assert files and var_files
    for path in files:
        first = path.read_text().splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        target = (path.parent / first.split("$schema=", 1)[1]).resolve()
        expected = "project.schema.json" if path.name == "reconciler.yaml" else "manifest.schema.json"
        assert target == (REPO / "schemas" / expected), path
        assert Path(target).exists()
