"""Manifest templates and environments: for_each lists and matrices, variable precedence, located template
errors, and environments with their own variables, endpoints and state."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from reconciler.errors import ValidationFailed
from reconciler.manifest import load_config, load_project
from reconciler.manifest.templates import render_template
from tests.conftest import Result

CRITEO_TEMPLATE = """for_each: {market: markets, tier: [a, b]}
---
platform: criteo
advertiserId: "12345"
campaigns:
  - key: c-{{ each_key }}
    name: {{ prefix }} {{ market }} {{ tier }}
    goal: acquisition
    spendLimit: {spendLimitType: uncapped}
"""
PROJECT = """project: t
platforms:
  criteo: {endpoint: sandbox}
vars: {prefix: Shared, markets: [us]}
"""


def project(tmp_path: Path, config: str = PROJECT) -> Path:
    (tmp_path / "reconciler.yaml").write_text(config)
    (tmp_path / "campaigns").mkdir()
    (tmp_path / "campaigns" / "launch.yaml.j2").write_text(CRITEO_TEMPLATE)
    return tmp_path


def names(root: Path, **kwargs: object) -> dict[str, str]:
    loaded = load_project(root, **kwargs)  # type: ignore[arg-type]
    return {str(r.address): r.attributes["name"] for r in loaded.resources}


def test_a_matrix_renders_every_combination_keyed_by_its_items(tmp_path: Path) -> None:
    root = project(tmp_path)
    found = names(root, variables={"markets": ["us", "gb"]})
    assert found == {
        "criteo.campaign.c-us-a": "Shared us a",
        "criteo.campaign.c-us-b": "Shared us b",
        "criteo.campaign.c-gb-a": "Shared gb a",
        "criteo.campaign.c-gb-b": "Shared gb b",
    }


def test_command_line_variables_win_over_var_files_and_vars(tmp_path: Path) -> None:
    config = PROJECT.replace(
        "vars: {prefix: Shared, markets: [us]}", "var_files: [vars.yaml]\nvars: {prefix: Shared}"
    )
    root = project(tmp_path, config)
    (root / "vars.yaml").write_text("prefix: FromFile\nmarkets: [de]\n")
    assert set(names(root).values()) == {"Shared de a", "Shared de b"}  # `vars:` wins over var_files
    assert set(names(root, variables={"prefix": "Cli"}).values()) == {"Cli de a", "Cli de b"}


def test_duplicate_instance_keys_are_an_error() -> None:
    _, problems = render_template("for_each: [us, us]\n---\na: 1\n", "x.yaml.j2", {})
    assert [p.message for p in problems] == ["two for_each items have the key 'us'"]


def test_a_for_each_variable_that_is_not_defined_is_named() -> None:
    _, problems = render_template("for_each: regions\n---\na: 1\n", "x.yaml.j2", {"markets": []})
    assert problems[0].field == "regions" and "undefined variable 'regions'" in problems[0].message


def test_errors_in_a_rendered_manifest_point_at_the_template_line_and_instance(tmp_path: Path) -> None:
    root = project(tmp_path)
    template = root / "campaigns" / "launch.yaml.j2"
    template.write_text(CRITEO_TEMPLATE.replace("goal: acquisition", "goal: fame"))
    with pytest.raises(ValidationFailed) as failed:
        load_project(root)
    first = failed.value.diagnostics[0]
    assert first.file == "campaigns/launch.yaml.j2[us-a]"
    assert first.line == CRITEO_TEMPLATE.splitlines().index("    goal: acquisition") + 1


ENVIRONMENTS = (
    PROJECT
    + """environments:
  staging:
    vars: {prefix: Staging}
  prod:
    vars: {prefix: Prod}
    platforms:
      criteo:
        endpoint: "https://api.criteo.com"
        credentials: {client_id: PROD_ID, client_secret: PROD_SECRET}
"""
)


def test_each_environment_has_its_variables_endpoints_and_state(tmp_path: Path) -> None:
    root = project(tmp_path, ENVIRONMENTS)
    assert set(names(root, environment="staging").values()) == {
        "Shared us a".replace("Shared", "Staging"),
        "Staging us b",
    }
    prod = load_config(root, "prod")
    assert prod.platforms.criteo is not None and prod.platforms.criteo.endpoint == "https://api.criteo.com"
    assert prod.state.path == "state/prod"
    assert load_config(root, "staging").state.path == "state/staging"


@pytest.mark.parametrize("environment", [None, "qa"])
def test_an_unknown_or_missing_environment_lists_the_defined_ones(
    tmp_path: Path, environment: str | None
) -> None:
    root = project(tmp_path, ENVIRONMENTS)
    with pytest.raises(ValidationFailed) as failed:
        load_project(root, environment=environment)
    (problem,) = failed.value.diagnostics
    assert "prod, staging" in problem.message and problem.hint == "pass --env with one of: prod, staging"


def test_a_field_missing_from_one_for_each_item_names_the_item_and_its_var_file_not_var(
    cli: Callable[..., Result], example: Callable[[str], Path]
) -> None:
    """The example's `gb` market lacks `criteo_daily`: the error is at `FILE[gb]:LINE:COL` and says to add
    it to that item of markets.yaml; `--var criteo_daily=...` does not reach an item, and says so."""
    root = example("global-rollout")
    markets = root / "markets.yaml"
    markets.write_text(markets.read_text().replace("    criteo_daily: 250\n", "", 1))
    template = (root / "campaigns" / "criteo.yaml.j2").read_text()
    line = template.splitlines().index("          budgetAmount: {{ each.criteo_daily }}") + 1
    expected = (
        f"campaigns/criteo.yaml.j2[gb]:{line}:28: error field `criteo_daily`: the for_each item `gb` has no "
        "field `criteo_daily` (give the item `gb` of `markets` a `criteo_daily` (in markets.yaml); --var "
        "criteo_daily=VALUE does not reach an item)"
    )
    for extra in ((), ("--var", "criteo_daily=300")):
        result = cli("validate", str(root), *extra)
        assert result.exit_code == 1
        assert expected in result.stderr, result.stderr


def test_undefined_names_are_told_apart_by_where_they_are_read() -> None:
    header = "for_each: {market: markets}\n---\n"
    body = "a: {{ settings.rate }}\nb: {{ market['tier'] }}\nc: {{ missing }}\n"
    variables = {"markets": [{"key": "us"}], "settings": {}}
    origins = {"markets": "markets.yaml", "settings": "`vars:` of reconciler.yaml"}
    for line, text in enumerate(body.splitlines(), 3):
        _, [problem] = render_template(header + text + "\n", "t.yaml.j2", variables, None, origins)
        assert (problem.file, problem.line) == ("t.yaml.j2[us]", 3), line
        assert problem.column == text.index(text.split("{{ ")[1].split(".")[0].split("[")[0].strip()) + 1
        if text.startswith("a"):
            assert problem.message == "`settings` has no field `rate`"
            assert problem.hint == "add `rate` to `settings` (in `vars:` of reconciler.yaml)"
        elif text.startswith("b"):
            assert problem.message == "the market item `us` has no field `tier`"
            assert "give the item `us` of `markets` a `tier` (in markets.yaml)" in problem.hint
        else:
            assert problem.message == "undefined variable 'missing'"
            assert problem.hint.endswith("--var missing=VALUE")
