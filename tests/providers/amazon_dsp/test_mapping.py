"""Amazon DSP wire ↔ canonical mapping: what the platform returns compares equal to what was written."""

from __future__ import annotations

from reconciler.diff import compare
from reconciler.providers.amazon_dsp import mapping

CAMPAIGN_ROW = {
    "campaignId": "587673741928966411",
    "advertiserId": "520724305968518499",
    "name": "My Q1 Test Campaign",
    "state": "inactive",
    "optimization": {
        "bidStrategy": "spend_budget_in_full",
        "automateBudgetAllocation": True,
        "automateBidAllocation": False,
        "goalSetting": {"kpi": "CLICK_THROUGH_RATE", "targetKpi": "0.10", "goal": "CONSIDERATION"},
    },
    "frequencies": [{"frequencyType": "UNCAPPED", "maxImpressions": None}],
    "budgetCaps": [],
    "purchaseOrderNumber": None,
}


def test_campaign_drops_read_only_and_normalises_formats() -> None:
    flights = [
        {
            "flightId": "2",
            "startDateTime": "2030-04-01T00:00:00.000Z",
            "endDateTime": "2030-06-30T23:59:59Z",
            "budgetAmount": 1000,
        },
        {
            "flightId": "1",
            "startDateTime": "2030-01-01T00:00:00Z",
            "endDateTime": "2030-03-31T23:59:59.000Z",
            "budgetAmount": "500.00",
        },
    ]
    products = [{"productId": "B09D36CVP1", "productAssociation": "featured", "domain": "amazon_us"}]
    live = mapping.campaign_from_wire(CAMPAIGN_ROW, flights, products)
    assert live == {
        "name": "My Q1 Test Campaign",
        "state": "INACTIVE",
        "optimization": {
            "bidStrategy": "SPEND_BUDGET_IN_FULL",
            "automateBudgetAllocation": True,
            "goalSetting": {"kpi": "CLICK_THROUGH_RATE", "targetKpi": 0.1},
        },
        "frequencies": [{"frequencyType": "UNCAPPED"}],
        "budgetCaps": [],
        "flights": [
            {
                "startDateTime": "2030-01-01T00:00:00Z",
                "endDateTime": "2030-03-31T23:59:59Z",
                "budgetAmount": 500.0,
            },
            {
                "startDateTime": "2030-04-01T00:00:00Z",
                "endDateTime": "2030-06-30T23:59:59Z",
                "budgetAmount": 1000.0,
            },
        ],
        "trackedProducts": [
            {"productId": "B09D36CVP1", "productAssociation": "FEATURED", "domain": "AMAZON_US"}
        ],
    }
    desired = {
        "name": "My Q1 Test Campaign",
        "optimization": {
            "bidStrategy": "SPEND_BUDGET_IN_FULL",
            "automateBudgetAllocation": True,
            "goalSetting": {"kpi": "CLICK_THROUGH_RATE", "targetKpi": 0.1},
        },
        "flights": live["flights"][::-1],
        "frequencies": [{"frequencyType": "UNCAPPED"}],
    }
    assert compare(desired, live) == []


def test_campaign_create_body_has_flights_inline_and_no_state_or_products() -> None:
    desired = {
        "name": "C",
        "state": "ACTIVE",
        "flights": [
            {
                "startDateTime": "2030-01-01T00:00:00Z",
                "endDateTime": "2030-02-01T00:00:00Z",
                "budgetAmount": 1.0,
            }
        ],
        "trackedProducts": [{"productId": "B1", "productAssociation": "FEATURED", "domain": "AMAZON_US"}],
        "advertiserId": "ignored",
    }
    body = mapping.campaign_create_body(desired, "520724305968518499")
    assert body == {
        "name": "C",
        "advertiserId": "520724305968518499",
        "flights": {"flights": desired["flights"]},
    }


