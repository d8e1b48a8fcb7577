"""Conformance of the Criteo sandbox to the official OpenAPI specification (2027-01), checked with
openapi-core: every served path and method is exercised with valid bodies, and each request and
response is validated against the spec (the sandbox's `/criteo` prefix is mapped to the spec's
server https://api.criteo.com). Error envelopes are checked against the operation's documented
response model too (the spec documents only the success status)."""

from __future__ import annotations

import json
import warnings
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from openapi_core import OpenAPI
from openapi_core.datatypes import RequestParameters
from starlette.applications import Starlette
from werkzeug.datastructures import Headers, ImmutableMultiDict

from reconciler.sandbox.criteo.routes import ENDPOINTS, VERSION
from tests.sandbox.conftest import API, Criteo, ad_set_body, campaign_body

pytestmark = pytest.mark.anyio

SPEC_PATH = (
    Path(__file__).resolve().parents[3]
    / "shared"
    / "platforms"
    / "criteo-marketingsolutions-2027-01.openapi.json"
)
SPEC_HOST = "https://api.criteo.com"


@dataclass
class SpecRequest:
    """An httpx request seen as a request to api.criteo.com (openapi-core's Request protocol)."""

    request: httpx.Request
    parameters: RequestParameters = field(init=False)

    def __post_init__(self) -> None:
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(list(self.request.url.params.multi_items())),
            header=Headers(list(self.request.headers.items())),
            cookie=ImmutableMultiDict(),
        )

    @property
    def host_url(self) -> str:
        return SPEC_HOST

    @property
    def path(self) -> str:
        return self.request.url.path.removeprefix("/criteo")

    @property
    def method(self) -> str:
        return self.request.method.lower()

    @property
    def body(self) -> bytes | None:
        return self.request.content or None

    @property
    def content_type(self) -> str:
        return self.request.headers.get("content-type", "application/octet-stream")


