"""Amazon DSP wire calls (Amazon Ads API `/dsp/v1`): Login with Amazon, headers, pagination, errors.

Owns the HTTP side only: the access token (refresh-token grant at `{auth host}/auth/o2/token`, cached
until shortly before it expires, renewed once on a 401), the three headers every call carries
(`Authorization`, `Amazon-Advertising-API-ClientId`, `Amazon-Ads-AccountId`), retries through the shared
`HttpSession` (429 after `Retry-After`; 5xx and timeouts for idempotent calls), `list_all` over
`maxResults`/`nextToken` pages, and `AmazonApiError` for a call that failed as a whole. A 207 answer is
returned as is: the provider reads its `success` and `error` items. Secrets never appear in messages.
"""

from __future__ import annotations

import asyncio
import json as jsonlib
import logging
import time
from collections.abc import Mapping
from typing import Any

import httpx

from reconciler.errors import CredentialsError, PlatformError
from reconciler.providers.base import ProviderConfig
from reconciler.providers.kit.http import Clock, HttpSession, RetryPolicy, Secret, Sleep

log = logging.getLogger("reconciler.providers.amazon_dsp")

TOKEN_PATH = "/auth/o2/token"
PAGE_SIZE = 100
TOKEN_MARGIN = 60.0
SANDBOX_CREDENTIAL = "sandbox"


def error_text(body: Any) -> str:
    """The platform's message in an error body (Amazon uses several envelopes), without the noise."""
    if isinstance(body, Mapping):
        for key in ("errorMessage", "message", "description", "error_description", "details"):
            value = body.get(key)
            if isinstance(value, str) and value.strip():
                code = body.get("errorCode") or body.get("code") or body.get("error")
                return f"{value.strip()} ({code})" if isinstance(code, str) and code else value.strip()
        for key in ("errors", "error"):
            nested = body.get(key)
            if isinstance(nested, list) and nested:
                return "; ".join(error_text(item) for item in nested)
            if isinstance(nested, str) and nested:
                return nested
    return ""


class AmazonApiError(PlatformError):
    """An Amazon DSP call failed as a whole: HTTP status and Amazon's message (no secrets)."""

    def __init__(self, method: str, path: str, status: int, message: str) -> None:
        self.status = status
        self.may_have_changed = status >= 500
        self.detail = message or "no details"
        hint = None
        if status in (401, 403):
            hint = (
                "check the Login with Amazon client_id, client_secret and refresh_token, and that they may "
                "access this DSP advertiser (advertiserId)"
            )
        elif status == 429:
            hint = "Amazon kept throttling after several retries; run again later"
        super().__init__(f"Amazon DSP {method} {path} failed with HTTP {status}: {self.detail}", hint=hint)


