"""Amazon DSP wire calls (Amazon Ads API `/dsp/v1`), one method per endpoint, on the provider kit.

Owns the Amazon side of the wire: paths, bodies and envelopes, the three headers every call carries
(`Authorization`, `Amazon-Advertising-API-ClientId`, `Amazon-Ads-AccountId`: the advertiser), `POST .../list`
reads over `maxResults`/`nextToken` pages of 100, id filters, and how Amazon words an error
(`AmazonApiError`). The kit does the rest: the Login with Amazon token (refresh-token grant at
`{auth host}/auth/o2/token`, cached, renewed once on a 401), retries (429 after `Retry-After`; 5xx and
timeouts for idempotent calls) and answer checks. A write answers 207: its `success` and `error` items are
the caller's to read (writes.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from typing import Any

from reconciler.errors import CredentialsError
from reconciler.providers.base import ProviderConfig
from reconciler.providers.kit.answers import Expect, member
from reconciler.providers.kit.client import ApiClient, ApiError
from reconciler.providers.kit.http import REAL_TIME, HttpSession, RetryPolicy, Secret, Timing
from reconciler.providers.kit.tokens import TokenCache, oauth_grant

TOKEN_PATH = "/auth/o2/token"
TOKEN_LIFETIME = 3600.0
SANDBOX_CREDENTIAL = "sandbox"
PAGE_SIZE = 100
"""FACTS.md: list reads "return at most 100 items a page with nextToken/maxResults"."""
ASSOCIATION_FILTER = 20
"""The creative association guide: "Each filter supports up to 20 items" (association, moderation lists)."""
IDS_PER_FILTER = 1000
"""Ids a campaign, ad group or target list filter carries: the guides state no limit; ours keeps a request
small while every page but a filter's last is full."""
CONVERSIONS_BATCH = 100
"""Changes a `conversionDefinitionAssociations` request carries (the Conversions API: 1 to 100 items)."""
ANSWER = Expect(statuses=frozenset({200, 201, 207}))
"""Any JSON object, a multi-status answer (207) included."""

CAMPAIGNS = "/dsp/v1/campaigns"
AD_GROUPS = "/dsp/v1/adGroups"
TARGETS = "/dsp/v1/targets"
ASSOCIATIONS = "/dsp/v1/adCreatives/associations/adGroups"

Row = dict[str, Any]


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


