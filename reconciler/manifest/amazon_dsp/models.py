"""Pydantic models of an Amazon DSP manifest (docs/amazon-dsp-resources.md): campaigns, their ad groups,
the ad groups' targets and creative associations.

The models check types, enums, required, unknown and read-only fields; the platform's semantic rules
(flight limits, audience groups, budget automation, association dates and weights, ...) live in
reconciler/providers/amazon_dsp/rules.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

from reconciler.manifest.amazon_dsp.targets import AdGroupTargets, IdOrName
from reconciler.manifest.lifecycle import LifecycleRules, lifecycle_field
from reconciler.manifest.types import (
    UPPER,
    CaseInsensitive,
    DateTime,
    IdStr,
    Integer,
    IntegerId,
    Key,
    ManifestFile,
    Number,
    Strict,
    describe,
)

# ---- enums ---------------------------------------------------------------------------------------

State = Annotated[Literal["ACTIVE", "INACTIVE"], CaseInsensitive()]
BidStrategy = Annotated[
    Literal["SPEND_BUDGET_IN_FULL", "PRIORITIZE_KPI_TARGET", "MAXIMIZE_PERFORMANCE"], CaseInsensitive()
]
Kpi = Annotated[
    Literal[
        "REACH",
        "CLICK_THROUGH_RATE",
        "COST_PER_CLICK",
        "COST_PER_VIDEO_COMPLETION",
        "VIDEO_COMPLETION_RATE",
        "COST_PER_DETAIL_PAGE_VIEW",
        "DETAIL_PAGE_VIEW_RATE",
        "RETURN_ON_AD_SPEND",
        "TOTAL_RETURN_ON_AD_SPEND",
        "COST_PER_ACTION",
        "COMBINED_RETURN_ON_AD_SPEND",
        "COST_PER_SIGN_UP",
        "COST_PER_FIRST_APP_OPEN",
    ],
    CaseInsensitive(),
]
FrequencyType = Annotated[Literal["CAPPED", "UNCAPPED"], CaseInsensitive()]
TimeUnit = Annotated[Literal["MINUTES", "HOURS", "DAYS"], CaseInsensitive()]
RecurrenceTimePeriod = Annotated[Literal["DAILY", "MONTHLY"], CaseInsensitive()]
FeeType = Annotated[Literal["AGENCY", "THIRD_PARTY"], CaseInsensitive()]
FeeValueType = Annotated[Literal["PERCENTAGE", "FIXED_CPM"], CaseInsensitive()]
ProductAssociation = Annotated[Literal["FEATURED", "FEATURED_WITH_VARIATION"], CaseInsensitive()]
CreativeRotationType = Annotated[Literal["RANDOM", "WEIGHTED"], CaseInsensitive()]
DeliveryProfile = Annotated[Literal["EVEN", "ASAP", "AHEAD"], CaseInsensitive()]
ViewabilityTier = Annotated[
    Literal[
        "ALL_TIERS",
        "LESS_THAN_40_PERCENT",
        "GREATER_THAN_40_PERCENT",
        "GREATER_THAN_50_PERCENT",
        "GREATER_THAN_60_PERCENT",
        "GREATER_THAN_70_PERCENT",
    ],
    CaseInsensitive(),
]
TimeZoneType = Annotated[Literal["VIEWER", "ADVERTISER"], CaseInsensitive()]
UserLocationSignal = Annotated[Literal["CURRENT", "HOME", "CURRENT_AND_HOME"], CaseInsensitive()]

# Inventory types the API supports (the last four are deprecated: a warning names the replacement).
INVENTORY_TYPES = (
    "DISPLAY",
    "STREAMING_TV",
    "ONLINE_VIDEO",
    "STANDARD_DISPLAY",
    "AMAZON_MOBILE_DISPLAY",
    "AAP_MOBILE_APP",
    "VIDEO",
)
# Ad group types the DSP has but its API does not manage.
UNSUPPORTED_INVENTORY_TYPES = ("AUDIO", "PODCAST", "DOOH")


def _supported_inventory(value: Any) -> Any:
    if isinstance(value, str) and value.strip().upper() in UNSUPPORTED_INVENTORY_TYPES:
        raise PydanticCustomError(
            "inventory_unsupported",
            "{value} ad groups are not supported by the Amazon DSP API (manage them in the DSP UI); "
            "use one of DISPLAY, STREAMING_TV, ONLINE_VIDEO",
            {"value": value.strip().upper()},
        )
    return value


InventoryType = Annotated[
    Literal[
        "DISPLAY",
        "STREAMING_TV",
        "ONLINE_VIDEO",
        "STANDARD_DISPLAY",
        "AMAZON_MOBILE_DISPLAY",
        "AAP_MOBILE_APP",
        "VIDEO",
    ],
    CaseInsensitive(),
    BeforeValidator(_supported_inventory),
]


def _read_only(why: str) -> Callable[[Any], Any]:
    """A validator for a field the platform computes: writing it (any value) is an error that says why."""

    def reject(value: Any) -> Any:
        raise PydanticCustomError(
            "read_only", "{why}: remove it (got {value})", {"why": why, "value": describe(value)}
        )

    return reject


GOAL_READ_ONLY = "`goal` is read-only: Amazon derives it from `optimization.goalSetting.kpi`"
BID_ALLOCATION_READ_ONLY = "`automateBidAllocation` is read-only: Amazon sets it"

ReadOnlyGoal = Annotated[
    Any,
    BeforeValidator(_read_only(GOAL_READ_ONLY)),
    WithJsonSchema({"not": {}, "description": GOAL_READ_ONLY}),
]
ReadOnlyBidAllocation = Annotated[
    Any,
    BeforeValidator(_read_only(BID_ALLOCATION_READ_ONLY)),
    WithJsonSchema({"not": {}, "description": BID_ALLOCATION_READ_ONLY}),
]


Marketplace = Annotated[IdStr, UPPER]

# ---- campaign -------------------------------------------------------------------------------------


class GoalSetting(Strict):
    """The KPI the campaign optimises for; `goal` follows from it."""

    kpi: Kpi = Field(
        description="The KPI (required). It sets the read-only goal: REACH → AWARENESS; CLICK_THROUGH_RATE, "
        "COST_PER_CLICK, COST_PER_VIDEO_COMPLETION, VIDEO_COMPLETION_RATE, COST_PER_DETAIL_PAGE_VIEW, "
        "DETAIL_PAGE_VIEW_RATE → CONSIDERATION; the others → CONVERSIONS."
    )
    targetKpi: Number | None = Field(default=None, description="Target value of the KPI (greater than 0).")
    goal: ReadOnlyGoal = Field(default=None, description=GOAL_READ_ONLY + ".")


class CampaignOptimization(Strict):
    """How the campaign spends and what it optimises for."""

    bidStrategy: BidStrategy | None = Field(default=None, description="How bids are placed.")
    automateBudgetAllocation: bool | None = Field(
        default=None,
        description="true: Amazon shares the budget across ad groups; ad groups that also set it true "
        "cannot set their own budgetAmount.",
    )
    goalSetting: GoalSetting = Field(description="The KPI and its target.")
    automateBidAllocation: ReadOnlyBidAllocation = Field(
        default=None, description=BID_ALLOCATION_READ_ONLY + "."
    )


class Flight(Strict):
    """A budget period of the campaign, identified by its start."""

    startDateTime: DateTime = Field(
        description="Start of the flight (identifies it; a started flight stays)."
    )
    endDateTime: DateTime = Field(description="End of the flight (after its start).")
    budgetAmount: Number = Field(description="Budget of the flight in the advertiser's currency (> 0).")


class FrequencyCap(Strict):
    """At most `maxImpressions` per viewer per `timeUnitCount` `timeUnit`s, or UNCAPPED."""

    frequencyType: FrequencyType = Field(
        description="CAPPED (with the three other fields) or UNCAPPED (alone)."
    )
    maxImpressions: Integer | None = Field(default=None, description="Impressions per viewer in the period.")
    timeUnitCount: Integer | None = Field(default=None, description="Length of the period in time units.")
    timeUnit: TimeUnit | None = Field(default=None, description="MINUTES, HOURS or DAYS.")


class BudgetCap(Strict):
    """A spending cap per day or month."""

    recurrenceTimePeriod: RecurrenceTimePeriod = Field(description="DAILY or MONTHLY.")
    amount: Number = Field(description="Maximum spend in the period (> 0).")


class Fee(Strict):
    """A fee added to the media cost."""

    feeType: FeeType = Field(description="AGENCY or THIRD_PARTY.")
    feeValue: Number = Field(description="The fee: a percentage (0 to 100) or a CPM amount.")
    feeValueType: FeeValueType = Field(description="PERCENTAGE or FIXED_CPM.")


class TrackedProduct(Strict):
    """A product (ASIN) whose sales the campaign tracks; identified by productId and domain."""

    productId: IdStr = Field(description="The ASIN, e.g. B09D36CVP1.")
    productAssociation: ProductAssociation = Field(description="FEATURED or FEATURED_WITH_VARIATION.")
    domain: Marketplace = Field(description="The marketplace, e.g. AMAZON_US (any letter case).")


def _conversion_shorthand(value: Any) -> Any:
    """A bare id stands for `{conversionDefinitionId: <id>}`, and `{name: ..., isOptimized}` for
    `{conversionDefinitionId: {name: ...}, isOptimized}`; `isOptimized` is always set (false unless
    written), as the association list reads it back."""
    if not isinstance(value, dict):
        value = {"conversionDefinitionId": value}
    elif "name" in value and "conversionDefinitionId" not in value:
        value = {
            "conversionDefinitionId": {"name": value["name"]},
            **{k: v for k, v in value.items() if k != "name"},
        }
    return {"isOptimized": False, **value}


class ConversionDefinitionLink(Strict):
    """An off-Amazon conversion definition associated with the campaign (the campaign guide's step 5);
    identified by its id."""

    conversionDefinitionId: IdOrName = Field(
        description="The conversion definition's id, or {name: ...} resolved when planning."
    )
    isOptimized: bool = Field(
        default=False, description="true: the campaign optimizes towards this conversion (default false)."
    )


_ID = {"type": ["string", "integer"], "minLength": 1}
_NAME = {"type": "string", "minLength": 1}
ConversionDefinitionItem = Annotated[
    ConversionDefinitionLink,
    BeforeValidator(_conversion_shorthand),
    WithJsonSchema(
        {
            "anyOf": [
                _ID,
                {
                    "type": "object",
                    "properties": {"name": _NAME, "isOptimized": {"type": "boolean"}},
                    "required": ["name"],
                    "additionalProperties": False,
                },
                {
                    "type": "object",
                    "properties": {
                        "conversionDefinitionId": {
                            "anyOf": [
                                _ID,
                                {
                                    "type": "object",
                                    "properties": {"name": _NAME},
                                    "required": ["name"],
                                    "additionalProperties": False,
                                },
                            ]
                        },
                        "isOptimized": {"type": "boolean"},
                    },
                    "required": ["conversionDefinitionId"],
                    "additionalProperties": False,
                },
            ],
            "description": "A conversion definition: its id, or `{name: ...}` (resolved when planning), "
            "optionally with `isOptimized: true`; also `{conversionDefinitionId: ..., isOptimized: ...}`.",
        }
    ),
]


class CreativeAssociation(Strict):
    """A creative associated with the ad group.

    Address `amazon_dsp.creative_association.<campaign>/<ad-group>/<key>`.
    """

    key: Key
    creative: IdOrName = Field(description="The ad creative id, or {name: ...} resolved when planning.")
    weight: Integer | None = Field(
        default=None, description="Rotation weight 1 to 999; only with creativeRotationType WEIGHTED."
    )
    state: State | None = Field(default=None, description="ACTIVE (default) or INACTIVE.")
    startDate: DateTime | None = Field(
        default=None, description="Start of the association, after the ad group's start and before endDate."
    )
    endDate: DateTime | None = Field(
        default=None, description="End of the association, before the ad group's end and after startDate."
    )
    lifecycle: LifecycleRules | None = lifecycle_field()


class Pacing(Strict):
    """How the ad group spends over its flight."""

    deliveryProfile: DeliveryProfile | None = Field(default=None, description="EVEN, ASAP or AHEAD.")
    catchUpBoostPercentage: Number | None = Field(
        default=None, description="How much faster to spend to catch up after under-delivery (0 to 100)."
    )


class AmazonViewability(Strict):
    """Viewability requirements."""

    viewabilityTier: ViewabilityTier | None = Field(
        default=None, description="Minimum predicted viewability."
    )
    includeUnmeasurableImpressions: bool | None = Field(
        default=None, description="Whether impressions without a viewability measure count."
    )


class TargetingSettings(Strict):
    """The single-valued targeting settings of an ad group (the multi-valued ones are `targets`)."""

    amazonViewability: AmazonViewability | None = Field(default=None, description="Viewability.")
    timeZoneType: TimeZoneType | None = Field(
        default=None, description="Time zone of day parts: VIEWER or ADVERTISER."
    )
    userLocationSignal: UserLocationSignal | None = Field(
        default=None, description="Which location of the viewer counts: CURRENT, HOME or CURRENT_AND_HOME."
    )


class AdGroupOptimization(Strict):
    """How the ad group bids and spends."""

    bidStrategy: BidStrategy | None = Field(default=None, description="How bids are placed.")
    automateBudgetAllocation: bool | None = Field(
        default=None,
        description="true with the campaign's also true: Amazon sets this ad group's budgetAmount.",
    )
    automateBidAllocation: ReadOnlyBidAllocation = Field(
        default=None, description=BID_ALLOCATION_READ_ONLY + "."
    )


class Bid(Strict):
    """The ad group's bids (CPM)."""

    baseBid: Number | None = Field(default=None, description="Base bid (> 0).")
    maxAverageBid: Number | None = Field(default=None, description="Maximum average bid (not below baseBid).")


class AdGroup(Strict):
    """An Amazon DSP ad group: address `amazon_dsp.ad_group.<campaign-key>/<key>`."""

    key: Key
    name: str = Field(min_length=1, description="Name of the ad group.")
    inventoryType: InventoryType = Field(
        description="DISPLAY, STREAMING_TV or ONLINE_VIDEO. STANDARD_DISPLAY, "
        "AMAZON_MOBILE_DISPLAY, AAP_MOBILE_APP and VIDEO are deprecated."
    )
    creativeRotationType: CreativeRotationType | None = Field(
        default=None, description="RANDOM, or WEIGHTED to rotate by the associations' weights."
    )
    advertisedProductCategoryIds: list[IdOrName] = Field(
        description="Categories of the advertised products (at least one): ids or {name: ...}."
    )
    frequencies: list[FrequencyCap] | None = Field(default=None, description="Frequency caps.")
    pacing: Pacing | None = Field(default=None, description="Delivery pacing.")
    targetingSettings: TargetingSettings | None = Field(
        default=None, description="Viewability, time zone, location signal."
    )
    optimization: AdGroupOptimization | None = Field(
        default=None, description="Bid strategy and budget automation."
    )
    bid: Bid | None = Field(default=None, description="Bids.")
    startDateTime: DateTime = Field(description="Start of delivery.")
    endDateTime: DateTime = Field(description="End of delivery (after the start).")
    budgetAmount: Number | None = Field(
        default=None,
        description="Budget of the ad group; not allowed when budget automation is on for both the "
        "campaign and the ad group (Amazon sets it then).",
    )
    fees: list[Fee] | None = Field(default=None, description="Fees.")
    comments: str | None = Field(default=None, description="Free-text comments.")
    state: State | None = Field(
        default=None,
        description="ACTIVE or INACTIVE. Ad groups are created INACTIVE; ACTIVE activates them once their "
        "targets and creatives exist.",
    )
    targets: AdGroupTargets = Field(
        default_factory=lambda: AdGroupTargets(),
        description="Targets by type; a type left out is never touched.",
    )
    creatives: list[CreativeAssociation] = Field(default_factory=list, description="Creative associations.")
    lifecycle: LifecycleRules | None = lifecycle_field()


class DspCampaign(Strict):
    """An Amazon DSP campaign: address `amazon_dsp.campaign.<key>`."""

    key: Key
    name: str = Field(min_length=1, description="Name of the campaign.")
    optimization: CampaignOptimization = Field(description="Bid strategy, budget automation and KPI.")
    flights: list[Flight] = Field(
        description="Budget periods (at least one; at most 12 current and future, 150 in all; no overlap)."
    )
    frequencies: list[FrequencyCap] | None = Field(default=None, description="Frequency caps.")
    budgetCaps: list[BudgetCap] | None = Field(default=None, description="Daily or monthly spending caps.")
    fees: list[Fee] | None = Field(default=None, description="Fees (e.g. the agency fee).")
    purchaseOrderNumber: str | None = Field(default=None, description="Purchase order number.")
    comments: str | None = Field(default=None, description="Free-text comments.")
    state: State | None = Field(
        default=None,
        description="ACTIVE or INACTIVE. Campaigns are created INACTIVE; ACTIVE activates the campaign "
        "once everything below it exists.",
    )
    trackedProducts: list[TrackedProduct] | None = Field(
        default=None, description="Products (ASINs) whose conversions the campaign tracks."
    )
    conversionDefinitions: list[ConversionDefinitionItem] | None = Field(
        default=None,
        description="Off-Amazon conversion definitions associated with the campaign (needed before a "
        "COST_PER_ACTION campaign is activated): ids, {name: ...}, or {conversionDefinitionId, isOptimized}.",
    )
    goal: ReadOnlyGoal = Field(default=None, description=GOAL_READ_ONLY + ".")
    adGroups: list[AdGroup] = Field(default_factory=list, description="The campaign's ad groups.")
    lifecycle: LifecycleRules | None = lifecycle_field()


class AmazonDspManifest(ManifestFile):
    """An Amazon DSP manifest file: the campaigns of one advertiser, with their ad groups."""

    platform: Literal["amazon_dsp"] = Field(description="The platform of this file.")
    advertiserId: IntegerId = Field(description="The DSP advertiser id (sent as Amazon-Ads-AccountId).")
    campaigns: list[DspCampaign] = Field(description="Campaigns to create and keep as written.")
