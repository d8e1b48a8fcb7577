"""AppLovin OAuth: access tokens for first- and third-party apps, and the third-party login.

Owns the token endpoint (`POST /oauth/v1/access_token`, form-encoded) and the authorization URL
(`/oauth/initialize`), both on the OAuth host (`ProviderConfig.auth_url`, or the API base URL when it
serves both, as the sandbox does).

- First party (`auth: first_party`): `client_credentials` with the configured scopes.
- Third party (`auth: third_party`): `reconciler auth applovin` exchanges an authorization code for a
  refresh token and stores it in the credentials file (`token_file`, outside the project). Each refresh
  token works once and every refresh returns a new one, so a refresh holds an exclusive lock (`flock` on
  the sibling `<file>.lock`, shared by every process) around read → refresh → write, and the new refresh
  token replaces the stored one atomically (temp file 0600 in the same directory, fsync, rename, fsync of
  the directory) before the new access token is handed out. A process that loses the newest refresh
  token loses access, hence this order.

An access token is reused until shortly before it expires (`expires_in`, 60 minutes by default) and
renewed once when the API answers 401 (`refreshed`): the kit's `TokenCache` over this module's grants.
Only the refresh token is written to disk; the client secret, access and refresh tokens never appear in
logs, errors or reprs.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import fcntl
import json
import logging
import os
import stat
import tempfile
import time
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx

from reconciler.errors import CredentialsError, PlatformError, ProjectError
from reconciler.providers.applovin.settings import SCOPES
from reconciler.providers.base import ProviderConfig
from reconciler.providers.kit.http import (
    Clock,
    HttpSession,
    RetryPolicy,
    Secret,
    Sleep,
    Timing,
    TransportFailure,
)
from reconciler.providers.kit.tokens import TokenCache

log = logging.getLogger("reconciler.providers.applovin.auth")

TOKEN_PATH = "/oauth/v1/access_token"
AUTHORIZE_PATH = "/oauth/initialize"
DEFAULT_TTL = 3600.0
TOKEN_MARGIN = 120.0
"""Seconds before its expiry at which an access token is renewed rather than reused (at most a tenth of
its life, so a short-lived token is still reused)."""
LOCK_TIMEOUT = 60.0
LOGIN_HINT = "run `reconciler auth applovin PROJECT_DIR` to authorize the app again"
SPENT_HINT = f"retry; the stored refresh token may have been used up: if the retry says so, {LOGIN_HINT}"


@dataclass(frozen=True)
class AuthSettings:
    """The auth part of `ProviderConfig.options` (from reconciler.yaml's `platforms.applovin`)."""

    mode: str = "first_party"
    scopes: tuple[str, ...] = SCOPES
    redirect_uri: str | None = None
    token_file: Path | None = None

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> AuthSettings:
        """The settings; a third-party token file inside the project (`project_dir`) is refused."""
        token_file = Path(options["token_file"]).expanduser() if options.get("token_file") else None
        settings = cls(
            mode=str(options.get("auth") or "first_party"),
            scopes=tuple(options.get("scopes") or SCOPES),
            redirect_uri=options.get("redirect_uri"),
            token_file=token_file,
        )
        project_dir = options.get("project_dir")
        inside = bool(token_file and project_dir) and Path(str(token_file)).resolve().is_relative_to(
            Path(str(project_dir)).resolve()
        )
        if settings.third_party and inside:
            raise ProjectError(
                f"reconciler.yaml: platforms.applovin.token_file {token_file} is inside the project "
                f"{project_dir}; the refresh token is a secret and must never be committed",
                hint="set `token_file` to a path outside the project, e.g. ~/.config/reconciler/...",
            )
        return settings

    @property
    def third_party(self) -> bool:
        return self.mode == "third_party"


class TokenFile:
    """The third-party credentials file: JSON with the refresh token, mode 0600, in a 0700 directory."""

    def __init__(self, path: Path, *, sleep: Sleep = asyncio.sleep, lock_timeout: float = LOCK_TIMEOUT):
        self.path = path
        self.lock_path = path.with_name(path.name + ".lock")
        self._sleep = sleep
        self._lock_timeout = lock_timeout

    def __repr__(self) -> str:
        return f"TokenFile({str(self.path)!r})"

    def read(self) -> dict[str, Any]:
        """The stored grant; a missing, unreadable, too open or malformed file is a `CredentialsError`."""
        try:
            with open(self.path, encoding="utf-8") as handle:
                mode = stat.S_IMODE(os.fstat(handle.fileno()).st_mode)
                text = handle.read()
        except FileNotFoundError:
            raise CredentialsError(
                f"AppLovin: no credentials file {self.path} (third-party auth needs a refresh token)",
                hint=LOGIN_HINT,
            ) from None
        except OSError as exc:
            raise CredentialsError(
                f"AppLovin: cannot read the credentials file {self.path}: {exc.strerror}", hint=LOGIN_HINT
            ) from None
        if mode & 0o077:
            raise CredentialsError(
                f"AppLovin: the credentials file {self.path} is readable by other users (mode {mode:04o})",
                hint=f"run `chmod 600 {self.path}`, or {LOGIN_HINT}",
            )
        try:
            grant = json.loads(text)
        except ValueError:
            grant = None
        if not isinstance(grant, dict) or not isinstance(grant.get("refresh_token"), str):
            raise CredentialsError(
                f"AppLovin: the credentials file {self.path} holds no refresh token", hint=LOGIN_HINT
            )
        return grant

    def write(self, grant: Mapping[str, Any]) -> None:
        """Replace the file atomically: a temp file (0600) in the same directory, fsync, rename, fsync dir."""
        self.ensure_directory()
        fd, temp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(dict(grant), handle, indent=2, sort_keys=True)
                handle.write("\n")
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise
        directory = os.open(self.path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)

    def ensure_directory(self) -> None:
        """Create the file's directory (mode 0700) if it does not exist."""
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)

    @contextlib.asynccontextmanager
    async def locked(self) -> AsyncIterator[None]:
        """Hold the exclusive lock of this file (across processes) without blocking the event loop."""
        try:
            fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise CredentialsError(
                f"AppLovin: cannot open the lock file {self.lock_path}: {exc.strerror}",
                hint="check that the directory of `token_file` exists and is writable",
            ) from None
        try:
            waited = 0.0
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except OSError as exc:
                    if exc.errno not in (errno.EWOULDBLOCK, errno.EACCES):
                        raise
                if waited >= self._lock_timeout:
                    raise CredentialsError(
                        f"AppLovin: another process has held {self.lock_path} for {waited:.0f}s",
                        hint="wait for the other reconciler run to finish, then retry",
                    )
                await self._sleep(0.05)
                waited += 0.05
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)


