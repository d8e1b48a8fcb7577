"""reconciler.yaml: ProjectConfig fields, defaults, configured platforms and located errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from reconciler.errors import ProjectError
from reconciler.manifest import ProjectConfig, load_project

from .helpers import VALID, errors_of, only, write_project


def test_full_config_and_defaults() -> None:
    config = ProjectConfig.model_validate(
        {
            "project": "summer-sale",
            "platforms": {
                "criteo": {
                    "endpoint": "https://api.criteo.com",
                    "credentials": {"client_id": "CRITEO_CLIENT_ID", "client_secret": "CRITEO_CLIENT_SECRET"},
                }
            },
        }
    )
    assert config.platforms.criteo is not None
    assert config.platforms.criteo.endpoint == "https://api.criteo.com"
    assert config.platforms.criteo.credentials == {
        "client_id": "CRITEO_CLIENT_ID",
        "client_secret": "CRITEO_CLIENT_SECRET",
    }
    assert (config.state.backend, config.state.path) == ("local", "state")
    assert [name for name, _ in config.configured_platforms()] == ["criteo"]


def test_sandbox_needs_no_credentials() -> None:
    config = ProjectConfig.model_validate({"project": "p", "platforms": {"criteo": {"endpoint": "Sandbox"}}})
    settings = dict(config.configured_platforms())["criteo"]
    assert (settings.endpoint, settings.credentials) == ("sandbox", None)


def test_no_platform_configured() -> None:
    config = ProjectConfig.model_validate({"project": "p", "platforms": {}})
    assert config.configured_platforms() == []


@pytest.mark.parametrize(
    ("criteo", "needle"),
    [
        ({"endpoint": "https://api.criteo.com"}, "credentials` is required"),
        ({"endpoint": "ftp://x"}, "must be an https:// URL (or `sandbox`)"),
        ({"endpoint": "sandbox", "credentials": {"client_id": "A"}}, "missing credential `client_secret`"),
        ({"endpoint": "sandbox", "credentials": {"client_id": "A", "client_secret": "B", "x": "C"}}, "`x`"),
        (
            {"endpoint": "sandbox", "credentials": {"client_id": "my secret!", "client_secret": "B"}},
            "environment",
        ),
        ({"endpoint": "sandbox", "token": "x"}, "Extra inputs"),
    ],
)
def test_invalid_platform_settings(criteo: dict[str, object], needle: str) -> None:
    with pytest.raises(ValidationError) as caught:
        ProjectConfig.model_validate({"project": "p", "platforms": {"criteo": criteo}})
    assert needle in str(caught.value)


def test_errors_in_reconciler_yaml_are_located(tmp_path: Path) -> None:
    project = """\
    project: p
    platforms:
      criteo:
        endpoint: sandbox
      amazon: {}
    state: {backend: mysql}
    """
    errors = errors_of(write_project(tmp_path, {"m.yaml": VALID}, project=project))
    by_field = {d.field: d for d in errors}
    assert by_field["platforms.amazon"].file == "reconciler.yaml"
    assert by_field["platforms.amazon"].line == 5
    assert "unknown field `amazon`" in by_field["platforms.amazon"].message
    assert "criteo" in by_field["platforms.amazon"].hint
    assert by_field["state.backend"].line == 6
    assert "'mysql' is not an allowed value" in by_field["state.backend"].message


def test_postgres_state_needs_the_name_of_its_connection_variable(tmp_path: Path) -> None:
    project = "project: p\nplatforms:\n  criteo:\n    endpoint: sandbox\nstate: {backend: postgres}\n"
    errors = errors_of(write_project(tmp_path, {"m.yaml": VALID}, project=project))
    assert [(d.field, d.line) for d in errors] == [("state", 5)]
    assert "`dsn` is required" in errors[0].message


def test_missing_project_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(ProjectError):
        load_project(tmp_path / "nowhere")
    with pytest.raises(ProjectError):
        load_project(tmp_path)


def test_project_file_missing_fields(tmp_path: Path) -> None:
    d = only(errors_of(write_project(tmp_path, {}, project="project: p\n")))
    assert (d.file, d.field, d.message) == (
        "reconciler.yaml",
        "platforms",
        "required field `platforms` is missing",
    )
