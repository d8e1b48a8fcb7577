"""Conformance of the Criteo sandbox to the official OpenAPI specification (2027-01), checked with
openapi-core through the `criteo` fixture (tests/sandbox/criteo_spec.py): every served path and method is
exercised with valid bodies, and each request and response is validated against the spec. Error
envelopes are checked against the operation's documented response model too (the spec documents only
the success status)."""

from __future__ import annotations

from typing import Any

import pytest

from reconciler.sandbox.criteo.routes import ENDPOINTS, VERSION
from tests.sandbox.conftest import API, Criteo, ad_set_body, campaign_body
from tests.sandbox.criteo_spec import SpecCheck, spec

pytestmark = pytest.mark.anyio


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


async def test_every_served_operation_conforms_to_the_spec(criteo: Criteo) -> None:
    # campaigns
    created_campaign = await criteo.call(
        "POST",
        "/campaigns",
        campaign_body(
            budgetAutomation={"enabled": False, "budgetConfiguration": {"adSetObjectives": "visits"}}
        ),
    )
    assert created_campaign.status_code == 201
    campaign_id = created_campaign.json()["data"]["id"]
    uncapped = await criteo.call(
        "POST", "/campaigns", campaign_body(goal="Retention", spendLimit={"spendLimitType": "uncapped"})
    )
    assert uncapped.status_code == 201
    assert (await criteo.call("GET", f"/campaigns/{campaign_id}")).status_code == 200
    assert (
        await criteo.call("POST", "/campaigns/search", {"filters": {"advertiserIds": ["12345"]}})
    ).status_code == 200
    assert (await criteo.call("POST", "/campaigns/search", {})).status_code == 200
    patched_campaigns = await criteo.call(
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
    assert (await criteo.call("POST", "/ad-sets", minimal)).status_code == 201
    created = await criteo.call("POST", "/ad-sets", full_ad_set_body())
    assert created.status_code == 201
    ad_set_id = created.json()["data"]["id"]
    video = await criteo.call("POST", "/ad-sets", ad_set_body(mediaType="video", objective="videoViews"))
    assert video.status_code == 201

    assert (await criteo.call("GET", f"/ad-sets/{ad_set_id}")).status_code == 200
    assert (await criteo.call("GET", "/ad-sets/123467")).status_code == 200
    assert (await criteo.call("GET", "/ad-sets/424242")).status_code == 404
    search = await criteo.call(
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
    assert (await criteo.call("POST", "/ad-sets/search", {"filters": {}})).status_code == 200

    patched = await criteo.call(
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
    too_many = await criteo.call(
        "PATCH", "/ad-sets", {"data": [{"type": "PatchAdSet", "id": ad_set_id, "attributes": {}}] * 51}
    )
    assert too_many.status_code == 400

    started = await criteo.call(
        "POST",
        "/ad-sets/start",
        {"data": [{"type": "AdSetId", "id": ad_set_id}, {"type": "AdSetId", "id": "1"}]},
    )
    assert len(started.json()["data"]) == 1
    stopped = await criteo.call("POST", "/ad-sets/stop", {"data": [{"type": "AdSetId", "id": ad_set_id}]})
    assert len(stopped.json()["data"]) == 1

    link = {"data": {"id": ad_set_id, "type": "AdSetAudience", "attributes": {"audienceId": "9876"}}}
    assert (await criteo.call("PUT", f"/ad-sets/{ad_set_id}/audience", link)).status_code == 200
    link["data"]["attributes"]["audienceId"] = "424242"
    assert (await criteo.call("PUT", f"/ad-sets/{ad_set_id}/audience", link)).status_code == 400
    link["data"]["attributes"]["audienceId"] = None
    assert (await criteo.call("PUT", f"/ad-sets/{ad_set_id}/audience", link)).status_code == 200

    # audiences
    audiences = await criteo.call(
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
    assert (await criteo.call("POST", "/audiences/search", {"data": {"attributes": {}}})).status_code == 200

    served = {(method, VERSION + path) for method, path, _handler in ENDPOINTS}
    assert served <= {(m.upper(), p) for p, ops in spec()["paths"].items() for m in ops}
    assert isinstance(criteo.spec, SpecCheck)
    assert criteo.spec.seen == served


async def test_error_envelopes_fit_the_response_models(criteo: Criteo) -> None:
    assert (await criteo.call("POST", "/ad-sets", ad_set_body(campaignId="999"))).status_code == 400
    assert (
        await criteo.call("POST", "/campaigns", campaign_body(goal="Acquisition", advertiserId="1"))
    ).status_code == 400
    assert (await criteo.call("GET", "/campaigns/1")).status_code == 404
    criteo.token = "expired-or-wrong"
    assert (await criteo.call("POST", "/ad-sets/search", {"filters": {}})).status_code == 401


def test_conformance_covers_the_api_prefix() -> None:
    assert API.startswith("/criteo" + VERSION)
