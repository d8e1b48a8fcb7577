"""AppLovin third-party auth end to end: `reconciler auth applovin` walks the authorization-code flow
against the sandbox, and the single-use refresh token survives applies in separate processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import BIN, Result, sandbox_server

CAMPAIGN = """\
platform: applovin
campaigns:
  - key: rotation
    name: {name}
    platform: ios
    bundle_id: com.acme.rotation
    package_name: "1234567891"
    bid_type: CPI
    tracking_method: adjust
    status: false
"""


def third_party_app(fixtures: dict[str, Any]) -> dict[str, str]:
    """The sandbox's seeded third-party OAuth app: client_id, client_secret and redirect_uri."""
    apps = fixtures["applovin"]["oauth_apps"]
    return next(dict(a) for a in apps if a.get("kind") == "third_party")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    with sandbox_server(tmp_path / "served.sqlite") as base:
        yield base


def write_project(root: Path, endpoint: str, app: dict[str, str], token_file: Path) -> None:
    root.mkdir(parents=True, exist_ok=True)
    auth_endpoint = f"    auth_endpoint: {endpoint}\n" if endpoint != "sandbox" else ""
    (root / "reconciler.yaml").write_text(
        "project: rotation\nplatforms:\n  applovin:\n"
        f"    endpoint: {endpoint}\n{auth_endpoint}"
        "    credentials: {client_id: AL_CLIENT_ID, client_secret: AL_CLIENT_SECRET}\n"
        "    auth: third_party\n"
        f"    redirect_uri: {app['redirect_uri']}\n"
        f"    token_file: {token_file}\n"
    )
    (root / "campaign.yaml").write_text(CAMPAIGN.format(name="Rotation 0"))


def stored(token_file: Path) -> str:
    return str(json.loads(token_file.read_text())["refresh_token"])


def refresh(base: str, app: dict[str, str], token: str) -> httpx.Response:
    return httpx.post(
        f"{base}/applovin/oauth/v1/access_token",
        data={
            "grant_type": "refresh_token",
            "client_id": app["client_id"],
            "client_secret": app["client_secret"],
            "refresh_token": token,
        },
    )


