"""Amazon DSP reference data seeded into a new sandbox database: advertisers, advertised product
categories, audiences, geo locations, exchanges, conversion definitions, ad creatives (with their
moderation results), and the campaigns and ad groups the guides' examples use (with their default
targets). Ids are fixed: the guides, examples and tests use them. Also the id counters of new objects and
the documents a new ad group starts with."""

from __future__ import annotations

import base64
from collections.abc import Iterable, Mapping
from typing import Any

from reconciler.sandbox.amazon_dsp import stored_targets
from reconciler.sandbox.amazon_dsp.defaults import eligible_exchanges
from reconciler.sandbox.store import Tx

PLATFORM = "amazon_dsp"

ADVERTISER_ID = "520724305968518499"
OTHER_ADVERTISER_ID = "520724305968518500"
CAMPAIGN_ID = "587673741928966411"
DEAL_CAMPAIGN_ID = "587673741928966412"
AD_GROUP_ID = "579602514554384269"
CREATIVE_ID = "123456789"
GEO_LOCATION_ID = "XHvCjcKHXmJ7woVowo7CjmvCjcKWbMKHwp3CsGvCk8Krcms="

COUNTERS = {
    "campaign": 600000000000000001,
    "ad_group": 610000000000000001,
    "target": 620000000000000001,
    "flight": 630000000000000001,
}
"""First id handed out for each kind of new object (counter `amazon_dsp.<kind>`)."""

SEEDED_AT = "2026-01-01T00:00:00Z"

ADVERTISERS: list[dict[str, Any]] = [
    {"advertiserId": ADVERTISER_ID, "name": "Guide Advertiser", "currency": "USD", "country": "US"},
    {"advertiserId": OTHER_ADVERTISER_ID, "name": "Other Advertiser", "currency": "EUR", "country": "DE"},
]

PRODUCT_CATEGORIES: list[dict[str, Any]] = [
    {"advertisedProductCategoryId": "304669741353807342", "name": "Consumer Electronics"},
    {"advertisedProductCategoryId": "304669741353807343", "name": "Apparel & Accessories"},
    {"advertisedProductCategoryId": "304669741353807344", "name": "Home & Kitchen"},
    {"advertisedProductCategoryId": "304669741353807345", "name": "Grocery & Gourmet Food"},
    {"advertisedProductCategoryId": "304669741353807346", "name": "Sports & Outdoors"},
    {"advertisedProductCategoryId": "304669741353807347", "name": "Toys & Games"},
]

GUIDE_AUDIENCES: list[dict[str, Any]] = [
    {"audienceId": "365849257058325086", "name": "In-market: Consumer Electronics", "category": "IN_MARKET"},
    {"audienceId": "376964516785083972", "name": "In-market: Headphones", "category": "IN_MARKET"},
    {"audienceId": "407259404244917362", "name": "Lifestyle: Outdoor Enthusiasts", "category": "LIFESTYLE"},
    {"audienceId": "403996061702860925", "name": "Lifestyle: Fitness", "category": "LIFESTYLE"},
    {"audienceId": "378970165887759667", "name": "Past purchasers: 30 days", "category": "REMARKETING"},
    {"audienceId": "424562951816105407", "name": "Past purchasers: 90 days", "category": "REMARKETING"},
]
EXTRA_AUDIENCES = 600
"""Numbered audiences `Sandbox audience 001`… (enough to pass the 500-audiences-per-ad-group limit)."""


def _extra_audience(n: int) -> dict[str, Any]:
    return {
        "audienceId": str(910000000000000000 + n),
        "name": f"Sandbox audience {n:03d}",
        "category": "CUSTOM",
    }


def _geo_id(key: str) -> str:
    return base64.b64encode(f"sandbox-geo:{key}".encode()).decode()