def test_ad_group_budget_is_the_platforms_only_under_double_automation() -> None:
    row = {
        "adGroupId": "9",
        "campaignId": "1",
        "name": "AG",
        "inventoryType": "display",
        "budgetAmount": 12.3,
        "optimization": {"automateBudgetAllocation": True, "automateBidAllocation": True},
        "advertisedProductCategoryIds": ["2", "1"],
    }
    automated = mapping.ad_group_from_wire(row, campaign_automated=True)
    assert "budgetAmount" not in automated
    assert automated["optimization"] == {"automateBudgetAllocation": True}
    assert automated["advertisedProductCategoryIds"] == ["1", "2"]
    assert automated["inventoryType"] == "DISPLAY"
    assert mapping.ad_group_from_wire(row, campaign_automated=False)["budgetAmount"] == 12.3


def test_targets_round_trip_through_the_wire() -> None:
    canonical = {"audienceId": "365849257058325086", "groupId": "1", "negative": False}
    wire = mapping.target_to_wire("audience", canonical, "579602514554384269")
    assert wire == {
        "adGroupId": "579602514554384269",
        "adProduct": "AMAZON_DSP",
        "state": "ENABLED",
        "negative": False,
        "targetDetails": {
            "audienceTarget": {"audienceId": "365849257058325086", "groupId": "1", "targetType": "AUDIENCE"}
        },
    }
    listed = {**wire, "targetId": "t1"}
    listed["targetDetails"]["audienceTarget"].update(inGroupOperator="ANY", acrossGroupOperator="ALL")
    assert mapping.target_from_wire(listed) == ("579602514554384269", "audience", canonical)
    domain = mapping.target_to_wire(
        "domain",
        {
            "domainTargetDetails": {
                "domainName": {"domainName": "www.nytimes.com", "domainTargetType": "DOMAIN_NAME"}
            },
            "negative": True,
        },
        "1",
    )
    assert mapping.target_from_wire(domain) == (
        "1",
        "domain",
        {
            "negative": True,
            "domainTargetDetails": {
                "domainName": {"domainName": "www.nytimes.com", "domainTargetType": "DOMAIN_NAME"}
            },
        },
    )


def test_target_delta_ignores_order_and_case() -> None:
    live = [
        {"deviceType": "desktop", "negative": False},
        {"deviceType": "PHONE", "negative": False},
        {"deviceType": "TABLET", "negative": False},
    ]
    desired = [{"deviceType": "PHONE", "negative": False}, {"deviceType": "DESKTOP", "negative": False}]
    delete, add = mapping.target_delta(live, desired)
    assert delete == [{"deviceType": "TABLET", "negative": False}]
    assert add == []


def test_defaulted_types_follow_the_inventory_type() -> None:
    assert mapping.defaulted_types("DISPLAY") == {"DEVICE", "DAY_PART", "INVENTORY_SOURCE", "DOMAIN"}
    assert "DOMAIN" not in mapping.defaulted_types("AAP_MOBILE_APP")
    assert "VIDEO_AD_FORMAT" in mapping.defaulted_types("VIDEO")


def test_association_and_moderation() -> None:
    row = {
        "adCreativeId": "123456789",
        "adGroupId": "5",
        "weight": "10",
        "state": "active",
        "startDate": "2030-01-02T00:00:00.000Z",
        "endDate": None,
        "creativeAssociationStatus": "NOT_APPROVED",
        "adExperiences": [
            {
                "adExperience": "STANDARD_DISPLAY",
                "associationModerationStatus": "NOT_APPROVED",
                "associationModerationReasons": ["Image is blurry"],
            }
        ],
    }
    assert mapping.association_from_wire(row) == {
        "creative": "123456789",
        "weight": 10,
        "state": "ACTIVE",
        "startDate": "2030-01-02T00:00:00Z",
    }
    moderation = mapping.moderation_from_wire(row)
    assert moderation.status == "NOT_APPROVED"
    assert moderation.rejected == (("STANDARD_DISPLAY", ("Image is blurry",)),)
    assert mapping.association_to_wire({"creative": "123456789", "weight": 10}, "5") == {
        "adGroupId": "5",
        "adCreativeId": "123456789",
        "weight": 10,
    }
