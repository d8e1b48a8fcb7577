"""AppLovin TokenSource against a strict OAuth double: reuse, expiry, 401 renewal, refresh-token rotation
(atomic, locked across token sources), the credentials file's checks, and the third-party login."""

from __future__ import annotations

import asyncio
import fcntl
import json
import os
import secrets
import stat
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit

import httpx
import pytest

from reconciler.errors import CredentialsError
from reconciler.providers.applovin.auth import SCOPES, TOKEN_MARGIN, TokenFile, TokenSource
from reconciler.providers.base import ProviderConfig
from tests.providers.fake_time import Clock

SECRET = "client-secret-value"
REDIRECT = "https://example.test/oauth_code"

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class FakeOAuth:
    """AppLovin's token endpoint as the guide describes it: single-use refresh tokens, 60 minute tokens."""

    def __init__(self) -> None:
        self.valid_refresh: set[str] = set()
        self.spent: list[str] = []
        self.codes: set[str] = set()
        self.grants: list[dict[str, str]] = []
        self.ttl = 3600

    async def handler(self, request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(0.001)  # a network round trip: other tasks run meanwhile
        return self.answer(request)

    def answer(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/oauth/initialize"):
            query = dict(parse_qsl(request.url.query.decode()))
            code = secrets.token_hex(8)
            self.codes.add(code)
            target = f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"
            return httpx.Response(302, headers={"location": target})
        form = dict(parse_qsl(request.content.decode()))
        self.grants.append(form)
        if form.get("client_secret") != SECRET:
            return self.error(401, "invalid_client", "bad client credentials")
        grant = form["grant_type"]
        if grant == "client_credentials":
            return httpx.Response(200, json={"access_token": self.new(), "expires_in": self.ttl})
        if grant == "authorization_code":
            if form.get("code") not in self.codes or form.get("redirect_uri") != REDIRECT:
                return self.error(400, "invalid_grant", "unknown code")
            self.codes.discard(form["code"])
        elif grant == "refresh_token":
            token = form.get("refresh_token", "")
            if token not in self.valid_refresh:
                return self.error(400, "invalid_grant", f"refresh token {token} was already used")
            self.valid_refresh.discard(token)
            self.spent.append(token)
        refresh = self.new()
        self.valid_refresh.add(refresh)
        return httpx.Response(
            200, json={"access_token": self.new(), "expires_in": self.ttl, "refresh_token": refresh}
        )

    @staticmethod
    def new() -> str:
        return secrets.token_hex(16)

    @staticmethod
    def error(status: int, code: str, message: str) -> httpx.Response:
        return httpx.Response(status, json={"error": {"code": code, "message": message}})


@pytest.fixture
def oauth() -> FakeOAuth:
    return FakeOAuth()


def source(
    oauth: FakeOAuth, token_file: Path | None = None, clock: Clock | None = None, **kw: Any
) -> TokenSource:
    options: dict[str, Any] = {"auth": "first_party", "scopes": ["campaigns:write", "creatives:read"]}
    if token_file is not None:
        options = {"auth": "third_party", "redirect_uri": REDIRECT, "token_file": str(token_file)}
    config = ProviderConfig(
        base_url="http://applovin.test/applovin",
        credentials={"client_id": "app-1", "client_secret": SECRET},
        transport=httpx.MockTransport(oauth.handler),
        options=options,
    )
    return TokenSource(config, clock=clock or Clock(), **kw)


def seed_file(oauth: FakeOAuth, path: Path) -> str:
    """A credentials file as `reconciler auth applovin` leaves it; returns its refresh token."""
    token = oauth.new()
    oauth.valid_refresh.add(token)
    TokenFile(path).write(
        {
            "client_id": "app-1",
            "token_url": "http://applovin.test/applovin/oauth/v1/access_token",
            "refresh_token": token,
        }
    )
    return token


def stored(path: Path) -> str:
    return str(json.loads(path.read_text())["refresh_token"])


async def test_first_party_token_is_reused_until_shortly_before_it_expires(oauth: FakeOAuth) -> None:
    clock = Clock()
    tokens = source(oauth, clock=clock)
    first = await tokens.token()
    assert await tokens.token() == first
    clock.now += 3600 - TOKEN_MARGIN - 1
    assert await tokens.token() == first
    clock.now += 2
    assert await tokens.token() != first
    assert [g["grant_type"] for g in oauth.grants] == ["client_credentials"] * 2
    assert oauth.grants[0]["scope"] == "campaigns:write creatives:read"


async def test_a_short_lived_token_is_still_reused_for_most_of_its_life(
    oauth: FakeOAuth, tmp_path: Path
) -> None:
    oauth.ttl = 60
    path = tmp_path / "applovin.json"
    seed_file(oauth, path)
    clock = Clock()
    tokens = source(oauth, path, clock=clock)
    first = await tokens.token()
    clock.now += 50
    assert await tokens.token() == first and len(oauth.spent) == 1
    clock.now += 5
    assert await tokens.token() != first and len(oauth.spent) == 2


async def test_concurrent_401s_share_one_renewal(oauth: FakeOAuth) -> None:
    tokens = source(oauth)
    first = await tokens.token()
    renewed = await asyncio.gather(*(tokens.refreshed() for _ in range(5)))
    assert len(set(renewed)) == 1 and renewed[0] != first
    assert len(oauth.grants) == 2
    assert await tokens.refreshed(first) == renewed[0], "a late caller refused with an old token reuses"
    assert len(oauth.grants) == 2
    assert await tokens.refreshed(renewed[0]) != renewed[0]
    assert len(oauth.grants) == 3


async def test_bad_client_secret_is_a_credentials_error_without_the_secret(oauth: FakeOAuth) -> None:
    tokens = source(oauth)
    tokens._client_secret = type(tokens._client_secret)("wrong-secret-value")
    with pytest.raises(CredentialsError) as raised:
        await tokens.token()
    assert "HTTP 401" in str(raised.value) and "bad client credentials" in str(raised.value)
    assert "wrong-secret-value" not in str(raised.value) + repr(tokens)


async def test_third_party_refresh_rotates_the_stored_token_atomically(
    oauth: FakeOAuth, tmp_path: Path
) -> None:
    path = tmp_path / "cfg" / "applovin.json"
    original = seed_file(oauth, path)
    tokens = source(oauth, path)
    access = await tokens.token()
    newest = stored(path)
    assert newest != original and newest in oauth.valid_refresh
    assert oauth.spent == [original]
    assert await tokens.token() == access, "the access token is reused; no refresh token is spent"
    assert await tokens.refreshed() != access
    assert oauth.spent == [original, newest] and stored(path) in oauth.valid_refresh
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert sorted(p.name for p in path.parent.iterdir()) == ["applovin.json", "applovin.json.lock"]
    assert "refresh_token" not in oauth.grants[-1].get("scope", ""), "no scope narrowing on refresh"


async def test_a_failed_save_keeps_the_old_file_whole_and_says_what_to_do(
    oauth: FakeOAuth, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "applovin.json"
    original = seed_file(oauth, path)
    before = path.read_bytes()

    def no_rename(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", no_rename)
    tokens = source(oauth, path)
    with pytest.raises(CredentialsError) as raised:
        await tokens.token()
    assert "could not be saved" in str(raised.value) and "reconciler auth applovin" in str(raised.value)
    assert path.read_bytes() == before, "the file is never half written"
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".tmp"] == []
    assert original not in str(raised.value)
    with pytest.raises(CredentialsError):
        await tokens.token()  # no access token was kept from the failed rotation


async def test_two_token_sources_sharing_the_file_never_spend_the_same_token(
    oauth: FakeOAuth, tmp_path: Path
) -> None:
    path = tmp_path / "applovin.json"
    seed_file(oauth, path)
    first, second = source(oauth, path), source(oauth, path)
    tokens = await asyncio.gather(first.token(), second.token())
    tokens += await asyncio.gather(first.refreshed(tokens[0]), second.refreshed(tokens[1]))
    assert len(set(tokens)) == 4
    refreshes = [g["refresh_token"] for g in oauth.grants if g["grant_type"] == "refresh_token"]
    assert len(refreshes) == len(set(refreshes)) == 4, "every refresh spent a different token"
    assert oauth.valid_refresh == {stored(path)}, "the file holds the newest, only valid refresh token"


async def test_the_refresh_waits_for_a_lock_held_by_another_process(oauth: FakeOAuth, tmp_path: Path) -> None:
    path = tmp_path / "applovin.json"
    seed_file(oauth, path)
    holder = os.open(path.with_name("applovin.json.lock"), os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(holder, fcntl.LOCK_EX)
    try:
        with pytest.raises(CredentialsError, match="another process has held"):
            await source(oauth, path, lock_timeout=0.2).token()
        assert oauth.grants == []
        waiting = asyncio.create_task(source(oauth, path).token())
        await asyncio.sleep(0.2)
        assert not waiting.done()
    finally:
        fcntl.flock(holder, fcntl.LOCK_UN)
        os.close(holder)
    assert await waiting
    assert stored(path) in oauth.valid_refresh


async def test_a_used_refresh_token_is_refused_with_the_login_hint(oauth: FakeOAuth, tmp_path: Path) -> None:
    path = tmp_path / "applovin.json"
    token = seed_file(oauth, path)
    oauth.valid_refresh.clear()
    with pytest.raises(CredentialsError) as raised:
        await source(oauth, path).token()
    text = str(raised.value)
    assert "refused" in text and "reconciler auth applovin" in text
    assert token not in text and SECRET not in text


@pytest.mark.parametrize(
    ("content", "mode", "needle"),
    [
        (None, 0o600, "no credentials file"),
        ('{"refresh_token": "x"}', 0o644, "readable by other users (mode 0644)"),
        ("not json", 0o600, "holds no refresh token"),
        ('{"client_id": "other", "token_url": "x", "refresh_token": "x"}', 0o600, "made for client 'other'"),
    ],
)
async def test_an_unusable_credentials_file_says_to_log_in_again(
    oauth: FakeOAuth, tmp_path: Path, content: str | None, mode: int, needle: str
) -> None:
    path = tmp_path / "applovin.json"
    if content is not None:
        path.write_text(content)
        path.chmod(mode)
    with pytest.raises(CredentialsError) as raised:
        await source(oauth, path).token()
    assert needle in str(raised.value)
    assert "reconciler auth applovin" in str(raised.value) or "chmod 600" in str(raised.value)
    assert oauth.grants == []


async def test_login_url_code_exchange_and_stored_token(oauth: FakeOAuth, tmp_path: Path) -> None:
    path = tmp_path / "home" / "applovin.json"
    tokens = source(oauth, path)
    url = tokens.authorization_url("state-1")
    query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    assert url.startswith("http://applovin.test/applovin/oauth/initialize?")
    assert query == {
        "client_id": "app-1",
        "redirect_uri": REDIRECT,
        "response_type": "code",
        "scope": " ".join(SCOPES),
        "state": "state-1",
    }
    redirect = await tokens.consent_in_sandbox(url)
    with pytest.raises(CredentialsError, match="another login"):
        tokens.code_from_redirect(redirect, "state-2")
    code = tokens.code_from_redirect(redirect, "state-1")
    assert tokens.code_from_redirect(f" {code}\n", "state-1") == code
    assert await tokens.authorize(code) == path
    assert stored(path) in oauth.valid_refresh
    assert oauth.grants[-1] == {
        "client_id": "app-1",
        "client_secret": SECRET,
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT,
    }
    later = source(oauth, path)
    assert await later.token()
    assert oauth.spent and stored(path) in oauth.valid_refresh


async def test_login_is_refused_for_a_first_party_app(oauth: FakeOAuth) -> None:
    with pytest.raises(CredentialsError, match="for third-party apps"):
        source(oauth).authorization_url("s")
