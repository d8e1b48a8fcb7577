"""Every request example of the two Amazon DSP guides, replayed against the sandbox: bodies as printed,
ids taken from earlier responses, dates moved into the future; the documented response shapes."""

from __future__ import annotations

from typing import Any

import pytest

from tests.sandbox.amazon_dsp.conftest import ADVERTISER, Amazon, ad_group_body, campaign_body

pytestmark = pytest.mark.anyio

GEO = "XHvCjcKHXmJ7woVowo7CjmvCjcKWbMKHwp3CsGvCk8Krcms="
DOMAIN_AND_LOCATION = [
    {
        "adProduct": "AMAZON_DSP",
        "state": "ENABLED",
        "negative": True,
        "targetDetails": {
            "domainTarget": {
                "domainTargetDetails": {
                    "domainName": {"domainName": "www.nytimes.com", "domainTargetType": "DOMAIN_NAME"}
                },
                "targetType": "DOMAIN",
            }
        },
    },
    {
        "adProduct": "AMAZON_DSP",
        "state": "ENABLED",
        "negative": False,
        "targetDetails": {"locationTarget": {"geoLocation": GEO, "targetType": "LOCATION"}},
    },
]
AUDIENCES = [
    ("365849257058325086", "1", False),
    ("376964516785083972", "1", False),
    ("407259404244917362", "2", False),
    ("403996061702860925", "2", False),
    ("378970165887759667", "3", True),
    ("424562951816105407", "3", True),
]


def _for(ad_group_id: str, targets: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"adGroupId": ad_group_id, **t} for t in targets]


