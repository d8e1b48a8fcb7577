"""Mapping between Criteo's wire models and canonical attributes: reads, create bodies, patch items."""

from __future__ import annotations

from typing import Any

from reconciler.diff import compare, normalise
from reconciler.providers.criteo import mapping
from reconciler.providers.criteo.operations import AD_SET_PATCH_UNITS, changed_subset
from tests.providers.criteo.helpers import ad_set_attributes, campaign_attributes


def wire_ad_set() -> dict[str, Any]:
    """A `ReadAdSetV26Q1` resource as Criteo returns it (wrappers, mixed case, fractions, offsets)."""
    return {
        "type": "AdSet",
        "id": "1001",
        "attributes": {
            "name": "FR retargeting",
            "advertiserId": "12345",
            "campaignId": "358313",
            "datasetId": "56789",
            "objective": "Conversions",
            "mediaType": "Display",
            "destinationEnvironment": "web",
            "schedule": {
                "startDate": {"value": "2027-06-01T02:00:00.1234567+02:00"},
                "endDate": {"value": "2027-08-31T23:59:59Z"},
                "activationStatus": "On",
                "deliveryStatus": "live",
            },
            "bidding": {"bidAmount": 0.12, "costController": "cos"},
            "targeting": {
                "frequencyCapping": {"value": {"frequency": "Daily", "maximumImpressions": 3}},
                "geoLocation": {
                    "countries": {"value": {"operand": "In", "values": ["FR"]}},
                    "subdivisions": {"value": {"operand": "NotIn", "values": ["FR-75"]}},
                    "zipCodes": {"value": None},
                },
                "deliveryLimitations": {
                    "devices": ["Desktop", "mobile"],
                    "operatingSystems": None,
                    "environments": ["web"],
                },
            },
            "budget": {
                "budgetStrategy": "Capped",
                "budgetRenewal": "daily",
                "budgetDeliverySmoothing": "accelerated",
                "budgetDeliveryWeek": "undefined",
                "pacingBehavior": "undefined",
                "budgetAmount": {"value": 123.45},
            },
            "attributionConfiguration": {"attributionMethod": "LastClick", "lookbackWindow": "30d"},
        },
    }


def test_ad_set_read_is_canonical() -> None:
    got = mapping.ad_set_from_wire(wire_ad_set(), "9876")
    assert got["objective"] == "conversions"
    assert got["mediaType"] == "display"
    assert got["schedule"] == {"startDate": "2027-06-01T00:00:00Z", "endDate": "2027-08-31T23:59:59Z"}
    assert got["activation"] == "on"
    assert got["bidding"] == {"costController": "COS", "bidAmount": 0.12}
    assert got["targeting"]["frequencyCapping"] == {"frequency": "daily", "maximumImpressions": 3}
    assert got["targeting"]["geoLocation"] == {
        "countries": {"operand": "in", "values": ["FR"]},
        "subdivisions": {"operand": "notIn", "values": ["FR-75"]},
        "zipCodes": None,
    }
    assert got["targeting"]["deliveryLimitations"] == {
        "devices": ["desktop", "mobile"],
        "operatingSystems": [],
        "environments": ["web"],
    }
    assert got["budget"]["budgetStrategy"] == "capped"
    assert got["budget"]["budgetAmount"] == 123.45
    assert got["attributionConfiguration"] == {"attributionMethod": "lastClick", "lookbackWindow": "30D"}
    assert got["audience"] == "9876"
    assert (got["advertiserId"], got["campaignId"], got["deliveryStatus"]) == ("12345", "358313", "live")


def test_read_of_the_desired_ad_set_has_no_difference() -> None:
    desired = ad_set_attributes()
    del desired["trackingCode"]  # write-only
    assert compare(desired, mapping.ad_set_from_wire(wire_ad_set(), "9876")) == []


