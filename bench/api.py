"""Small clients of the three platform APIs as the sandbox serves them, written from the vendor guides (not
from reconciler): each gets its token, sends the headers its platform requires, and waits out a 429 (the
`Retry-After` seconds, or until Criteo's `x-ratelimit-reset`). Used by the naive client and the audits.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any, Self

import httpx

AMAZON_ADVERTISER_HEADER = "Amazon-Ads-AccountId"
CRITEO_VERSION = "/2027-01/marketing-solutions"
APPLOVIN_API = "/campaign_management/v1"


class Api:
    """One platform's client: `call` returns the decoded JSON answer, or raises on a non-2xx status."""

    def __init__(self, base: str, concurrency: int = 10) -> None:
        self.client = httpx.AsyncClient(base_url=base, timeout=120)
        self.gate = asyncio.Semaphore(concurrency)
        self.headers: dict[str, str] = {}
        self.calls = 0
        self.throttled = 0

    async def __aenter__(self) -> Self:
        await self.login()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.client.aclose()

    async def login(self) -> None:
        raise NotImplementedError

    async def call(self, method: str, path: str, **kwargs: Any) -> Any:
        async with self.gate:
            while True:
                self.calls += 1
                answer = await self.client.request(method, path, headers=self.headers, **kwargs)
                if answer.status_code != 429:
                    break
                self.throttled += 1
                await asyncio.sleep(_wait(answer))
        if answer.status_code >= 300:
            raise RuntimeError(f"{method} {path} -> {answer.status_code}: {answer.text[:500]}")
        return answer.json() if answer.content else None


def _wait(answer: httpx.Response) -> float:
    if "retry-after" in answer.headers:
        return max(0.05, float(answer.headers["retry-after"]))
    if "x-ratelimit-reset" in answer.headers:
        return max(0.05, float(answer.headers["x-ratelimit-reset"]) - time.time() + 0.05)
    return 1.0


class Amazon(Api):
    """Amazon Ads API (`/dsp/v1`): Login with Amazon refresh-token grant, client id and account headers."""

    def __init__(self, base: str, advertiser: str, client_id: str, concurrency: int = 10) -> None:
        super().__init__(base, concurrency)
        self.advertiser = advertiser
        self.client_id = client_id

    async def login(self) -> None:
        form = {
            "grant_type": "refresh_token",
            "refresh_token": "Atzr|bench",
            "client_id": self.client_id,
            "client_secret": "bench",
        }
        token = (await self.client.post("/auth/o2/token", data=form)).json()["access_token"]
        self.headers = {
            "Authorization": f"Bearer {token}",
            "Amazon-Advertising-API-ClientId": self.client_id,
            AMAZON_ADVERTISER_HEADER: self.advertiser,
        }

    async def listing(self, path: str, body: dict[str, Any], key: str) -> list[dict[str, Any]]:
        """Every item of a `POST .../list`, page after page."""
        found: list[dict[str, Any]] = []
        token = None
        while True:
            paging = {"maxResults": 100, **({"nextToken": token} if token else {})}
            page = await self.call("POST", path, json={**body, **paging})
            found.extend(page.get(key) or [])
            token = page.get("nextToken")
            if not token:
                return found


class Criteo(Api):
    """Criteo Marketing Solutions 2027-01: client-credentials token, the `{"data": ...}` envelope."""

    def __init__(self, base: str, client_id: str, concurrency: int = 10) -> None:
        super().__init__(base, concurrency)
        self.client_id = client_id

    async def login(self) -> None:
        form = {"grant_type": "client_credentials", "client_id": self.client_id, "client_secret": "bench"}
        token = (await self.client.post("/oauth2/token", data=form)).json()["access_token"]
        self.headers = {"Authorization": f"Bearer {token}"}

    async def data(self, method: str, path: str, body: Any = None) -> Any:
        return (await self.call(method, CRITEO_VERSION + path, json=body))["data"]


class AppLovin(Api):
    """AppLovin Campaign Management: client-credentials token of a first-party OAuth app."""

    def __init__(self, base: str, client_id: str, client_secret: str, concurrency: int = 10) -> None:
        super().__init__(base, concurrency)
        self.app = {"client_id": client_id, "client_secret": client_secret}

    async def login(self) -> None:
        scope = "campaigns:write creatives:write source_bids:write"
        form = {"grant_type": "client_credentials", "scope": scope, **self.app}
        token = (await self.client.post("/oauth/v1/access_token", data=form)).json()["access_token"]
        self.headers = {"Authorization": f"Bearer {token}"}

    async def get(self, path: str, **params: Any) -> Any:
        return await self.call("GET", APPLOVIN_API + path, params=params or None)
