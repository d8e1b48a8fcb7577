"""AppLovin Campaign Management wire calls (`/campaign_management/v1/`): paths, bodies, pages and errors.

Owns the HTTP side only. Access tokens come from a token source (`auth.TokenSource`: client credentials
or a rotated third-party refresh token); a 401 asks it for a fresh token once. Throttling answers (429)
are retried after `Retry-After` by the shared `HttpSession`; 5xx and timeouts are retried for reads only.
A failed call raises `AppLovinApiError` (a `PlatformError`) with the status and AppLovin's
`{"error": {"code", "message"}}`. Tokens and secrets never appear in errors, logs or reprs.
"""

from __future__ import annotations

import json as jsonlib
import logging
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import httpx

from reconciler.errors import PlatformError
from reconciler.providers.kit.http import HttpSession, Secret

log = logging.getLogger("reconciler.providers.applovin")

API = "/campaign_management/v1"
PAGE = 5000
"""Rows a page of `/source_bids` and `/sources` (the guide's largest example page)."""
WRITE_ROWS = 5000
"""Rows a `POST /source_bids` or `/sources` carries at most (the guide gives no limit: one page's worth)."""


class Tokens(Protocol):
    """Where access tokens come from (`auth.TokenSource`)."""

    async def token(self) -> str: ...

    async def refreshed(self, stale: str | None = None) -> str: ...

    async def aclose(self) -> None: ...


class AppLovinApiError(PlatformError):
    """An AppLovin call failed as a whole: HTTP status and AppLovin's error code and message."""

    def __init__(self, method: str, path: str, status: int, code: str, message: str) -> None:
        self.status = status
        self.code = code
        self.detail = message
        self.may_have_changed = status >= 500
        hint = None
        if status in (401, 403):
            hint = (
                "check the AppLovin OAuth app, its scopes (campaigns, creatives, source_bids) and the token"
            )
        elif status == 429:
            hint = "AppLovin kept throttling after the advertised waits; retry later"
        reason = f"{message} ({code})" if code else message or "no details"
        super().__init__(f"AppLovin {method} {path} failed with HTTP {status}: {reason}", hint=hint)


def _error(body: Any) -> tuple[str, str]:
    if isinstance(body, Mapping):
        error = body.get("error")
        if isinstance(error, Mapping):
            return str(error.get("code") or ""), str(error.get("message") or "")
        if isinstance(error, str):
            return error, str(body.get("error_description") or body.get("message") or "")
        if body.get("message"):
            return "", str(body["message"])
    return "", ""


def rows_of(body: Any, key: str) -> list[dict[str, Any]]:
    """The list in a response: the body itself, or its `key` member."""
    found = body.get(key) if isinstance(body, Mapping) else body
    return [r for r in found or [] if isinstance(r, dict)] if isinstance(found, list) else []


def object_of(body: Any, key: str) -> dict[str, Any]:
    """The object in a response: its `key` member when wrapped, else the body."""
    if isinstance(body, Mapping) and isinstance(body.get(key), Mapping):
        return dict(body[key])
    return dict(body) if isinstance(body, Mapping) else {}


