"""The campaign guide's step 5 for off-Amazon conversions in the Amazon DSP sandbox: the advertiser's
conversion definitions, their association with an order (campaign) through `POST
accounts/{accountId}/dsp/orders/{orderId}/conversionDefinitionAssociations` (and its GET), the batch limit
and per-item errors, and the guide's rule that a COST_PER_ACTION campaign is not activated without them.
Also both geoLocations discovery paths."""

from __future__ import annotations

from typing import Any

import pytest

from tests.sandbox.amazon_dsp.conftest import ADVERTISER, CAMPAIGN, Amazon

pytestmark = pytest.mark.anyio

PURCHASE, SIGN_UP, CART = "581400000000000001", "581400000000000002", "581400000000000003"
OTHER_ADVERTISERS = "581400000000000100"
GEO = "XHvCjcKHXmJ7woVowo7CjmvCjcKWbMKHwp3CsGvCk8Krcms="


def associations(order_id: str, account: str = ADVERTISER) -> str:
    return f"/accounts/{account}/dsp/orders/{order_id}/conversionDefinitionAssociations"


def change(definition_id: str, operation: str = "ADD", **more: Any) -> dict[str, Any]:
    return {"conversionDefinitionId": definition_id, "operation": operation, **more}


async def cpa_campaign(amazon: Amazon) -> str:
    return await amazon.create_campaign(
        optimization={"bidStrategy": "PRIORITIZE_KPI_TARGET", "goalSetting": {"kpi": "COST_PER_ACTION"}}
    )


async def activate(amazon: Amazon, campaign_id: str) -> dict[str, Any]:
    response = await amazon.call(
        "PATCH", "/dsp/v1/campaigns", {"campaigns": [{"campaignId": campaign_id, "state": "ACTIVE"}]}
    )
    assert response.status_code == 207, response.text
    return dict(response.json())


async def test_the_advertisers_conversion_definitions_are_listed(amazon: Amazon) -> None:
    listed = await amazon.ok("POST", f"/accounts/{ADVERTISER}/dsp/conversionDefinitions/list", {}, status=200)
    assert [d["conversionDefinitionId"] for d in listed["conversionDefinitions"]] == [PURCHASE, SIGN_UP, CART]
    assert listed["conversionDefinitions"][0]["conversionType"] == "OFF_AMAZON_PURCHASES"
    assert listed["maxResults"] == 10
    one = await amazon.ok(
        "POST",
        f"/accounts/{ADVERTISER}/dsp/conversionDefinitions/list",
        {"filters": [{"field": "CONVERSION_DEFINITION_ID", "values": [SIGN_UP, OTHER_ADVERTISERS]}]},
        status=200,
    )
    assert [d["name"] for d in one["conversionDefinitions"]] == ["Newsletter sign-up"]


async def test_associate_read_update_and_dissociate(amazon: Amazon) -> None:
    campaign_id = await cpa_campaign(amazon)
    path = associations(campaign_id)
    added = await amazon.ok("POST", path, [change(PURCHASE, isOptimized=True), change(SIGN_UP)])
    assert added == {
        "success": [
            {"index": 1, "conversionDefinitionId": PURCHASE},
            {"index": 2, "conversionDefinitionId": SIGN_UP},
        ]
    }
    read = await amazon.ok("GET", path, status=200)
    assert read == {
        "conversionDefinitions": [
            {"id": PURCHASE, "isOptimized": True},
            {"id": SIGN_UP, "isOptimized": False},
        ],
        "maxResults": "10",
    }
    await amazon.ok("POST", path, [change(SIGN_UP, isOptimized=True), change(PURCHASE, "REMOVE")])
    read = await amazon.ok("GET", path, status=200)
    assert read["conversionDefinitions"] == [{"id": SIGN_UP, "isOptimized": True}]
    listed = await amazon.ok(
        "POST", "/dsp/v1/campaigns/list", {"campaignIdFilter": [campaign_id]}, status=200
    )
    assert "conversionDefinitions" not in listed["campaigns"][0]


async def test_associations_are_paged(amazon: Amazon) -> None:
    path = associations(CAMPAIGN)
    await amazon.ok("POST", path, [change(PURCHASE), change(SIGN_UP), change(CART)])
    first = await amazon.ok("GET", path + "?maxResults=2", status=200)
    assert [d["id"] for d in first["conversionDefinitions"]] == [PURCHASE, SIGN_UP]
    rest = await amazon.ok("GET", f"{path}?maxResults=2&nextToken={first['nextToken']}", status=200)
    assert [d["id"] for d in rest["conversionDefinitions"]] == [CART]
    assert "nextToken" not in rest
    too_big = await amazon.call("GET", path + "?maxResults=101")
    assert (too_big.status_code, too_big.json()["code"]) == (400, "INVALID_MAX_RESULTS")


