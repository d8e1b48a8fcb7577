"""Criteo wire calls (API 2027-01): OAuth client credentials, throttling under 250 calls a minute, errors.

Owns the HTTP side only: paths, envelopes, the access token (cached until shortly before it expires,
renewed once on a 401), the rate limit (a sliding window below the documented limit; a 429 waits until
`x-ratelimit-reset`, as Criteo sends no Retry-After) and retries (5xx and timeouts for reads only).
A failed call raises `CriteoApiError` (a `PlatformError`) with the status and Criteo's problem
`code`/`title`/`detail`. The client secret and the access token never appear in errors, logs or reprs.
"""

from __future__ import annotations

import asyncio
import json as jsonlib
import logging
import time
from collections.abc import Mapping, Sequence
from typing import Any

import httpx

from reconciler.errors import CredentialsError, PlatformError
from reconciler.providers.base import ProviderConfig
from reconciler.providers.http import (
    Clock,
    HttpSession,
    RateLimiter,
    RetryPolicy,
    Secret,
    Sleep,
    delay_from_reset_header,
    redact,
)

log = logging.getLogger("reconciler.providers.criteo")

API = "/2027-01/marketing-solutions"
TOKEN_PATH = "/oauth2/token"
RATE_LIMIT_PER_MINUTE = 250
AUDIENCE_PAGE = 100
TOKEN_MARGIN = 60.0


def problem_text(problem: Mapping[str, Any]) -> str:
    """One Criteo problem as text: `title: detail (code)`."""
    title = str(problem.get("title") or "").strip()
    detail = str(problem.get("detail") or "").strip()
    code = str(problem.get("code") or "").strip()
    text = f"{title}: {detail}" if title and detail and detail != title else title or detail or "error"
    return f"{text} ({code})" if code else text


class CriteoApiError(PlatformError):
    """A Criteo call failed as a whole: HTTP status and Criteo's problems (no secrets)."""

    def __init__(self, method: str, path: str, status: int, problems: Sequence[Mapping[str, Any]]) -> None:
        self.status = status
        self.may_have_changed = status >= 500
        self.problems = [dict(p) for p in problems]
        first = self.problems[0] if self.problems else {}
        self.code = str(first.get("code") or "")
        self.title = str(first.get("title") or "")
        self.detail = str(first.get("detail") or "")
        reason = "; ".join(problem_text(p) for p in self.problems) or "no details"
        hint = None
        if status in (401, 403):
            hint = (
                "check the Criteo client_id/client_secret and that the application may access this advertiser"
            )
        elif status == 429:
            hint = "Criteo's rate limit (250 calls a minute) was still exceeded after waiting; retry later"
        super().__init__(f"Criteo {method} {path} failed with HTTP {status}: {reason}", hint=hint)


def _problems(body: Any) -> list[dict[str, Any]]:
    if isinstance(body, Mapping):
        errors = body.get("errors")
        if isinstance(errors, list):
            return [e for e in errors if isinstance(e, dict)]
        if "error" in body:  # OAuth style
            return [{"code": str(body.get("error")), "detail": str(body.get("error_description") or "")}]
    return []