class AppLovinClient:
    """An authenticated AppLovin client. One per provider."""

    def __init__(self, session: HttpSession, tokens: Tokens) -> None:
        self.session = session
        self.tokens = tokens

    def __repr__(self) -> str:
        return f"AppLovinClient(base_url={self.session.base_url!r})"

    async def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        data: Mapping[str, str] | None = None,
        files: Mapping[str, tuple[str, bytes, str]] | None = None,
        idempotent: bool = False,
    ) -> Any:
        """One call under `/campaign_management/v1`: the decoded body, or AppLovinApiError."""
        url = API + path
        token = Secret(await self.tokens.token())
        response = await self._send(method, url, token, json, params, data, files, idempotent)
        if response.status_code == 401:
            log.info("AppLovin %s %s: access token refused, refreshing it", method, url)
            token = Secret(await self.tokens.refreshed(token.reveal()))
            response = await self._send(method, url, token, json, params, data, files, idempotent)
        body = self._json(response)
        if response.status_code >= 400:
            code, message = _error(body)
            message = self.session.redact(message.replace(token.reveal(), "***") if token else message)
            raise AppLovinApiError(method, url, response.status_code, code, message)
        return body

    async def _send(
        self,
        method: str,
        url: str,
        token: Secret,
        json: Any,
        params: Mapping[str, Any] | None,
        data: Mapping[str, str] | None,
        files: Mapping[str, tuple[str, bytes, str]] | None,
        idempotent: bool,
    ) -> httpx.Response:
        return await self.session.send(
            method,
            url,
            headers={"Authorization": f"Bearer {token.reveal()}", "Accept": "application/json"},
            json=json,
            params=params,
            data=data,
            files=files,
            idempotent=idempotent,
        )

    @staticmethod
    def _json(response: httpx.Response) -> Any:
        if not response.content:
            return {}
        try:
            return response.json()
        except (jsonlib.JSONDecodeError, UnicodeDecodeError):
            return {}

    # -- campaigns ------------------------------------------------------------------------------------

    async def campaign(self, campaign_id: str) -> dict[str, Any]:
        return object_of(await self.request("GET", f"/campaign/{campaign_id}", idempotent=True), "campaign")

    async def campaigns(self) -> list[dict[str, Any]]:
        return rows_of(await self.request("GET", "/campaigns", idempotent=True), "campaigns")

    async def create_campaign(self, body: Mapping[str, Any]) -> dict[str, Any]:
        return object_of(await self.request("POST", "/campaign", json=dict(body)), "campaign")

    async def update_campaign(self, campaign_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
        return object_of(await self.request("POST", f"/campaign/{campaign_id}", json=dict(body)), "campaign")

    async def targets(self, campaign_id: str) -> dict[str, Any]:
        body = await self.request("GET", f"/campaign_targets/{campaign_id}", idempotent=True)
        return object_of(body, "campaign_targets")

    async def post_targets(self, campaign_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
        answer = await self.request(
            "POST", f"/campaign_targets/{campaign_id}", json=dict(body), idempotent=True
        )
        return object_of(answer, "campaign_targets")

    # -- creative sets, assets, ads ---------------------------------------------------------------------

    async def creative_sets(self, campaign_id: str) -> list[dict[str, Any]]:
        return rows_of(
            await self.request("GET", f"/creative_sets/{campaign_id}", idempotent=True), "creative_sets"
        )

    async def create_creative_set(self, body: Mapping[str, Any]) -> dict[str, Any]:
        return object_of(await self.request("POST", "/creative_set", json=dict(body)), "creative_set")

    async def update_creative_set(self, creative_set_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
        answer = await self.request(
            "POST", f"/creative_set/{creative_set_id}", json=dict(body), idempotent=True
        )
        return object_of(answer, "creative_set")

    async def post_sizes(self, creative_set_id: str, sizes: Mapping[str, bool]) -> Any:
        return await self.request(
            "POST", f"/creative_set/{creative_set_id}/sizes", json=dict(sizes), idempotent=True
        )

    async def post_asset(
        self, creative_set_id: str, fields: Mapping[str, str], file: tuple[str, bytes, str] | None = None
    ) -> list[dict[str, Any]]:
        """Add, update or remove one asset (multipart form); the answer lists every asset of the set."""
        body = await self.request(
            "POST",
            f"/creative_set_assets/{creative_set_id}",
            data=dict(fields),
            files={"file": file} if file is not None else None,
        )
        return rows_of(body, "assets")

    async def ads(self, creative_set_id: str) -> list[dict[str, Any]]:
        return rows_of(await self.request("GET", f"/ads/{creative_set_id}", idempotent=True), "ads")

    async def update_ad(self, ad_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
        return object_of(await self.request("POST", f"/ad/{ad_id}", json=dict(body), idempotent=True), "ad")

    # -- source bids and sources (paged) ----------------------------------------------------------------

    async def _pages(self, path: str, key: str) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        offset = 0
        while True:
            body = await self.request("GET", path, params={"limit": PAGE, "offset": offset}, idempotent=True)
            page = rows_of(body, key)
            found.extend(page)
            offset += len(page)
            total = body.get("total_row_count") if isinstance(body, Mapping) else None
            if (
                not page
                or (isinstance(total, int) and offset >= total)
                or (total is None and len(page) < PAGE)
            ):
                return found

    async def source_bids(self, campaign_id: str) -> list[dict[str, Any]]:
        return await self._pages(f"/source_bids/{campaign_id}", "source_bids")

    async def sources(self, campaign_id: str) -> list[dict[str, Any]]:
        return await self._pages(f"/sources/{campaign_id}", "sources")

    async def post_source_bids(self, campaign_id: str, rows: Sequence[Mapping[str, Any]]) -> int:
        """Write the rows in as few requests as allowed; the number of requests made."""
        return await self._post_rows(f"/source_bids/{campaign_id}", rows)

    async def post_sources(self, campaign_id: str, rows: Sequence[Mapping[str, Any]]) -> int:
        return await self._post_rows(f"/sources/{campaign_id}", rows)

    async def _post_rows(self, path: str, rows: Sequence[Mapping[str, Any]]) -> int:
        sent = 0
        for start in range(0, len(rows), WRITE_ROWS):
            await self.request(
                "POST", path, json=[dict(r) for r in rows[start : start + WRITE_ROWS]], idempotent=True
            )
            sent += 1
        return sent

    async def aclose(self) -> None:
        await self.tokens.aclose()
        await self.session.aclose()