async def test_campaign_workflow_steps_1_to_7(amazon: Amazon) -> None:
    # Step 1: create a campaign.
    created = await amazon.ok("POST", "/dsp/v1/campaigns", {"campaigns": [campaign_body()]})
    assert set(created) == {"requestId", "success"}
    campaign_id = created["success"][0]["campaignId"]
    assert created["success"] == [{"index": 0, "campaignId": campaign_id}]
    listed = await amazon.ok(
        "POST", "/dsp/v1/campaigns/list", {"campaignIdFilter": [campaign_id]}, status=200
    )
    campaign = listed["campaigns"][0]
    assert campaign["state"] == "INACTIVE"
    assert campaign["advertiserId"] == ADVERTISER
    assert campaign["optimization"]["goalSetting"] == {
        "kpi": "CLICK_THROUGH_RATE",
        "targetKpi": 0.1,
        "goal": "CONSIDERATION",
    }
    [flight] = campaign["flights"]["flights"]
    assert flight["startDateTime"] == "2028-01-01T00:00:00Z" and flight["budgetAmount"] == 1

    # Step 2: create an ad group in it.
    made = await amazon.ok("POST", "/dsp/v1/adGroups", {"adGroups": [ad_group_body(campaign_id)]})
    ad_group_id = made["success"][0]["adGroupId"]
    groups = await amazon.ok("POST", "/dsp/v1/adGroups/list", {"adGroupIdFilter": [ad_group_id]}, status=200)
    assert groups["adGroups"][0]["state"] == "INACTIVE"
    assert groups["adGroups"][0]["inventoryType"] == "DISPLAY"

    # Step 3a: add domain and location targets; 3b: remove them.
    added = await amazon.ok("POST", "/dsp/v1/targets", {"targets": _for(ad_group_id, DOMAIN_AND_LOCATION)})
    assert [s["index"] for s in added["success"]] == [0, 1]
    assert all(s["targetId"] for s in added["success"])
    domains = await amazon.targets(ad_group_id, "DOMAIN")
    assert {"advertiserDomainList": True} in [
        t["targetDetails"]["domainTarget"]["domainTargetDetails"] for t in domains
    ]
    assert any(t["negative"] for t in domains)
    assert len(await amazon.targets(ad_group_id, "LOCATION")) == 1
    removed = await amazon.ok(
        "POST", "/dsp/v1/targets/deleteByObject", {"targets": _for(ad_group_id, DOMAIN_AND_LOCATION)}
    )
    assert [s["targetId"] for s in removed["success"]] == [s["targetId"] for s in added["success"]]
    assert await amazon.targets(ad_group_id, "LOCATION") == []

    # Step 4: associate the guide's creative (weight 0 = no weight on a RANDOM ad group; the printed
    # start and end are equal, moved here into the ad group's dates with the start first).
    association = {
        "adGroupId": ad_group_id,
        "adCreativeId": "123456789",
        "startDate": "2028-01-05T22:17:26.072Z",
        "endDate": "2028-01-20T22:17:26.072Z",
        "weight": 0,
        "state": "ACTIVE",
    }
    linked = await amazon.ok(
        "POST", "/dsp/v1/adCreatives/associations/adGroups", {"associations": [association]}
    )
    assert linked["success"] == [{"index": 0, "adCreativeId": "123456789", "adGroupId": ad_group_id}]

    # Step 5: conversion tracking products.
    products = [
        {"productId": "B09D36CVP1", "productAssociation": "FEATURED_WITH_VARIATION", "domain": "AMAZON_US"},
        {"productId": "B003E1OUKS", "productAssociation": "FEATURED", "domain": "AMAZON_US"},
        {"productId": "B08KXDFWBT", "productAssociation": "FEATURED", "domain": "AMAZON_US"},
        {"productId": "B099RZF6P9", "productAssociation": "FEATURED", "domain": "AMAZON_US"},
    ]
    path = f"/dsp/v1/campaigns/{campaign_id}/conversionTracking/products"
    tracked = await amazon.ok("POST", path, {"productTrackingList": products})
    assert len(tracked["success"]) == 4
    assert (await amazon.ok("GET", path, status=200))["productTrackingList"] == products
    # ... and off-Amazon conversion definitions, on the path the guide prints.
    orders = f"/accounts/{ADVERTISER}/dsp/orders/{campaign_id}/conversionDefinitionAssociations"
    definition = {"conversionDefinitionId": "581400000000000001", "operation": "ADD", "isOptimized": True}
    associated = await amazon.ok("POST", orders, [definition])
    assert associated["success"] == [{"index": 1, "conversionDefinitionId": "581400000000000001"}]
    read = await amazon.ok("GET", orders, status=200)
    assert read["conversionDefinitions"] == [{"id": "581400000000000001", "isOptimized": True}]

    # Step 6: add a flight with the flights endpoint.
    flight_body = {
        "flights": [
            {
                "startDateTime": "2028-04-01T00:00:00.483Z",
                "endDateTime": "2028-06-30T23:59:59.483Z",
                "budgetAmount": 1000,
            }
        ]
    }
    added_flight = await amazon.ok("POST", f"/dsp/v1/campaigns/{campaign_id}/flights", flight_body)
    flight_id = added_flight["success"][0]["flightId"]
    flights = await amazon.ok("POST", f"/dsp/v1/campaigns/{campaign_id}/flights/list", {}, status=200)
    assert [f["flightId"] for f in flights["flights"]][-1] == flight_id
    assert flights["flights"][-1]["startDateTime"] == "2028-04-01T00:00:00.483Z"

    # Step 7: activate the campaign and the ad group.
    await amazon.ok(
        "PATCH", "/dsp/v1/campaigns", {"campaigns": [{"campaignId": campaign_id, "state": "ACTIVE"}]}
    )
    await amazon.ok(
        "PATCH", "/dsp/v1/adGroups", {"adGroups": [{"adGroupId": ad_group_id, "state": "ACTIVE"}]}
    )
    listed = await amazon.ok(
        "POST", "/dsp/v1/campaigns/list", {"campaignIdFilter": [campaign_id]}, status=200
    )
    assert listed["campaigns"][0]["state"] == "ACTIVE"
    groups = await amazon.ok("POST", "/dsp/v1/adGroups/list", {"adGroupIdFilter": [ad_group_id]}, status=200)
    assert groups["adGroups"][0]["state"] == "ACTIVE"


async def test_guide_ids_replay_on_the_seeded_campaign_and_ad_group(amazon: Amazon) -> None:
    targets = _for("579602514554384269", DOMAIN_AND_LOCATION)
    assert len((await amazon.ok("POST", "/dsp/v1/targets", {"targets": targets}))["success"]) == 2
    assert (
        len((await amazon.ok("POST", "/dsp/v1/targets/deleteByObject", {"targets": targets}))["success"]) == 2
    )
    await amazon.ok(
        "PATCH", "/dsp/v1/campaigns", {"campaigns": [{"campaignId": "587673741928966411", "state": "ACTIVE"}]}
    )
    await amazon.ok(
        "PATCH", "/dsp/v1/adGroups", {"adGroups": [{"adGroupId": "579602514554384269", "state": "ACTIVE"}]}
    )
    path = "/dsp/v1/campaigns/587673741928966411/flights"
    body = {
        "flights": [
            {
                "startDateTime": "2028-04-01T00:00:00.483Z",
                "endDateTime": "2028-06-30T23:59:59.483Z",
                "budgetAmount": 1000,
            }
        ]
    }
    assert (await amazon.ok("POST", path, body))["success"][0]["flightId"]


