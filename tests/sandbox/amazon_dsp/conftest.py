"""Fixtures of the Amazon DSP sandbox tests: an in-process sandbox (httpx over ASGITransport) on a fresh
SQLite file with a hand-moved clock, and a client that logs in with Login with Amazon and sends the
Amazon Ads headers."""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

import reconciler.sandbox.amazon_dsp.settings as amazon_settings
from reconciler.sandbox import SandboxSettings, create_app
from tests.sandbox.conftest import Clock

ADVERTISER = "520724305968518499"
CAMPAIGN = "587673741928966411"
AD_GROUP = "579602514554384269"
CATEGORY = "304669741353807342"
NOW = 1803902410.0
"""2027-03-01T12:00:10Z: the clock of every test starts here."""


@dataclass
class Amazon:
    """An Amazon Ads API client on an in-process sandbox."""

    http: httpx.AsyncClient
    clock: Clock
    token: str = ""
    client_id: str = "amzn1.application-oa2-client.sandbox"
    account: str = ADVERTISER
    extra: dict[str, str] = field(default_factory=dict)

    async def login(self) -> str:
        response = await self.http.post(
            "/amazon-dsp/auth/o2/token",
            data={
                "grant_type": "refresh_token",
                "refresh_token": "Atzr|sandbox-refresh",
                "client_id": self.client_id,
                "client_secret": "sandbox-secret",
            },
        )
        assert response.status_code == 200, response.text
        self.token = response.json()["access_token"]
        return self.token

    def headers(self) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {self.token}",
            "Amazon-Advertising-API-ClientId": self.client_id,
            "Amazon-Ads-AccountId": self.account,
            **self.extra,
        }

    async def call(self, method: str, path: str, body: Any = None) -> httpx.Response:
        kwargs: dict[str, Any] = {} if body is None else {"json": body}
        return await self.http.request(method, "/amazon-dsp" + path, headers=self.headers(), **kwargs)

    async def ok(self, method: str, path: str, body: Any = None, status: int = 207) -> dict[str, Any]:
        """The JSON answer of a call that must succeed (every item of a batch)."""
        response = await self.call(method, path, body)
        assert response.status_code == status, response.text
        answer = dict(response.json())
        assert "error" not in answer, answer
        return answer

    async def create_campaign(self, **changes: Any) -> str:
        answer = await self.ok("POST", "/dsp/v1/campaigns", {"campaigns": [campaign_body(**changes)]})
        return str(answer["success"][0]["campaignId"])

    async def create_ad_group(self, campaign_id: str = CAMPAIGN, **changes: Any) -> str:
        body = {"adGroups": [ad_group_body(campaign_id, **changes)]}
        answer = await self.ok("POST", "/dsp/v1/adGroups", body)
        return str(answer["success"][0]["adGroupId"])

    async def targets(self, ad_group_id: str, kind: str | None = None) -> list[dict[str, Any]]:
        """Every visible target of an ad group (all pages)."""
        found: list[dict[str, Any]] = []
        body: dict[str, Any] = {"filters": {"adGroupIdFilter": [ad_group_id]}}
        if kind:
            body["filters"]["targetTypeFilter"] = [kind]
        while True:
            answer = await self.ok("POST", "/dsp/v1/targets/list", body, status=200)
            found += answer["targets"]
            if "nextToken" not in answer:
                return found
            body["nextToken"] = answer["nextToken"]


def _apply(body: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    for name, value in changes.items():
        if value is None:
            body.pop(name, None)
        else:
            body[name] = copy.deepcopy(value)
    return body


def campaign_body(**changes: Any) -> dict[str, Any]:
    """The campaign guide's create example, dates moved into the future (None removes a field)."""
    body: dict[str, Any] = {
        "optimization": {
            "bidStrategy": "SPEND_BUDGET_IN_FULL",
            "automateBudgetAllocation": True,
            "goalSetting": {"targetKpi": 0.1, "kpi": "CLICK_THROUGH_RATE"},
        },
        "name": "My Q1 Test Campaign",
        "flights": {
            "flights": [
                {
                    "startDateTime": "2028-01-01T00:00:00Z",
                    "budgetAmount": 1,
                    "endDateTime": "2028-03-31T11:59:59Z",
                }
            ]
        },
        "advertiserId": ADVERTISER,
        "frequencies": [{"frequencyType": "UNCAPPED"}],
    }
    return _apply(body, changes)


def ad_group_body(campaign_id: str = CAMPAIGN, **changes: Any) -> dict[str, Any]:
    """The campaign guide's ad group example, dates moved into the future."""
    body: dict[str, Any] = {
        "inventoryType": "DISPLAY",
        "campaignId": campaign_id,
        "creativeRotationType": "RANDOM",
        "advertisedProductCategoryIds": [CATEGORY],
        "frequencies": [{"frequencyType": "UNCAPPED"}],
        "pacing": {"deliveryProfile": "EVEN", "catchUpBoostPercentage": 0},
        "targetingSettings": {
            "amazonViewability": {"viewabilityTier": "ALL_TIERS", "includeUnmeasurableImpressions": False},
            "timeZoneType": "VIEWER",
            "userLocationSignal": "CURRENT",
        },
        "optimization": {"bidStrategy": "SPEND_BUDGET_IN_FULL", "automateBudgetAllocation": False},
        "name": "Test Display Ad Group",
        "bid": {"baseBid": 3},
        "startDateTime": "2028-01-01T00:00:00Z",
        "budgetAmount": 1,
        "endDateTime": "2028-01-31T11:59:59Z",
    }
    return _apply(body, changes)


def target(ad_group_id: str, key: str, negative: bool = False, **inner: Any) -> dict[str, Any]:
    """A target of one type: `target(ag, "deviceTarget", targetType="DEVICE", deviceType="PHONE")`."""
    return {
        "adGroupId": ad_group_id,
        "adProduct": "AMAZON_DSP",
        "state": "ENABLED",
        "negative": negative,
        "targetDetails": {key: inner},
    }


def audience(ad_group_id: str, audience_id: str, group: str, negative: bool = False) -> dict[str, Any]:
    return target(
        ad_group_id, "audienceTarget", negative, audienceId=audience_id, groupId=group, targetType="AUDIENCE"
    )


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def make_amazon_app(tmp_path: Path, clock: Clock) -> Callable[..., Starlette]:
    def make(**settings: Any) -> Starlette:
        general = {k: settings.pop(k) for k in ("clock", "faults") if k in settings}
        general.setdefault("clock", clock)
        own = amazon_settings.Settings(**settings)  # this emulator's knobs
        return create_app(tmp_path / "s.sqlite", SandboxSettings(**general, platforms={"amazon_dsp": own}))

    return make


@pytest.fixture
async def amazon(make_amazon_app: Callable[..., Starlette], clock: Clock) -> AsyncIterator[Amazon]:
    """A logged-in Amazon DSP client on a fresh sandbox."""
    transport = httpx.ASGITransport(app=make_amazon_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as http:
        client = Amazon(http, clock)
        await client.login()
        yield client