@dataclass
class SpecResponse:
    response: httpx.Response
    status: int

    @property
    def status_code(self) -> int:
        return self.status

    @property
    def content_type(self) -> str:
        return self.response.headers.get("content-type", "")

    @property
    def headers(self) -> Headers:
        return Headers(list(self.response.headers.items()))

    @property
    def data(self) -> bytes:
        return self.response.content


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return dict(json.loads(SPEC_PATH.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def openapi(spec: dict[str, Any]) -> OpenAPI:
    return OpenAPI.from_dict(spec)


class Checked(Criteo):
    """A Criteo client that validates every API call against the spec and records the operations."""

    def __init__(self, http: httpx.AsyncClient, openapi: OpenAPI, spec: dict[str, Any]) -> None:
        super().__init__(http)
        self.openapi = openapi
        self.spec = spec
        self.seen: set[tuple[str, str]] = set()

    def success_status(self, template: str, method: str) -> int:
        return min(int(code) for code in self.spec["paths"][template][method.lower()]["responses"])

    def template(self, path: str) -> str:
        """The spec path (template) a concrete path belongs to; literal paths win over templates."""
        if path in self.spec["paths"]:
            return path
        actual = path.split("/")
        for candidate in self.spec["paths"]:
            parts = candidate.split("/")
            if len(parts) == len(actual) and all(
                p == a or (p.startswith("{") and p.endswith("}")) for p, a in zip(parts, actual, strict=True)
            ):
                return str(candidate)
        raise AssertionError(f"{path} is not in the spec")

    async def call(self, method: str, path: str, body: Any = None, **kwargs: Any) -> httpx.Response:
        response = await super().call(method, path, body, **kwargs)
        request = SpecRequest(response.request)
        template = self.template(request.path)
        self.seen.add((method.upper(), template))
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "Unsupported scheme type")
            self.openapi.validate_request(request)
            status = response.status_code
            documented = self.spec["paths"][template][method.lower()]["responses"]
            if str(status) not in documented:
                assert status >= 400, f"undocumented success status {status} for {method} {template}"
                assert response.json()["errors"], response.text
                status = self.success_status(template, method)
            self.openapi.validate_response(request, SpecResponse(response, status))
        return response


@pytest.fixture
async def checked(
    make_app: Callable[..., Starlette], openapi: OpenAPI, spec: dict[str, Any]
) -> AsyncIterator[Checked]:
    transport = httpx.ASGITransport(app=make_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as http:
        client = Checked(http, openapi, spec)
        await client.login()
        yield client


def full_ad_set_body() -> dict[str, Any]:
    body = ad_set_body(
        attributionConfiguration={"attributionMethod": "postClick", "lookbackWindow": "24H"},
        budget={
            "budgetStrategy": "capped",
            "budgetRenewal": "monthly",
            "budgetDeliverySmoothing": "standard",
            "budgetDeliveryWeek": "undefined",
            "pacingBehavior": "targetAverageDailyBudget",
            "budgetAmount": 1000.25,
        },
    )
    body["data"]["attributes"]["targeting"]["geoLocation"]["zipCodes"] = {
        "operand": "in",
        "values": ["75001"],
    }
    return body


async def test_every_served_operation_conforms_to_the_spec(checked: Checked) -> None:
    # campaigns
    created_campaign = await checked.call(
        "POST",
        "/campaigns",
        campaign_body(
            budgetAutomation={"enabled": False, "budgetConfiguration": {"adSetObjectives": "visits"}}
        ),
    )
    assert created_campaign.status_code == 201
    campaign_id = created_campaign.json()["data"]["id"]
    uncapped = await checked.call(
        "POST", "/campaigns", campaign_body(goal="Retention", spendLimit={"spendLimitType": "uncapped"})
    )
    assert uncapped.status_code == 201
    assert (await checked.call("GET", f"/campaigns/{campaign_id}")).status_code == 200
    assert (
        await checked.call("POST", "/campaigns/search", {"filters": {"advertiserIds": ["12345"]}})
    ).status_code == 200
    assert (await checked.call("POST", "/campaigns/search", {})).status_code == 200
    patched_campaigns = await checked.call(
        "PATCH",
        "/campaigns",
        {
            "data": [
                {
                    "type": "PatchCampaign",
                    "id": campaign_id,
                    "attributes": {
                        "spendLimit": {
                            "spendLimitType": "capped",
                            "spendLimitRenewal": "lifetime",
                            "spendLimitAmount": {"value": 9000.5},
                        },
                        "budgetAutomation": {
                            "enabled": True,
                            "budgetConfiguration": {"adSetObjectives": "revenue"},
                        },
                    },
                },
                {
                    "type": "PatchCampaign",
                    "id": "358313",
                    "attributes": {"spendLimit": {"spendLimitType": "capped"}},
                },
            ]
        },
    )
    assert len(patched_campaigns.json()["errors"]) == 1

    # ad sets
    minimal = ad_set_body(
        budget=None, targeting={"frequencyCapping": {"frequency": "lifetime", "maximumImpressions": 9}}
    )
    minimal["data"]["attributes"]["schedule"] = {"startDate": "2027-07-04T00:00:00Z"}
    assert (await checked.call("POST", "/ad-sets", minimal)).status_code == 201
    created = await checked.call("POST", "/ad-sets", full_ad_set_body())
    assert created.status_code == 201
    ad_set_id = created.json()["data"]["id"]
    video = await checked.call("POST", "/ad-sets", ad_set_body(mediaType="video", objective="videoViews"))
    assert video.status_code == 201

    assert (await checked.call("GET", f"/ad-sets/{ad_set_id}")).status_code == 200
    assert (await checked.call("GET", "/ad-sets/123467")).status_code == 200
    assert (await checked.call("GET", "/ad-sets/424242")).status_code == 404
    search = await checked.call(
        "POST",
        "/ad-sets/search",
        {
            "filters": {
                "adSetIds": [ad_set_id, "123467"],
                "campaignIds": ["358313"],
                "advertiserIds": ["12345"],
            },
            "meta": {"fields": ["Name", "Schedule", "Targeting", "Budget", "VideoChannel"]},
        },
    )
    assert len(search.json()["data"]) == 2
    assert (await checked.call("POST", "/ad-sets/search", {"filters": {}})).status_code == 200

    patched = await checked.call(
        "PATCH",
        "/ad-sets",
        {
            "data": [
                {
                    "type": "PatchAdSet",
                    "id": ad_set_id,
                    "attributes": {
                        "name": "renamed",
                        "scheduling": {
                            "startDate": {"value": "2027-06-01T00:00:00Z"},
                            "endDate": {"value": "2027-12-31T23:59:59Z"},
                        },
                        "bidding": {"bidAmount": {"value": 0.42}},
                        "budget": {
                            "budgetStrategy": "capped",
                            "budgetRenewal": "weekly",
                            "budgetDeliverySmoothing": "standard",
                            "budgetDeliveryWeek": "sundayToSaturday",
                            "pacingBehavior": "targetFullBudget",
                            "budgetAmount": {"value": 300},
                        },
                        "targeting": {
                            "frequencyCapping": {"value": {"frequency": "hourly", "maximumImpressions": 1}},
                            "geoLocation": {
                                "countries": {"value": {"operand": "in", "values": ["FR", "BE"]}},
                                "zipCodes": None,
                            },
                            "deliveryLimitations": {
                                "devices": ["desktop", "other"],
                                "operatingSystems": ["android", "unknown"],
                                "environments": ["inApp"],
                            },
                        },
                        "attributionConfiguration": {
                            "attributionMethod": "lastClick",
                            "lookbackWindow": "30D",
                        },
                    },
                },
                {
                    "type": "PatchAdSet",
                    "id": "123467",
                    "attributes": {"bidding": {"bidAmount": {"value": -2}}},
                },
            ]
        },
    )
    assert patched.json()["errors"][0]["instance"] == "@data/1"
    too_many = await checked.call(
        "PATCH", "/ad-sets", {"data": [{"type": "PatchAdSet", "id": ad_set_id, "attributes": {}}] * 51}
    )
    assert too_many.status_code == 400

    started = await checked.call(
        "POST",
        "/ad-sets/start",
        {"data": [{"type": "AdSetId", "id": ad_set_id}, {"type": "AdSetId", "id": "1"}]},
    )
    assert len(started.json()["data"]) == 1
    stopped = await checked.call("POST", "/ad-sets/stop", {"data": [{"type": "AdSetId", "id": ad_set_id}]})
    assert len(stopped.json()["data"]) == 1

    link = {"data": {"id": ad_set_id, "type": "AdSetAudience", "attributes": {"audienceId": "9876"}}}
    assert (await checked.call("PUT", f"/ad-sets/{ad_set_id}/audience", link)).status_code == 200
    link["data"]["attributes"]["audienceId"] = "424242"
    assert (await checked.call("PUT", f"/ad-sets/{ad_set_id}/audience", link)).status_code == 400
    link["data"]["attributes"]["audienceId"] = None
    assert (await checked.call("PUT", f"/ad-sets/{ad_set_id}/audience", link)).status_code == 200

    # audiences
    audiences = await checked.call(
        "POST",
        "/audiences/search",
        {
            "data": {
                "type": "Audience",
                "attributes": {
                    "advertiserIds": ["12345"],
                    "audienceIds": ["9876", "9877"],
                    "adSetIds": ["123467"],
                    "audienceSegmentIds": ["29876"],
                },
            }
        },
        params={"limit": 100, "offset": 0},
    )
    assert [a["id"] for a in audiences.json()["data"]] == ["9876"]
    assert (await checked.call("POST", "/audiences/search", {"data": {"attributes": {}}})).status_code == 200

    served = {(method, VERSION + path) for method, path, _handler in ENDPOINTS}
    assert served <= {(m.upper(), p) for p, ops in checked.spec["paths"].items() for m in ops}
    assert checked.seen == served


async def test_error_envelopes_fit_the_response_models(checked: Checked) -> None:
    assert (await checked.call("POST", "/ad-sets", ad_set_body(campaignId="999"))).status_code == 400
    assert (
        await checked.call("POST", "/campaigns", campaign_body(goal="Acquisition", advertiserId="1"))
    ).status_code == 400
    assert (await checked.call("GET", "/campaigns/1")).status_code == 404
    checked.token = "expired-or-wrong"
    assert (await checked.call("POST", "/ad-sets/search", {"filters": {}})).status_code == 401


def test_conformance_covers_the_api_prefix() -> None:
    assert API.startswith("/criteo" + VERSION)