async def test_each_item_fails_on_its_own(amazon: Amazon) -> None:
    path = associations(CAMPAIGN)
    answer = await amazon.call(
        "POST",
        path,
        [
            change(PURCHASE),
            change("424242"),
            change(OTHER_ADVERTISERS),
            change(CART, "REMOVE"),
            change(SIGN_UP, "REPLACE"),
            {"conversionDefinitionId": CART, "operation": "ADD", "conversionWeight": 1},
            change(SIGN_UP),
            change(SIGN_UP, isOptimized=True),
        ],
    )
    assert answer.status_code == 207
    body = answer.json()
    assert body["success"] == [
        {"index": 1, "conversionDefinitionId": PURCHASE},
        {"index": 7, "conversionDefinitionId": SIGN_UP},
        {"index": 8, "conversionDefinitionId": SIGN_UP},
    ]
    assert [(e["index"], e["code"]) for e in body["error"]] == [
        (2, "CONVERSION_DEFINITION_NOT_FOUND"),
        (3, "CONVERSION_DEFINITION_NOT_FOUND"),
        (4, "CONVERSION_DEFINITION_NOT_ASSOCIATED"),
        (5, "INVALID_ENUM_VALUE"),
        (6, "UNKNOWN_FIELD"),
    ]
    assert all(e["message"] for e in body["error"])
    read = await amazon.ok("GET", path, status=200)  # items in order: a definition named twice, the last wins
    assert read["conversionDefinitions"] == [
        {"id": PURCHASE, "isOptimized": False},
        {"id": SIGN_UP, "isOptimized": True},
    ]
    removed = await amazon.ok("POST", path, [change(PURCHASE, "REMOVE"), change(PURCHASE)])
    assert len(removed["success"]) == 2
    assert [d["id"] for d in (await amazon.ok("GET", path, status=200))["conversionDefinitions"]] == [
        SIGN_UP,
        PURCHASE,
    ]


@pytest.mark.parametrize(
    ("path", "body", "status", "code"),
    [
        (associations(CAMPAIGN), [], 400, "MISSING_REQUIRED_FIELD"),
        (associations(CAMPAIGN), {"conversionDefinitionId": PURCHASE}, 400, "MISSING_REQUIRED_FIELD"),
        (associations(CAMPAIGN), [change(PURCHASE)] * 101, 400, "BATCH_SIZE_EXCEEDED"),
        (associations("424242"), [change(PURCHASE)], 404, "CAMPAIGN_NOT_FOUND"),
        (associations("587673741928966412"), [change(PURCHASE)], 400, "AMAZON_DEAL_NOT_SUPPORTED"),
        (associations(CAMPAIGN, "520724305968518500"), [change(PURCHASE)], 400, "ADVERTISER_MISMATCH"),
    ],
)
async def test_whole_request_refusals(amazon: Amazon, path: str, body: Any, status: int, code: str) -> None:
    answer = await amazon.call("POST", path, body)
    assert (answer.status_code, answer.json()["code"]) == (status, code), answer.text
    assert (await amazon.ok("GET", associations(CAMPAIGN), status=200))["conversionDefinitions"] == []


async def test_a_cost_per_action_campaign_is_activated_only_with_conversion_definitions(
    amazon: Amazon,
) -> None:
    campaign_id = await cpa_campaign(amazon)
    refused = await activate(amazon, campaign_id)
    [error] = refused["error"]
    assert error["errorCode"] == "CONVERSION_DEFINITIONS_REQUIRED"
    assert "COST_PER_ACTION" in error["errorMessage"]
    listed = await amazon.ok(
        "POST", "/dsp/v1/campaigns/list", {"campaignIdFilter": [campaign_id]}, status=200
    )
    assert listed["campaigns"][0]["state"] == "INACTIVE"

    await amazon.ok("POST", associations(campaign_id), [change(PURCHASE, isOptimized=True)])
    assert "error" not in await activate(amazon, campaign_id)

    other = await amazon.create_campaign()  # CLICK_THROUGH_RATE tracks no off-Amazon conversion
    assert "error" not in await activate(amazon, other)


async def test_both_geo_location_discovery_paths(amazon: Amazon) -> None:
    by_list = await amazon.ok(
        "POST",
        "/dsp/v1/geoLocations/list",
        {"filters": [{"field": "NAME", "value": "United States"}]},
        status=200,
    )
    by_get = await amazon.ok("GET", f"/dsp/geoLocations?geoLocationIdFilter={GEO}", status=200)
    assert by_get["geoLocations"] == by_list["geoLocations"]
    assert by_get["geoLocations"][0]["geoLocationId"] == GEO

    new_york = await amazon.ok("GET", "/dsp/geoLocations?textQuery=new%20york", status=200)
    assert sorted(g["name"] for g in new_york["geoLocations"]) == [
        "New York",
        "New York City",
        "New York DMA",
    ]
    first = await amazon.ok("GET", "/dsp/geoLocations", status=200)
    assert len(first["geoLocations"]) == 10 and first["nextToken"]
    rest = await amazon.ok("GET", f"/dsp/geoLocations?nextToken={first['nextToken']}", status=200)
    everything = await amazon.ok("POST", "/dsp/v1/geoLocations/list", {}, status=200)
    assert first["geoLocations"] + rest["geoLocations"] == everything["geoLocations"]
