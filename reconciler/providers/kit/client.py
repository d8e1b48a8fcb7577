"""`ApiClient`: the base of every platform's client. A subclass has one method per endpoint and says how
the platform words its errors; this base authorizes each call (a cached token, renewed once on a 401),
sends it through the session (throttling, retries), and checks the answer before anyone reads it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import httpx

from reconciler.errors import PlatformError
from reconciler.providers.kit.answers import OBJECT, Expect, body_of, checked, strings_redacted
from reconciler.providers.kit.http import HttpSession
from reconciler.providers.kit.tokens import TokenCache, Tokens

log = logging.getLogger("reconciler.providers")


class ApiError(PlatformError):
    """A call the platform refused as a whole: its HTTP status and the platform's own words. Without a
    `hint`, a refusal of the credentials (401, 403) or throttling that outlasted the waits (429) gets the
    subclass's `auth_hint` or `throttled_hint`."""

    auth_hint: str | None = None
    throttled_hint: str | None = None

    def __init__(self, message: str, status: int, hint: str | None = None) -> None:
        if hint is None:
            hint = self.auth_hint if status in (401, 403) else self.throttled_hint if status == 429 else None
        super().__init__(message, hint=hint)
        self.status = status
        self.may_have_changed = status >= 500


class ApiClient:
    """One platform's authorized, throttled client. `prefix` is prepended to every endpoint path."""

    prefix = ""

    def __init__(self, session: HttpSession, tokens: Tokens | None) -> None:
        self.session = session
        self.tokens = tokens

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.session.base_url!r})"

    @property
    def label(self) -> str:
        return self.session.label

    @property
    def token_requests(self) -> int:
        """How many tokens the client's token cache has asked for (0 without a cache)."""
        return self.tokens.requests if isinstance(self.tokens, TokenCache) else 0

    async def warm(self) -> None:
        """Get an access token before the first call needs it (that call then waits for this request)."""
        if self.tokens is not None:
            await self.tokens.token()

    def error(self, method: str, path: str, status: int, body: Any) -> PlatformError:
        """The error for a refused call, from its JSON body (None when it had none); secrets are already
        removed from the body. Subclasses read their platform's error envelope."""
        return ApiError(f"{self.label} {method} {path} failed with HTTP {status}", status)

    def headers(self, token: str | None) -> dict[str, str]:
        """The headers every call carries."""
        found = {"Accept": "application/json"}
        if token is not None:
            found["Authorization"] = f"Bearer {token}"
        return found

    async def call(
        self,
        method: str,
        path: str,
        expect: Expect = OBJECT,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        data: Mapping[str, str] | None = None,
        files: Mapping[str, tuple[str, bytes, str]] | None = None,
        headers: Mapping[str, str] | None = None,
        idempotent: bool = False,
    ) -> Any:
        """One call: the checked JSON body of its answer, else the platform's error or `UnreadableAnswer`."""
        url = self.prefix + path
        token = await self.tokens.token() if self.tokens is not None else None
        response = await self._send(method, url, token, json, params, data, files, headers, idempotent)
        if response.status_code == 401 and self.tokens is not None:
            log.info("%s %s %s: access token refused, renewing it", self.label, method, url)
            token = await self.tokens.refreshed(token)
            response = await self._send(method, url, token, json, params, data, files, headers, idempotent)
        if response.status_code >= 400:
            body = strings_redacted(body_of(response), self.session.redact)
            raise self.error(method, url, response.status_code, body)
        return checked(response, expect, self.label, method, url)

    async def _send(
        self,
        method: str,
        url: str,
        token: str | None,
        json: Any,
        params: Mapping[str, Any] | None,
        data: Mapping[str, str] | None,
        files: Mapping[str, tuple[str, bytes, str]] | None,
        headers: Mapping[str, str] | None,
        idempotent: bool,
    ) -> httpx.Response:
        return await self.session.send(
            method,
            url,
            headers={**self.headers(token), **(headers or {})},
            json=json,
            params=params,
            data=data,
            files=files,
            idempotent=idempotent,
        )

    async def aclose(self) -> None:
        await self.session.aclose()
