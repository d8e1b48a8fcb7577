"""How the Amazon DSP sandbox behaves beyond single rules: Login with Amazon and the required headers,
throttling, pages, 207 partial batches, default targets and their delayed visibility, flights by PATCH,
budget automation, accounts kept apart, discovery by name, moderation control and the fixtures."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from tests.sandbox.amazon_dsp.conftest import (
    AD_GROUP,
    CAMPAIGN,
    Amazon,
    ad_group_body,
    campaign_body,
    target,
)
from tests.sandbox.conftest import Clock

pytestmark = pytest.mark.anyio


async def test_login_with_amazon(amazon: Amazon) -> None:
    form = {"grant_type": "refresh_token", "refresh_token": "Atzr|x", "client_id": "c", "client_secret": "s"}
    answer = (await amazon.http.post("/amazon-dsp/auth/o2/token", data=form)).json()
    assert answer["token_type"] == "bearer" and answer["expires_in"] == 3600
    assert answer["refresh_token"] == "Atzr|x" and answer["access_token"]
    missing = await amazon.http.post("/amazon-dsp/auth/o2/token", data={**form, "refresh_token": ""})
    assert missing.status_code == 400
    assert (
        missing.json()["error"] == "invalid_request"
        and "refresh_token" in missing.json()["error_description"]
    )
    no_secret = await amazon.http.post("/amazon-dsp/auth/o2/token", data={**form, "client_secret": ""})
    assert (no_secret.status_code, no_secret.json()["error"]) == (401, "invalid_client")
    wrong = await amazon.http.post(
        "/amazon-dsp/auth/o2/token", data={**form, "grant_type": "client_credentials"}
    )
    assert wrong.json()["error"] == "unsupported_grant_type"


@pytest.mark.parametrize(
    ("header", "status", "code", "named"),
    [
        ("Authorization", 401, "UNAUTHORIZED", "Authorization"),
        ("Amazon-Advertising-API-ClientId", 400, "MISSING_HEADER", "Amazon-Advertising-API-ClientId"),
        ("Amazon-Ads-AccountId", 400, "MISSING_HEADER", "Amazon-Ads-AccountId"),
    ],
)
async def test_a_missing_header_is_named(
    amazon: Amazon, header: str, status: int, code: str, named: str
) -> None:
    headers = {k: v for k, v in amazon.headers().items() if k != header}
    response = await amazon.http.post("/amazon-dsp/dsp/v1/campaigns/list", json={}, headers=headers)
    assert response.status_code == status
    assert response.json()["code"] == code and named in response.json()["message"]


async def test_tokens_expire_and_must_match_the_client(amazon: Amazon) -> None:
    amazon.extra = {"Amazon-Advertising-API-ClientId": "someone-else"}
    assert (await amazon.call("POST", "/dsp/v1/campaigns/list", {})).status_code == 401
    amazon.extra = {"Amazon-Ads-AccountId": "1"}
    assert (await amazon.call("POST", "/dsp/v1/campaigns/list", {})).status_code == 403
    amazon.extra = {}
    amazon.clock.advance(3600)
    expired = await amazon.call("POST", "/dsp/v1/campaigns/list", {})
    assert expired.status_code == 401 and "expired" in expired.json()["message"]


async def test_throttling_answers_429_with_retry_after(
    make_amazon_app: Callable[..., Starlette], clock: Clock
) -> None:
    transport = httpx.ASGITransport(app=make_amazon_app(rate_limit_per_second=3))
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as http:
        amazon = Amazon(http, clock)
        await amazon.login()
        statuses = [(await amazon.call("POST", "/dsp/v1/campaigns/list", {})).status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        refused = await amazon.call("POST", "/dsp/v1/campaigns/list", {})
        assert refused.headers["Retry-After"] == "1" and refused.json()["code"] == "THROTTLED"
        clock.advance(1)
        assert (await amazon.call("POST", "/dsp/v1/campaigns/list", {})).status_code == 200


async def test_lists_page_with_next_token(amazon: Amazon) -> None:
    body: dict[str, Any] = {
        "filters": {"adGroupIdFilter": [AD_GROUP], "targetTypeFilter": ["DAY_PART"]},
        "maxResults": 100,
    }
    first = await amazon.ok("POST", "/dsp/v1/targets/list", body, status=200)
    assert len(first["targets"]) == 100 and first["nextToken"]
    second = await amazon.ok(
        "POST", "/dsp/v1/targets/list", {**body, "nextToken": first["nextToken"]}, status=200
    )
    assert len(second["targets"]) == 68 and "nextToken" not in second
    ids = [t["targetId"] for t in first["targets"] + second["targets"]]
    assert len(set(ids)) == 168
    bad = await amazon.call("POST", "/dsp/v1/targets/list", {**body, "nextToken": "nonsense"})
    assert (bad.status_code, bad.json()["code"]) == (400, "INVALID_NEXT_TOKEN")
    small = await amazon.ok("POST", "/dsp/v1/adCreatives/list", {"maxResults": 10}, status=200)
    assert len(small["adCreatives"]) == 10 and small["totalResults"] > 60


async def _pages(amazon: Amazon, path: str, body: dict[str, Any]) -> list[dict[str, Any]]:
    pages = [await amazon.ok("POST", path, body, status=200)]
    while "nextToken" in pages[-1]:
        pages.append(await amazon.ok("POST", path, {**body, "nextToken": pages[-1]["nextToken"]}, status=200))
    return pages


async def test_small_pages_across_ad_groups_show_what_one_page_shows(amazon: Amazon) -> None:
    ad_groups = [AD_GROUP, await amazon.create_ad_group(), await amazon.create_ad_group()]
    associations = [{"adCreativeId": "123456789", "adGroupId": g} for g in ad_groups]
    await amazon.ok("POST", "/dsp/v1/adCreatives/associations/adGroups", {"associations": associations})
    only = {"adGroupIdFilter": ad_groups}
    targets = {"filters": {**only, "targetTypeFilter": ["DEVICE", "INVENTORY_SOURCE"]}}
    whole = await amazon.ok("POST", "/dsp/v1/targets/list", {**targets, "maxResults": 100}, status=200)
    assert "nextToken" not in whole and {t["adGroupId"] for t in whole["targets"]} == set(ad_groups)
    pages = await _pages(amazon, "/dsp/v1/targets/list", {**targets, "maxResults": 4})
    assert [t for p in pages for t in p["targets"]] == whole["targets"]
    assert all(len(p["targets"]) == 4 for p in pages[:-1]) and 1 <= len(pages[-1]["targets"]) <= 4
    path = "/dsp/v1/adCreatives/associations/adGroups/list"
    listed = await _pages(amazon, path, {**only, "maxResults": 2})
    assert [len(p["associations"]) for p in listed] == [2, 1]
    assert [p["totalResults"] for p in listed] == [3, 3]
    assert [a["adGroupId"] for p in listed for a in p["associations"]] == ad_groups
    groups = await _pages(amazon, "/dsp/v1/adGroups/list", {**only, "maxResults": 1})
    assert [g["adGroupId"] for p in groups for g in p["adGroups"]] == ad_groups


async def test_a_partial_batch_answers_207_with_both_arrays(amazon: Amazon) -> None:
    response = await amazon.call(
        "POST",
        "/dsp/v1/campaigns",
        {"campaigns": [campaign_body(), campaign_body(flights=None), campaign_body(name="b")]},
    )
    assert response.status_code == 207
    answer = response.json()
    assert [s["index"] for s in answer["success"]] == [0, 2]
    assert answer["error"] == [
        {"index": 1, "errorCode": "FLIGHTS_REQUIRED", "errorMessage": answer["error"][0]["errorMessage"]}
    ]
    listed = await amazon.ok("POST", "/dsp/v1/campaigns/list", {}, status=200)
    assert {c["name"] for c in listed["campaigns"]} >= {"My Q1 Test Campaign", "b"}
    only_errors = await amazon.call("POST", "/dsp/v1/campaigns", {"campaigns": [campaign_body(flights=None)]})
    assert set(only_errors.json()) == {"requestId", "error"}


async def test_default_targets_appear_after_the_delay(
    make_amazon_app: Callable[..., Starlette], clock: Clock
) -> None:
    transport = httpx.ASGITransport(app=make_amazon_app(default_target_delay_seconds=20))
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as http:
        amazon = Amazon(http, clock)
        await amazon.login()
        ad_group_id = await amazon.create_ad_group(inventoryType="ONLINE_VIDEO")
        assert await amazon.targets(ad_group_id) == []
        clock.advance(19)
        assert await amazon.targets(ad_group_id) == []
        # The defaults exist meanwhile: posting one answers its id and adds nothing.
        phone = target(ad_group_id, "deviceTarget", deviceType="PHONE", targetType="DEVICE")
        posted = await amazon.ok("POST", "/dsp/v1/targets", {"targets": [phone]})
        assert await amazon.targets(ad_group_id) == []
        clock.advance(1)
        made = await amazon.targets(ad_group_id)
        phones = [t for t in made if t["targetDetails"].get("deviceTarget", {}).get("deviceType") == "PHONE"]
        assert [t["targetId"] for t in phones] == [posted["success"][0]["targetId"]]
        kinds: dict[str, int] = {}
        for found in made:
            kind = next(iter(found["targetDetails"].values()))["targetType"]
            kinds[kind] = kinds.get(kind, 0) + 1
        assert kinds == {"DAY_PART": 168, "DEVICE": 4, "INVENTORY_SOURCE": 6, "DOMAIN": 1}
        devices = {
            t["targetDetails"]["deviceTarget"]["deviceType"]
            for t in made
            if "deviceTarget" in t["targetDetails"]
        }
        assert devices == {"DESKTOP", "PHONE", "TABLET", "CONNECTED_TV"}


async def test_seeded_legacy_ad_groups_have_their_defaults(amazon: Amazon) -> None:
    video = await amazon.targets("579602514554384270", "VIDEO_AD_FORMAT")
    assert {t["targetDetails"]["videoAdFormatTarget"]["videoAdFormat"] for t in video} == {
        "IN_STREAM",
        "OUT_STREAM",
        "INTERACTIVE",
    }
    assert await amazon.targets("579602514554384271", "DOMAIN") == []  # AAP_MOBILE_APP: no domain targeting


async def test_replacing_defaults_keeps_an_exchange(amazon: Amazon) -> None:
    ad_group_id = await amazon.create_ad_group()
    deal = {"inventorySourceId": "DEAL-1", "inventorySourceType": "DEAL", "targetType": "INVENTORY_SOURCE"}
    await amazon.ok(
        "POST", "/dsp/v1/targets", {"targets": [target(ad_group_id, "inventorySourceTarget", **deal)]}
    )
    defaults = [
        {k: t[k] for k in ("adGroupId", "adProduct", "state", "negative", "targetDetails")}
        for t in await amazon.targets(ad_group_id, "INVENTORY_SOURCE")
        if t["targetDetails"]["inventorySourceTarget"]["inventorySourceType"] == "EXCHANGE"
    ]
    await amazon.ok("POST", "/dsp/v1/targets/deleteByObject", {"targets": defaults})
    left = await amazon.targets(ad_group_id, "INVENTORY_SOURCE")
    assert [t["targetDetails"]["inventorySourceTarget"]["inventorySourceId"] for t in left] == ["DEAL-1"]


async def test_flights_in_a_campaign_patch_replace_them(amazon: Amazon) -> None:
    two = [
        {"startDateTime": "2027-03-02T00:00:00Z", "endDateTime": "2027-04-01T00:00:00Z", "budgetAmount": 10},
        {"startDateTime": "2027-05-01T00:00:00Z", "endDateTime": "2027-06-01T00:00:00Z", "budgetAmount": 20},
    ]
    campaign_id = await amazon.create_campaign(flights={"flights": two})
    listed = await amazon.ok("POST", f"/dsp/v1/campaigns/{campaign_id}/flights/list", {}, status=200)
    first, second = listed["flights"]
    amazon.clock.advance(2 * 86400)  # the first flight has started
    await amazon.login()
    dropping_first = {"campaigns": [{"campaignId": campaign_id, "flights": {"flights": [second]}}]}
    refused = await amazon.call("PATCH", "/dsp/v1/campaigns", dropping_first)
    assert refused.json()["error"][0]["errorCode"] == "FLIGHT_ALREADY_STARTED"
    replacement = [
        {**first, "budgetAmount": 15},
        {"startDateTime": "2027-07-01T00:00:00Z", "endDateTime": "2027-08-01T00:00:00Z", "budgetAmount": 30},
    ]
    await amazon.ok(
        "PATCH",
        "/dsp/v1/campaigns",
        {"campaigns": [{"campaignId": campaign_id, "flights": {"flights": replacement}}]},
    )
    after = (await amazon.ok("POST", f"/dsp/v1/campaigns/{campaign_id}/flights/list", {}, status=200))[
        "flights"
    ]
    assert [(f["startDateTime"], f["budgetAmount"]) for f in after] == [
        ("2027-03-02T00:00:00Z", 15),
        ("2027-07-01T00:00:00Z", 30),
    ]
    assert after[0]["flightId"] == first["flightId"] and second["flightId"] not in {
        f["flightId"] for f in after
    }
    deleted = await amazon.ok(
        "POST", f"/dsp/v1/campaigns/{campaign_id}/flights/delete", {"flightIds": [after[1]["flightId"]]}
    )
    assert deleted["success"] == [{"index": 0, "flightId": after[1]["flightId"]}]


async def test_kpi_sets_the_goal_and_budget_automation_owns_the_ad_group_budget(amazon: Amazon) -> None:
    campaign_id = await amazon.create_campaign(
        optimization={"automateBudgetAllocation": True, "goalSetting": {"kpi": "REACH"}}
    )
    ad_group_id = await amazon.create_ad_group(
        campaign_id, optimization={"automateBudgetAllocation": True}, budgetAmount=None
    )
    group = (
        await amazon.ok("POST", "/dsp/v1/adGroups/list", {"adGroupIdFilter": [ad_group_id]}, status=200)
    )["adGroups"][0]
    assert group["budgetAmount"] == 1  # set by the platform from the campaign's flight
    refused = await amazon.call(
        "PATCH", "/dsp/v1/adGroups", {"adGroups": [{"adGroupId": ad_group_id, "budgetAmount": 9}]}
    )
    assert refused.json()["error"][0]["errorCode"] == "BUDGET_AMOUNT_NOT_EDITABLE"
    manual = {
        "adGroupId": ad_group_id,
        "optimization": {"automateBudgetAllocation": False},
        "budgetAmount": 9,
    }
    await amazon.ok("PATCH", "/dsp/v1/adGroups", {"adGroups": [manual]})
    patch = {"campaignId": campaign_id, "optimization": {"goalSetting": {"kpi": "RETURN_ON_AD_SPEND"}}}
    await amazon.ok("PATCH", "/dsp/v1/campaigns", {"campaigns": [patch]})
    campaign = (
        await amazon.ok("POST", "/dsp/v1/campaigns/list", {"campaignIdFilter": [campaign_id]}, status=200)
    )["campaigns"][0]
    assert campaign["optimization"]["goalSetting"]["goal"] == "CONVERSIONS"


async def test_accounts_do_not_see_each_other(amazon: Amazon) -> None:
    amazon.account = "520724305968518500"
    assert (await amazon.ok("POST", "/dsp/v1/campaigns/list", {}, status=200))["campaigns"] == []
    refused = await amazon.call("POST", "/dsp/v1/adGroups", {"adGroups": [ad_group_body(CAMPAIGN)]})
    assert refused.json()["error"][0]["errorCode"] == "CAMPAIGN_NOT_FOUND"


@pytest.mark.parametrize(
    ("path", "key", "name", "found"),
    [
        (
            "/dsp/v1/geoLocations/list",
            "geoLocations",
            "united states",
            ["XHvCjcKHXmJ7woVowo7CjmvCjcKWbMKHwp3CsGvCk8Krcms="],
        ),
        ("/dsp/v1/audiences/list", "audiences", "Lifestyle: Fitness", ["403996061702860925"]),
        (
            "/dsp/v1/advertisedProductCategories/list",
            "advertisedProductCategories",
            "Consumer Electronics",
            ["304669741353807342"],
        ),
        ("/dsp/v1/adCreatives/list", "adCreatives", "Display banner 45", ["200000000045"]),
    ],
)
async def test_discovery_by_name(amazon: Amazon, path: str, key: str, name: str, found: list[str]) -> None:
    body = {"filters": [{"field": "NAME", "value": name, "include": True}]}
    answer = await amazon.ok("POST", path, body, status=200)
    assert [next(v for k, v in item.items() if k.endswith("Id")) for item in answer[key]] == found


async def test_two_locations_share_a_name(amazon: Amazon) -> None:
    body = {"filters": [{"field": "NAME", "value": "Springfield", "include": True}]}
    answer = await amazon.ok("POST", "/dsp/v1/geoLocations/list", body, status=200)
    assert len(answer["geoLocations"]) == 2
    fuzzy = {"filters": [{"field": "NAME", "value": "New York*", "include": True}]}
    assert len((await amazon.ok("POST", "/dsp/v1/geoLocations/list", fuzzy, status=200))["geoLocations"]) == 3


async def test_moderation_can_be_steered_and_45_creatives_associate(amazon: Amazon) -> None:
    ad_group_id = await amazon.create_ad_group()
    path = "/dsp/v1/adCreatives/associations/adGroups"
    for start in range(1, 46, 20):
        batch = [
            {"adGroupId": ad_group_id, "adCreativeId": str(200000000000 + n)}
            for n in range(start, min(start + 20, 46))
        ]
        await amazon.ok("POST", path, {"associations": batch})
    listed = await amazon.ok(
        "POST", path + "/list", {"adGroupIdFilter": {"include": [ad_group_id]}}, status=200
    )
    assert listed["totalResults"] == 45
    control = await amazon.http.post(
        "/_sandbox/amazon-dsp/adCreatives/200000000001/moderation",
        json={"status": "NOT_APPROVED", "reasons": ["blurry"]},
    )
    assert control.status_code == 200
    body = {
        "adGroupIdFilter": {"include": [ad_group_id]},
        "adCreativeIdFilter": {"include": ["200000000001"]},
    }
    status = (await amazon.ok("POST", path + "/moderations/list", body, status=200))["associationStatuses"][0]
    assert status["adExperiences"][0]["associationModerationReasons"] == ["blurry"]


async def test_fixtures_list_the_seeded_ids(amazon: Amazon) -> None:
    fixtures = (await amazon.http.get("/_sandbox/fixtures")).json()["amazon_dsp"]
    assert fixtures["campaigns"][0]["campaignId"] == CAMPAIGN
    assert AD_GROUP in [g["adGroupId"] for g in fixtures["adGroups"]]
    assert (
        sum(
            c["adCreativeFormatType"] == "DISPLAY" and c["moderationStatus"] == "APPROVED"
            for c in fixtures["adCreatives"]
        )
        >= 50
    )
    assert {"NOT_APPROVED", "IN_PROGRESS"} <= {c["moderationStatus"] for c in fixtures["adCreatives"]}


async def test_unknown_paths_answer_404(amazon: Amazon) -> None:
    response = await amazon.call("POST", "/dsp/v1/nothing", {})
    assert (response.status_code, response.json()["code"]) == (404, "NOT_FOUND")
