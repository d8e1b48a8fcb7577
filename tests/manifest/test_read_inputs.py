"""`read_inputs`: what a saved plan's apply reads of its project (reconciler.yaml, the variables, the bytes of
the manifest files) gives the digest, variables, sensitive values and ignored-file warnings that
`load_project` gives, without parsing a manifest; a problem of those inputs is an error, as it is there."""

from __future__ import annotations

from pathlib import Path

import pytest

from reconciler.errors import ValidationFailed
from reconciler.manifest import load_project, read_inputs
from tests.manifest.test_templates import ENVIRONMENTS, PROJECT, project

SHARED = "vars: {prefix: Shared, markets: [us]}"
WITH_FILE = "var_files: [vars.yaml]\nvars: {prefix: Shared}"
CONFIG = PROJECT.replace(SHARED, WITH_FILE)
WITH_ENVIRONMENTS = ENVIRONMENTS.replace(SHARED, WITH_FILE)


@pytest.mark.parametrize("environment", ["staging", "prod"])
def test_the_inputs_of_a_project_are_those_load_project_reads(tmp_path: Path, environment: str) -> None:
    root = project(tmp_path, WITH_ENVIRONMENTS)
    (root / "vars.yaml").write_text("markets: [de, fr]\n")
    (root / "notes.yml").write_text("a: 1\n")
    given = {"secret_key": "K3y", "prefix": "Cli"}
    loaded = load_project(root, variables=given, environment=environment)
    inputs = read_inputs(root, variables=given, environment=environment)
    assert inputs.digest == loaded.digest
    assert (inputs.variables, inputs.sensitive) == (loaded.variables, loaded.sensitive) != ({}, {})
    assert inputs.config == loaded.config and inputs.environment == environment
    assert [str(w) for w in inputs.warnings] == [str(w) for w in loaded.warnings if "notes.yml" in str(w)]
    assert inputs.warnings


def test_the_digest_follows_every_input(tmp_path: Path) -> None:
    root = project(tmp_path, CONFIG)
    (root / "vars.yaml").write_text("markets: [de]\n")
    first = read_inputs(root).digest
    (root / "vars.yaml").write_text("markets: [gb]\n")
    second = read_inputs(root).digest
    template = root / "campaigns" / "launch.yaml.j2"
    template.write_text(template.read_text() + "\n")
    assert len({first, second, read_inputs(root).digest, read_inputs(root, {"prefix": "x"}).digest}) == 4


def test_a_missing_var_file_is_the_error_load_project_reports_first(tmp_path: Path) -> None:
    root = project(tmp_path, CONFIG)
    with pytest.raises(ValidationFailed) as loaded:
        load_project(root)
    with pytest.raises(ValidationFailed) as read:
        read_inputs(root)
    (missing,) = read.value.diagnostics  # load_project goes on to the templates, which need the variable
    assert "vars.yaml" in str(missing) and str(missing) == str(loaded.value.diagnostics[0])