GEO_NAMES: dict[str, dict[str, str]] = {
    "COUNTRY": {"CA": "Canada", "GB": "United Kingdom", "DE": "Germany", "FR": "France"},
    "STATE": {"US-CA": "California", "US-NY": "New York"},
    "CITY": {
        "US-NY-NYC": "New York City",
        "US-WA-SEA": "Seattle",
        "US-IL-SPR": "Springfield",
        "US-MO-SPR": "Springfield",
    },
    "DMA": {"DMA-501": "New York DMA"},
    "POSTAL_CODE": {"ZIP-98109": "98109"},
}
"""Category → the sandbox's key of a location → its name (besides the guide's United States)."""
GEO_LOCATIONS: list[dict[str, Any]] = [
    {"geoLocationId": GEO_LOCATION_ID, "name": "United States", "category": "COUNTRY"},
    *(
        {"geoLocationId": _geo_id(key), "name": name, "category": category}
        for category, names in GEO_NAMES.items()
        for key, name in names.items()
    ),
]
"""Two cities share the name Springfield (for ambiguous-name tests)."""

CONVERSION_DEFINITION_ID = "581400000000000001"
CONVERSION_DEFINITIONS: list[dict[str, Any]] = [
    {
        "conversionDefinitionId": CONVERSION_DEFINITION_ID,
        "advertiserId": ADVERTISER_ID,
        "name": "Website purchase",
        "conversionType": "OFF_AMAZON_PURCHASES",
        "countingMethod": "EVERY",
        "source": "SERVER_TO_SERVER",
        "sourceType": "WEBSITE",
        "value": 0.0,
    },
    {
        "conversionDefinitionId": "581400000000000002",
        "advertiserId": ADVERTISER_ID,
        "name": "Newsletter sign-up",
        "conversionType": "SIGN_UP",
        "countingMethod": "FIRST",
        "source": "AMAZON_AD_TAG",
        "sourceType": "WEBSITE",
        "value": 1.0,
    },
    {
        "conversionDefinitionId": "581400000000000003",
        "advertiserId": ADVERTISER_ID,
        "name": "Add to cart",
        "conversionType": "ADD_TO_SHOPPING_CART",
        "countingMethod": "EVERY",
        "source": "AMAZON_AD_TAG",
        "sourceType": "WEBSITE",
        "value": 0.5,
    },
    {
        "conversionDefinitionId": "581400000000000100",
        "advertiserId": OTHER_ADVERTISER_ID,
        "name": "Other advertiser purchase",
        "conversionType": "OFF_AMAZON_PURCHASES",
        "countingMethod": "EVERY",
        "source": "SERVER_TO_SERVER",
        "sourceType": "WEBSITE",
        "value": 0.0,
    },
]
"""Off-Amazon conversion definitions (ConversionDefinitionV1 of the Conversions API). The guides show no
example ids, so these are the sandbox's own."""

DISPLAY_TYPES = ("DISPLAY", "STANDARD_DISPLAY", "AMAZON_MOBILE_DISPLAY", "AAP_MOBILE_APP")


def _exchange(exchange_id: str, name: str, source_type: str, *inventory_types: str) -> dict[str, Any]:
    return {
        "inventorySourceId": exchange_id,
        "name": name,
        "inventorySourceType": source_type,
        "inventoryTypes": list(inventory_types),
    }


