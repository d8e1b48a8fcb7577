"""Criteo wire calls (API 2027-01), one method per endpoint, on the provider kit.

Owns the Criteo side of the wire: paths, bodies, envelopes and how Criteo words an error (`CriteoApiError`
with the status and Criteo's problem `code`/`title`/`detail`). The kit does the rest: the OAuth client
credentials token (cached, renewed once on a 401), the rate limit (a sliding window below 250 calls a
minute that follows the `x-ratelimit-*` headers Criteo sends; a 429 waits until `x-ratelimit-reset`, as
Criteo sends no Retry-After), retries (5xx and timeouts for reads only) and answer checks.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from reconciler.errors import CredentialsError
from reconciler.providers.base import ProviderConfig
from reconciler.providers.kit.answers import Expect, member
from reconciler.providers.kit.client import ApiClient, ApiError
from reconciler.providers.kit.http import (
    REAL_TIME,
    HttpSession,
    RateHeaders,
    RateLimiter,
    RetryPolicy,
    Secret,
    Timing,
    delay_from_reset_header,
)
from reconciler.providers.kit.tokens import TokenCache, oauth_grant

log = logging.getLogger("reconciler.providers.criteo")

API = "/2027-01/marketing-solutions"
TOKEN_PATH = "/oauth2/token"
RATE_LIMIT_PER_MINUTE = 250
RATE_HEADERS = RateHeaders("x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset")
AUDIENCE_PAGE = 100
TOKEN_LIFETIME = 900.0
DATA_LIST = member("data")
DATA_OBJECT = member("data", dict)
WRITTEN = Expect(
    what="a JSON object with a `data` list or an `errors` list",
    shape=lambda body: (
        isinstance(body, dict)
        and (isinstance(body.get("data"), list) or isinstance(body.get("errors"), list))
    ),
)


def problem_text(problem: Mapping[str, Any]) -> str:
    """One Criteo problem as text: `title: detail (code)`."""
    title = str(problem.get("title") or "").strip()
    detail = str(problem.get("detail") or "").strip()
    code = str(problem.get("code") or "").strip()
    text = f"{title}: {detail}" if title and detail and detail != title else title or detail or "error"
    return f"{text} ({code})" if code else text


def problems_of(body: Any) -> list[dict[str, Any]]:
    """The problems of an answer's `errors` (or `warnings`) list."""
    if isinstance(body, Mapping):
        errors = body.get("errors")
        if isinstance(errors, list):
            return [e for e in errors if isinstance(e, dict)]
    return []


class CriteoApiError(ApiError):
    """A Criteo call failed as a whole: HTTP status and Criteo's problems (no secrets)."""

    auth_hint = "check the Criteo client_id/client_secret and that the application may access this advertiser"
    throttled_hint = "Criteo's rate limit was still exceeded after waiting; retry later"

    def __init__(self, method: str, path: str, status: int, problems: Sequence[Mapping[str, Any]]) -> None:
        self.problems = [dict(p) for p in problems]
        first = self.problems[0] if self.problems else {}
        self.code = str(first.get("code") or "")
        self.title = str(first.get("title") or "")
        self.detail = str(first.get("detail") or "")
        reason = "; ".join(problem_text(p) for p in self.problems) or "no details"
        super().__init__(f"Criteo {method} {path} failed with HTTP {status}: {reason}", status)