class TokenSource:
    """Valid AppLovin access tokens for one provider: `token()` reuses, `refreshed()` renews (after a 401).

    Also the third-party login of `reconciler auth applovin`: `authorization_url`, `code_from_redirect`,
    `consent_in_sandbox` and `authorize` (the code exchange that writes the credentials file).
    """

    def __init__(
        self,
        config: ProviderConfig,
        *,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
        timeout: float = 30.0,
        lock_timeout: float = LOCK_TIMEOUT,
    ) -> None:
        self.settings = AuthSettings.from_options(config.options)
        self.base_url = (config.auth_url or config.base_url).rstrip("/")
        self.token_url = self.base_url + TOKEN_PATH
        self.embedded = config.transport is not None
        self._client_id = config.credentials.get("client_id", "")
        self._client_secret = Secret(config.credentials.get("client_secret", ""))
        self._refresh: Secret | None = None
        self._cache = TokenCache(self._renew, clock=clock, margin=TOKEN_MARGIN)
        self.file = (
            TokenFile(self.settings.token_file, sleep=sleep, lock_timeout=lock_timeout)
            if self.settings.token_file
            else None
        )
        self.token_requests = 0
        self.session = HttpSession(
            self.base_url,
            transport=config.transport,
            concurrency=2,
            policy=RetryPolicy(attempts=3),
            timeout=timeout,
            secrets=lambda: (self._client_secret, *self._cache.secrets(), self._refresh),
            label="AppLovin OAuth",
            timing=Timing(sleep=sleep),
        )

    def __repr__(self) -> str:
        return f"TokenSource(token_url={self.token_url!r}, mode={self.settings.mode!r})"

    # -- access tokens ------------------------------------------------------------------------------

    async def token(self) -> str:
        """An access token: the current one while it is valid for a little longer, else a new one."""
        return await self._cache.token()

    async def refreshed(self, stale: str | None = None) -> str:
        """A new access token (the platform refused the current one); callers refused at the same time
        share one renewal."""
        return await self._cache.refreshed(stale)

    async def _renew(self) -> tuple[str, float]:
        if not self._client_id or not self._client_secret:
            raise CredentialsError("AppLovin: credentials `client_id` and `client_secret` are required")
        if self.settings.third_party:
            body = await self._rotate()
        else:
            body = await self._grant(
                {"grant_type": "client_credentials", "scope": " ".join(self.settings.scopes)},
                idempotent=True,
            )
        return _access_token(body)

    async def _rotate(self) -> dict[str, Any]:
        """Spend the stored refresh token (under the file lock) and store its successor before returning."""
        file = self._token_file()
        async with file.locked():
            grant = file.read()
            self._check_grant(grant, file)
            spent = Secret(grant["refresh_token"])
            self._refresh = spent
            try:
                body = await self._grant(
                    {"grant_type": "refresh_token", "refresh_token": spent.reveal()}, refresh=True
                )
            except TransportFailure as exc:
                if exc.sent:
                    exc.hint = SPENT_HINT
                raise
            successor = _field(body, "refresh_token")
            if not successor:
                raise CredentialsError(
                    "AppLovin: the token endpoint answered a refresh without a new refresh token",
                    hint=LOGIN_HINT,
                )
            self._refresh = Secret(successor)
            self._store(file, successor, body)
            log.info("AppLovin: refresh token rotated and stored in %s", file.path)
        return body

    def _check_grant(self, grant: Mapping[str, Any], file: TokenFile) -> None:
        made_for = (grant.get("client_id"), grant.get("token_url"))
        if made_for != (self._client_id, self.token_url):
            raise CredentialsError(
                f"AppLovin: the credentials file {file.path} was made for client {made_for[0]!r} at "
                f"{made_for[1]}, not for client {self._client_id!r} at {self.token_url}",
                hint=f"set another `token_file` in reconciler.yaml, or {LOGIN_HINT}",
            )

    def _store(self, file: TokenFile, refresh_token: str, body: Mapping[str, Any]) -> None:
        grant = {
            "client_id": self._client_id,
            "token_url": self.token_url,
            "refresh_token": refresh_token,
            "scope": _field(body, "scope") or " ".join(self.settings.scopes),
            "stored_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        try:
            file.write(grant)
        except OSError as exc:
            raise CredentialsError(
                f"AppLovin: the new refresh token could not be saved to {file.path}: {exc.strerror}; "
                "the previous one is used up",
                hint=f"fix the file's directory, then {LOGIN_HINT}",
            ) from None

    def _token_file(self) -> TokenFile:
        if self.file is None:
            raise CredentialsError(
                "AppLovin: third-party auth needs a `token_file`", hint="set `token_file` in reconciler.yaml"
            )
        return self.file

    async def _grant(
        self, form: Mapping[str, str], *, idempotent: bool = False, refresh: bool = False
    ) -> dict[str, Any]:
        """One call of the token endpoint with the client's id and secret; the JSON answer or an error."""
        self.token_requests += 1
        data = {"client_id": self._client_id, "client_secret": self._client_secret.reveal(), **form}
        response = await self.session.send("POST", TOKEN_PATH, data=data, idempotent=idempotent)
        body = _json(response)
        if response.status_code == 200 and isinstance(body, dict):
            return body
        reason = self.session.redact(_error_text(body) or response.reason_phrase or "no details")
        grant = form.get("grant_type", "")
        message = f"AppLovin: the token request ({grant}) failed with HTTP {response.status_code}: {reason}"
        if refresh and response.status_code in (400, 401):
            raise CredentialsError(
                message + " — the stored refresh token was refused (used already, expired or revoked)",
                hint=LOGIN_HINT,
            )
        if refresh and response.status_code >= 500:
            raise PlatformError(message, hint=SPENT_HINT)
        if response.status_code in (400, 401, 403):
            raise CredentialsError(
                message,
                hint="check the AppLovin client_id/client_secret, the app's type (first or third party) "
                "and `scopes` in reconciler.yaml",
            )
        error = PlatformError(message)
        error.may_have_changed = False
        raise error

    # -- third-party login (`reconciler auth applovin`) ---------------------------------------------

    def authorization_url(self, state: str) -> str:
        """Where the user consents: `/oauth/initialize` with every required query parameter."""
        if not self.settings.third_party:
            raise CredentialsError(
                "AppLovin: `reconciler auth applovin` is for third-party apps; this project uses "
                "`auth: first_party` (client credentials), which needs no login",
                hint="for a third-party app set `auth: third_party` and `redirect_uri` (platforms.applovin)",
            )
        if not self.settings.redirect_uri:
            raise CredentialsError(
                "AppLovin: third-party login needs `redirect_uri`",
                hint="set `auth: third_party` and `redirect_uri` under platforms.applovin in reconciler.yaml",
            )
        query = {
            "client_id": self._client_id,
            "redirect_uri": self.settings.redirect_uri,
            "response_type": "code",
            "scope": " ".join(self.settings.scopes),
            "state": state,
        }
        return f"{self.base_url}{AUTHORIZE_PATH}?{urlencode(query)}"

    @staticmethod
    def code_from_redirect(answer: str, state: str) -> str:
        """The authorization code from what the user pasted: the code itself, or the whole redirect URL
        (whose `state` must then be ours)."""
        answer = answer.strip()
        if "code=" not in answer:
            if not answer:
                raise CredentialsError("AppLovin: no authorization code given", hint="paste the `code` value")
            return answer
        query = parse_qs(urlsplit(answer).query or answer.split("?", 1)[-1])
        codes, states = query.get("code", []), query.get("state", [])
        if not codes or not codes[0]:
            raise CredentialsError("AppLovin: the redirect URL holds no `code`", hint="paste the full URL")
        if states and states[0] != state:
            raise CredentialsError(
                "AppLovin: the redirect URL answers another login (its `state` is not this one's)",
                hint="open the authorization URL printed by this run and paste where it redirects you",
            )
        return codes[0]

    async def consent_in_sandbox(self, url: str) -> str:
        """The embedded sandbox consents at once: follow `url` in-process and return the redirect's URL."""
        response = await self.session.send("GET", url, idempotent=True)
        location = response.headers.get("location")
        if response.status_code not in (301, 302, 303, 307, 308) or not location:
            reason = _error_text(_json(response)) or response.reason_phrase
            raise CredentialsError(
                f"AppLovin sandbox: the authorization request failed with HTTP {response.status_code}: "
                f"{self.session.redact(reason)}",
                hint="check `redirect_uri` and `scopes` in reconciler.yaml",
            )
        return location

    async def authorize(self, code: str) -> Path:
        """Exchange an authorization code for tokens and store the refresh token; the file's path."""
        file = self._token_file()
        if not self.settings.redirect_uri:
            raise CredentialsError("AppLovin: third-party login needs `redirect_uri` in reconciler.yaml")
        try:
            file.ensure_directory()
        except OSError as exc:
            raise CredentialsError(
                f"AppLovin: cannot create the directory of {file.path}: {exc.strerror}",
                hint="set `token_file` in reconciler.yaml to a writable place outside the project",
            ) from None
        async with file.locked():
            body = await self._grant(
                {
                    "grant_type": "authorization_code",
                    "code": code,
                    "redirect_uri": self.settings.redirect_uri,
                }
            )
            refresh_token = _field(body, "refresh_token")
            if not refresh_token:
                raise CredentialsError(
                    "AppLovin: the code exchange returned no refresh token",
                    hint="check that the OAuth app is a third-party app",
                )
            self._refresh = Secret(refresh_token)
            self._store(file, refresh_token, body)
        return file.path

    async def aclose(self) -> None:
        await self.session.aclose()


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _field(body: Mapping[str, Any], name: str) -> str | None:
    """A token response field, at the top level or inside `accessToken` (as the guide words it)."""
    value = body.get(name)
    nested = body.get("accessToken")
    if value is None and isinstance(nested, Mapping):
        value = nested.get(name)
    return str(value) if value not in (None, "") else None


def _access_token(body: Mapping[str, Any]) -> tuple[str, float]:
    access = _field(body, "access_token")
    if not access:
        raise PlatformError("AppLovin: the token endpoint answered without an access token")
    try:
        expires_in = float(_field(body, "expires_in") or DEFAULT_TTL)
    except ValueError:
        expires_in = DEFAULT_TTL
    return access, expires_in


def _error_text(body: Any) -> str:
    """The message of `{"error": {"code", "message"}}` or of an OAuth `{"error", "error_description"}`."""
    if not isinstance(body, Mapping):
        return ""
    error = body.get("error")
    if isinstance(error, Mapping):
        code, message = str(error.get("code") or ""), str(error.get("message") or "")
        return f"{message} ({code})" if code and message else message or code
    if error:
        description = str(body.get("error_description") or "")
        return f"{description} ({error})" if description else str(error)
    return ""


LOGIN = TokenSource
"""`reconciler auth applovin`: the third-party login (see the registry)."""
