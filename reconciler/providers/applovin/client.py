"""AppLovin Campaign Management wire calls (`/campaign_management/v1/`), one method per endpoint, on the kit.

Owns the AppLovin side of the wire: paths, bodies, the envelopes each answer must have (the guide's
response tables: a campaign has a `campaign_id`, targets have `countries`, lists are lists), pages and how
AppLovin words an error (`AppLovinApiError`, from `{"error": {"code", "message"}}`). Access tokens come from
a token source (`auth.TokenSource`: client credentials or a rotated third-party refresh token); the kit
renews one once on a 401, retries 429s after `Retry-After` and 5xx and timeouts for reads only, and checks
every answer. Tokens and secrets never appear in errors, logs or reprs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from reconciler.providers.kit.answers import NOTHING, Expect
from reconciler.providers.kit.client import ApiClient, ApiError
from reconciler.providers.kit.http import HttpSession
from reconciler.providers.kit.tokens import Tokens


class ClosableTokens(Tokens, Protocol):
    """A source of AppLovin tokens the client closes with itself (`auth.TokenSource`)."""

    async def aclose(self) -> None: ...


API = "/campaign_management/v1"
PAGE = 5000
"""Rows a page of `/source_bids` and `/sources` (the guide's largest example page)."""
WRITE_ROWS = 5000
"""Rows a `POST /source_bids` or `/sources` carries at most (the guide gives no limit: one page's worth)."""


class AppLovinApiError(ApiError):
    """An AppLovin call failed as a whole: HTTP status and AppLovin's error code and message."""

    auth_hint = "check the AppLovin OAuth app, its scopes (campaigns, creatives, source_bids) and the token"
    throttled_hint = "AppLovin kept throttling after the advertised waits; retry later"

    def __init__(self, method: str, path: str, status: int, code: str, message: str) -> None:
        self.code = code
        self.detail = message
        reason = f"{message} ({code})" if code else message or "no details"
        super().__init__(f"AppLovin {method} {path} failed with HTTP {status}: {reason}", status)


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
    """The list in an answer: the body itself, or its `key` member."""
    found = body.get(key) if isinstance(body, Mapping) else body
    return [r for r in found or [] if isinstance(r, dict)] if isinstance(found, list) else []


def object_of(body: Any, key: str) -> dict[str, Any]:
    """The object in an answer: its `key` member when wrapped, else the body."""
    if isinstance(body, Mapping) and isinstance(body.get(key), Mapping):
        return dict(body[key])
    return dict(body) if isinstance(body, Mapping) else {}


def rows(key: str) -> Expect:
    """A JSON list, or an object whose `key` is a list."""
    return Expect(
        what=f"a JSON list (or an object with a `{key}` list)",
        shape=lambda body: (
            isinstance(body, list) or (isinstance(body, dict) and isinstance(body.get(key), list))
        ),
    )


def record(key: str, *fields: str) -> Expect:
    """An object with one of `fields` (the guide's response table), bare or wrapped in `key`."""
    names = " or ".join(f"`{f}`" for f in fields)
    return Expect(
        what=f"a JSON object with {names}",
        shape=lambda body: isinstance(body, dict) and any(f in object_of(body, key) for f in fields),
    )


CAMPAIGN = record("campaign", "campaign_id")
TARGETS = record("campaign_targets", "countries")
CREATIVE_SET = record("creative_set", "id", "creative_set_id")
AD = record("ad", "id")


class AppLovinClient(ApiClient):
    """An authenticated AppLovin client. One per provider."""

    prefix = API

    def __init__(self, session: HttpSession, tokens: ClosableTokens) -> None:
        super().__init__(session, tokens)
        self._source = tokens

    def error(self, method: str, path: str, status: int, body: Any) -> AppLovinApiError:
        code, message = _error(body)
        return AppLovinApiError(method, path, status, code, message)

    # -- campaigns ------------------------------------------------------------------------------------

    async def campaigns(self) -> list[dict[str, Any]]:
        return rows_of(await self.call("GET", "/campaigns", rows("campaigns"), idempotent=True), "campaigns")

    async def create_campaign(self, body: Mapping[str, Any]) -> dict[str, Any]:
        return object_of(await self.call("POST", "/campaign", CAMPAIGN, json=dict(body)), "campaign")

    async def update_campaign(self, campaign_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
        return object_of(
            await self.call("POST", f"/campaign/{campaign_id}", CAMPAIGN, json=dict(body)), "campaign"
        )

    async def targets(self, campaign_id: str) -> dict[str, Any]:
        body = await self.call("GET", f"/campaign_targets/{campaign_id}", TARGETS, idempotent=True)
        return object_of(body, "campaign_targets")

    async def post_targets(self, campaign_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
        answer = await self.call(
            "POST", f"/campaign_targets/{campaign_id}", TARGETS, json=dict(body), idempotent=True
        )
        return object_of(answer, "campaign_targets")

    # -- creative sets, assets, ads ---------------------------------------------------------------------

    async def creative_sets(self, campaign_id: str) -> list[dict[str, Any]]:
        return rows_of(
            await self.call("GET", f"/creative_sets/{campaign_id}", rows("creative_sets"), idempotent=True),
            "creative_sets",
        )

    async def create_creative_set(self, body: Mapping[str, Any]) -> dict[str, Any]:
        return object_of(
            await self.call("POST", "/creative_set", CREATIVE_SET, json=dict(body)), "creative_set"
        )

    async def update_creative_set(self, creative_set_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
        answer = await self.call(
            "POST", f"/creative_set/{creative_set_id}", CREATIVE_SET, json=dict(body), idempotent=True
        )
        return object_of(answer, "creative_set")

    async def post_sizes(self, creative_set_id: str, sizes: Mapping[str, bool]) -> Any:
        return await self.call(
            "POST", f"/creative_set/{creative_set_id}/sizes", NOTHING, json=dict(sizes), idempotent=True
        )

    async def post_asset(
        self, creative_set_id: str, fields: Mapping[str, str], file: tuple[str, bytes, str] | None = None
    ) -> list[dict[str, Any]]:
        """Add, update or remove one asset (multipart form); the answer lists every asset of the set."""
        body = await self.call(
            "POST",
            f"/creative_set_assets/{creative_set_id}",
            rows("assets"),
            data=dict(fields),
            files={"file": file} if file is not None else None,
        )
        return rows_of(body, "assets")

    async def ads(self, creative_set_id: str) -> list[dict[str, Any]]:
        return rows_of(await self.call("GET", f"/ads/{creative_set_id}", rows("ads"), idempotent=True), "ads")

    async def update_ad(self, ad_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
        return object_of(await self.call("POST", f"/ad/{ad_id}", AD, json=dict(body), idempotent=True), "ad")

    # -- source bids and sources (paged) ----------------------------------------------------------------

    async def _pages(self, path: str, key: str) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        offset = 0
        while True:
            body = await self.call(
                "GET", path, rows(key), params={"limit": PAGE, "offset": offset}, idempotent=True
            )
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

    async def _post_rows(self, path: str, batch: Sequence[Mapping[str, Any]]) -> int:
        sent = 0
        for start in range(0, len(batch), WRITE_ROWS):
            await self.call(
                "POST",
                path,
                NOTHING,
                json=[dict(r) for r in batch[start : start + WRITE_ROWS]],
                idempotent=True,
            )
            sent += 1
        return sent

    async def aclose(self) -> None:
        await self._source.aclose()
        await self.session.aclose()
