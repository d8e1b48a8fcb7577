"""The official Criteo Python SDK (criteo_api_marketingsolutions_v2027_01) against `reconciler sandbox
serve` on a loopback port, with the SDK's own models and only the fields the specification requires:
token, create campaign, create ad set, search, get, patch, start, stop, audience link, and a partial PATCH
failure at `@data/1`, each answer deserialised (and so type-checked) by the SDK."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from criteo_api_marketingsolutions_v2027_01 import ApiClientBuilder, ApiException
from criteo_api_marketingsolutions_v2027_01.api.audience_api import AudienceApi
from criteo_api_marketingsolutions_v2027_01.api.campaign_api import CampaignApi
from criteo_api_marketingsolutions_v2027_01.model.ad_set_audience_link_entity_v1 import (
    AdSetAudienceLinkEntityV1,
)
from criteo_api_marketingsolutions_v2027_01.model.ad_set_audience_link_entity_v1_resource import (
    AdSetAudienceLinkEntityV1Resource,
)
from criteo_api_marketingsolutions_v2027_01.model.ad_set_audience_link_input_entity_v1 import (
    AdSetAudienceLinkInputEntityV1,
)
from criteo_api_marketingsolutions_v2027_01.model.ad_set_frequency_capping_v26_q1 import (
    AdSetFrequencyCappingV26Q1,
)
from criteo_api_marketingsolutions_v2027_01.model.ad_set_search_filter_v26_q1 import AdSetSearchFilterV26Q1
from criteo_api_marketingsolutions_v2027_01.model.ad_set_search_request_v26_q1 import AdSetSearchRequestV26Q1
from criteo_api_marketingsolutions_v2027_01.model.audience_search_entity_v1 import AudienceSearchEntityV1
from criteo_api_marketingsolutions_v2027_01.model.audience_search_entity_v1_resource import (
    AudienceSearchEntityV1Resource,
)
from criteo_api_marketingsolutions_v2027_01.model.audience_search_input_v1 import AudienceSearchInputV1
from criteo_api_marketingsolutions_v2027_01.model.campaign_search_filters_v23_q1 import (
    CampaignSearchFiltersV23Q1,
)
from criteo_api_marketingsolutions_v2027_01.model.campaign_search_request_v23_q1 import (
    CampaignSearchRequestV23Q1,
)
from criteo_api_marketingsolutions_v2027_01.model.create_ad_set_bidding_v26_q1 import CreateAdSetBiddingV26Q1
from criteo_api_marketingsolutions_v2027_01.model.create_ad_set_schedule_v26_q1 import (
    CreateAdSetScheduleV26Q1,
)
from criteo_api_marketingsolutions_v2027_01.model.create_ad_set_targeting_v26_q1 import (
    CreateAdSetTargetingV26Q1,
)
from criteo_api_marketingsolutions_v2027_01.model.create_ad_set_v26_q1 import CreateAdSetV26Q1
from criteo_api_marketingsolutions_v2027_01.model.create_ad_set_v26_q1_request import CreateAdSetV26Q1Request
from criteo_api_marketingsolutions_v2027_01.model.create_ad_set_v26_q1_resource import (
    CreateAdSetV26Q1Resource,
)
from criteo_api_marketingsolutions_v2027_01.model.create_campaign import CreateCampaign
from criteo_api_marketingsolutions_v2027_01.model.create_campaign_request import CreateCampaignRequest
from criteo_api_marketingsolutions_v2027_01.model.create_campaign_resource import CreateCampaignResource
from criteo_api_marketingsolutions_v2027_01.model.create_campaign_spend_limit import CreateCampaignSpendLimit
from criteo_api_marketingsolutions_v2027_01.model.nillable_date_time import NillableDateTime
from criteo_api_marketingsolutions_v2027_01.model.nillable_decimal import NillableDecimal
from criteo_api_marketingsolutions_v2027_01.model.patch_ad_set_bidding_v26_q1 import PatchAdSetBiddingV26Q1
from criteo_api_marketingsolutions_v2027_01.model.patch_ad_set_scheduling_v26_q1 import (
    PatchAdSetSchedulingV26Q1,
)
from criteo_api_marketingsolutions_v2027_01.model.patch_ad_set_v26_q1 import PatchAdSetV26Q1
from criteo_api_marketingsolutions_v2027_01.model.patch_campaign import PatchCampaign
from criteo_api_marketingsolutions_v2027_01.model.patch_campaign_list_request import PatchCampaignListRequest
from criteo_api_marketingsolutions_v2027_01.model.patch_campaign_spend_limit import PatchCampaignSpendLimit
from criteo_api_marketingsolutions_v2027_01.model.patch_campaign_write_resource import (
    PatchCampaignWriteResource,
)
from criteo_api_marketingsolutions_v2027_01.model.requests_ad_set_id import RequestsAdSetId
from criteo_api_marketingsolutions_v2027_01.model.requests_patch_ad_set_v26_q1 import RequestsPatchAdSetV26Q1
from criteo_api_marketingsolutions_v2027_01.model.write_model_ad_set_id import WriteModelAdSetId
from criteo_api_marketingsolutions_v2027_01.model.write_model_patch_ad_set_v26_q1 import (
    WriteModelPatchAdSetV26Q1,
)

from tests.conftest import sandbox_server


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`reconciler sandbox serve` in its own process on a free loopback port."""
    with sandbox_server(tmp_path_factory.mktemp("sdk") / "sandbox.db") as url:
        yield url