async def test_audience_targets_and_their_listing(amazon: Amazon) -> None:
    ad_group_id = "579602514554384269"
    body = {
        "targets": [
            {
                "adGroupId": ad_group_id,
                "adProduct": "AMAZON_DSP",
                "negative": negative,
                "state": "ENABLED",
                "targetDetails": {
                    "audienceTarget": {"audienceId": audience_id, "groupId": group, "targetType": "AUDIENCE"}
                },
            }
            for audience_id, group, negative in AUDIENCES
        ]
    }
    answer = await amazon.ok("POST", "/dsp/v1/targets", body)
    assert len(answer["success"]) == 6
    listed = await amazon.ok(
        "POST",
        "/dsp/v1/targets/list",
        {"filters": {"targetTypeFilter": ["AUDIENCE"], "adGroupIdFilter": [ad_group_id]}},
        status=200,
    )
    shown = [{k: v for k, v in t.items() if k != "targetId"} for t in listed["targets"]]
    assert shown == [
        {
            "adGroupId": ad_group_id,
            "adProduct": "AMAZON_DSP",
            "negative": negative,
            "state": "ENABLED",
            "targetDetails": {
                "audienceTarget": {
                    "acrossGroupOperator": "ALL",
                    "audienceId": audience_id,
                    "groupId": group,
                    "inGroupOperator": "ALL" if negative else "ANY",
                    "targetType": "AUDIENCE",
                }
            },
        }
        for audience_id, group, negative in AUDIENCES
    ]


async def test_inventory_source_exchanges_example(amazon: Amazon) -> None:
    body = {
        "filters": [
            {"field": "INVENTORY_TYPE", "value": "STANDARD_DISPLAY", "include": True},
            {"field": "INVENTORY_SOURCE_TYPE", "value": "AMAZON", "include": True},
            {"field": "INVENTORY_SOURCE_TYPE", "value": "AMAZON_PUBLISHER_DIRECT", "include": True},
            {"field": "INVENTORY_SOURCE_TYPE", "value": "THIRD_PARTY_EXCHANGE", "include": True},
        ]
    }
    answer = await amazon.ok("POST", "/dsp/v1/inventorySourceExchanges/list", body, status=200)
    found = answer["inventorySourceExchanges"]
    assert [e["inventorySourceId"] for e in found] == ["1001", "1003", "1004", "1005", "1006", "1007"]
    assert all("STANDARD_DISPLAY" in e["inventoryTypes"] for e in found)


