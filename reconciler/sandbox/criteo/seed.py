"""Criteo reference data seeded into a new sandbox database: advertisers, datasets, audiences, and the
campaigns and ad set that already exist in the portfolio. The ids are fixed: examples and tests use
them. Also the id counters of new objects."""

from __future__ import annotations

from typing import Any

from reconciler.sandbox.criteo.ad_set_attributes import UNCAPPED_BUDGET
from reconciler.sandbox.store import Tx

PLATFORM = "criteo"

AD_SET_IDS_START = 1000001
CAMPAIGN_IDS_START = 500001
SEEDED_AT = "2026-11-02T09:00:00Z"

ADVERTISERS: list[dict[str, Any]] = [
    {
        "id": "12345",
        "name": "Acme Fashion",
        "currency": "EUR",
        "datasets": ["56789"],
        "audiences": [
            {"id": "9876", "name": "Acme cart abandoners", "segment": "29876"},
            {"id": "9877", "name": "Acme lookalikes", "segment": "29877"},
        ],
    },
    {
        "id": "67890",
        "name": "Globex Home",
        "currency": "USD",
        "datasets": ["56790"],
        "audiences": [{"id": "9878", "name": "Globex visitors", "segment": "29878"}],
    },
]

CAMPAIGNS: list[dict[str, Any]] = [
    {
        "id": "358313",
        "advertiserId": "12345",
        "name": "Acme always-on",
        "goal": "acquisition",
        "spendLimit": {
            "spendLimitType": "uncapped",
            "spendLimitRenewal": "undefined",
            "spendLimitAmount": None,
        },
        "budgetAutomation": {"enabled": False, "adSetObjectives": None},
    },
    {
        "id": "358314",
        "advertiserId": "67890",
        "name": "Globex evergreen",
        "goal": "retention",
        "spendLimit": {
            "spendLimitType": "capped",
            "spendLimitRenewal": "monthly",
            "spendLimitAmount": 10000.0,
        },
        "budgetAutomation": {"enabled": False, "adSetObjectives": None},
    },
]

AD_SETS: list[dict[str, Any]] = [
    {
        "id": "123467",
        "advertiserId": "12345",
        "campaignId": "358313",
        "name": "Acme always-on retargeting",
        "datasetId": "56789",
        "objective": "conversions",
        "mediaType": "display",
        "destinationEnvironment": "web",
        "videoChannel": None,
        "trackingCode": "utm_source=criteo&utm_medium=display&utm_campaign=always-on",
        "schedule": {"startDate": "2026-01-01T00:00:00Z", "endDate": None, "activationStatus": "on"},
        "everActivated": True,
        "archived": False,
        "bidding": {"bidAmount": 0.5, "costController": "COS"},
        "targeting": {
            "frequencyCapping": {"frequency": "daily", "maximumImpressions": 5},
            "geoLocation": {
                "countries": {"operand": "in", "values": ["FR"]},
                "subdivisions": None,
                "zipCodes": None,
            },
            "deliveryLimitations": {"devices": [], "operatingSystems": [], "environments": []},
        },
        "budget": dict(UNCAPPED_BUDGET),
        "attributionConfiguration": {"attributionMethod": "criteoAttribution", "lookbackWindow": None},
        "audienceId": "9876",
    }
]


def seed(tx: Tx) -> None:
    """Write the reference data (called once per database, inside its creating transaction)."""
    for advertiser in ADVERTISERS:
        tx.put(
            PLATFORM, "advertiser", advertiser["id"], {k: advertiser[k] for k in ("id", "name", "currency")}
        )
        for dataset_id in advertiser["datasets"]:
            tx.put(PLATFORM, "dataset", dataset_id, {"id": dataset_id, "advertiserId": advertiser["id"]})
        for audience in advertiser["audiences"]:
            tx.put(
                PLATFORM,
                "audience",
                audience["id"],
                {
                    "id": audience["id"],
                    "advertiserId": advertiser["id"],
                    "name": audience["name"],
                    "algebra": {"audienceSegmentId": audience["segment"]},
                    "createdAt": SEEDED_AT,
                    "updatedAt": SEEDED_AT,
                },
            )
    for campaign in CAMPAIGNS:
        tx.put(PLATFORM, "campaign", campaign["id"], campaign)
    for ad_set in AD_SETS:
        tx.put(PLATFORM, "ad_set", ad_set["id"], ad_set)


def fixtures() -> dict[str, Any]:
    """The seeded ids, as `GET /_sandbox/fixtures` reports them."""
    return {
        "advertisers": [
            {
                "id": advertiser["id"],
                "name": advertiser["name"],
                "currency": advertiser["currency"],
                "datasets": list(advertiser["datasets"]),
                "audiences": [{"id": a["id"], "name": a["name"]} for a in advertiser["audiences"]],
                "campaigns": [c["id"] for c in CAMPAIGNS if c["advertiserId"] == advertiser["id"]],
                "adSets": [s["id"] for s in AD_SETS if s["advertiserId"] == advertiser["id"]],
            }
            for advertiser in ADVERTISERS
        ]
    }