def test_guide_spellings_and_unwrapped_values_are_accepted() -> None:
    wire = wire_ad_set()
    attributes = wire["attributes"]
    attributes["bidding"]["costController"] = "CPC"
    attributes["targeting"]["frequencyCapping"] = {"frequency": "hourly", "maximumImpressions": 2}
    attributes["schedule"]["startDate"] = "2027-06-01"
    attributes["schedule"]["endDate"] = None
    got = mapping.ad_set_from_wire(wire)
    assert got["bidding"]["costController"] == "maxCPC"
    assert got["targeting"]["frequencyCapping"] == {"frequency": "hourly", "maximumImpressions": 2}
    assert got["schedule"] == {"startDate": "2027-06-01T00:00:00Z", "endDate": None}
    assert got["audience"] is None


def test_inactive_geolocation_rule_reads_as_null() -> None:
    wire = wire_ad_set()
    wire["attributes"]["targeting"]["geoLocation"]["countries"] = None
    wire["attributes"]["targeting"]["geoLocation"]["zipCodes"] = {
        "value": {"operand": "undefined", "values": []}
    }
    geo = mapping.ad_set_from_wire(wire)["targeting"]["geoLocation"]
    assert geo["countries"] is None and geo["zipCodes"] is None


def test_ad_set_create_body_follows_create_model() -> None:
    body = mapping.ad_set_create_body(ad_set_attributes(), "358313")
    assert body["campaignId"] == "358313"
    assert body["trackingCode"] == "utm_source=criteo&utm_medium=display"
    assert body["schedule"] == {"startDate": "2027-06-01T00:00:00Z", "endDate": "2027-08-31T23:59:59Z"}
    assert body["targeting"]["frequencyCapping"] == {"frequency": "daily", "maximumImpressions": 3}
    # Inactive rules are omitted; active ones are plain (not wrapped) on create.
    assert body["targeting"]["geoLocation"] == {
        "countries": {"operand": "in", "values": ["FR"]},
        "subdivisions": {"operand": "notIn", "values": ["FR-75"]},
    }
    assert body["budget"]["budgetAmount"] == 123.45
    assert "activation" not in body and "audience" not in body


def test_create_then_read_round_trip() -> None:
    """What a create sends, read back the way Criteo answers it, equals the desired attributes."""
    desired = ad_set_attributes()
    body = mapping.ad_set_create_body(desired, "358313")
    targeting = body["targeting"]
    read = {
        "id": "1",
        "attributes": {
            **{k: v for k, v in body.items() if k not in ("schedule", "targeting", "trackingCode")},
            "schedule": {
                "startDate": {"value": body["schedule"]["startDate"]},
                "endDate": {"value": body["schedule"]["endDate"]},
                "activationStatus": "on",
            },
            "targeting": {
                "frequencyCapping": {"value": targeting["frequencyCapping"]},
                "geoLocation": {k: {"value": targeting["geoLocation"].get(k)} for k in mapping.GEO_RULES},
                "deliveryLimitations": targeting["deliveryLimitations"],
            },
        },
    }
    del desired["trackingCode"]
    assert compare(desired, mapping.ad_set_from_wire(read, "9876")) == []


def test_ad_set_patch_uses_scheduling_and_value_wrappers() -> None:
    changed = {
        "name": "New name",
        "schedule": {"startDate": "2027-06-02T00:00:00Z", "endDate": None},
        "bidding": {"bidAmount": 0.5},
        "targeting": {
            "frequencyCapping": {"frequency": "hourly", "maximumImpressions": 12},
            "geoLocation": {"countries": {"operand": "in", "values": ["DE"]}, "zipCodes": None},
            "deliveryLimitations": {"devices": ["tablet"]},
        },
        "budget": {"budgetAmount": 99.5},
    }
    assert mapping.ad_set_patch_body(changed) == {
        "name": "New name",
        "scheduling": {"startDate": {"value": "2027-06-02T00:00:00Z"}, "endDate": {"value": None}},
        "bidding": {"bidAmount": {"value": 0.5}},
        "targeting": {
            "frequencyCapping": {"value": {"frequency": "hourly", "maximumImpressions": 12}},
            "geoLocation": {
                "countries": {"value": {"operand": "in", "values": ["DE"]}},
                "zipCodes": {"value": None},
            },
            "deliveryLimitations": {"devices": ["tablet"]},
        },
        "budget": {"budgetAmount": {"value": 99.5}},
    }


