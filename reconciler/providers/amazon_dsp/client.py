"""Amazon DSP wire calls (Amazon Ads API `/dsp/v1`) on the provider kit.

Owns the Amazon side of the wire: the three headers every call carries (`Authorization`,
`Amazon-Advertising-API-ClientId`, `Amazon-Ads-AccountId`), `list_all` over `maxResults`/`nextToken`
pages, and how Amazon words an error (`AmazonApiError`). The kit does the rest: the Login with Amazon
token (refresh-token grant at `{auth host}/auth/o2/token`, cached, renewed once on a 401), retries (429
after `Retry-After`; 5xx and timeouts for idempotent calls) and answer checks. A 207 answer is returned
as it is: the provider reads its `success` and `error` items.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from typing import Any

from reconciler.errors import CredentialsError
from reconciler.providers.base import ProviderConfig
from reconciler.providers.kit.answers import Expect, member
from reconciler.providers.kit.client import ApiClient, ApiError
from reconciler.providers.kit.http import Clock, HttpSession, RetryPolicy, Secret, Sleep
from reconciler.providers.kit.tokens import TokenCache, oauth_grant

TOKEN_PATH = "/auth/o2/token"
PAGE_SIZE = 100
TOKEN_LIFETIME = 3600.0
SANDBOX_CREDENTIAL = "sandbox"
ANSWER = Expect(statuses=frozenset({200, 201, 207}))
"""Any JSON object, a multi-status answer (207) included."""


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


class AmazonApiError(ApiError):
    """An Amazon DSP call failed as a whole: HTTP status and Amazon's message (no secrets)."""

    def __init__(self, method: str, path: str, status: int, message: str) -> None:
        self.detail = message or "no details"
        hint = None
        if status in (401, 403):
            hint = (
                "check the Login with Amazon client_id, client_secret and refresh_token, and that they may "
                "access this DSP advertiser (advertiserId)"
            )
        elif status == 429:
            hint = "Amazon kept throttling after several retries; run again later"
        super().__init__(f"Amazon DSP {method} {path} failed with HTTP {status}: {self.detail}", status, hint)


class AmazonDspClient(ApiClient):
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
        self.client_id = credentials.get("client_id") or fallback
        client_secret = Secret(credentials.get("client_secret") or fallback)
        refresh_token = Secret(credentials.get("refresh_token") or fallback)
        session = HttpSession(
            base,
            transport=config.transport,
            concurrency=config.concurrency,
            policy=policy,
            timeout=timeout,
            secrets=lambda: (client_secret, refresh_token, *tokens.secrets()),
            label="Amazon DSP",
            clock=clock,
            wall=wall,
            sleep=sleep,
        )

        def form() -> dict[str, str]:
            if not (self.client_id and client_secret and refresh_token):
                raise CredentialsError(
                    "Amazon DSP: credentials `client_id`, `client_secret` and `refresh_token` are required"
                )
            return {
                "grant_type": "refresh_token",
                "refresh_token": refresh_token.reveal(),
                "client_id": self.client_id,
                "client_secret": client_secret.reveal(),
            }

        token_url = (config.auth_url or base).rstrip("/") + TOKEN_PATH
        tokens = TokenCache(oauth_grant(session, token_url, form, TOKEN_LIFETIME), clock=clock)
        super().__init__(session, tokens)

    @property
    def token_requests(self) -> int:
        assert isinstance(self.tokens, TokenCache)
        return self.tokens.requests

    def error(self, method: str, path: str, status: int, body: Any) -> AmazonApiError:
        return AmazonApiError(method, path, status, error_text(body))

    def headers(self, token: str | None) -> dict[str, str]:
        return {**super().headers(token), "Amazon-Advertising-API-ClientId": self.client_id}

    async def request(
        self,
        method: str,
        path: str,
        advertiser_id: str,
        *,
        json: Any = None,
        idempotent: bool = False,
        expect: Expect = ANSWER,
    ) -> dict[str, Any]:
        """One call for one advertiser: the checked answer (a 207 included), or AmazonApiError."""
        body: dict[str, Any] = await self.call(
            method,
            path,
            expect,
            json=json,
            headers={"Amazon-Ads-AccountId": advertiser_id},
            idempotent=idempotent,
        )
        return body

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
            page = await self.request(
                "POST", path, advertiser_id, json=page_body, idempotent=True, expect=member(key)
            )
            found.extend(item for item in page[key] if isinstance(item, dict))
            next_token = page.get("nextToken")
            if not isinstance(next_token, str) or not next_token or next_token == token:
                return found
            token = next_token

    async def get(self, path: str, advertiser_id: str) -> dict[str, Any]:
        return await self.request("GET", path, advertiser_id, idempotent=True)