class AmazonDspClient:
    """An authenticated Amazon DSP API client; one per provider (the token is per client id)."""

    def __init__(
        self,
        config: ProviderConfig,
        *,
        policy: RetryPolicy | None = None,
        clock: Clock = time.monotonic,
        wall: Clock = time.time,
        sleep: Sleep = asyncio.sleep,
        timeout: float = 30.0,
    ) -> None:
        base = config.base_url.rstrip("/")
        sandbox = config.transport is not None or base.endswith("/amazon-dsp")
        fallback = SANDBOX_CREDENTIAL if sandbox else ""
        credentials = config.credentials
        self._client_id = credentials.get("client_id") or fallback
        self._client_secret = Secret(credentials.get("client_secret") or fallback)
        self._refresh_token = Secret(credentials.get("refresh_token") or fallback)
        self._token_url = (config.auth_url or base).rstrip("/") + TOKEN_PATH
        self._token: Secret | None = None
        self._token_expires = 0.0
        self._token_lock = asyncio.Lock()
        self._clock = clock
        self.token_requests = 0
        self.session = HttpSession(
            base,
            transport=config.transport,
            concurrency=config.concurrency,
            policy=policy,
            timeout=timeout,
            secrets=self._secrets,
            label="Amazon DSP",
            clock=clock,
            wall=wall,
            sleep=sleep,
        )

    def __repr__(self) -> str:
        return f"AmazonDspClient(base_url={self.session.base_url!r})"

    def _secrets(self) -> tuple[Secret | None, ...]:
        return (self._client_secret, self._refresh_token, self._token)

    # -- auth ---------------------------------------------------------------------------------------

    async def _access_token(self, stale: Secret | None = None) -> Secret:
        async with self._token_lock:
            if self._token is not None and self._token is not stale and self._clock() < self._token_expires:
                return self._token
            if not (self._client_id and self._client_secret and self._refresh_token):
                raise CredentialsError(
                    "Amazon DSP: credentials `client_id`, `client_secret` and `refresh_token` are required"
                )
            self.token_requests += 1
            response = await self.session.send(
                "POST",
                self._token_url,
                data={
                    "grant_type": "refresh_token",
                    "refresh_token": self._refresh_token.reveal(),
                    "client_id": self._client_id,
                    "client_secret": self._client_secret.reveal(),
                },
                headers={"Accept": "application/json"},
                idempotent=True,
            )
            body = _json(response)
            token = body.get("access_token") if isinstance(body, Mapping) else None
            if response.status_code >= 400 or not isinstance(token, str) or not token:
                raise AmazonApiError(
                    "POST", TOKEN_PATH, response.status_code, self.session.redact(error_text(body))
                )
            try:
                lifetime = float(body.get("expires_in") or 3600)
            except (TypeError, ValueError):
                lifetime = 3600.0
            self._token = Secret(token)
            self._token_expires = self._clock() + max(lifetime - min(TOKEN_MARGIN, lifetime / 10), 1.0)
            return self._token

    # -- calls --------------------------------------------------------------------------------------

    async def request(
        self,
        method: str,
        path: str,
        advertiser_id: str,
        *,
        json: Any = None,
        idempotent: bool = False,
    ) -> dict[str, Any]:
        """One call for one advertiser: the response body (a 207 included), or AmazonApiError."""
        token = await self._access_token()
        response = await self._send(method, path, advertiser_id, token, json, idempotent)
        if response.status_code == 401:
            log.info("Amazon DSP %s %s: access token refused, fetching a new one", method, path)
            token = await self._access_token(stale=token)
            response = await self._send(method, path, advertiser_id, token, json, idempotent)
        body = _json(response)
        if response.status_code >= 400:
            raise AmazonApiError(method, path, response.status_code, self.session.redact(error_text(body)))
        if not isinstance(body, dict):
            raise AmazonApiError(method, path, response.status_code, "unexpected response body")
        return body

    async def _send(
        self, method: str, path: str, advertiser_id: str, token: Secret, json: Any, idempotent: bool
    ) -> httpx.Response:
        headers = {
            "Authorization": f"Bearer {token.reveal()}",
            "Amazon-Advertising-API-ClientId": self._client_id,
            "Amazon-Ads-AccountId": advertiser_id,
            "Accept": "application/json",
        }
        return await self.session.send(method, path, headers=headers, json=json, idempotent=idempotent)

    async def list_all(
        self, path: str, advertiser_id: str, body: Mapping[str, Any], key: str
    ) -> list[dict[str, Any]]:
        """Every item of a `POST .../list` read, page after page (100 a page)."""
        found: list[dict[str, Any]] = []
        token: str | None = None
        while True:
            page_body = {**body, "maxResults": PAGE_SIZE}
            if token:
                page_body["nextToken"] = token
            page = await self.request("POST", path, advertiser_id, json=page_body, idempotent=True)
            found.extend(item for item in page.get(key) or [] if isinstance(item, dict))
            next_token = page.get("nextToken")
            if not isinstance(next_token, str) or not next_token or next_token == token:
                return found
            token = next_token

    async def get(self, path: str, advertiser_id: str) -> dict[str, Any]:
        return await self.request("GET", path, advertiser_id, idempotent=True)

    async def aclose(self) -> None:
        await self.session.aclose()


def _json(response: httpx.Response) -> Any:
    if not response.content:
        return {}
    try:
        return response.json()
    except (jsonlib.JSONDecodeError, UnicodeDecodeError):
        return {}