EXCHANGES: list[dict[str, Any]] = [
    _exchange("1001", "Amazon O&O display", "AMAZON", "DISPLAY", "STANDARD_DISPLAY", "AMAZON_MOBILE_DISPLAY"),
    _exchange("1002", "Amazon O&O video", "AMAZON", "ONLINE_VIDEO", "STREAMING_TV", "VIDEO"),
    _exchange(
        "1003",
        "Amazon Publisher Direct",
        "AMAZON_PUBLISHER_DIRECT",
        "DISPLAY",
        "STANDARD_DISPLAY",
        "ONLINE_VIDEO",
        "VIDEO",
    ),
    _exchange("1004", "Google Ad Manager", "THIRD_PARTY_EXCHANGE", *DISPLAY_TYPES, "ONLINE_VIDEO", "VIDEO"),
    _exchange(
        "1005",
        "Magnite",
        "THIRD_PARTY_EXCHANGE",
        "DISPLAY",
        "STANDARD_DISPLAY",
        "ONLINE_VIDEO",
        "STREAMING_TV",
        "VIDEO",
    ),
    _exchange("1006", "PubMatic", "THIRD_PARTY_EXCHANGE", "DISPLAY", "STANDARD_DISPLAY", "AAP_MOBILE_APP"),
    _exchange(
        "1007",
        "Index Exchange",
        "THIRD_PARTY_EXCHANGE",
        "DISPLAY",
        "STANDARD_DISPLAY",
        "ONLINE_VIDEO",
        "VIDEO",
    ),
    _exchange("1008", "FreeWheel", "THIRD_PARTY_EXCHANGE", "STREAMING_TV", "ONLINE_VIDEO", "VIDEO"),
    _exchange("1009", "Amazon mobile apps", "AMAZON", "AAP_MOBILE_APP"),
]

DISPLAY_CREATIVES = 60
"""Approved IMAGE creatives `Display banner 01`… (enough to associate 45 with one ad group)."""
NOT_APPROVED_CREATIVE_ID = "300000000009"
IN_PROGRESS_CREATIVE_ID = "300000000010"
NOT_APPROVED_REASON = (
    "The ad makes an unsubstantiated claim ('best price ever'); remove the claim or substantiate it "
    "(Amazon DSP creative policy: claims and superlatives)."
)


def _creative(
    creative_id: str,
    name: str,
    creative_type: str,
    format_type: str,
    status: str = "APPROVED",
    reasons: list[str] | None = None,
    has_2x: bool = True,
    advertiser: str = ADVERTISER_ID,
) -> dict[str, Any]:
    sizes = [{"width": 300, "height": 250, "responsive": False}] if format_type == "DISPLAY" else []
    return {
        "adCreativeId": creative_id,
        "advertiserId": advertiser,
        "name": name,
        "creativeType": creative_type,
        "adCreativeFormatType": format_type,
        "has2xAsset": has_2x,
        "moderationStatus": status,
        "moderationReasons": list(reasons or []),
        "createdDate": SEEDED_AT,
        "lastUpdatedDate": SEEDED_AT,
        "language": "en",
        "country": "US",
        "creativeSizes": sizes,
    }


CREATIVES: list[dict[str, Any]] = [
    _creative(CREATIVE_ID, "Guide example creative", "IMAGE", "DISPLAY"),
    *(
        _creative(str(200000000000 + n), f"Display banner {n:02d}", "IMAGE", "DISPLAY")
        for n in range(1, DISPLAY_CREATIVES + 1)
    ),
    _creative("300000000001", "Responsive eCommerce", "RESPONSIVE_ECOMMERCE", "DISPLAY"),
    _creative("300000000002", "Standard display with 2x", "STANDARD_DISPLAY", "DISPLAY"),
    _creative("300000000003", "Standard display without 2x", "STANDARD_DISPLAY", "DISPLAY", has_2x=False),
    _creative("300000000004", "Third party display tag", "THIRD_PARTY", "DISPLAY"),
    _creative("300000000005", "Online video 15s", "ONLINE_VIDEO", "VIDEO"),
    _creative("300000000006", "Streaming TV 30s", "STREAMING_TV", "VIDEO"),
    _creative("300000000007", "Third party VAST video", "THIRD_PARTY_VIDEO", "VIDEO"),
    _creative("300000000008", "Audio spot", "AUDIO", "AUDIO"),
    _creative(
        NOT_APPROVED_CREATIVE_ID, "Rejected banner", "IMAGE", "DISPLAY", "NOT_APPROVED", [NOT_APPROVED_REASON]
    ),
    _creative(IN_PROGRESS_CREATIVE_ID, "Pending banner", "IMAGE", "DISPLAY", "IN_PROGRESS"),
    _creative("300000000011", "Mobile app image", "IMAGE_MOBILE_AAP", "DISPLAY"),
    _creative("300000000012", "Mobile O&O image", "IMAGE_MOBILE_OO", "DISPLAY"),
    _creative("300000000100", "Other advertiser banner", "IMAGE", "DISPLAY", advertiser=OTHER_ADVERTISER_ID),
]


