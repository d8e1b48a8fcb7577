"""`reconciler auth applovin`: prints the authorization URL, takes the code (option, prompt or pasted
redirect URL), stores the refresh token outside the project; refuses first-party projects and bad input."""

from __future__ import annotations

import json
import secrets
import stat
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from reconciler import engine
from reconciler.manifest import load_config
from reconciler.providers.applovin.auth import TokenSource
from reconciler.providers.base import ProviderConfig
from tests.conftest import Result
from tests.providers.applovin.test_auth import REDIRECT, SECRET, FakeOAuth

Cli = Callable[..., Result]


def project(tmp_path: Path, auth: str = "third_party") -> Path:
    root = tmp_path / "project"
    root.mkdir()
    extra = f"    redirect_uri: {REDIRECT}\n    token_file: {tmp_path}/keys/applovin.json\n"
    (root / "reconciler.yaml").write_text(
        "project: ua\nplatforms:\n  applovin:\n    endpoint: https://o.applovin.test\n"
        "    credentials: {client_id: AL_ID, client_secret: AL_SECRET}\n"
        f"    auth: {auth}\n" + (extra if auth == "third_party" else "")
    )
    return root


@pytest.fixture
def oauth(monkeypatch: pytest.MonkeyPatch) -> FakeOAuth:
    """The project's OAuth host answered by the double (the real login code, another transport)."""
    fake = FakeOAuth()
    monkeypatch.setenv("AL_ID", "app-1")
    monkeypatch.setenv("AL_SECRET", SECRET)
    login = engine.login

    def with_double(directory: Path, platform: str) -> TokenSource:
        real = login(directory, platform)
        config = ProviderConfig(
            base_url=real.base_url,
            credentials={"client_id": "app-1", "client_secret": SECRET},
            transport=httpx.MockTransport(fake.handler),
            options=load_config(directory).platforms.applovin.options("ua"),  # type: ignore[union-attr]
        )
        tokens = TokenSource(config)
        tokens.embedded = False
        return tokens

    monkeypatch.setattr(engine, "login", with_double)
    return fake


def printed_url(result: Result) -> dict[str, str]:
    line = next(w for w in result.stdout.split() if "/oauth/initialize?" in w)
    assert line.startswith("https://oauth.applovin.com/oauth/initialize?")
    return {k: v[0] for k, v in parse_qs(urlsplit(line).query).items()}


def consent(oauth: FakeOAuth, query: dict[str, str]) -> str:
    """What AppLovin's consent page does: a code for this login, sent to the redirect URI."""
    response = httpx.Client(transport=httpx.MockTransport(oauth.answer)).get(
        "https://oauth.applovin.com/oauth/initialize", params=query
    )
    return str(response.headers["location"])


def test_code_by_prompt_as_the_whole_redirect_url(
    cli: Cli, tmp_path: Path, oauth: FakeOAuth, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path)
    first = cli("auth", "applovin", str(root), stdin="\n")
    assert first.exit_code == 1 and "Aborted." in first.stderr and oauth.grants == []
    query = printed_url(first)
    assert query["response_type"] == "code" and query["redirect_uri"] == REDIRECT
    assert query["client_id"] == "app-1" and len(query["state"]) == 20
    assert query["scope"].split() == [
        "campaigns:read",
        "campaigns:write",
        "creatives:read",
        "creatives:write",
        "source_bids:read",
        "source_bids:write",
    ]

    stale = consent(oauth, query)  # consent given to the earlier run: its state is not this run's
    monkeypatch.setattr(secrets, "token_hex", lambda n: "a" * 2 * n)
    refused = cli("auth", "applovin", str(root), stdin=stale + "\n")
    assert refused.exit_code == 1 and "another login" in refused.stderr
    redirect = consent(oauth, printed_url(refused))
    result = cli("auth", "applovin", str(root), stdin=redirect + "\n")
    assert result.exit_code == 0, result.stderr
    path = tmp_path / "keys" / "applovin.json"
    assert f"Stored the AppLovin refresh token in {path}" in result.stdout
    stored = json.loads(path.read_text())
    assert stored["refresh_token"] in oauth.valid_refresh and stored["client_id"] == "app-1"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stored["refresh_token"] not in result.stdout + result.stderr and SECRET not in result.stdout


def test_code_option_for_scripts(cli: Cli, tmp_path: Path, oauth: FakeOAuth) -> None:
    root = project(tmp_path)
    code = parse_qs(urlsplit(consent(oauth, {"redirect_uri": REDIRECT, "state": "x"})).query)["code"][0]
    result = cli("auth", "applovin", str(root), "--code", code)
    assert result.exit_code == 0, result.stderr
    assert (
        json.loads((tmp_path / "keys" / "applovin.json").read_text())["refresh_token"] in oauth.valid_refresh
    )
    again = cli("auth", "applovin", str(root), "--code", code)
    assert again.exit_code == 1
    assert "token request (authorization_code) failed with HTTP 400: unknown code" in again.stderr
    assert "Traceback" not in again.stderr


def test_first_party_projects_need_no_login(cli: Cli, tmp_path: Path, oauth: FakeOAuth) -> None:
    result = cli("auth", "applovin", str(project(tmp_path, auth="first_party")), "--code", "c")
    assert result.exit_code == 1 and "is for third-party apps" in result.stderr
    assert oauth.grants == []


def test_a_project_without_applovin_is_refused(cli: Cli, tmp_path: Path) -> None:
    root = tmp_path / "p"
    root.mkdir()
    (root / "reconciler.yaml").write_text("project: p\nplatforms:\n  criteo: {endpoint: sandbox}\n")
    result = cli("auth", "applovin", str(root), "--code", "c")
    assert result.exit_code == 1 and "configures no `applovin` platform" in result.stderr