def login_by_prompt(project: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`reconciler auth applovin` as a user runs it: open the printed URL, paste where it redirects."""
    process = subprocess.Popen(
        [str(BIN), "auth", "applovin", str(project)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    url = ""
    while not url:
        line = process.stdout.readline()
        assert line, "the command ended without printing the authorization URL"
        url = line.strip() if "/oauth/initialize?" in line else ""
    consent = httpx.get(url, follow_redirects=False)
    assert consent.status_code in (302, 303), consent.text
    out, err = process.communicate(consent.headers["location"] + "\n", timeout=60)
    return subprocess.CompletedProcess(process.args, process.returncode, url + "\n" + out, err)


def test_refresh_token_rotation_survives_applies_in_separate_processes(served: str, tmp_path: Path) -> None:
    app = third_party_app(httpx.get(f"{served}/_sandbox/fixtures").json())
    project, token_file = tmp_path / "project", tmp_path / "home" / ".config" / "applovin.json"
    write_project(project, f"{served}/applovin", app, token_file)
    env = {**os.environ, "AL_CLIENT_ID": app["client_id"], "AL_CLIENT_SECRET": app["client_secret"]}

    login = login_by_prompt(project, env)
    assert login.returncode == 0, login.stderr
    assert f"Stored the AppLovin refresh token in {token_file}" in login.stdout
    assert oct(token_file.stat().st_mode & 0o777) == "0o600"
    assert oct(token_file.parent.stat().st_mode & 0o777) == "0o700"
    tokens = [stored(token_file)]

    outputs: list[str] = [login.stdout + login.stderr]
    for run in range(1, 4):
        (project / "campaign.yaml").write_text(CAMPAIGN.format(name=f"Rotation {run}"))
        applied = subprocess.run(
            [str(BIN), "apply", str(project), "--auto-approve"],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
        assert applied.returncode == 0, applied.stdout + applied.stderr
        outputs.append(applied.stdout + applied.stderr)
        tokens.append(stored(token_file))
    assert len(set(tokens)) == 4, "every run spent its refresh token and stored the new one"

    final = subprocess.run(
        [str(BIN), "plan", str(project), "--detailed-exitcode"], capture_output=True, text=True, env=env
    )
    assert final.returncode == 0, final.stdout + final.stderr
    assert stored(token_file) not in tokens, "the plan rotated the newest token again"
    for old in tokens:
        rejected = refresh(served, app, old)
        assert rejected.status_code in (400, 401), f"a spent refresh token still works: {rejected.text}"
    texts = [*outputs, final.stdout + final.stderr, (project / "state" / "default.state.json").read_text()]
    assert not any(t in text for t in (*tokens, app["client_secret"]) for text in texts)


CONCURRENT_RUN = """
import asyncio, sys
from reconciler.providers.applovin.auth import TokenSource
from reconciler.providers.base import ProviderConfig
base, client_id, secret, token_file = sys.argv[1:5]
config = ProviderConfig(base_url=base, credentials={"client_id": client_id, "client_secret": secret},
                        options={"auth": "third_party", "token_file": token_file})
async def main():
    tokens = TokenSource(config)
    await tokens.token()
    await tokens.aclose()
asyncio.run(main())
"""


def test_processes_refreshing_at_once_never_spend_the_same_token(served: str, tmp_path: Path) -> None:
    app = third_party_app(httpx.get(f"{served}/_sandbox/fixtures").json())
    project, token_file = tmp_path / "project", tmp_path / "keys" / "applovin.json"
    write_project(project, f"{served}/applovin", app, token_file)
    env = {**os.environ, "AL_CLIENT_ID": app["client_id"], "AL_CLIENT_SECRET": app["client_secret"]}
    assert login_by_prompt(project, env).returncode == 0
    first = stored(token_file)
    args = [f"{served}/applovin", app["client_id"], app["client_secret"], str(token_file)]
    runs = [
        subprocess.Popen([sys.executable, "-c", CONCURRENT_RUN, *args], stderr=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    errors = [run.communicate(timeout=60)[1] for run in runs]
    assert [run.returncode for run in runs] == [0] * 4, errors
    newest = stored(token_file)
    assert newest != first and refresh(served, app, first).status_code == 400
    assert refresh(served, app, newest).status_code == 200, "the stored token is the newest, unused one"


def test_embedded_sandbox_consents_in_process(
    cli: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reconciler.sandbox import create_app

    project, token_file = tmp_path / "project", tmp_path / "keys" / "applovin.json"
    db = project / ".reconciler" / "sandbox.sqlite"
    db.parent.mkdir(parents=True)
    fixtures = _fixtures_of(create_app(db))
    app = third_party_app(fixtures)
    write_project(project, "sandbox", app, token_file)
    monkeypatch.setenv("AL_CLIENT_ID", app["client_id"])
    monkeypatch.setenv("AL_CLIENT_SECRET", app["client_secret"])
    result = cli("auth", "applovin", str(project))
    assert result.exit_code == 0, result.stderr
    assert "The embedded sandbox consented." in result.stdout
    first = stored(token_file)
    applied = cli("apply", str(project), "--auto-approve")
    assert applied.exit_code == 0, applied.stdout + applied.stderr
    second = stored(token_file)
    assert second != first
    planned = cli("plan", str(project), "--detailed-exitcode")
    assert planned.exit_code == 0, planned.stdout + planned.stderr
    assert stored(token_file) not in (first, second)


def _fixtures_of(asgi_app: Any) -> dict[str, Any]:
    import asyncio

    async def get() -> dict[str, Any]:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=asgi_app), base_url="http://s") as c:
            return dict((await c.get("/_sandbox/fixtures")).json())

    return asyncio.run(get())