@pytest.fixture
def campaign_api(base_url: str) -> CampaignApi:
    client = ApiClientBuilder.WithClientCredentials("sdk-client", "sdk-secret", host=f"{base_url}/criteo")
    return CampaignApi(client)


def new_ad_set(campaign_id: str, name: str) -> CreateAdSetV26Q1Request:
    """An ad set create with only what the specification requires (CreateAdSetV26Q1.required, and in it
    CreateAdSetBiddingV26Q1.costController, CreateAdSetScheduleV26Q1.startDate and
    CreateAdSetTargetingV26Q1.frequencyCapping, whose own fields are all optional)."""
    return CreateAdSetV26Q1Request(
        data=CreateAdSetV26Q1Resource(
            attributes=CreateAdSetV26Q1(
                name=name,
                campaign_id=campaign_id,
                dataset_id="56789",
                objective="conversions",
                media_type="display",
                tracking_code="utm_source=criteo&utm_medium=display",
                schedule=CreateAdSetScheduleV26Q1(start_date=datetime(2027, 6, 1, tzinfo=UTC)),
                bidding=CreateAdSetBiddingV26Q1(cost_controller="COS"),
                targeting=CreateAdSetTargetingV26Q1(frequency_capping=AdSetFrequencyCappingV26Q1()),
            ),
        )
    )


def ad_set_ids(ids: list[str]) -> RequestsAdSetId:
    return RequestsAdSetId(data=[WriteModelAdSetId(id=i) for i in ids])


def patch_bid(ad_set_id: str, amount: float) -> WriteModelPatchAdSetV26Q1:
    return WriteModelPatchAdSetV26Q1(
        id=ad_set_id,
        attributes=PatchAdSetV26Q1(bidding=PatchAdSetBiddingV26Q1(bid_amount=NillableDecimal(value=amount))),
    )


