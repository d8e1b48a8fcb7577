"""Criteo campaigns and audience search in the sandbox."""

from __future__ import annotations

from typing import Any

import pytest

from tests.sandbox.conftest import Criteo, campaign_body

pytestmark = pytest.mark.anyio


async def test_create_get_and_search_campaigns(criteo: Criteo) -> None:
    response = await criteo.call(
        "POST",
        "/campaigns",
        campaign_body(
            budgetAutomation={"enabled": True, "budgetConfiguration": {"adSetObjectives": "Conversions"}}
        ),
        lenient=True,  # "Conversions": enums match case-insensitively (FACTS.md)
    )
    assert response.status_code == 201, response.text
    created = response.json()["data"]
    assert created["id"] == "500001"
    assert created["attributes"] == {
        "id": "500001",
        "advertiserId": "12345",
        "name": "Summer Sale 2027",
        "goal": "acquisition",
        "spendLimit": {
            "spendLimitType": "capped",
            "spendLimitRenewal": "monthly",
            "spendLimitAmount": {"value": 5000.0},
        },
        "budgetAutomation": {
            "enabled": True,
            "automatedBudgetConfiguration": {"adSetOptimizationObjective": "conversions"},
        },
    }
    got = await criteo.call("GET", "/campaigns/500001")
    assert got.json()["data"] == created

    by_advertiser = await criteo.call("POST", "/campaigns/search", {"filters": {"advertiserIds": ["12345"]}})
    assert [c["id"] for c in by_advertiser.json()["data"]] == ["358313", "500001"]
    both = await criteo.call(
        "POST",
        "/campaigns/search",
        {"filters": {"advertiserIds": ["67890"], "campaignIds": ["358313", "358314"]}},
    )
    assert [c["id"] for c in both.json()["data"]] == ["358314"]


async def test_ad_set_budget_follows_an_automated_campaign(criteo: Criteo) -> None:
    body = campaign_body(
        budgetAutomation={"enabled": True, "budgetConfiguration": {"adSetObjectives": "revenue"}}
    )
    campaign = (await criteo.call("POST", "/campaigns", body)).json()["data"]
    refused = await criteo.call(
        "POST",
        "/ad-sets",
        {
            "data": {
                "type": "AdSet",
                "attributes": {
                    "name": "automated",
                    "campaignId": campaign["id"],
                    "datasetId": "56789",
                    "objective": "revenue",
                    "mediaType": "display",
                    "trackingCode": "utm_source=criteo",
                    "schedule": {"startDate": "2027-06-01T00:00:00Z"},
                    "bidding": {"costController": "COS"},
                    "targeting": {"frequencyCapping": {"frequency": "daily", "maximumImpressions": 2}},
                    "budget": {"budgetStrategy": "uncapped"},
                },
            }
        },
    )
    assert refused.json()["errors"][0]["code"] == "campaign--ad-set-create-check--invalid-budget"
    created = await criteo.create_ad_set(campaignId=campaign["id"], budget=None)
    assert created["attributes"]["budget"]["budgetAmount"] == 5000.0
    assert created["attributes"]["budget"]["budgetRenewal"] == "monthly"


CREATE = "campaign--campaign-create-check--"


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"advertiserId": None}, CREATE + "invalid-configuration"),
        ({"advertiserId": "424242"}, "advertiser-not-found"),
        ({"name": None}, CREATE + "invalid-configuration"),
        ({"goal": None}, CREATE + "invalid-configuration"),
        ({"goal": "Awareness"}, CREATE + "invalid-configuration"),
        ({"spendLimit": None}, CREATE + "invalid-configuration"),
        (
            {"spendLimit": {"spendLimitType": "capped", "spendLimitRenewal": "daily"}},
            CREATE + "invalid-spend-limit",
        ),
        (
            {"spendLimit": {"spendLimitType": "capped", "spendLimitAmount": 10}},
            CREATE + "invalid-spend-limit",
        ),
        (
            {"spendLimit": {"spendLimitType": "uncapped", "spendLimitAmount": 10}},
            CREATE + "invalid-spend-limit",
        ),
        (
            {"spendLimit": {"spendLimitType": "uncapped", "spendLimitRenewal": "daily"}},
            CREATE + "invalid-spend-limit",
        ),
        ({"budgetAutomation": {"enabled": True}}, CREATE + "invalid-budget-automation"),
    ],
)
async def test_campaign_create_validation(criteo: Criteo, changes: dict[str, Any], code: str) -> None:
    response = await criteo.call("POST", "/campaigns", campaign_body(**changes))
    assert response.status_code == 400, response.text
    assert response.json()["errors"][0]["code"] == code


async def test_campaign_patch_items_fail_on_their_own(criteo: Criteo) -> None:
    created = await criteo.call(
        "POST", "/campaigns", campaign_body(spendLimit={"spendLimitType": "uncapped"})
    )
    campaign_id = created.json()["data"]["id"]
    response = await criteo.call(
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
                            "spendLimitRenewal": "daily",
                            "spendLimitAmount": {"value": 250},
                        }
                    },
                },
                {
                    "type": "PatchCampaign",
                    "id": "358313",
                    "attributes": {"spendLimit": {"spendLimitType": "capped"}},
                },
                {"type": "PatchCampaign", "id": "424242", "attributes": {}},
            ]
        },
    )
    body = response.json()
    assert response.status_code == 200
    assert body["data"] == [{"type": "Campaign", "id": campaign_id}]
    assert [(e["instance"], e["code"]) for e in body["errors"]] == [
        ("@data/1", "campaign--campaign-update-check--invalid-spend-limit"),
        ("@data/2", "campaign-not-found"),
    ]
    read = (await criteo.call("GET", f"/campaigns/{campaign_id}")).json()["data"]["attributes"]
    assert read["spendLimit"] == {
        "spendLimitType": "capped",
        "spendLimitRenewal": "daily",
        "spendLimitAmount": {"value": 250.0},
    }
    back = await criteo.call(
        "PATCH",
        "/campaigns",
        {
            "data": [
                {
                    "type": "PatchCampaign",
                    "id": campaign_id,
                    "attributes": {"spendLimit": {"spendLimitType": "uncapped"}},
                }
            ]
        },
    )
    assert back.json()["errors"] == []
    read = (await criteo.call("GET", f"/campaigns/{campaign_id}")).json()["data"]["attributes"]
    assert read["spendLimit"]["spendLimitAmount"] == {"value": None}
    assert read["spendLimit"]["spendLimitRenewal"] == "undefined"


async def test_audience_search_filters_and_pages(criteo: Criteo) -> None:
    everything = await criteo.call(
        "POST", "/audiences/search", {"data": {"type": "Audience", "attributes": {}}}
    )
    body = everything.json()
    assert [a["id"] for a in body["data"]] == ["9876", "9877", "9878"]
    assert body["meta"] == {"limit": 50, "offset": 0, "totalItems": 3}
    assert body["data"][0]["attributes"]["name"] == "Acme cart abandoners"
    assert body["data"][0]["attributes"]["adSetIds"] == ["123467"]

    page = await criteo.call(
        "POST",
        "/audiences/search",
        {"data": {"type": "Audience", "attributes": {"advertiserIds": ["12345"]}}},
        params={"limit": 1, "offset": 1},
    )
    assert [a["id"] for a in page.json()["data"]] == ["9877"]
    assert page.json()["meta"] == {"limit": 1, "offset": 1, "totalItems": 2}

    too_big = await criteo.call(
        "POST", "/audiences/search", {"data": {"attributes": {}}}, params={"limit": 101}
    )
    assert too_big.status_code == 400
