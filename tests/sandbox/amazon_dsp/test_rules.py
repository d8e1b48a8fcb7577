"""One test per row of docs/amazon-dsp-rules.md: the sandbox refuses the raw request with the rule's
error code (an item error of a 207 answer, or the code of a whole-request 400); rows with no vendor
sentence behind them are not refused by the sandbox (test_unsourced_rules.py)."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.sandbox.amazon_dsp.conftest import (
    AD_GROUP,
    CAMPAIGN,
    Amazon,
    ad_group_body,
    audience,
    campaign_body,
    target,
)

pytestmark = pytest.mark.anyio

RULES_DOC = Path(__file__).parents[3] / "docs" / "amazon-dsp-rules.md"
ASSOC = "/dsp/v1/adCreatives/associations/adGroups"
APP_AD_GROUP = "579602514554384271"
MOBILE_DISPLAY_AD_GROUP = "579602514554384272"
DEAL_CAMPAIGN = "587673741928966412"
STARTED_FLIGHT = CAMPAIGN + "1"

Case = Callable[[Amazon], Awaitable[httpx.Response]]
CASES: dict[str, tuple[str, Case]] = {}


def rule(rule_id: str, code: str) -> Callable[[Case], Case]:
    def register(case: Case) -> Case:
        CASES[rule_id] = (code, case)
        return case

    return register


def flight(start: str, end: str, budget: float = 10) -> dict[str, Any]:
    return {"startDateTime": start, "endDateTime": end, "budgetAmount": budget}


def months(count: int, year: int = 2028) -> list[dict[str, Any]]:
    return [
        flight(
            f"{year + m // 12}-{m % 12 + 1:02d}-01T00:00:00Z",
            f"{year + m // 12}-{m % 12 + 1:02d}-20T00:00:00Z",
        )
        for m in range(count)
    ]


async def campaigns(amazon: Amazon, *bodies: dict[str, Any]) -> httpx.Response:
    return await amazon.call("POST", "/dsp/v1/campaigns", {"campaigns": list(bodies)})


async def ad_groups(amazon: Amazon, *bodies: dict[str, Any]) -> httpx.Response:
    return await amazon.call("POST", "/dsp/v1/adGroups", {"adGroups": list(bodies)})


async def targets(amazon: Amazon, *items: dict[str, Any]) -> httpx.Response:
    return await amazon.call("POST", "/dsp/v1/targets", {"targets": list(items)})


async def associate(amazon: Amazon, *items: dict[str, Any], method: str = "POST") -> httpx.Response:
    return await amazon.call(method, ASSOC, {"associations": list(items)})


def link(creative: str = "123456789", ad_group: str = AD_GROUP, **fields: Any) -> dict[str, Any]:
    return {"adGroupId": ad_group, "adCreativeId": creative, **fields}


# -- campaigns and flights -------------------------------------------------------------------------


@rule("batch-campaigns-max-5", "BATCH_SIZE_EXCEEDED")
async def _(amazon: Amazon) -> httpx.Response:
    return await campaigns(amazon, *(campaign_body(name=f"c{n}") for n in range(6)))


@rule("campaign-flights-required", "FLIGHTS_REQUIRED")
async def _(amazon: Amazon) -> httpx.Response:
    return await campaigns(amazon, campaign_body(flights=None))


@rule("campaign-flights-max-12-current", "TOO_MANY_FLIGHTS")
async def _(amazon: Amazon) -> httpx.Response:
    campaign_id = await amazon.create_campaign(flights={"flights": months(12)})
    return await amazon.call("POST", f"/dsp/v1/campaigns/{campaign_id}/flights", {"flights": months(1, 2030)})


@rule("campaign-flights-max-150-total", "TOO_MANY_TOTAL_FLIGHTS")
async def _(amazon: Amazon) -> httpx.Response:
    campaign_id = await amazon.create_campaign()
    past = [flight(f"{1850 + n}-01-01T00:00:00Z", f"{1850 + n}-02-01T00:00:00Z") for n in range(150)]
    response = await amazon.call("POST", f"/dsp/v1/campaigns/{campaign_id}/flights", {"flights": past})
    assert len(response.json()["success"]) == 149  # the 150th flight is the campaign's first
    return response


@rule("flight-started-not-deletable", "FLIGHT_ALREADY_STARTED")
async def _(amazon: Amazon) -> httpx.Response:
    return await amazon.call(
        "POST", f"/dsp/v1/campaigns/{CAMPAIGN}/flights/delete", {"flightIds": [STARTED_FLIGHT]}
    )


@rule("flight-id-exists", "FLIGHT_NOT_FOUND")
async def _(amazon: Amazon) -> httpx.Response:
    body = {"flights": [{"flightId": "999", "budgetAmount": 5}]}
    return await amazon.call("PATCH", f"/dsp/v1/campaigns/{CAMPAIGN}/flights", body)


@rule("campaign-created-inactive", "STATE_NOT_ALLOWED_ON_CREATE")
async def _(amazon: Amazon) -> httpx.Response:
    return await campaigns(amazon, campaign_body(state="ACTIVE"))


@rule("campaign-kpi-required", "MISSING_REQUIRED_FIELD")
async def _(amazon: Amazon) -> httpx.Response:
    return await campaigns(
        amazon,
        campaign_body(
            optimization={"bidStrategy": "SPEND_BUDGET_IN_FULL", "goalSetting": {"targetKpi": 0.1}}
        ),
    )


@rule("campaign-goal-read-only", "READ_ONLY_FIELD")
async def _(amazon: Amazon) -> httpx.Response:
    goal = {"goalSetting": {"kpi": "REACH", "goal": "AWARENESS"}}
    return await campaigns(amazon, campaign_body(optimization=goal))


@rule("automate-bid-allocation-read-only", "READ_ONLY_FIELD")
async def _(amazon: Amazon) -> httpx.Response:
    optimization = {"automateBidAllocation": True, "goalSetting": {"kpi": "REACH"}}
    return await campaigns(amazon, campaign_body(optimization=optimization))


@rule("campaign-advertiser-matches", "ADVERTISER_MISMATCH")
async def _(amazon: Amazon) -> httpx.Response:
    return await campaigns(amazon, campaign_body(advertiserId="520724305968518500"))


@rule("amazon-deal-read-only", "AMAZON_DEAL_NOT_SUPPORTED")
async def _(amazon: Amazon) -> httpx.Response:
    return await amazon.call(
        "PATCH", "/dsp/v1/campaigns", {"campaigns": [{"campaignId": DEAL_CAMPAIGN, "name": "x"}]}
    )


@rule("enum-values", "INVALID_ENUM_VALUE")
async def _(amazon: Amazon) -> httpx.Response:
    return await campaigns(
        amazon, campaign_body(optimization={"bidStrategy": "SPEND_IT_ALL", "goalSetting": {"kpi": "REACH"}})
    )


@rule("unknown-field", "UNKNOWN_FIELD")
async def _(amazon: Amazon) -> httpx.Response:
    return await campaigns(amazon, campaign_body(agencyFee=10))


# -- ad groups -------------------------------------------------------------------------------------


@rule("batch-ad-groups-max-20", "BATCH_SIZE_EXCEEDED")
async def _(amazon: Amazon) -> httpx.Response:
    return await ad_groups(amazon, *(ad_group_body(name=f"g{n}") for n in range(21)))


@rule("ad-group-created-inactive", "STATE_NOT_ALLOWED_ON_CREATE")
async def _(amazon: Amazon) -> httpx.Response:
    return await ad_groups(amazon, ad_group_body(state="ACTIVE"))


@rule("ad-group-campaign-exists", "CAMPAIGN_NOT_FOUND")
async def _(amazon: Amazon) -> httpx.Response:
    return await ad_groups(amazon, ad_group_body("1"))


@rule("ad-group-inventory-unsupported", "INVENTORY_TYPE_NOT_SUPPORTED")
async def _(amazon: Amazon) -> httpx.Response:
    return await ad_groups(amazon, ad_group_body(inventoryType="AUDIO"))


@rule("ad-group-inventory-deprecated", "INVENTORY_TYPE_DEPRECATED")
async def _(amazon: Amazon) -> httpx.Response:
    return await ad_groups(amazon, ad_group_body(inventoryType="VIDEO"))


@rule("ad-group-product-category-required", "ADVERTISED_PRODUCT_CATEGORY_REQUIRED")
async def _(amazon: Amazon) -> httpx.Response:
    return await ad_groups(amazon, ad_group_body(advertisedProductCategoryIds=[]))


@rule("ad-group-product-category-exists", "ADVERTISED_PRODUCT_CATEGORY_NOT_FOUND")
async def _(amazon: Amazon) -> httpx.Response:
    return await ad_groups(amazon, ad_group_body(advertisedProductCategoryIds=["42"]))


@rule("ad-group-budget-automated", "BUDGET_AMOUNT_NOT_EDITABLE")
async def _(amazon: Amazon) -> httpx.Response:
    campaign_id = await amazon.create_campaign()  # automateBudgetAllocation true
    automated = {"automateBudgetAllocation": True}
    return await ad_groups(amazon, ad_group_body(campaign_id, optimization=automated, budgetAmount=5))


# -- targets ---------------------------------------------------------------------------------------


def domain(ad_group: str = AD_GROUP, name: str = "www.example.com", negative: bool = True) -> dict[str, Any]:
    details = {"domainName": {"domainName": name, "domainTargetType": "DOMAIN_NAME"}}
    return target(ad_group, "domainTarget", negative, domainTargetDetails=details, targetType="DOMAIN")


def location(geo: str, ad_group: str = AD_GROUP) -> dict[str, Any]:
    return target(ad_group, "locationTarget", geoLocation=geo, targetType="LOCATION")


@rule("batch-targets-max-1000", "BATCH_SIZE_EXCEEDED")
async def _(amazon: Amazon) -> httpx.Response:
    return await targets(amazon, *(domain(name=f"www.site{n}.com") for n in range(1001)))


@rule("target-state-enabled", "INVALID_TARGET_STATE")
async def _(amazon: Amazon) -> httpx.Response:
    return await targets(amazon, {**domain(), "state": "PAUSED"})


@rule("target-negative-types", "NEGATIVE_TARGETING_NOT_SUPPORTED")
async def _(amazon: Amazon) -> httpx.Response:
    return await targets(
        amazon, target(AD_GROUP, "deviceTarget", True, deviceType="PHONE", targetType="DEVICE")
    )


@rule("target-ad-group-exists", "AD_GROUP_NOT_FOUND")
async def _(amazon: Amazon) -> httpx.Response:
    return await targets(amazon, domain("1"))


@rule("target-details-shape", "INVALID_TARGET_DETAILS")
async def _(amazon: Amazon) -> httpx.Response:
    return await targets(amazon, target(AD_GROUP, "deviceTarget", deviceType="PHONE", targetType="DOMAIN"))


@rule("target-atomic-per-type", "TARGET_TYPE_BATCH_FAILED")
async def _(amazon: Amazon) -> httpx.Response:
    bad = target(AD_GROUP, "domainTarget", True, domainTargetDetails={}, targetType="DOMAIN")
    response = await targets(
        amazon, domain(), bad, location("XHvCjcKHXmJ7woVowo7CjmvCjcKWbMKHwp3CsGvCk8Krcms=")
    )
    answer = response.json()
    assert [s["index"] for s in answer["success"]] == [2]  # the location target, another type
    assert [(e["index"], e["errorCode"]) for e in answer["error"]] == [
        (0, "TARGET_TYPE_BATCH_FAILED"),
        (1, "INVALID_TARGET_DETAILS"),
    ]
    assert len(await amazon.targets(AD_GROUP, "DOMAIN")) == 1  # only the default
    return response


@rule("target-not-found", "TARGET_NOT_FOUND")
async def _(amazon: Amazon) -> httpx.Response:
    return await amazon.call("POST", "/dsp/v1/targets/deleteByObject", {"targets": [domain()]})


@rule("audience-max-500", "AUDIENCE_LIMIT_EXCEEDED")
async def _(amazon: Amazon) -> httpx.Response:
    return await targets(
        amazon, *(audience(AD_GROUP, str(910000000000000000 + n), "1") for n in range(1, 502))
    )


@rule("audience-max-10-inclusion-groups", "TOO_MANY_INCLUSION_GROUPS")
async def _(amazon: Amazon) -> httpx.Response:
    return await targets(
        amazon, *(audience(AD_GROUP, str(910000000000000000 + n), str(n)) for n in range(1, 12))
    )


@rule("audience-max-1-exclusion-group", "TOO_MANY_EXCLUSION_GROUPS")
async def _(amazon: Amazon) -> httpx.Response:
    return await targets(
        amazon,
        audience(AD_GROUP, "378970165887759667", "3", True),
        audience(AD_GROUP, "424562951816105407", "4", True),
    )


@rule("audience-group-all-include-or-exclude", "MIXED_AUDIENCE_GROUP")
async def _(amazon: Amazon) -> httpx.Response:
    return await targets(
        amazon,
        audience(AD_GROUP, "365849257058325086", "1"),
        audience(AD_GROUP, "378970165887759667", "1", True),
    )


@rule("audience-group-id-1-11", "INVALID_GROUP_ID")
async def _(amazon: Amazon) -> httpx.Response:
    return await targets(amazon, audience(AD_GROUP, "365849257058325086", "12"))


@rule("audience-operators-read-only", "READ_ONLY_FIELD")
async def _(amazon: Amazon) -> httpx.Response:
    item = audience(AD_GROUP, "365849257058325086", "1")
    item["targetDetails"]["audienceTarget"]["inGroupOperator"] = "ANY"
    return await targets(amazon, item)


@rule("audience-exists", "AUDIENCE_NOT_FOUND")
async def _(amazon: Amazon) -> httpx.Response:
    return await targets(amazon, audience(AD_GROUP, "1", "1"))


@rule("location-exists", "GEO_LOCATION_NOT_FOUND")
async def _(amazon: Amazon) -> httpx.Response:
    return await targets(amazon, location("nowhere"))


@rule("domain-not-on-aap-mobile-app", "TARGET_TYPE_NOT_SUPPORTED")
async def _(amazon: Amazon) -> httpx.Response:
    return await targets(amazon, domain(APP_AD_GROUP))


@rule("inventory-source-eligible", "INVENTORY_SOURCE_NOT_ELIGIBLE")
async def _(amazon: Amazon) -> httpx.Response:
    source = {
        "inventorySourceId": "1008",
        "inventorySourceType": "EXCHANGE",
        "targetType": "INVENTORY_SOURCE",
    }
    return await targets(amazon, target(AD_GROUP, "inventorySourceTarget", **source))


@rule("inventory-source-required", "INVENTORY_SOURCE_REQUIRED")
async def _(amazon: Amazon) -> httpx.Response:
    sources = [
        {k: t[k] for k in ("adGroupId", "adProduct", "state", "negative", "targetDetails")}
        for t in await amazon.targets(AD_GROUP, "INVENTORY_SOURCE")
    ]
    assert len(sources) == 6  # every exchange eligible for DISPLAY
    return await amazon.call("POST", "/dsp/v1/targets/deleteByObject", {"targets": sources})


# -- creative associations -------------------------------------------------------------------------


async def weighted_ad_group(amazon: Amazon) -> str:
    return await amazon.create_ad_group(creativeRotationType="WEIGHTED")


@rule("batch-associations-max-20", "BATCH_SIZE_EXCEEDED")
async def _(amazon: Amazon) -> httpx.Response:
    return await associate(amazon, *(link(str(200000000000 + n)) for n in range(1, 22)))


@rule("assoc-ad-group-exists", "AD_GROUP_NOT_FOUND")
async def _(amazon: Amazon) -> httpx.Response:
    return await associate(amazon, link(ad_group="1"))


@rule("assoc-creative-exists", "AD_CREATIVE_NOT_FOUND")
async def _(amazon: Amazon) -> httpx.Response:
    return await associate(amazon, link("300000000100"))  # another advertiser's creative


@rule("assoc-weight-range", "INVALID_WEIGHT")
async def _(amazon: Amazon) -> httpx.Response:
    return await associate(amazon, link(ad_group=await weighted_ad_group(amazon), weight=1000))


@rule("assoc-weight-not-random", "WEIGHT_NOT_ALLOWED")
async def _(amazon: Amazon) -> httpx.Response:
    return await associate(amazon, link(weight=5))


@rule("assoc-state-values", "INVALID_STATE")
async def _(amazon: Amazon) -> httpx.Response:
    return await associate(amazon, link(state="PAUSED"))


@rule("assoc-start-after-ad-group-start", "INVALID_START_DATE")
async def _(amazon: Amazon) -> httpx.Response:
    # "later then adGroup's startDate": the ad group's own start is refused too (strict)
    return await associate(amazon, link(startDate="2026-01-01T00:00:00Z"))


@rule("assoc-end-before-ad-group-end", "INVALID_END_DATE")
async def _(amazon: Amazon) -> httpx.Response:
    # "earlier then adGroup's endDate": the ad group's own end is refused too (strict)
    return await associate(amazon, link(endDate="2028-12-31T23:59:59Z"))


@rule("assoc-start-before-end", "INVALID_DATE_RANGE")
async def _(amazon: Amazon) -> httpx.Response:
    return await associate(amazon, link(startDate="2027-06-01T00:00:00Z", endDate="2027-05-01T00:00:00Z"))


@rule("assoc-creative-compatible", "INCOMPATIBLE_CREATIVE_TYPE")
async def _(amazon: Amazon) -> httpx.Response:
    return await associate(amazon, link("300000000005"))  # an online video creative on a display ad group


@rule("assoc-standard-display-2x", "MISSING_2X_ASSET")
async def _(amazon: Amazon) -> httpx.Response:
    return await associate(amazon, link("300000000003", MOBILE_DISPLAY_AD_GROUP))


@rule("assoc-exists", "ASSOCIATION_NOT_FOUND")
async def _(amazon: Amazon) -> httpx.Response:
    return await associate(amazon, link(state="INACTIVE"), method="PATCH")


@rule("assoc-duplicate", "ASSOCIATION_ALREADY_EXISTS")
async def _(amazon: Amazon) -> httpx.Response:
    return await associate(amazon, link(), link())


@rule("assoc-filter-max-20", "TOO_MANY_FILTER_VALUES")
async def _(amazon: Amazon) -> httpx.Response:
    body = {"adGroupIdFilter": {"include": [str(n) for n in range(21)]}}
    return await amazon.call("POST", ASSOC + "/list", body)


@rule("eligible-ad-group-filter-required", "MISSING_REQUIRED_FIELD")
async def _(amazon: Amazon) -> httpx.Response:
    return await amazon.call("POST", ASSOC + "/eligibleCreatives/list", {"maxResults": 10})


@rule("list-max-results-100", "INVALID_MAX_RESULTS")
async def _(amazon: Amazon) -> httpx.Response:
    return await amazon.call("POST", "/dsp/v1/campaigns/list", {"maxResults": 101})


@rule("tracked-product-association", "INVALID_ENUM_VALUE")
async def _(amazon: Amazon) -> httpx.Response:
    body = {
        "productTrackingList": [
            {"productId": "B09D36CVP1", "productAssociation": "HIDDEN", "domain": "AMAZON_US"}
        ]
    }
    return await amazon.call("POST", f"/dsp/v1/campaigns/{CAMPAIGN}/conversionTracking/products", body)


@rule("streaming-tv-app-video-only", "TARGET_TYPE_NOT_SUPPORTED")
async def _(amazon: Amazon) -> httpx.Response:
    app = {"streamingTvAppId": "B00CX5P8FC", "targetType": "STREAMING_TV_APP"}
    return await targets(amazon, target(AD_GROUP, "streamingTvAppTarget", **app))


@rule("kpi-needs-tracked-products", "TRACKED_PRODUCTS_REQUIRED")
async def _(amazon: Amazon) -> httpx.Response:
    optimization = {
        "bidStrategy": "SPEND_BUDGET_IN_FULL",
        "automateBudgetAllocation": True,
        "goalSetting": {"targetKpi": 2, "kpi": "RETURN_ON_AD_SPEND"},
    }
    campaign_id = await amazon.create_campaign(optimization=optimization)
    activate = {"campaignId": campaign_id, "state": "ACTIVE"}
    return await amazon.call("PATCH", "/dsp/v1/campaigns", {"campaigns": [activate]})


@rule("kpi-needs-conversion-definitions", "CONVERSION_DEFINITIONS_REQUIRED")
async def _(amazon: Amazon) -> httpx.Response:
    optimization = {"bidStrategy": "PRIORITIZE_KPI_TARGET", "goalSetting": {"kpi": "COST_PER_ACTION"}}
    campaign_id = await amazon.create_campaign(optimization=optimization)
    activate = {"campaignId": campaign_id, "state": "ACTIVE"}
    return await amazon.call("PATCH", "/dsp/v1/campaigns", {"campaigns": [activate]})


def error_codes(response: httpx.Response) -> list[str]:
    """The codes a refused request answers with: item errors of a 207, or the code of a 400."""
    body = response.json()
    if response.status_code == 207:
        return [e.get("errorCode") or e["code"] for e in body.get("error", [])]
    assert response.status_code == 400, response.text
    return [body["code"]]


@pytest.mark.parametrize("rule_id", sorted(CASES))
async def test_rule(amazon: Amazon, rule_id: str) -> None:
    code, case = CASES[rule_id]
    response = await case(amazon)
    assert code in error_codes(response), response.text


def test_every_row_of_the_rules_table_has_a_case() -> None:
    """Rows with a sandbox error code have a case refusing with it; rows without one have none."""
    rows = {}
    for line in RULES_DOC.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 6 and re.fullmatch(r"[a-z0-9-]+", cells[0]) and cells[0] != "id":
            codes = re.findall(r"`([A-Z_0-9]+)`", cells[3])
            if codes:
                rows[cells[0]] = codes[0]
    assert rows == {rule_id: code for rule_id, (code, _) in CASES.items()}
