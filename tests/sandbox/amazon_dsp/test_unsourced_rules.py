"""Rows of docs/amazon-dsp-rules.md that the offline rules added with no sentence of the vendor documents
behind them: nothing stricter than the vendor, so the sandbox (the platform) carries these requests out.
`test_not_refused[<id>]` is the sandbox test the table names for each."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import httpx
import pytest

from tests.sandbox.amazon_dsp.conftest import Amazon, ad_group_body, campaign_body
from tests.sandbox.amazon_dsp.test_rules import ad_groups, campaigns

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


@pytest.mark.parametrize("rule_id", sorted(UNSOURCED))
async def test_not_refused(amazon: Amazon, rule_id: str) -> None:
    response = await UNSOURCED[rule_id](amazon)
    assert response.status_code == 207 and "error" not in response.json(), response.text