def test_changed_subset_takes_only_the_touched_units() -> None:
    desired = ad_set_attributes()
    subset = changed_subset(
        [
            "bidding.bidAmount",
            "targeting.frequencyCapping.maximumImpressions",
            "targeting.geoLocation.countries.values",
        ],
        desired,
        AD_SET_PATCH_UNITS,
    )
    assert subset == {
        "bidding": {"bidAmount": 0.12},
        "targeting": {
            "frequencyCapping": {"frequency": "daily", "maximumImpressions": 3},
            "geoLocation": {"countries": {"operand": "in", "values": ["FR"]}},
        },
    }
    # A change at a parent path covers every unit below it that the manifest writes.
    whole = changed_subset(["targeting.geoLocation"], desired, AD_SET_PATCH_UNITS)
    assert set(whole["targeting"]["geoLocation"]) == {"countries", "subdivisions", "zipCodes"}


def test_campaign_read_create_and_patch() -> None:
    wire = {
        "id": "358400",
        "type": "Campaign",
        "attributes": {
            "advertiserId": "12345",
            "name": "Summer Sale 2027",
            "goal": "Acquisition",
            "spendLimit": {
                "spendLimitType": "capped",
                "spendLimitRenewal": "monthly",
                "spendLimitAmount": {"value": 5000.0},
            },
            "budgetAutomation": {"enabled": False, "automatedBudgetConfiguration": None},
        },
    }
    got = mapping.campaign_from_wire(wire)
    assert compare(campaign_attributes(), got) == []
    assert got["budgetAutomation"] == {"enabled": False, "budgetConfiguration": None}
    body = mapping.campaign_create_body(campaign_attributes(), "12345")
    assert body == {
        "advertiserId": "12345",
        "name": "Summer Sale 2027",
        "goal": "Acquisition",
        "spendLimit": {"spendLimitType": "capped", "spendLimitRenewal": "monthly", "spendLimitAmount": 5000},
        "budgetAutomation": {"enabled": False},
    }
    patch = mapping.campaign_patch_body(
        {
            "spendLimit": {
                "spendLimitType": "uncapped",
                "spendLimitRenewal": "undefined",
                "spendLimitAmount": None,
            },
            "budgetAutomation": {"enabled": True, "budgetConfiguration": {"adSetObjectives": "revenue"}},
        }
    )
    assert patch == {
        "spendLimit": {
            "spendLimitType": "uncapped",
            "spendLimitRenewal": "undefined",
            "spendLimitAmount": {"value": None},
        },
        "budgetAutomation": {"enabled": True, "budgetConfiguration": {"adSetObjectives": "revenue"}},
    }
    automated = mapping.campaign_from_wire(
        {
            "attributes": {
                "budgetAutomation": {
                    "enabled": True,
                    "automatedBudgetConfiguration": {"adSetOptimizationObjective": "Revenue"},
                }
            }
        }
    )
    assert automated["budgetAutomation"] == {
        "enabled": True,
        "budgetConfiguration": {"adSetObjectives": "revenue"},
    }


def test_audiences_by_ad_set() -> None:
    audiences = [
        {"id": "9877", "attributes": {"adSetIds": ["2002"]}},
        {"id": "9876", "attributes": {"adSetIds": ["1001", "3003"]}},
    ]
    assert mapping.audiences_by_ad_set(audiences, ["1001", "2002", "4004"]) == {
        "1001": "9876",
        "2002": "9877",
    }


def test_rounding_and_dates() -> None:
    assert mapping.round_bid(0.12345) == 0.1235
    # What is sent is what the diff compares with (its `round`): no perpetual diff on a tie.
    for amount in (0.00015, 2.00005, 1.23455, 0.912345):
        assert mapping.round_bid(amount) == normalise(amount)
    assert mapping.round_bid(2) == 2
    assert mapping.format_datetime("2027-06-01T00:00:00.999Z") == "2027-06-01T00:00:00Z"
    assert mapping.format_datetime("2027-06-01") == "2027-06-01T00:00:00Z"
