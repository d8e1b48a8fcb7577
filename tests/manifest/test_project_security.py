"""What a pull request may not do through reconciler.yaml: send credentials anywhere but an https endpoint
(or a loopback sandbox), to a host the CI owner did not allow, read files outside the project (var files,
state, includes, symlinks), or have a secret it pasted repeated in an error."""

from __future__ import annotations

from pathlib import Path

import pytest

from reconciler.errors import ValidationFailed
from reconciler.manifest import load_config, load_project
from reconciler.model import Diagnostic
from tests.manifest.helpers import VALID

CREDENTIALS = "    credentials: {client_id: CRITEO_CLIENT_ID, client_secret: CRITEO_CLIENT_SECRET}\n"


def write_project(root: Path, config: str, manifest: str | None = VALID) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "reconciler.yaml").write_text(config)
    if manifest is not None:
        (root / "campaigns").mkdir(exist_ok=True)
        (root / "campaigns" / "summer.yaml").write_text(manifest)
    return root


def criteo(endpoint: str, extra: str = "") -> str:
    return f"project: p\nplatforms:\n  criteo:\n    endpoint: {endpoint}\n{CREDENTIALS}{extra}"


def problems(root: Path, **kwargs: object) -> list[Diagnostic]:
    with pytest.raises(ValidationFailed) as caught:
        load_project(root, **kwargs)  # type: ignore[arg-type]
    return caught.value.diagnostics


@pytest.mark.parametrize(
    ("endpoint", "words"),
    [
        ("http://attacker.example/", "`http://attacker.example` must use https://"),
        ("http://10.1.2.3:8080", "must use https://"),
        ("file:///etc/passwd", "must be an https:// URL"),
        ("ftp://api.criteo.com", "must be an https:// URL"),
        ("https://user:hunter2@api.criteo.com", "must not carry a user name or password"),
        ("https://api.criteo.com:port", "is not a valid URL"),
        ("api.criteo.com", "must be an https:// URL"),
    ],
)
def test_an_endpoint_that_is_not_https_is_refused_where_it_is_written(
    tmp_path: Path, endpoint: str, words: str
) -> None:
    found = problems(write_project(tmp_path, criteo(endpoint)))
    assert len(found) == 1
    assert (found[0].file, found[0].line, found[0].field) == (
        "reconciler.yaml",
        4,
        "platforms.criteo.endpoint",
    )
    assert words in found[0].message
    assert "hunter2" not in str(found[0])


@pytest.mark.parametrize(
    "endpoint",
    ["https://api.criteo.com", "http://127.0.0.1:8080/criteo", "http://localhost:9000", "http://[::1]:80"],
)
def test_https_and_loopback_http_endpoints_are_accepted(tmp_path: Path, endpoint: str) -> None:
    assert load_config(write_project(tmp_path, criteo(endpoint))).platforms.criteo is not None


@pytest.mark.parametrize(
    ("platform", "settings"),
    [
        ("amazon_dsp", "credentials: {client_id: A, client_secret: B, refresh_token: C}"),
        ("applovin", "credentials: {client_id: A, client_secret: B}"),
    ],
)
@pytest.mark.parametrize(
    "auth", ["file:///etc/passwd", "http://attacker.example", "https://u:p@api.amazon.com", "gopher://x"]
)
def test_a_bad_auth_endpoint_is_refused(tmp_path: Path, platform: str, settings: str, auth: str) -> None:
    config = (
        f"project: p\nplatforms:\n  {platform}:\n    endpoint: https://api.example.com\n"
        f"    auth_endpoint: {auth}\n    {settings}\n"
    )
    found = problems(write_project(tmp_path, config, manifest=None))
    assert [(d.line, d.field) for d in found] == [(5, f"platforms.{platform}.auth_endpoint")]