def _flight(flight_id: str, start: str, end: str, budget: float) -> dict[str, Any]:
    return {"flightId": flight_id, "startDateTime": start, "endDateTime": end, "budgetAmount": budget}


def _seeded(name: str, automate_budget: bool) -> dict[str, Any]:
    """What the seeded campaigns and ad groups share: inactive, uncapped, spending their budget in full."""
    return {
        "advertiserId": ADVERTISER_ID,
        "name": name,
        "state": "INACTIVE",
        "optimization": {
            "bidStrategy": "SPEND_BUDGET_IN_FULL",
            "automateBudgetAllocation": automate_budget,
            "automateBidAllocation": False,
        },
        "frequencies": [{"frequencyType": "UNCAPPED"}],
        "creationDateTime": SEEDED_AT,
    }


def _campaign(campaign_id: str, name: str, deal: bool = False) -> dict[str, Any]:
    doc: dict[str, Any] = {
        **_seeded(name, automate_budget=True),
        "campaignId": campaign_id,
        "flights": [
            _flight(f"{campaign_id}1", "2026-01-01T00:00:00Z", "2026-03-31T23:59:59Z", 1.0),
            _flight(f"{campaign_id}2", "2027-01-01T00:00:00Z", "2027-12-31T23:59:59Z", 1000.0),
        ],
        "trackedProducts": [],
    }
    doc["optimization"]["goalSetting"] = {
        "kpi": "CLICK_THROUGH_RATE",
        "targetKpi": 0.1,
        "goal": "CONSIDERATION",
    }
    if deal:
        doc["amazonGuaranteedDeal"] = True
    return doc


CAMPAIGNS: list[dict[str, Any]] = [
    _campaign(CAMPAIGN_ID, "Guide example campaign"),
    _campaign(DEAL_CAMPAIGN_ID, "Amazon Guaranteed deal campaign", deal=True),
]


def _ad_group(
    ad_group_id: str, name: str, inventory: str, rotation: str, campaign: str = CAMPAIGN_ID
) -> dict[str, Any]:
    return {
        **_seeded(name, automate_budget=False),
        "adGroupId": ad_group_id,
        "campaignId": campaign,
        "inventoryType": inventory,
        "creativeRotationType": rotation,
        "advertisedProductCategoryIds": ["304669741353807342"],
        "pacing": {"deliveryProfile": "EVEN", "catchUpBoostPercentage": 0},
        "bid": {"baseBid": 3.0},
        "startDateTime": "2026-01-01T00:00:00Z",
        "endDateTime": "2028-12-31T23:59:59Z",
        "budgetAmount": 1.0,
    }


AD_GROUPS: list[dict[str, Any]] = [
    _ad_group(AD_GROUP_ID, "Guide example display ad group", "DISPLAY", "RANDOM"),
    _ad_group("579602514554384270", "Legacy video ad group", "VIDEO", "WEIGHTED"),
    _ad_group("579602514554384271", "Legacy mobile app ad group", "AAP_MOBILE_APP", "RANDOM"),
    _ad_group("579602514554384272", "Legacy mobile display ad group", "AMAZON_MOBILE_DISPLAY", "RANDOM"),
    _ad_group("579602514554384273", "Guaranteed deal ad group", "DISPLAY", "RANDOM", DEAL_CAMPAIGN_ID),
]


