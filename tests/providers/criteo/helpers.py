"""Shared test data for the Criteo provider tests: canonical resources located in a fake manifest."""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Awaitable
from typing import Any, TypeVar

from reconciler.model import Address, Resource, SourceLocation

T = TypeVar("T")

CAMPAIGN = Address("criteo", "campaign", ("summer-sale",))
AD_SET = Address("criteo", "ad_set", ("summer-sale", "fr-retargeting"))
FILE = "campaigns/summer.yaml"


def run(coro: Awaitable[T]) -> T:
    async def main() -> T:
        return await coro

    return asyncio.run(main())


def campaign_attributes() -> dict[str, Any]:
    return {
        "name": "Summer Sale 2027",
        "goal": "acquisition",
        "spendLimit": {"spendLimitType": "capped", "spendLimitRenewal": "monthly", "spendLimitAmount": 5000},
        "budgetAutomation": {"enabled": False},
    }


def ad_set_attributes() -> dict[str, Any]:
    return {
        "name": "FR retargeting",
        "objective": "conversions",
        "mediaType": "display",
        "datasetId": "56789",
        "trackingCode": "utm_source=criteo&utm_medium=display",
        "schedule": {"startDate": "2027-06-01T00:00:00Z", "endDate": "2027-08-31T23:59:59Z"},
        "activation": "on",
        "bidding": {"costController": "COS", "bidAmount": 0.12},
        "targeting": {
            "frequencyCapping": {"frequency": "daily", "maximumImpressions": 3},
            "geoLocation": {
                "countries": {"operand": "in", "values": ["FR"]},
                "subdivisions": {"operand": "notIn", "values": ["FR-75"]},
                "zipCodes": None,
            },
            "deliveryLimitations": {
                "devices": ["desktop", "mobile"],
                "operatingSystems": [],
                "environments": ["web"],
            },
        },
        "budget": {
            "budgetStrategy": "capped",
            "budgetRenewal": "daily",
            "budgetDeliverySmoothing": "accelerated",
            "budgetDeliveryWeek": "undefined",
            "pacingBehavior": "undefined",
            "budgetAmount": 123.45,
        },
        "attributionConfiguration": {"attributionMethod": "lastClick", "lookbackWindow": "30D"},
        "audience": "9876",
    }


def _locate(values: Any, prefix: str, out: dict[str, SourceLocation], line: list[int]) -> None:
    if isinstance(values, dict):
        for key, value in values.items():
            path = f"{prefix}.{key}" if prefix else key
            line[0] += 1
            out[path] = SourceLocation(FILE, line[0], 5 + 2 * path.count("."))
            _locate(value, path, out, line)


def located(address: Address, attributes: dict[str, Any], **kwargs: Any) -> Resource:
    """A resource whose every field has its own line in FILE (the resource itself on line 1)."""
    locations = {"": SourceLocation(FILE, 1, 3)}
    _locate(attributes, "", locations, [1])
    return Resource(address, copy.deepcopy(attributes), locations=locations, **kwargs)


def campaign(**changes: Any) -> Resource:
    attributes = campaign_attributes()
    attributes.update(changes)
    return located(CAMPAIGN, attributes, scope={"advertiserId": "12345"})


def ad_set(**changes: Any) -> Resource:
    attributes = ad_set_attributes()
    attributes.update(changes)
    return located(AD_SET, attributes, parent=CAMPAIGN, scope={"advertiserId": "12345"})