def test_the_allowed_hosts_of_the_ci_owner_refuse_any_other_host(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(
        "RECONCILER_ALLOWED_HOSTS", "api.criteo.com, advertising-api.amazon.com,api.amazon.com"
    )
    assert load_config(write_project(tmp_path / "ok", criteo("https://API.criteo.com/2027-01")))
    found = problems(write_project(tmp_path / "other", criteo("https://api.criteo.com.attacker.example")))
    assert (
        "`api.criteo.com.attacker.example`, which RECONCILER_ALLOWED_HOSTS does not allow" in found[0].message
    )
    amazon = (
        "project: p\nplatforms:\n  amazon_dsp:\n    endpoint: https://advertising-api.amazon.com\n"
        "    auth_endpoint: https://auth.attacker.example\n"
        "    credentials: {client_id: A, client_secret: B, refresh_token: C}\n"
    )
    found = problems(write_project(tmp_path / "auth", amazon, manifest=None))
    assert [d.field for d in found] == ["platforms.amazon_dsp.auth_endpoint"]
    # the sandbox is no host: always allowed
    assert load_config(write_project(tmp_path / "sandbox", criteo("sandbox")))


@pytest.mark.parametrize(
    ("var_file", "words"),
    [
        ("/etc/hostname", "is an absolute path"),
        ("../outside.yaml", "leaves the project directory"),
        ("~/.aws/credentials", "is an absolute path"),
        (".git/config", "hidden file"),
        ("missing.yaml", "does not exist"),
    ],
)
def test_a_var_file_outside_the_project_is_refused_where_it_is_named(
    tmp_path: Path, var_file: str, words: str
) -> None:
    (tmp_path / "outside.yaml").write_text("token: stolen\n")
    root = write_project(tmp_path / "p", criteo("sandbox", f"var_files: [{var_file}]\n"))
    (root / ".git").mkdir()
    (root / ".git" / "config").write_text("[core]\n")
    found = problems(root)
    assert [(d.file, d.line, d.field) for d in found] == [("reconciler.yaml", 6, "var_files.0")]
    assert words in found[0].message


def test_a_var_file_that_is_a_symlink_out_of_the_project_is_refused(tmp_path: Path) -> None:
    (tmp_path / "secret.yaml").write_text("token: stolen-value\n")
    root = write_project(tmp_path / "p", criteo("sandbox", "var_files: [vars.yaml]\n"))
    (root / "vars.yaml").symlink_to(tmp_path / "secret.yaml")
    found = problems(root)
    assert "leaves the project directory" in found[0].message
    assert "stolen-value" not in str(found)


@pytest.mark.parametrize(
    ("state", "field"),
    [
        ("state: {path: /tmp/elsewhere}\n", "state.path"),
        ("state: {path: ../elsewhere}\n", "state.path"),
        ("environments:\n  prod:\n    state: {path: ../../prod}\n", "environments.prod.state.path"),
    ],
)
def test_a_state_path_outside_the_project_is_refused(tmp_path: Path, state: str, field: str) -> None:
    root = write_project(tmp_path, criteo("sandbox", state))
    environment = "prod" if "environments" in state else None
    found = problems(root, environment=environment)
    assert [d.field for d in found] == [field]
    with pytest.raises(ValidationFailed):
        load_config(root, environment)  # `state list` reads no state out there either


def test_a_state_directory_that_is_a_symlink_out_is_refused(tmp_path: Path) -> None:
    (tmp_path / "shared-state").mkdir()
    root = write_project(tmp_path / "p", criteo("sandbox"))
    (root / "state").symlink_to(tmp_path / "shared-state")
    assert "leaves the project directory" in problems(root)[0].message


def test_a_manifest_that_is_a_symlink_out_of_the_project_is_refused(tmp_path: Path) -> None:
    (tmp_path / "kubeconfig").write_text("users: [{token: runner-token-123}]\n")
    root = write_project(tmp_path / "p", criteo("sandbox"))
    (root / "campaigns" / "cluster.yaml").symlink_to(tmp_path / "kubeconfig")
    found = problems(root)
    assert [(d.file, d.message) for d in found] == [
        ("campaigns/cluster.yaml", "this file leaves the project directory (through `..` or a symlink)")
    ]


def test_an_inlined_secret_in_credentials_is_refused_without_repeating_it(tmp_path: Path) -> None:
    secret = "Zq8+f/2x-hunter2=="
    head = "project: p\nplatforms:\n  criteo:\n    endpoint: https://api.criteo.com\n"
    config = head + f'    credentials: {{client_id: A, client_secret: "{secret}"}}\n'
    found = problems(write_project(tmp_path / "a", config))
    assert found[0].field == "platforms.criteo.credentials.client_secret"
    assert "not the name of an environment variable" in found[0].message
    assert secret not in str(found)
    as_text = head + f"    credentials: {secret}\n"
    found = problems(write_project(tmp_path / "b", as_text))
    assert "got a text value" in found[0].message and secret not in str(found)


def test_a_var_file_that_is_not_a_mapping_is_not_repeated(tmp_path: Path) -> None:
    token = "ghp_" + "x" * 36
    root = write_project(tmp_path, criteo("sandbox", "var_files: [vars.yaml]\n"))
    (root / "vars.yaml").write_text(f"{token}\n")
    found = problems(root)
    assert "a var file holds a mapping of variable names to values, got a text value" in found[0].message
    assert token not in str(found)


def test_a_long_value_is_cut_in_messages(tmp_path: Path) -> None:
    manifest = VALID.replace("goal: acquisition", "goal: " + "A" * 5000)
    found = problems(write_project(tmp_path, criteo("sandbox"), manifest))
    assert "(5,000 characters)" in found[0].message and "A" * 100 not in found[0].message


def test_a_project_file_that_is_a_symlink_out_is_refused_unread(tmp_path: Path) -> None:
    (tmp_path / "credentials").write_text("aws_secret_access_key=wJalrXUtnFEMI/K7MDENG\n")
    root = tmp_path / "p"
    root.mkdir()
    (root / "reconciler.yaml").symlink_to(tmp_path / "credentials")
    with pytest.raises(ValidationFailed) as caught:
        load_config(root)
    assert "leaves the project directory" in str(caught.value)
    assert "wJalr" not in str(caught.value)
    (root / "reconciler.yaml").unlink()
    (root / "reconciler.yaml").write_text("aws_secret_access_key=wJalrXUtnFEMI/K7MDENG\n")
    with pytest.raises(ValidationFailed) as caught:
        load_config(root)
    assert "got a text value" in str(caught.value) and "wJalr" not in str(caught.value)


def test_a_state_path_too_long_for_the_file_system_is_refused(tmp_path: Path) -> None:
    found = problems(write_project(tmp_path, criteo("sandbox", f"state: {{path: {'x' * 5000}}}\n")))
    assert [d.field for d in found] == ["state.path"] and "too long a path" in found[0].message