class CriteoClient(ApiClient):
    """An authenticated, throttled Criteo API client. One per provider (the rate limit is per application)."""

    prefix = API

    def __init__(
        self,
        config: ProviderConfig,
        *,
        limiter: RateLimiter | None = None,
        policy: RetryPolicy | None = None,
        timing: Timing = REAL_TIME,
        timeout: float = 30.0,
    ) -> None:
        client_id = config.credentials.get("client_id", "")
        client_secret = Secret(config.credentials.get("client_secret", ""))
        session = HttpSession(
            config.base_url.rstrip("/"),
            transport=config.transport,
            concurrency=config.concurrency,
            limiter=limiter
            or RateLimiter.per_minute(RATE_LIMIT_PER_MINUTE, clock=timing.clock, sleep=timing.sleep),
            policy=policy,
            throttle_delay=delay_from_reset_header("x-ratelimit-reset"),
            rate_headers=RATE_HEADERS,
            timeout=timeout,
            secrets=lambda: (client_secret, *tokens.secrets()),
            label="Criteo",
            timing=timing,
        )

        def form() -> dict[str, str]:
            if not client_id or not client_secret:
                raise CredentialsError("Criteo: credentials `client_id` and `client_secret` are required")
            return {
                "grant_type": "client_credentials",
                "client_id": client_id,
                "client_secret": client_secret.reveal(),
            }

        tokens = TokenCache(oauth_grant(session, TOKEN_PATH, form, TOKEN_LIFETIME), clock=timing.clock)
        super().__init__(session, tokens)

    def error(self, method: str, path: str, status: int, body: Any) -> CriteoApiError:
        problems = problems_of(body)
        if not problems and isinstance(body, Mapping) and "error" in body:  # OAuth style
            problems = [{"code": str(body.get("error")), "detail": str(body.get("error_description") or "")}]
        return CriteoApiError(method, path, status, problems)

    async def _criteo(self, method: str, path: str, expect: Expect, **kwargs: Any) -> dict[str, Any]:
        body: dict[str, Any] = await self.call(method, path, expect, **kwargs)
        for warning in problems_of({"errors": body.get("warnings")}):
            log.info("Criteo %s %s warning: %s", method, path, self.session.redact(problem_text(warning)))
        return body

    # -- reads ----------------------------------------------------------------------------------------

    async def search_ad_sets(
        self,
        ad_set_ids: Sequence[str] = (),
        campaign_ids: Sequence[str] = (),
        advertiser_ids: Sequence[str] = (),
    ) -> list[dict[str, Any]]:
        """Ad sets matching every given filter (one call, no pagination). No filter at all returns nothing."""
        filters = _filters(adSetIds=ad_set_ids, campaignIds=campaign_ids, advertiserIds=advertiser_ids)
        if not filters:
            return []
        body = await self._criteo(
            "POST", "/ad-sets/search", DATA_LIST, json={"filters": filters}, idempotent=True
        )
        return [r for r in body["data"] if isinstance(r, dict)]

    async def search_campaigns(
        self, campaign_ids: Sequence[str] = (), advertiser_ids: Sequence[str] = ()
    ) -> list[dict[str, Any]]:
        """Campaigns matching every given filter (one call). No filter at all returns nothing."""
        filters = _filters(campaignIds=campaign_ids, advertiserIds=advertiser_ids)
        if not filters:
            return []
        body = await self._criteo(
            "POST", "/campaigns/search", DATA_LIST, json={"filters": filters}, idempotent=True
        )
        return [r for r in body["data"] if isinstance(r, dict)]

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
            body = await self._criteo(
                "POST",
                "/audiences/search",
                DATA_LIST,
                json=payload,
                params={"limit": AUDIENCE_PAGE, "offset": offset},
                idempotent=True,
            )
            page = [r for r in body["data"] if isinstance(r, dict)]
            found.extend(page)
            meta = body.get("meta")
            total = meta.get("totalItems") if isinstance(meta, dict) else None
            offset += len(page)
            if not page or len(page) < AUDIENCE_PAGE or (isinstance(total, int) and offset >= total):
                return found

    # -- writes ---------------------------------------------------------------------------------------

    async def create_ad_set(self, attributes: Mapping[str, Any]) -> dict[str, Any]:
        body = {"data": {"type": "AdSet", "attributes": dict(attributes)}}
        return await self._criteo("POST", "/ad-sets", DATA_OBJECT, json=body)

    async def create_campaign(self, attributes: Mapping[str, Any]) -> dict[str, Any]:
        body = {"data": {"type": "Campaign", "attributes": dict(attributes)}}
        return await self._criteo("POST", "/campaigns", DATA_OBJECT, json=body)

    async def patch_ad_sets(self, items: Sequence[tuple[str, Mapping[str, Any]]]) -> dict[str, Any]:
        body = {"data": [{"id": i, "type": "PatchAdSet", "attributes": dict(a)} for i, a in items]}
        return await self._criteo("PATCH", "/ad-sets", WRITTEN, json=body)

    async def patch_campaigns(self, items: Sequence[tuple[str, Mapping[str, Any]]]) -> dict[str, Any]:
        body = {"data": [{"id": i, "type": "Campaign", "attributes": dict(a)} for i, a in items]}
        return await self._criteo("PATCH", "/campaigns", WRITTEN, json=body)

    async def start_ad_sets(self, ids: Sequence[str]) -> dict[str, Any]:
        body = {"data": [{"id": i, "type": "AdSetId"} for i in ids]}
        return await self._criteo("POST", "/ad-sets/start", WRITTEN, json=body)

    async def stop_ad_sets(self, ids: Sequence[str]) -> dict[str, Any]:
        body = {"data": [{"id": i, "type": "AdSetId"} for i in ids]}
        return await self._criteo("POST", "/ad-sets/stop", WRITTEN, json=body)

    async def link_audience(self, ad_set_id: str, audience_id: str | None) -> dict[str, Any]:
        """Link an audience to an ad set (`None` unlinks). Setting the same link twice is harmless."""
        body = {"data": {"id": ad_set_id, "type": "AdSetAudience", "attributes": {"audienceId": audience_id}}}
        return await self._criteo("PUT", f"/ad-sets/{ad_set_id}/audience", DATA_OBJECT, json=body)


def _filters(**given: Sequence[str]) -> dict[str, list[str]]:
    return {name: list(dict.fromkeys(values)) for name, values in given.items() if values}
