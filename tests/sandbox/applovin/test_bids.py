"""AppLovin source bids and sources in the sandbox: thousands of overrides, pages, clearing with
"default", and switching sources off."""

from __future__ import annotations

import pytest

from reconciler.sandbox.applovin.seed import SOURCE_APPS
from tests.sandbox.applovin.conftest import AppLovin

pytestmark = pytest.mark.anyio


async def test_2500_overrides_paged_and_cleared(applovin: AppLovin) -> None:
    cid = await applovin.campaign()
    apps = [a for a, _ in SOURCE_APPS[:2500]]
    rows = [{"app_id": a, "country": "us", "bid_value": 1.25} for a in apps]
    assert (await applovin.ok("POST", f"/source_bids/{cid}", rows))["total_row_count"] == 2500
    seen: list[dict[str, object]] = []
    for offset in range(0, 2500, 1000):
        page = await applovin.ok("GET", f"/source_bids/{cid}", params={"limit": 1000, "offset": offset})
        assert page["limit"] == 1000 and page["offset"] == offset and page["total_row_count"] == 2500
        seen.extend(page["source_bids"])
    assert len(seen) == 2500 and {r["app_id"] for r in seen} == set(apps)
    assert seen[0]["bid_override_percentage"] == "default" and seen[0]["app_id_external"]
    clear = [
        {"app_id": apps[0], "country": "us", "bid_value": "default", "bid_override_percentage": "default"}
    ]
    await applovin.ok("POST", f"/source_bids/{cid}", clear)
    whole = await applovin.ok("GET", f"/source_bids/{cid}")
    assert whole["total_row_count"] == 2499 and apps[0] not in {r["app_id"] for r in whole["source_bids"]}


@pytest.mark.parametrize(
    ("row", "needle", "rule"),
    [
        ({"app_id": "nope", "country": "us", "bid_value": 1}, "not a known source app", "source-app"),
        ({"app_id": None, "country": "us", "bid_value": 1}, "not a known source app", "source-app"),
        ({"country": "usa", "bid_value": 1}, "two-letter", "source-bid-country-code"),
        (
            {"country": "us", "bid_value": 1, "bid_override_percentage": 10},
            "at most one",
            "source-bid-one-override",
        ),
        ({"country": "us", "bid_override_percentage": "half"}, "a number", "source-bid-row"),
    ],
)
async def test_bad_rows_refuse_the_whole_request(
    applovin: AppLovin, row: dict[str, object], needle: str, rule: str
) -> None:
    cid = await applovin.campaign()
    good = {"app_id": SOURCE_APPS[0][0], "country": "gb", "bid_value": 2}
    response = await applovin.call(
        "POST", f"/source_bids/{cid}", [good, {"app_id": SOURCE_APPS[1][0], **row}]
    )
    assert response.status_code == 400 and "row 1" in response.json()["error"]["message"]
    assert needle in response.json()["error"]["message"]
    assert response.json()["error"]["rule"] == rule
    assert (await applovin.ok("GET", f"/source_bids/{cid}"))["total_row_count"] == 0


async def test_page_limits(applovin: AppLovin) -> None:
    cid = await applovin.campaign()
    for params in ({"limit": 0}, {"offset": -1}, {"limit": "ten"}):
        refused = await applovin.call("GET", f"/sources/{cid}", params=params)
        assert (refused.status_code, refused.json()["error"]["rule"]) == (400, "source-bids-page")


async def test_no_row_or_page_limit_the_guide_does_not_state(applovin: AppLovin) -> None:
    """The guide bounds neither the rows of a request, nor limit, nor the bid values: nothing stricter."""
    cid = await applovin.campaign()
    every = [{"app_id": a, "status": False} for a, _ in SOURCE_APPS]
    assert len(every) > 3000
    assert (await applovin.ok("POST", f"/sources/{cid}", every * 2))["updated"] == 2 * len(every)
    page = await applovin.ok("GET", f"/sources/{cid}", params={"limit": 10000})
    assert len(page["sources"]) == len(SOURCE_APPS) and not any(s["status"] for s in page["sources"])
    rows = [{"app_id": SOURCE_APPS[0][0], "country": "us", "bid_override_percentage": -100}]
    assert (await applovin.ok("POST", f"/source_bids/{cid}", rows))["total_row_count"] == 1


async def test_sources_paged_over_thousands_and_switched(applovin: AppLovin) -> None:
    cid = await applovin.campaign()
    off = SOURCE_APPS[2001][0]
    await applovin.ok("POST", f"/sources/{cid}", [{"app_id": off, "status": False, "app_id_external": "x"}])
    page = await applovin.ok("GET", f"/sources/{cid}", params={"limit": 2, "offset": 2000})
    assert page["total_row_count"] == len(SOURCE_APPS) >= 3000
    assert [(s["app_id"], s["status"]) for s in page["sources"]] == [
        (SOURCE_APPS[2000][0], True),
        (off, False),
    ]
    await applovin.ok("POST", f"/sources/{cid}", {"sources": [{"app_id": off, "status": True}]})
    again = await applovin.ok("GET", f"/sources/{cid}", params={"limit": 1, "offset": 2001})
    assert again["sources"][0]["status"] is True