class CriteoClient:
    """An authenticated, throttled Criteo API client. One per provider (the rate limit is per application)."""

    def __init__(
        self,
        config: ProviderConfig,
        *,
        limiter: RateLimiter | None = None,
        policy: RetryPolicy | None = None,
        clock: Clock = time.monotonic,
        wall: Clock = time.time,
        sleep: Sleep = asyncio.sleep,
        timeout: float = 30.0,
    ) -> None:
        self._client_id = config.credentials.get("client_id", "")
        self._client_secret = Secret(config.credentials.get("client_secret", ""))
        self._token: Secret | None = None
        self._token_expires = 0.0
        self._token_lock = asyncio.Lock()
        self._clock = clock
        self.token_requests = 0
        self.session = HttpSession(
            config.base_url.rstrip("/"),
            transport=config.transport,
            concurrency=config.concurrency,
            limiter=limiter or RateLimiter.per_minute(RATE_LIMIT_PER_MINUTE, clock=clock, sleep=sleep),
            policy=policy,
            throttle_delay=delay_from_reset_header("x-ratelimit-reset"),
            timeout=timeout,
            secrets=self._secrets,
            label="Criteo",
            clock=clock,
            wall=wall,
            sleep=sleep,
        )

    def __repr__(self) -> str:
        return f"CriteoClient(base_url={self.session.base_url!r})"

    def _secrets(self) -> tuple[Secret | None, ...]:
        return (self._client_secret, self._token)

    # -- auth ---------------------------------------------------------------------------------------

    async def _access_token(self, stale: Secret | None = None) -> Secret:
        async with self._token_lock:
            if self._token is not None and self._token is not stale and self._clock() < self._token_expires:
                return self._token
            if not self._client_id or not self._client_secret:
                raise CredentialsError("Criteo: credentials `client_id` and `client_secret` are required")
            self.token_requests += 1
            response = await self.session.send(
                "POST",
                TOKEN_PATH,
                data={
                    "grant_type": "client_credentials",
                    "client_id": self._client_id,
                    "client_secret": self._client_secret.reveal(),
                },
                headers={"Accept": "application/json"},
                idempotent=True,
            )
            body = self._json(response)
            token = body.get("access_token") if isinstance(body, Mapping) else None
            if response.status_code >= 400 or not isinstance(token, str) or not token:
                raise CriteoApiError("POST", TOKEN_PATH, response.status_code, self._clean(_problems(body)))
            try:
                lifetime = float(body.get("expires_in") or 900)
            except (TypeError, ValueError):
                lifetime = 900.0
            self._token = Secret(token)
            self._token_expires = self._clock() + max(lifetime - min(TOKEN_MARGIN, lifetime / 10), 1.0)
            return self._token

    # -- plumbing -----------------------------------------------------------------------------------

    def _json(self, response: httpx.Response) -> Any:
        if not response.content:
            return {}
        try:
            return response.json()
        except (jsonlib.JSONDecodeError, UnicodeDecodeError):
            return {}

    def _clean(self, problems: list[dict[str, Any]]) -> list[dict[str, Any]]:
        secrets = self._secrets()
        return [{k: redact(v, secrets) if isinstance(v, str) else v for k, v in p.items()} for p in problems]

    async def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        idempotent: bool = False,
    ) -> dict[str, Any]:
        """One call under `/2027-01/marketing-solutions`: the response envelope, or CriteoApiError."""
        url = API + path
        token = await self._access_token()
        response = await self._send(method, url, token, json, params, idempotent)
        if response.status_code == 401:
            log.info("Criteo %s %s: access token refused, fetching a new one", method, url)
            token = await self._access_token(stale=token)
            response = await self._send(method, url, token, json, params, idempotent)
        body = self._json(response)
        if response.status_code >= 400:
            raise CriteoApiError(method, url, response.status_code, self._clean(_problems(body)))
        if not isinstance(body, dict):
            raise CriteoApiError(method, url, response.status_code, [{"title": "unexpected response body"}])
        for warning in _problems({"errors": body.get("warnings")}):
            log.info("Criteo %s %s warning: %s", method, url, redact(problem_text(warning), self._secrets()))
        return body

    async def _send(
        self,
        method: str,
        url: str,
        token: Secret,
        json: Any,
        params: Mapping[str, Any] | None,
        idempotent: bool,
    ) -> httpx.Response:
        return await self.session.send(
            method,
            url,
            headers={"Authorization": f"Bearer {token.reveal()}", "Accept": "application/json"},
            json=json,
            params=params,
            idempotent=idempotent,
        )

    # -- reads ----------------------------------------------------------------------------------------

    async def search_ad_sets(
        self,
        ad_set_ids: Sequence[str] = (),
        campaign_ids: Sequence[str] = (),
        advertiser_ids: Sequence[str] = (),
    ) -> list[dict[str, Any]]:
        """Ad sets matching every given filter (one call, no pagination). No filter at all returns nothing."""
        filters = {
            k: list(dict.fromkeys(v))
            for k, v in (
                ("adSetIds", ad_set_ids),
                ("campaignIds", campaign_ids),
                ("advertiserIds", advertiser_ids),
            )
            if v
        }
        if not filters:
            return []
        body = await self.request("POST", "/ad-sets/search", json={"filters": filters}, idempotent=True)
        return [r for r in body.get("data") or [] if isinstance(r, dict)]

    async def search_campaigns(
        self, campaign_ids: Sequence[str] = (), advertiser_ids: Sequence[str] = ()
    ) -> list[dict[str, Any]]:
        """Campaigns matching every given filter (one call). No filter at all returns nothing."""
        filters = {
            k: list(dict.fromkeys(v))
            for k, v in (("campaignIds", campaign_ids), ("advertiserIds", advertiser_ids))
            if v
        }
        if not filters:
            return []
        body = await self.request("POST", "/campaigns/search", json={"filters": filters}, idempotent=True)
        return [r for r in body.get("data") or [] if isinstance(r, dict)]

    async def search_audiences(self, ad_set_ids: Sequence[str]) -> list[dict[str, Any]]:
        """Audiences linked to any of these ad sets, every page (100 a page)."""
        if not ad_set_ids:
            return []
        payload = {
            "data": {"type": "AudienceSearch", "attributes": {"adSetIds": list(dict.fromkeys(ad_set_ids))}}
        }
        found: list[dict[str, Any]] = []
        offset = 0
        while True:
            body = await self.request(
                "POST",
                "/audiences/search",
                json=payload,
                params={"limit": AUDIENCE_PAGE, "offset": offset},
                idempotent=True,
            )
            page = [r for r in body.get("data") or [] if isinstance(r, dict)]
            found.extend(page)
            meta = body.get("meta") if isinstance(body.get("meta"), dict) else {}
            total = meta.get("totalItems") if isinstance(meta, dict) else None
            offset += len(page)
            if not page or len(page) < AUDIENCE_PAGE or (isinstance(total, int) and offset >= total):
                return found

    # -- writes ---------------------------------------------------------------------------------------

    async def create_ad_set(self, attributes: Mapping[str, Any]) -> dict[str, Any]:
        body = {"data": {"type": "AdSet", "attributes": dict(attributes)}}
        return await self.request("POST", "/ad-sets", json=body)

    async def create_campaign(self, attributes: Mapping[str, Any]) -> dict[str, Any]:
        body = {"data": {"type": "Campaign", "attributes": dict(attributes)}}
        return await self.request("POST", "/campaigns", json=body)

    async def patch_ad_sets(self, items: Sequence[tuple[str, Mapping[str, Any]]]) -> dict[str, Any]:
        body = {"data": [{"id": i, "type": "PatchAdSet", "attributes": dict(a)} for i, a in items]}
        return await self.request("PATCH", "/ad-sets", json=body)

    async def patch_campaigns(self, items: Sequence[tuple[str, Mapping[str, Any]]]) -> dict[str, Any]:
        body = {"data": [{"id": i, "type": "Campaign", "attributes": dict(a)} for i, a in items]}
        return await self.request("PATCH", "/campaigns", json=body)

    async def start_ad_sets(self, ids: Sequence[str]) -> dict[str, Any]:
        body = {"data": [{"id": i, "type": "AdSetId"} for i in ids]}
        return await self.request("POST", "/ad-sets/start", json=body)

    async def stop_ad_sets(self, ids: Sequence[str]) -> dict[str, Any]:
        body = {"data": [{"id": i, "type": "AdSetId"} for i in ids]}
        return await self.request("POST", "/ad-sets/stop", json=body)

    async def link_audience(self, ad_set_id: str, audience_id: str | None) -> dict[str, Any]:
        """Link an audience to an ad set (`None` unlinks). Setting the same link twice is harmless."""
        body = {"data": {"id": ad_set_id, "type": "AdSetAudience", "attributes": {"audienceId": audience_id}}}
        return await self.request("PUT", f"/ad-sets/{ad_set_id}/audience", json=body, idempotent=True)

    async def aclose(self) -> None:
        await self.session.aclose()