def index_of(entry: Mapping[str, Any]) -> int | None:
    """The `index` of a 207 answer's `success` or `error` item: the request item it is about."""
    try:
        return int(entry.get("index"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def item_errors(answer: Mapping[str, Any]) -> dict[int | None, list[str]]:
    """The messages of a 207 answer's `error` items, by the index of the request item each names."""
    found: dict[int | None, list[str]] = {}
    for entry in answer.get("error") or []:
        if isinstance(entry, Mapping):
            found.setdefault(index_of(entry), []).append(error_text(entry))
    return found


class AmazonApiError(ApiError):
    """An Amazon DSP call failed as a whole: HTTP status and Amazon's message (no secrets)."""

    auth_hint = (
        "check the Login with Amazon client_id, client_secret and refresh_token, and that they may "
        "access this DSP advertiser (advertiserId)"
    )
    throttled_hint = "Amazon kept throttling after several retries; run again later"

    def __init__(self, method: str, path: str, status: int, message: str) -> None:
        self.detail = message or "no details"
        super().__init__(f"Amazon DSP {method} {path} failed with HTTP {status}: {self.detail}", status)


def _chunks(ids: Sequence[str], size: int) -> list[list[str]]:
    unique = list(dict.fromkeys(i for i in ids if i))
    return [unique[i : i + size] for i in range(0, len(unique), size)]


def _total(page: Mapping[str, Any]) -> int | None:
    """A list answer's `totalResults` (a number, or a number as text as in the association guide)."""
    value = page.get("totalResults")
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    return int(value) if isinstance(value, str) and value.strip().isdigit() else None


class AmazonDspClient(ApiClient):
    """An authenticated Amazon DSP API client; one per provider (the token is per client id)."""

    def __init__(
        self,
        config: ProviderConfig,
        *,
        policy: RetryPolicy | None = None,
        timing: Timing = REAL_TIME,
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
            timing=timing,
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
        tokens = TokenCache(oauth_grant(session, token_url, form, TOKEN_LIFETIME), clock=timing.clock)
        super().__init__(session, tokens)

    def error(self, method: str, path: str, status: int, body: Any) -> AmazonApiError:
        return AmazonApiError(method, path, status, error_text(body))

    def headers(self, token: str | None) -> dict[str, str]:
        return {**super().headers(token), "Amazon-Advertising-API-ClientId": self.client_id}

    async def _amazon(
        self,
        method: str,
        path: str,
        advertiser: str,
        body: Any,
        expect: Expect = ANSWER,
        idempotent: bool = False,
        params: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """One call for one advertiser: the checked answer (a 207 included), or AmazonApiError."""
        answer: dict[str, Any] = await self.call(
            method,
            path,
            expect,
            json=body,
            params=params,
            headers={"Amazon-Ads-AccountId": advertiser},
            idempotent=idempotent,
        )
        return answer

    # -- list reads -----------------------------------------------------------------------------------

    async def _page(
        self, path: str, advertiser: str, body: Mapping[str, Any], key: str, token: str | None
    ) -> tuple[list[Row], str | None, int | None]:
        """One page of a list: (its rows, the next page's token or None, `totalResults` if given)."""
        page_body = {**body, "maxResults": PAGE_SIZE, **({"nextToken": token} if token else {})}
        page = await self._amazon("POST", path, advertiser, page_body, member(key), idempotent=True)
        rows = [item for item in page[key] if isinstance(item, dict)]
        following = page.get("nextToken")
        following = following if isinstance(following, str) and following and following != token else None
        return rows, following, _total(page)

    async def _pages(
        self, path: str, advertiser: str, body: Mapping[str, Any], key: str, token: str | None = None
    ) -> list[Row]:
        """Every row of a list from the page `token` names (the first when None)."""
        found: list[Row] = []
        while True:
            rows, token, _ = await self._page(path, advertiser, body, key, token)
            found.extend(rows)
            if token is None:
                return found

    async def _by_ids(
        self,
        path: str,
        advertiser: str,
        name: str,
        ids: Sequence[str],
        key: str,
        size: int = IDS_PER_FILTER,
        **extra: Any,
    ) -> list[Row]:
        """Every row matching these ids (`{name: {"include": ids}}`), `size` ids a filter, concurrently."""
        pages = await asyncio.gather(
            *(
                self._pages(path, advertiser, {name: {"include": chunk}, **extra}, key)
                for chunk in _chunks(ids, size)
            )
        )
        return [row for page in pages for row in page]

    async def list_campaigns(self, advertiser: str, ids: Sequence[str] | None = None) -> list[Row]:
        """`POST /dsp/v1/campaigns/list`: these campaigns (every campaign of the advertiser when None)."""
        if ids is None:
            return await self._pages(CAMPAIGNS + "/list", advertiser, {}, "campaigns")
        return await self._by_ids(CAMPAIGNS + "/list", advertiser, "campaignIdFilter", ids, "campaigns")

    async def list_ad_groups(
        self, advertiser: str, ids: Sequence[str] = (), campaign_ids: Sequence[str] = ()
    ) -> list[Row]:
        """`POST /dsp/v1/adGroups/list`: these ad groups and those of these campaigns."""
        path = AD_GROUPS + "/list"
        found = await asyncio.gather(
            self._by_ids(path, advertiser, "adGroupIdFilter", ids, "adGroups"),
            self._by_ids(path, advertiser, "campaignIdFilter", campaign_ids, "adGroups"),
        )
        return [row for rows in found for row in rows]

    async def list_targets(
        self, advertiser: str, ad_group_ids: Sequence[str], types: Sequence[str]
    ) -> list[Row]:
        """`POST /dsp/v1/targets/list`: the targets of these wire types on these ad groups."""
        chunks = _chunks(ad_group_ids, IDS_PER_FILTER)
        pages = await asyncio.gather(
            *(
                self._pages(
                    TARGETS + "/list",
                    advertiser,
                    {"filters": {"adGroupIdFilter": chunk, "targetTypeFilter": sorted(set(types))}},
                    "targets",
                )
                for chunk in chunks
            )
        )
        return [row for page in pages for row in page]

    async def list_associations(self, advertiser: str, ad_group_ids: Sequence[str]) -> list[Row]:
        """`POST .../associations/adGroups/list`: the associations of these ad groups, in the fewest calls.

        A filter holds at most 20 ad groups, and an answer at most 100 associations. For more than 20 ad
        groups, the advertiser's whole list is read (pages of 100) when its `totalResults` says that takes
        no more calls than one filtered call per 20 ad groups; else filtered calls follow the first page."""
        wanted = set(ad_group_ids)
        path = ASSOCIATIONS + "/list"
        if len(wanted) <= ASSOCIATION_FILTER:
            return await self._by_ids(
                path, advertiser, "adGroupIdFilter", sorted(wanted), "associations", ASSOCIATION_FILTER
            )
        rows, token, total = await self._page(path, advertiser, {}, "associations", None)
        filtered_calls = -(-len(wanted) // ASSOCIATION_FILTER)
        if total is not None and -(-total // PAGE_SIZE) <= filtered_calls:
            if token is not None:
                rows += await self._pages(path, advertiser, {}, "associations", token)
            return [row for row in rows if str(row.get("adGroupId")) in wanted]
        return await self._by_ids(
            path, advertiser, "adGroupIdFilter", sorted(wanted), "associations", ASSOCIATION_FILTER
        )

    async def list_moderations(self, advertiser: str, pairs: Sequence[tuple[str, str]]) -> list[Row]:
        """`POST .../associations/adGroups/moderations/list` for these (ad group, creative) pairs, 20 a
        call (both filters given: only associations with both ids answer)."""
        path = ASSOCIATIONS + "/moderations/list"
        chunks = [pairs[i : i + ASSOCIATION_FILTER] for i in range(0, len(pairs), ASSOCIATION_FILTER)]
        pages = await asyncio.gather(
            *(
                self._pages(
                    path,
                    advertiser,
                    {
                        "adGroupIdFilter": {"include": list(dict.fromkeys(p[0] for p in chunk))},
                        "adCreativeIdFilter": {"include": list(dict.fromkeys(p[1] for p in chunk))},
                    },
                    "associationStatuses",
                )
                for chunk in chunks
            )
        )
        return [row for page in pages for row in page]

    async def list_flights(self, advertiser: str, campaign_id: str) -> list[Row]:
        """`POST /dsp/v1/campaigns/{id}/flights/list`."""
        return await self._pages(f"{CAMPAIGNS}/{campaign_id}/flights/list", advertiser, {}, "flights")

    async def tracked_products(self, advertiser: str, campaign_id: str) -> list[Row]:
        """`GET /dsp/v1/campaigns/{id}/conversionTracking/products`."""
        path = f"{CAMPAIGNS}/{campaign_id}/conversionTracking/products"
        body = await self._amazon("GET", path, advertiser, None, idempotent=True)
        rows = body.get("productTrackingList") or body.get("products") or []
        return [r for r in rows if isinstance(r, dict)]

    # -- off-Amazon conversions (the campaign guide's step 5; `accounts/{accountId}` is the advertiser) ---

    async def conversion_definitions(self, advertiser: str) -> list[Row]:
        """`POST accounts/{accountId}/dsp/conversionDefinitions/list`: the advertiser's definitions."""
        path = f"/accounts/{advertiser}/dsp/conversionDefinitions/list"
        return await self._pages(path, advertiser, {}, "conversionDefinitions")

    async def conversion_associations(self, advertiser: str, campaign_id: str) -> list[Row]:
        """`GET accounts/{accountId}/dsp/orders/{orderId}/conversionDefinitionAssociations`: the
        campaign's conversion definitions `{"id", "isOptimized"}`, pages of 100 (`maxResults` and
        `nextToken` in the query)."""
        path = f"/accounts/{advertiser}/dsp/orders/{campaign_id}/conversionDefinitionAssociations"
        found: list[Row] = []
        token: str | None = None
        while True:
            params = {"maxResults": PAGE_SIZE, **({"nextToken": token} if token else {})}
            expect = member("conversionDefinitions")
            page = await self._amazon("GET", path, advertiser, None, expect, idempotent=True, params=params)
            found += [row for row in page["conversionDefinitions"] if isinstance(row, dict)]
            following = page.get("nextToken")
            if not isinstance(following, str) or not following or following == token:
                return found
            token = following

    async def update_conversion_associations(
        self, advertiser: str, campaign_id: str, changes: Sequence[Row]
    ) -> dict[str, Any]:
        """`POST .../orders/{orderId}/conversionDefinitionAssociations`: a JSON array of
        `{"conversionDefinitionId", "operation": "ADD"|"REMOVE", "isOptimized"}` (at most 100); 207 with
        `success` and `error` items."""
        path = f"/accounts/{advertiser}/dsp/orders/{campaign_id}/conversionDefinitionAssociations"
        return await self._amazon("POST", path, advertiser, list(changes))

    # -- discovery (filters `[{"field", "value", "include"}]`: values of one field are OR-ed) -------------

    async def find_locations(self, advertiser: str, filters: Sequence[Mapping[str, Any]]) -> list[Row]:
        """`POST /dsp/v1/geoLocations/list`."""
        return await self._pages(
            "/dsp/v1/geoLocations/list", advertiser, {"filters": filters}, "geoLocations"
        )

    async def find_audiences(self, advertiser: str, filters: Sequence[Mapping[str, Any]]) -> list[Row]:
        """`POST /dsp/v1/audiences/list`."""
        return await self._pages("/dsp/v1/audiences/list", advertiser, {"filters": filters}, "audiences")

    async def find_product_categories(
        self, advertiser: str, filters: Sequence[Mapping[str, Any]]
    ) -> list[Row]:
        """`POST /dsp/v1/advertisedProductCategories/list`."""
        path, key = "/dsp/v1/advertisedProductCategories/list", "advertisedProductCategories"
        return await self._pages(path, advertiser, {"filters": filters}, key)

    async def find_creatives(self, advertiser: str, filters: Sequence[Mapping[str, Any]]) -> list[Row]:
        """`POST /dsp/v1/adCreatives/list`."""
        return await self._pages("/dsp/v1/adCreatives/list", advertiser, {"filters": filters}, "adCreatives")

    # -- writes (each answers 207 with `success` and `error` items by `index`) ----------------------------

    async def create_campaigns(self, advertiser: str, campaigns: Sequence[Row]) -> dict[str, Any]:
        return await self._amazon("POST", CAMPAIGNS, advertiser, {"campaigns": list(campaigns)})

    async def patch_campaigns(self, advertiser: str, campaigns: Sequence[Row]) -> dict[str, Any]:
        return await self._amazon("PATCH", CAMPAIGNS, advertiser, {"campaigns": list(campaigns)})

    async def create_ad_groups(self, advertiser: str, ad_groups: Sequence[Row]) -> dict[str, Any]:
        return await self._amazon("POST", AD_GROUPS, advertiser, {"adGroups": list(ad_groups)})

    async def patch_ad_groups(self, advertiser: str, ad_groups: Sequence[Row]) -> dict[str, Any]:
        return await self._amazon("PATCH", AD_GROUPS, advertiser, {"adGroups": list(ad_groups)})

    async def create_flights(
        self, advertiser: str, campaign_id: str, flights: Sequence[Row]
    ) -> dict[str, Any]:
        path = f"{CAMPAIGNS}/{campaign_id}/flights"
        return await self._amazon("POST", path, advertiser, {"flights": list(flights)})

    async def patch_flights(
        self, advertiser: str, campaign_id: str, flights: Sequence[Row]
    ) -> dict[str, Any]:
        path = f"{CAMPAIGNS}/{campaign_id}/flights"
        return await self._amazon("PATCH", path, advertiser, {"flights": list(flights)}, idempotent=True)

    async def delete_flights(
        self, advertiser: str, campaign_id: str, flight_ids: Sequence[str]
    ) -> dict[str, Any]:
        path = f"{CAMPAIGNS}/{campaign_id}/flights/delete"
        return await self._amazon("POST", path, advertiser, {"flightIds": list(flight_ids)})

    async def add_products(
        self, advertiser: str, campaign_id: str, products: Sequence[Row]
    ) -> dict[str, Any]:
        path = f"{CAMPAIGNS}/{campaign_id}/conversionTracking/products"
        return await self._amazon("POST", path, advertiser, {"productTrackingList": list(products)})

    async def delete_products(
        self, advertiser: str, campaign_id: str, products: Sequence[Row]
    ) -> dict[str, Any]:
        path = f"{CAMPAIGNS}/{campaign_id}/conversionTracking/products/delete"
        return await self._amazon("POST", path, advertiser, {"productTrackingList": list(products)})

    async def create_targets(self, advertiser: str, targets: Sequence[Row]) -> dict[str, Any]:
        return await self._amazon("POST", TARGETS, advertiser, {"targets": list(targets)})

    async def delete_targets(self, advertiser: str, targets: Sequence[Row]) -> dict[str, Any]:
        """`POST /dsp/v1/targets/deleteByObject`: the targets as they were posted."""
        return await self._amazon("POST", TARGETS + "/deleteByObject", advertiser, {"targets": list(targets)})

    async def create_associations(self, advertiser: str, associations: Sequence[Row]) -> dict[str, Any]:
        return await self._amazon("POST", ASSOCIATIONS, advertiser, {"associations": list(associations)})

    async def patch_associations(self, advertiser: str, associations: Sequence[Row]) -> dict[str, Any]:
        return await self._amazon("PATCH", ASSOCIATIONS, advertiser, {"associations": list(associations)})

    async def delete_associations(self, advertiser: str, associations: Sequence[Row]) -> dict[str, Any]:
        """`POST .../associations/adGroups/delete`: `{"adGroupId", "adCreativeId"}` pairs."""
        path = ASSOCIATIONS + "/delete"
        return await self._amazon("POST", path, advertiser, {"associations": list(associations)})
