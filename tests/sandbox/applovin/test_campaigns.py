"""AppLovin campaigns and targets in the sandbox: create/update, read-only fields, DEFAULT vs
per-country values, partial country updates and disabled countries."""

from __future__ import annotations

import pytest

from reconciler.sandbox.applovin.seed import EXAMPLE_CAMPAIGN_ID
from tests.sandbox.applovin.conftest import AppLovin

pytestmark = pytest.mark.anyio


async def test_create_update_and_read_only_fields(applovin: AppLovin) -> None:
    created = await applovin.ok(
        "POST", "/campaign", {"name": "Puzzle", "platform": "ios", "package_name": "123", "bid_type": "CPI"}
    )
    cid = created["campaign_id"]
    assert len(cid) == 32 and created["status"] is False and created["spend"] == 0.0
    updated = await applovin.ok(
        "POST", f"/campaign/{cid}", {**created, "name": "Puzzle 2", "status": True, "clicks": 999}
    )
    assert updated["name"] == "Puzzle 2" and updated["status"] is True and updated["clicks"] == 0
    assert (await applovin.ok("GET", f"/campaign/{cid}"))["name"] == "Puzzle 2"
    changed = await applovin.call("POST", f"/campaign/{cid}", {"platform": "android"})
    assert changed.status_code == 400 and "platform is read-only" in changed.json()["error"]["message"]
    listed = await applovin.ok("GET", "/campaigns")
    assert [c["campaign_id"] for c in listed] == [EXAMPLE_CAMPAIGN_ID, cid]


@pytest.mark.parametrize(
    ("body", "needle", "rule"),
    [
        ({"platform": "ios"}, "name is required", "campaign-name-required"),
        ({"name": "x", "campaign_id": "abc"}, "must not be set", "campaign-id-on-create"),
        ({"name": "x", "status": "true"}, "JSON boolean", "campaign-field-value"),
        ({"name": "x", "bid_type": "CPM"}, "bid_type", "campaign-field-value"),
        (
            {"name": "x", "platform": "android", "bundle_id": "com.a"},
            "iOS apps only",
            "campaign-bundle-id-ios-only",
        ),
        ({"name": "x", "tracking_method": "mmp"}, "tracking_method", "campaign-field-value"),
        (
            {"name": "x", "platform": "ios", "package_name": "com.acme.x"},
            "numeric portion",
            "campaign-package-name-ios",
        ),
        (
            {"name": "x", "platform": "ios", "package_name": "١٢٣"},
            "numeric portion",
            "campaign-package-name-ios",
        ),
        ({"name": "x", "goal_period": 1.5}, "whole number of days", "campaign-field-value"),
        ({"name": "x", "bundle_id": 7}, "must be a string", "campaign-field-value"),
        ({"name": "x", "tracking_method": None}, "tracking methods table", "campaign-field-value"),
    ],
)
async def test_bad_campaigns_are_refused(
    applovin: AppLovin, body: dict[str, object], needle: str, rule: str
) -> None:
    response = await applovin.call("POST", "/campaign", body)
    assert response.status_code == 400 and needle in response.json()["error"]["message"]
    assert response.json()["error"]["rule"] == rule
    assert len(await applovin.ok("GET", "/campaigns")) == 1


async def test_nothing_stricter_than_the_guide_on_campaigns(applovin: AppLovin) -> None:
    """Fields the guide does not list are ignored, and goal_period is any whole number for any bid type
    (the guide's possible values are not given, nor a range); the iOS package name rule applies when the
    request says the app is iOS (the guide names no default platform); any non-empty name is a name."""
    created = await applovin.ok(
        "POST", "/campaign", {"name": "x", "budget": 3, "bid_type": "CPI", "goal_period": 400}
    )
    assert created["goal_period"] == 400 and "budget" not in created
    negative = await applovin.ok("POST", "/campaign", {"name": " ", "goal_period": -1})
    assert negative["goal_period"] == -1 and negative["name"] == " "
    unsaid = await applovin.ok(
        "POST", "/campaign", {"name": "y", "package_name": "com.acme.y", "bundle_id": ""}
    )
    assert unsaid["package_name"] == "com.acme.y"


async def test_unknown_campaign_is_404(applovin: AppLovin) -> None:
    response = await applovin.call("GET", "/campaign/0123")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


