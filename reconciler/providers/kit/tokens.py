"""Access tokens: a cache that reuses a token until shortly before it expires and renews it once when the
platform refuses it, and the OAuth 2.0 token request (RFC 6749) that several platforms share.

Several calls refused at the same moment share one renewal. Tokens are held as `Secret`s, so they never
show in a repr, a log line or an error.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Protocol

from reconciler.errors import CredentialsError, PlatformError
from reconciler.providers.kit.answers import body_of, checked, member
from reconciler.providers.kit.http import Clock, HttpSession, Secret

TOKEN_MARGIN = 60.0
"""Seconds before its expiry at which a token is renewed (a tenth of its life when that is shorter)."""

Grant = Callable[[], Awaitable[tuple[str, float]]]
"""A token request: (access token, lifetime in seconds)."""


class Tokens(Protocol):
    """Where a client's access tokens come from."""

    async def token(self) -> str: ...

    async def refreshed(self, stale: str | None = None) -> str: ...


class TokenCache:
    """Valid access tokens from a grant: `token()` reuses, `refreshed(stale)` renews after a 401."""

    def __init__(self, grant: Grant, *, clock: Clock = time.monotonic, margin: float = TOKEN_MARGIN) -> None:
        self._grant = grant
        self._clock = clock
        self._margin = margin
        self._token: Secret | None = None
        self._expires = 0.0
        self._generation = 0
        self._lock = asyncio.Lock()
        self.requests = 0

    def __repr__(self) -> str:
        return f"TokenCache(requests={self.requests})"

    def secrets(self) -> tuple[Secret | None, ...]:
        return (self._token,)

    async def token(self) -> str:
        """The current token while it is valid for a little longer, else a new one."""
        async with self._lock:
            if self._token is not None and self._clock() < self._expires:
                return self._token.reveal()
            return await self._renew()

    async def refreshed(self, stale: str | None = None) -> str:
        """A new token (the platform refused `stale`); a renewal that finished meanwhile is reused."""
        generation = self._generation
        async with self._lock:
            current = self._token
            renewed = self._generation != generation or (
                stale is not None and current is not None and current.reveal() != stale
            )
            if renewed and current is not None and self._clock() < self._expires:
                return current.reveal()
            return await self._renew()

    async def _renew(self) -> str:
        self.requests += 1
        access, lifetime = await self._grant()
        self._token = Secret(access)
        self._expires = self._clock() + max(lifetime - min(self._margin, lifetime / 10), 1.0)
        self._generation += 1
        return access


def oauth_grant(
    session: HttpSession, url: str, form: Callable[[], Mapping[str, str]], default_lifetime: float
) -> Grant:
    """The OAuth 2.0 token request at `url` with the form `form()` builds (client credentials, refresh
    token): a refused request is a `CredentialsError` with the server's `error_description`."""

    async def grant() -> tuple[str, float]:
        response = await session.send(
            "POST", url, data=dict(form()), headers={"Accept": "application/json"}, idempotent=True
        )
        status = response.status_code
        if status >= 400:
            reason = session.redact(oauth_error(body_of(response))) or response.reason_phrase or "no details"
            message = f"{session.label}: the token request failed with HTTP {status}: {reason}"
            if status in (400, 401, 403):
                raise CredentialsError(message)
            raise PlatformError(message)
        body = checked(response, member("access_token", str), session.label, "POST", url)
        return str(body["access_token"]), lifetime_of(body, default_lifetime)

    return grant


def lifetime_of(body: Mapping[str, Any], default: float) -> float:
    try:
        return float(body.get("expires_in") or default)
    except (TypeError, ValueError):
        return default


def oauth_error(body: Any) -> str:
    """The message of an OAuth error answer (`error`, `error_description`), or ""."""
    if not isinstance(body, Mapping):
        return ""
    error, description = body.get("error"), body.get("error_description")
    if isinstance(error, str) and isinstance(description, str) and description:
        return f"{description} ({error})"
    return error if isinstance(error, str) else ""
