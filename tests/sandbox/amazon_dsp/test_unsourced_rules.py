"""Rows of docs/amazon-dsp-rules.md with no sentence of the vendor documents behind them (the offline rules
only warn about them): nothing stricter than the vendor, so the sandbox (the platform) carries these
requests out, and stores what was sent. `test_not_refused[<id>]` is the sandbox test the table names for
each."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import httpx
import pytest

from tests.sandbox.amazon_dsp.conftest import AD_GROUP, Amazon, ad_group_body, campaign_body, target
from tests.sandbox.amazon_dsp.test_rules import ad_groups, campaigns, domain, flight, targets

pytestmark = pytest.mark.anyio

Case = Callable[[Amazon], Awaitable[httpx.Response]]
UNSOURCED: dict[str, Case] = {}


def unsourced(rule_id: str) -> Callable[[Case], Case]:
    def register(case: Case) -> Case:
        UNSOURCED[rule_id] = case
        return case

    return register


@unsourced("frequency-uncapped-no-fields")
async def _(amazon: Amazon) -> httpx.Response:
    return await campaigns(
        amazon, campaign_body(frequencies=[{"frequencyType": "UNCAPPED", "maxImpressions": 3}])
    )


@unsourced("frequency-uncapped-alone")
async def _(amazon: Amazon) -> httpx.Response:
    capped = {"frequencyType": "CAPPED", "maxImpressions": 3, "timeUnitCount": 1, "timeUnit": "DAYS"}
    return await campaigns(amazon, campaign_body(frequencies=[{"frequencyType": "UNCAPPED"}, capped]))


@unsourced("frequency-positive")
async def _(amazon: Amazon) -> httpx.Response:
    capped = {"frequencyType": "CAPPED", "maxImpressions": 0, "timeUnitCount": 1, "timeUnit": "DAYS"}
    return await campaigns(amazon, campaign_body(frequencies=[capped]))


@unsourced("budget-cap-positive")
async def _(amazon: Amazon) -> httpx.Response:
    return await campaigns(amazon, campaign_body(budgetCaps=[{"recurrenceTimePeriod": "DAILY", "amount": 0}]))


@unsourced("budget-cap-once-per-period")
async def _(amazon: Amazon) -> httpx.Response:
    caps = [{"recurrenceTimePeriod": "DAILY", "amount": 5}, {"recurrenceTimePeriod": "DAILY", "amount": 9}]
    return await campaigns(amazon, campaign_body(budgetCaps=caps))


@unsourced("fee-percentage-max-100")
async def _(amazon: Amazon) -> httpx.Response:
    fee = {"feeType": "AGENCY", "feeValue": 101, "feeValueType": "PERCENTAGE"}
    return await campaigns(amazon, campaign_body(fees=[fee]))


@unsourced("fee-not-negative")
async def _(amazon: Amazon) -> httpx.Response:
    fee = {"feeType": "AGENCY", "feeValue": -1, "feeValueType": "FIXED_CPM"}
    return await campaigns(amazon, campaign_body(fees=[fee]))


@unsourced("target-kpi-positive")
async def _(amazon: Amazon) -> httpx.Response:
    return await campaigns(
        amazon, campaign_body(optimization={"goalSetting": {"kpi": "REACH", "targetKpi": 0}})
    )


@unsourced("target-kpi-rate-percent")
async def _(amazon: Amazon) -> httpx.Response:
    goal = {"goalSetting": {"kpi": "CLICK_THROUGH_RATE", "targetKpi": 101}}
    return await campaigns(amazon, campaign_body(optimization=goal))


@unsourced("product-category-once")
async def _(amazon: Amazon) -> httpx.Response:
    twice = ["304669741353807342", "304669741353807342"]
    return await ad_groups(amazon, ad_group_body(advertisedProductCategoryIds=twice))


@unsourced("ad-group-budget-positive")
async def _(amazon: Amazon) -> httpx.Response:
    return await ad_groups(amazon, ad_group_body(budgetAmount=0))


@unsourced("base-bid-positive")
async def _(amazon: Amazon) -> httpx.Response:
    return await ad_groups(amazon, ad_group_body(bid={"baseBid": 0}))


@unsourced("tracked-product-once")
async def _(amazon: Amazon) -> httpx.Response:
    campaign_id = await amazon.create_campaign()
    product = {"productId": "B09D36CVP1", "productAssociation": "FEATURED", "domain": "AMAZON_US"}
    path = f"/dsp/v1/campaigns/{campaign_id}/conversionTracking/products"
    response = await amazon.call("POST", path, {"productTrackingList": [product, product]})
    return response


def flights(*items: dict[str, object]) -> dict[str, object]:
    return {"flights": list(items)}


@unsourced("flight-end-after-start")
async def _(amazon: Amazon) -> httpx.Response:
    return await campaigns(
        amazon, campaign_body(flights=flights(flight("2028-02-01T00:00:00Z", "2028-01-01T00:00:00Z")))
    )


@unsourced("flight-budget-positive")
async def _(amazon: Amazon) -> httpx.Response:
    return await campaigns(
        amazon, campaign_body(flights=flights(flight("2028-01-01T00:00:00Z", "2028-02-01T00:00:00Z", 0)))
    )


@unsourced("flight-no-overlap")
async def _(amazon: Amazon) -> httpx.Response:
    overlapping = flights(
        flight("2028-01-01T00:00:00Z", "2028-02-01T00:00:00Z"),
        flight("2028-01-15T00:00:00Z", "2028-03-01T00:00:00Z"),
    )
    return await campaigns(amazon, campaign_body(flights=overlapping))


@unsourced("frequency-cap-fields")
async def _(amazon: Amazon) -> httpx.Response:
    return await campaigns(amazon, campaign_body(frequencies=[{"frequencyType": "CAPPED"}]))


@unsourced("ad-group-dates-order")
async def _(amazon: Amazon) -> httpx.Response:
    return await ad_groups(
        amazon, ad_group_body(startDateTime="2028-02-01T00:00:00Z", endDateTime="2028-01-01T00:00:00Z")
    )


@unsourced("ad-group-inventory-immutable")
async def _(amazon: Amazon) -> httpx.Response:
    body = {"adGroups": [{"adGroupId": AD_GROUP, "inventoryType": "ONLINE_VIDEO"}]}
    return await amazon.call("PATCH", "/dsp/v1/adGroups", body)


@unsourced("target-duplicate")
async def _(amazon: Amazon) -> httpx.Response:
    return await targets(amazon, domain(), domain())


@unsourced("domain-details-exactly-one")
async def _(amazon: Amazon) -> httpx.Response:
    both = {
        "advertiserDomainList": True,
        "domainList": {"domainListId": "1", "domainTargetType": "DOMAIN_LIST"},
    }
    return await targets(
        amazon, target(AD_GROUP, "domainTarget", domainTargetDetails=both, targetType="DOMAIN")
    )


@unsourced("advertiser-domain-list-true")
async def _(amazon: Amazon) -> httpx.Response:
    details = {"advertiserDomainList": False}
    return await targets(
        amazon, target(AD_GROUP, "domainTarget", domainTargetDetails=details, targetType="DOMAIN")
    )


@unsourced("video-ad-format-video-only")
async def _(amazon: Amazon) -> httpx.Response:
    video = {"videoAdFormat": "IN_STREAM", "targetType": "VIDEO_AD_FORMAT"}
    return await targets(amazon, target(AD_GROUP, "videoAdFormatTarget", **video))


@unsourced("device-eligible")
async def _(amazon: Amazon) -> httpx.Response:
    return await targets(
        amazon, target(AD_GROUP, "deviceTarget", deviceType="CONNECTED_TV", targetType="DEVICE")
    )


@unsourced("day-part-hour-range")
async def _(amazon: Amazon) -> httpx.Response:
    return await targets(
        amazon, target(AD_GROUP, "dayPartTarget", dayOfWeek="MONDAY", hourOfDay=24, targetType="DAY_PART")
    )


@pytest.mark.parametrize("rule_id", sorted(UNSOURCED))
async def test_not_refused(amazon: Amazon, rule_id: str) -> None:
    response = await UNSOURCED[rule_id](amazon)
    assert response.status_code == 207 and "error" not in response.json(), response.text


async def test_what_is_not_refused_is_stored_as_sent(amazon: Amazon) -> None:
    """The platform keeps what it accepted: flights as sent, the new inventory type, the targets."""
    odd = [flight("2028-02-01T00:00:00Z", "2028-01-01T00:00:00Z", 0)]
    campaign_id = await amazon.create_campaign(flights=flights(*odd))
    listed = await amazon.ok(
        "POST", "/dsp/v1/campaigns/list", {"campaignIdFilter": [campaign_id]}, status=200
    )
    [stored] = listed["campaigns"][0]["flights"]["flights"]
    assert (stored["startDateTime"], stored["endDateTime"], stored["budgetAmount"]) == (
        "2028-02-01T00:00:00Z",
        "2028-01-01T00:00:00Z",
        0,
    )
    await amazon.ok(
        "PATCH", "/dsp/v1/adGroups", {"adGroups": [{"adGroupId": AD_GROUP, "inventoryType": "VIDEO"}]}
    )
    rows = await amazon.ok("POST", "/dsp/v1/adGroups/list", {"adGroupIdFilter": [AD_GROUP]}, status=200)
    assert rows["adGroups"][0]["inventoryType"] == "VIDEO"  # deprecated: no new ad groups, but a change
    hours = [
        target(AD_GROUP, "dayPartTarget", dayOfWeek="MONDAY", hourOfDay=h, targetType="DAY_PART")
        for h in (24, -1)
    ]
    await amazon.ok("POST", "/dsp/v1/targets", {"targets": hours})
    parts = await amazon.targets(AD_GROUP, "DAY_PART")
    assert {t["targetDetails"]["dayPartTarget"]["hourOfDay"] for t in parts} >= {24, -1}


async def test_a_target_the_ad_group_has_answers_its_id_and_changes_nothing(amazon: Amazon) -> None:
    first = await amazon.ok("POST", "/dsp/v1/targets", {"targets": [domain()]})
    before = await amazon.targets(AD_GROUP, "DOMAIN")
    again = await amazon.ok("POST", "/dsp/v1/targets", {"targets": [domain(), domain()]})
    assert [s["targetId"] for s in again["success"]] == [first["success"][0]["targetId"]] * 2
    assert await amazon.targets(AD_GROUP, "DOMAIN") == before


async def test_the_last_flight_of_a_campaign_may_be_deleted(amazon: Amazon) -> None:
    """FACTS: flights are "required on campaign create (at least one)": on a create only."""
    campaign_id = await amazon.create_campaign()
    listed = await amazon.ok("POST", f"/dsp/v1/campaigns/{campaign_id}/flights/list", {}, status=200)
    [only] = listed["flights"]
    path = f"/dsp/v1/campaigns/{campaign_id}/flights/delete"
    await amazon.ok("POST", path, {"flightIds": [only["flightId"]]})
    assert (await amazon.ok("POST", f"/dsp/v1/campaigns/{campaign_id}/flights/list", {}, status=200))[
        "flights"
    ] == []
