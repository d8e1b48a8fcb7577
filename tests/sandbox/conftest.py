"""Fixtures of the sandbox tests: a sandbox app on a fresh SQLite file, an in-process Criteo client
(httpx over ASGITransport) that logs in with client credentials and checks every exchange against the
official specification, a controllable clock, and valid request bodies to start from."""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

import reconciler.sandbox.criteo.settings as criteo_settings
from reconciler.sandbox import SandboxSettings, create_app
from tests.sandbox.criteo_spec import SpecCheck

API = "/criteo/2027-01/marketing-solutions"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class Clock:
    """A clock tests move by hand (starts at 2027-03-01T12:00:10Z)."""

    def __init__(self, now: float = 1803902410.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class Criteo:
    """A Criteo API client on an in-process sandbox. With `spec`, every answer is validated against the
    specification, and so is every request the sandbox carries out in full (no errors) unless the call
    says `lenient=True` (the documented leniencies: mixed-case enums, the guide's older spellings)."""

    http: httpx.AsyncClient
    token: str = ""
    spec: SpecCheck | None = None

    async def login(self, client_id: str = "test-client", client_secret: str = "secret") -> str:
        response = await self.http.post(
            "/criteo/oauth2/token",
            data={"grant_type": "client_credentials", "client_id": client_id, "client_secret": client_secret},
        )
        assert response.status_code == 200, response.text
        self.token = response.json()["access_token"]
        return self.token

    async def call(
        self, method: str, path: str, body: Any = None, lenient: bool = False, **kwargs: Any
    ) -> httpx.Response:
        headers = dict(kwargs.pop("headers", {}))
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if body is not None:
            kwargs["json"] = body
        response = await self.http.request(method, API + path, headers=headers, **kwargs)
        if self.spec is not None:
            accepted = response.status_code < 400 and not response.json().get("errors")
            self.spec.check(response, request_too=accepted and not lenient)
        return response

    async def create_ad_set(self, lenient: bool = False, **changes: Any) -> dict[str, Any]:
        body = ad_set_body(**changes)
        response = await self.call("POST", "/ad-sets", body, lenient=lenient)
        assert response.status_code == 201, response.text
        return dict(response.json()["data"])

    async def ad_set(self, ad_set_id: str) -> dict[str, Any]:
        response = await self.call("GET", f"/ad-sets/{ad_set_id}")
        assert response.status_code == 200, response.text
        return dict(response.json()["data"]["attributes"])


def ad_set_body(**changes: Any) -> dict[str, Any]:
    """A valid create body (the guide's example, in 2027-01 spelling); keyword arguments replace
    attributes (None removes one)."""
    attributes: dict[str, Any] = {
        "name": "API created Ad Set",
        "datasetId": "56789",
        "objective": "conversions",
        "campaignId": "358313",
        "mediaType": "display",
        "trackingCode": "utm_source=criteo&utm_medium=display&utm_campaign=summer",
        "schedule": {"startDate": "2027-07-04T00:00:00Z", "endDate": "2027-07-26T00:00:00Z"},
        "bidding": {"bidAmount": 0.9, "costController": "maxCPC"},
        "targeting": {
            "frequencyCapping": {"frequency": "daily", "maximumImpressions": 3},
            "geoLocation": {
                "countries": {"values": ["FR"], "operand": "in"},
                "subdivisions": {"values": ["FR-01", "FR-38"], "operand": "notIn"},
            },
            "deliveryLimitations": {
                "devices": ["mobile", "tablet"],
                "operatingSystems": ["ios"],
                "environments": [],
            },
        },
        "budget": {
            "budgetStrategy": "capped",
            "budgetRenewal": "daily",
            "budgetDeliverySmoothing": "accelerated",
            "budgetAmount": 123.5,
        },
    }
    for name, value in changes.items():
        if value is None:
            attributes.pop(name, None)
        else:
            attributes[name] = copy.deepcopy(value)
    return {"data": {"type": "AdSet", "attributes": attributes}}


def campaign_body(**changes: Any) -> dict[str, Any]:
    attributes: dict[str, Any] = {
        "advertiserId": "12345",
        "name": "Summer Sale 2027",
        "goal": "Acquisition",
        "spendLimit": {"spendLimitType": "capped", "spendLimitRenewal": "monthly", "spendLimitAmount": 5000},
    }
    for name, value in changes.items():
        if value is None:
            attributes.pop(name, None)
        else:
            attributes[name] = copy.deepcopy(value)
    return {"data": {"type": "Campaign", "attributes": attributes}}


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def make_app(tmp_path: Path, clock: Clock) -> Callable[..., Starlette]:
    """Build a sandbox app on the test's database file (settings may be overridden)."""

    def make(**settings: Any) -> Starlette:
        general = {k: settings.pop(k) for k in ("clock", "faults") if k in settings}
        general.setdefault("clock", clock)
        own = criteo_settings.Settings(**settings)  # this emulator's knobs
        return create_app(tmp_path / "sandbox.db", SandboxSettings(**general, platforms={"criteo": own}))

    return make


@pytest.fixture
async def criteo(make_app: Callable[..., Starlette]) -> AsyncIterator[Criteo]:
    """A logged-in Criteo client on a fresh sandbox, checking every exchange against the specification."""
    transport = httpx.ASGITransport(app=make_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as http:
        client = Criteo(http, spec=SpecCheck())
        await client.login()
        yield client