async def test_creative_association_guide(amazon: Amazon) -> None:
    ad_group_1 = "579602514554384269"
    ad_group_2 = await amazon.create_ad_group(
        creativeRotationType="WEIGHTED",
        startDateTime="2027-06-01T00:00:00Z",
        endDateTime="2027-12-31T00:00:00Z",
    )
    eligible_path = "/dsp/v1/adCreatives/associations/adGroups/eligibleCreatives/list"
    # Get eligible ad creatives.
    basic = await amazon.ok(
        "POST",
        eligible_path,
        {
            "maxResults": "100",
            "adGroupIdFilter": {"include": [ad_group_1, ad_group_2]},
            "includeExtendedDataFields": False,
        },
        status=200,
    )
    assert basic["totalResults"] >= 50
    first = basic["adCreatives"][0]
    assert set(first) == {"adCreativeName", "adCreativeId", "eligibleAdGroupIds"}
    assert first["adCreativeId"] == "123456789" and first["eligibleAdGroupIds"] == [ad_group_1, ad_group_2]
    assert "300000000005" not in {c["adCreativeId"] for c in basic["adCreatives"]}  # a video creative
    # With additional filters (fuzzy name and format type).
    filtered = await amazon.ok(
        "POST",
        eligible_path,
        {
            "maxResults": 10,
            "adGroupIdFilter": {"include": [ad_group_1, ad_group_2]},
            "adCreativeIdFilter": {"include": ["123456789", "200000000001"]},
            "adCreativeNameFilter": {"include": ["Guide example creative", "*banner 01*"]},
            "adCreativeFormatTypeFilter": {"include": ["DISPLAY", "*IMAGE*"]},
            "adCreativeModerationStatusFilter": {"include": ["APPROVED", "IN_PROGRESS"]},
        },
        status=200,
    )
    assert [c["adCreativeId"] for c in filtered["adCreatives"]] == ["123456789", "200000000001"]
    # With extended data fields.
    extended = await amazon.ok(
        "POST",
        eligible_path,
        {"maxResults": 1, "adGroupIdFilter": {"include": [ad_group_1]}, "includeExtendedDataFields": True},
        status=200,
    )
    assert extended["nextToken"]
    data = extended["adCreatives"][0]["extendedData"]
    assert data["adCreativeModerationStatus"] == "APPROVED"
    assert data["adCreativeFormatProperties"]["adCreativeFormatType"] == "DISPLAY"
    assert set(data) == {
        "createdDate",
        "lastUpdatedDate",
        "language",
        "country",
        "adCreativeModerationStatus",
        "adCreativeFormatProperties",
    }

    # Create associations (one approved, one that moderates NOT_APPROVED).
    path = "/dsp/v1/adCreatives/associations/adGroups"
    created = await amazon.ok(
        "POST",
        path,
        {
            "associations": [
                {
                    "adCreativeId": "123456789",
                    "weight": "5",
                    "state": "ACTIVE",
                    "adGroupId": ad_group_2,
                    "startDate": "2027-07-09T01:22:00.000Z",
                    "endDate": "2027-08-09T01:22:00.000Z",
                },
                {"adCreativeId": "300000000009", "adGroupId": ad_group_2},
            ]
        },
    )
    assert created["success"] == [
        {"index": 0, "adCreativeId": "123456789", "adGroupId": ad_group_2},
        {"index": 1, "adCreativeId": "300000000009", "adGroupId": ad_group_2},
    ]
    # Review moderation results.
    moderations = await amazon.ok(
        "POST",
        path + "/moderations/list",
        {
            "maxResults": 100,
            "adGroupIdFilter": {"include": [ad_group_2]},
            "adCreativeIdFilter": {"include": ["300000000009"]},
        },
        status=200,
    )
    assert moderations["totalResults"] == 1
    [status] = moderations["associationStatuses"]
    assert status["adCreativeId"] == "300000000009" and status["adGroupId"] == ad_group_2
    [experience] = status["adExperiences"]
    assert experience["associationModerationStatus"] == "NOT_APPROVED"
    assert "unsubstantiated claim" in experience["associationModerationReasons"][0]
    # Update and list.
    updated = await amazon.ok(
        "PATCH",
        path,
        {
            "associations": [
                {
                    "adCreativeId": "123456789",
                    "weight": 7,
                    "state": "INACTIVE",
                    "adGroupId": ad_group_2,
                    "startDate": "2027-07-10T01:22:00.000Z",
                    "endDate": "2027-08-10T01:22:00.000Z",
                }
            ]
        },
    )
    assert updated["success"] == [{"index": 0, "adCreativeId": "123456789", "adGroupId": ad_group_2}]
    listed = await amazon.ok(
        "POST", path + "/list", {"maxResults": 100, "adGroupIdFilter": {"include": [ad_group_2]}}, status=200
    )
    assert listed["totalResults"] == 2
    by_creative = {a["adCreativeId"]: a for a in listed["associations"]}
    assert by_creative["123456789"] == {
        "adCreativeId": "123456789",
        "adGroupId": ad_group_2,
        "creativeAssociationStatus": "APPROVED",
        "weight": 7,
        "state": "INACTIVE",
        "startDate": "2027-07-10T01:22:00Z",
        "endDate": "2027-08-10T01:22:00Z",
        "adExperiences": [{"adExperience": "IMAGE", "associationModerationStatus": "APPROVED"}],
    }
    rejected = by_creative["300000000009"]
    assert rejected["creativeAssociationStatus"] == "NOT_APPROVED"
    assert rejected["startDate"] is None and rejected["endDate"] is None and rejected["state"] == "ACTIVE"
    extended_list = await amazon.ok(
        "POST",
        path + "/list",
        {"adGroupIdFilter": {"include": [ad_group_1, ad_group_2]}, "includeExtendedDataFields": True},
        status=200,
    )
    assert (
        extended_list["associations"][0]["extendedData"]["adCreative"]["adCreativeModerationStatus"]
        == "APPROVED"
    )
    # Delete.
    deleted = await amazon.ok(
        "POST", path + "/delete", {"associations": [{"adCreativeId": "123456789", "adGroupId": ad_group_2}]}
    )
    assert deleted["success"] == [{"index": 0, "adCreativeId": "123456789", "adGroupId": ad_group_2}]
    remaining = await amazon.ok(
        "POST", path + "/list", {"adGroupIdFilter": {"include": [ad_group_2]}}, status=200
    )
    assert [a["adCreativeId"] for a in remaining["associations"]] == ["300000000009"]