async def test_targets_partial_updates_and_disabled_countries(applovin: AppLovin) -> None:
    cid = await applovin.campaign()
    rows = [
        {"country": "US", "bid": 2.9, "budget": 1000, "click_url": "https://t.example/c"},
        {"country": "gb", "bid": 2.1, "budget": 400},
    ]
    first = await applovin.ok(
        "POST", f"/campaign_targets/{cid}", {"countries": rows, "device_types": ["phone"]}
    )
    assert [c["country"] for c in first["countries"]] == ["gb", "us"]
    assert first["bid_type"] == "CPI" and first["device_types"] == ["phone"]
    # only the named country changes; a value not sent is kept, "" clears one
    await applovin.ok(
        "POST", f"/campaign_targets/{cid}", {"countries": [{"country": "us", "bid": 3.0, "click_url": ""}]}
    )
    await applovin.ok(
        "POST", f"/campaign_targets/{cid}", {"countries": [{"country": "gb", "disabled": True}]}
    )
    read = await applovin.ok("GET", f"/campaign_targets/{cid}")
    assert read["countries"] == [
        {
            "country": "us",
            "bid": 3.0,
            "budget": 1000,
            "click_url": None,
            "impression_url": None,
            "disabled": False,
        }
    ]
    # re-adding a disabled country starts afresh: it needs its own bid and budget
    bare = await applovin.call("POST", f"/campaign_targets/{cid}", {"countries": [{"country": "gb"}]})
    assert bare.status_code == 400 and "missing for gb" in bare.json()["error"]["message"]


async def test_default_and_per_country_values_are_exclusive(applovin: AppLovin) -> None:
    cid = await applovin.campaign()
    shared = [{"country": "DEFAULT", "bid": 2.0, "budget": 500}, {"country": "gb"}, {"country": "za"}]
    read = await applovin.ok("POST", f"/campaign_targets/{cid}", {"countries": shared})
    assert [c["country"] for c in read["countries"]] == ["DEFAULT", "gb", "za"]
    mixed = await applovin.call(
        "POST", f"/campaign_targets/{cid}", {"countries": [{"country": "fr", "bid": 1.0}]}
    )
    assert mixed.status_code == 400 and "not both" in mixed.json()["error"]["message"]
    assert [c["country"] for c in (await applovin.ok("GET", f"/campaign_targets/{cid}"))["countries"]] == [
        "DEFAULT",
        "gb",
        "za",
    ]


@pytest.mark.parametrize(
    ("body", "needle", "rule"),
    [
        ({"countries": [{"country": "usa", "bid": 1, "budget": 1}]}, "two-letter", "targets-country-code"),
        ({"countries": [{"country": "us", "bid": "1", "budget": 1}]}, "a number", "targets-field-value"),
        (
            {"countries": [{"country": "us", "bid": 1, "budget": 1, "click_url": 7}]},
            "a string",
            "targets-field-value",
        ),
        (
            {"countries": [{"country": "us", "bid": 1}]},
            "its own budget",
            "targets-budget-per-campaign-or-country",
        ),
        (
            {"countries": [{"country": "us", "budget": 1}]},
            "its own bid",
            "targets-bid-per-campaign-or-country",
        ),
        (
            {"countries": [{"country": "DEFAULT", "budget": 5}, {"country": "us"}]},
            "DEFAULT carries the values shared by all countries but no bid",
            "targets-bid-per-campaign-or-country",
        ),
        (
            {"countries": [{"country": "DEFAULT", "click_url": "https://t.example/c"}, {"country": "us"}]},
            "DEFAULT carries the values shared by all countries but no budget",
            "targets-budget-per-campaign-or-country",
        ),
        ({"device_types": ["watch"]}, "device_types", "targets-device-types"),
        ({"os_major_version_min": "14"}, "whole number", "targets-field-value"),
    ],
)
async def test_bad_targets_are_refused(
    applovin: AppLovin, body: dict[str, object], needle: str, rule: str
) -> None:
    cid = await applovin.campaign()
    response = await applovin.call("POST", f"/campaign_targets/{cid}", body)
    assert response.status_code == 400 and needle in response.json()["error"]["message"]
    assert response.json()["error"]["rule"] == rule


async def test_nothing_stricter_than_the_guide_on_targets(applovin: AppLovin) -> None:
    """The guide states no bound on bids and budgets, no URL scheme, and nothing about unknown fields or a
    country named twice (the last one wins)."""
    cid = await applovin.campaign()
    body = {
        "geo": [],
        "countries": [
            {"country": "us", "bid": 0, "budget": 5, "click_url": "ftp://tracker.example/x"},
            {"country": "us", "bid": 0.5, "budget": 5, "label": "x"},
        ],
    }
    read = await applovin.ok("POST", f"/campaign_targets/{cid}", body)
    [us] = read["countries"]
    assert (us["bid"], us["budget"], us["click_url"]) == (0.5, 5, "ftp://tracker.example/x")
    # "os_major_version_min | Lowest OS version ... 10 means 10.0 and above": no range is given
    read = await applovin.ok("POST", f"/campaign_targets/{cid}", {"os_major_version_min": -1})
    assert read["os_major_version_min"] == -1


async def test_device_types_are_ios_only(applovin: AppLovin) -> None:
    cid = await applovin.campaign(platform="android", package_name="com.acme.puzzle")
    response = await applovin.call("POST", f"/campaign_targets/{cid}", {"device_types": ["phone"]})
    assert response.status_code == 400 and "only supported on iOS" in response.json()["error"]["message"]
    assert response.json()["error"]["rule"] == "targets-device-types-ios-only"
    assert (await applovin.ok("POST", f"/campaign_targets/{cid}", {"device_types": []}))["device_types"] == []