def seed(tx: Tx) -> None:
    """Write the reference data (called once per database, inside its creating transaction)."""
    for advertiser in ADVERTISERS:
        tx.put(PLATFORM, "advertiser", advertiser["advertiserId"], advertiser)
    for category in PRODUCT_CATEGORIES:
        tx.put(PLATFORM, "product_category", category["advertisedProductCategoryId"], category)
    for audience in [*GUIDE_AUDIENCES, *(_extra_audience(n) for n in range(1, EXTRA_AUDIENCES + 1))]:
        tx.put(PLATFORM, "audience", audience["audienceId"], audience)
    for location in GEO_LOCATIONS:
        tx.put(PLATFORM, "geo_location", location["geoLocationId"], location)
    for exchange in EXCHANGES:
        tx.put(PLATFORM, "exchange", exchange["inventorySourceId"], exchange)
    for creative in CREATIVES:
        tx.put(PLATFORM, "creative", creative["adCreativeId"], creative)
    for definition in CONVERSION_DEFINITIONS:
        stamped = {**definition, "createTime": SEEDED_AT, "lastUpdatedTime": SEEDED_AT}
        tx.put(PLATFORM, "conversion_definition", definition["conversionDefinitionId"], stamped)
    for campaign in CAMPAIGNS:
        tx.put(PLATFORM, "campaign", campaign["campaignId"], campaign)
    for ad_group in AD_GROUPS:
        tx.put(PLATFORM, "ad_group", ad_group["adGroupId"], ad_group)
        start_ad_group(tx, ad_group["adGroupId"], ADVERTISER_ID, ad_group["inventoryType"], EXCHANGES, 0.0)


def start_ad_group(
    tx: Tx,
    ad_group_id: str,
    advertiser_id: str,
    inventory_type: str,
    exchanges: Iterable[Mapping[str, Any]],
    visible_at: float,
) -> None:
    """Store what a new ad group starts with: its default targets (ids from the target counter, listed
    from `visible_at` on; one record stands for them, see `stored_targets`) and no creative
    associations."""
    exchange_ids = eligible_exchanges(inventory_type, exchanges)
    count = stored_targets.default_count(inventory_type, exchange_ids)
    first = tx.next_ids("amazon_dsp.target", COUNTERS["target"], count)
    record = stored_targets.defaults_record(advertiser_id, inventory_type, exchange_ids, first, visible_at)
    tx.put(PLATFORM, stored_targets.DEFAULTS_KIND, ad_group_id, record)
    tx.put(PLATFORM, "associations", ad_group_id, {"adGroupId": ad_group_id, "items": {}})


def fixtures() -> dict[str, Any]:
    """The seeded ids, as `GET /_sandbox/fixtures` reports them."""
    return {
        "advertisers": [dict(a) for a in ADVERTISERS],
        "campaigns": [{"campaignId": c["campaignId"], "name": c["name"]} for c in CAMPAIGNS],
        "adGroups": [
            {"adGroupId": g["adGroupId"], "name": g["name"], "inventoryType": g["inventoryType"]}
            for g in AD_GROUPS
        ],
        "advertisedProductCategories": [dict(c) for c in PRODUCT_CATEGORIES],
        "audiences": [dict(a) for a in GUIDE_AUDIENCES]
        + [
            {
                "range": f"Sandbox audience 001..{EXTRA_AUDIENCES:03d}",
                "firstId": _extra_audience(1)["audienceId"],
            }
        ],
        "geoLocations": [dict(g) for g in GEO_LOCATIONS],
        "conversionDefinitions": [dict(d) for d in CONVERSION_DEFINITIONS],
        "inventorySourceExchanges": [dict(e) for e in EXCHANGES],
        "adCreatives": [
            {
                "adCreativeId": c["adCreativeId"],
                "name": c["name"],
                "advertiserId": c["advertiserId"],
                "creativeType": c["creativeType"],
                "adCreativeFormatType": c["adCreativeFormatType"],
                "moderationStatus": c["moderationStatus"],
            }
            for c in CREATIVES
        ],
    }