def test_sdk_round_trip_with_required_fields_only(campaign_api: CampaignApi, base_url: str) -> None:
    # create campaign: CreateCampaign.required = advertiserId, goal, name, spendLimit (spendLimitType)
    created_campaign = campaign_api.create_campaign(
        CreateCampaignRequest(
            data=CreateCampaignResource(
                attributes=CreateCampaign(
                    advertiser_id="12345",
                    name="SDK campaign",
                    goal="Acquisition",
                    spend_limit=CreateCampaignSpendLimit(spend_limit_type="uncapped"),
                ),
            )
        )
    )
    campaign_id = created_campaign.data.id
    assert created_campaign.data.attributes.goal == "acquisition"
    assert campaign_api.get_campaign(campaign_id).data.attributes.name == "SDK campaign"
    found = campaign_api.search_campaigns(
        campaign_search_request_v23_q1=CampaignSearchRequestV23Q1(
            filters=CampaignSearchFiltersV23Q1(advertiser_ids=["12345"])
        )
    )
    assert campaign_id in [c.id for c in found.data]
    patched_campaign = campaign_api.patch_campaigns(
        patch_campaign_list_request=PatchCampaignListRequest(
            data=[
                PatchCampaignWriteResource(
                    id=campaign_id,
                    attributes=PatchCampaign(
                        spend_limit=PatchCampaignSpendLimit(
                            spend_limit_type="capped",
                            spend_limit_renewal="monthly",
                            spend_limit_amount=NillableDecimal(value=2000.0),
                        )
                    ),
                )
            ]
        )
    )
    assert [c.id for c in patched_campaign.data] == [campaign_id]
    assert (
        campaign_api.get_campaign(campaign_id).data.attributes.spend_limit.spend_limit_amount.value == 2000.0
    )

    # create ad set (twice), with the required fields only
    first = campaign_api.create_ad_set(new_ad_set(campaign_id, "SDK ad set one")).data
    second = campaign_api.create_ad_set(new_ad_set(campaign_id, "SDK ad set two")).data
    assert first.attributes.campaign_id == campaign_id
    assert first.attributes.schedule.delivery_status == "draft"

    # get: the read model shows what Criteo chose for what the request left out
    read = campaign_api.get_ad_set(first.id).data.attributes
    assert read.name == "SDK ad set one"
    assert read.bidding.cost_controller == "COS"
    assert read.schedule.activation_status == "off"
    assert read.schedule.end_date.value is None
    assert read.attribution_configuration.attribution_method == "criteoAttribution"
    assert read.budget.budget_strategy == "uncapped"

    # search
    searched = campaign_api.search_ad_sets(
        ad_set_search_request_v26_q1=AdSetSearchRequestV26Q1(
            filters=AdSetSearchFilterV26Q1(campaign_ids=[campaign_id])
        )
    )
    assert sorted(a.id for a in searched.data) == sorted([first.id, second.id])

    # patch
    renamed = campaign_api.patch_ad_sets(
        requests_patch_ad_set_v26_q1=RequestsPatchAdSetV26Q1(
            data=[
                WriteModelPatchAdSetV26Q1(
                    id=first.id,
                    attributes=PatchAdSetV26Q1(
                        name="SDK ad set renamed",
                        scheduling=PatchAdSetSchedulingV26Q1(
                            end_date=NillableDateTime(value=datetime(2027, 9, 1, tzinfo=UTC))
                        ),
                    ),
                )
            ]
        )
    )
    assert [a.id for a in renamed.data] == [first.id]
    read = campaign_api.get_ad_set(first.id).data.attributes
    assert read.name == "SDK ad set renamed"
    assert read.schedule.end_date.value == datetime(2027, 9, 1, tzinfo=UTC)

    # start, stop
    started = campaign_api.start_ad_sets(requests_ad_set_id=ad_set_ids([first.id]))
    assert [a.id for a in started.data] == [first.id]
    assert campaign_api.get_ad_set(first.id).data.attributes.schedule.activation_status == "on"
    stopped = campaign_api.stop_ad_sets(requests_ad_set_id=ad_set_ids([first.id]))
    assert [a.id for a in stopped.data] == [first.id]
    assert campaign_api.get_ad_set(first.id).data.attributes.schedule.activation_status == "off"

    # audience link, read back through the audience search
    linked = campaign_api.update_ad_set_audience(
        first.id,
        AdSetAudienceLinkInputEntityV1(
            data=AdSetAudienceLinkEntityV1Resource(attributes=AdSetAudienceLinkEntityV1(audience_id="9877"))
        ),
    )
    assert linked.data.attributes.audience_id == "9877"
    audience_api = AudienceApi(campaign_api.api_client)
    audiences = audience_api.search_audiences(
        AudienceSearchInputV1(
            data=AudienceSearchEntityV1Resource(attributes=AudienceSearchEntityV1(ad_set_ids=[first.id]))
        ),
        limit=100,
    )
    assert [a.id for a in audiences.data] == ["9877"]
    assert first.id in audiences.data[0].attributes.ad_set_ids

    # a partial failure at @data/1
    partial = campaign_api.patch_ad_sets(
        requests_patch_ad_set_v26_q1=RequestsPatchAdSetV26Q1(
            data=[patch_bid(first.id, 0.9), patch_bid(second.id, -2.0)]
        )
    )
    assert [a.id for a in partial.data] == [first.id]
    [error] = partial.errors
    assert error.instance == "@data/1"
    assert error.code == "campaign--ad-set-update-check--invalid-bid-amount"
    assert error.type == "validation"
    assert campaign_api.get_ad_set(first.id).data.attributes.bidding.bid_amount == 0.9
    assert campaign_api.get_ad_set(second.id).data.attributes.bidding.bid_amount is None

    logged = httpx.get(f"{base_url}/_sandbox/requests").json()["requests"]
    assert {"method": "POST", "path": "/criteo/oauth2/token", "status": 200} in [
        {k: r[k] for k in ("method", "path", "status")} for r in logged
    ]


def test_sdk_raises_on_unknown_ids(campaign_api: CampaignApi) -> None:
    with pytest.raises(ApiException) as raised:
        campaign_api.get_ad_set("424242")
    assert raised.value.status == 404
    body: Any = raised.value.body
    assert b"ad-set-not-found" in (body if isinstance(body, bytes) else str(body).encode())
