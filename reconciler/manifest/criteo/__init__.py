"""The Criteo manifest: pydantic models of the fields in docs/criteo-resources.md, and their resources.

The models describe types, enums, required and unknown fields only, as the 2027-01 specification's create
models do (`CreateAdSetV26Q1`, `CreateCampaign`): what they require, what they let be null, the `int32`
range of integers and the finite `double` of numbers. The platform's semantic rules (start before end,
capped/uncapped consistency, ...) live in the Criteo provider's rules module (docs/criteo-rules.md).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BeforeValidator,
    Discriminator,
    Field,
    Tag,
)

from reconciler.manifest.base import Built, Claim, PlatformManifest, locate, locations
from reconciler.manifest.criteo.types import CodeSet, Double, Int32, LimitationSet, Omittable
from reconciler.manifest.fields import KindFields
from reconciler.manifest.lifecycle import LifecycleRules, lifecycle_field
from reconciler.manifest.types import (
    CaseInsensitive,
    Code,
    DateTime,
    IdStr,
    IntegerId,
    Key,
    ManifestFile,
    OnOffBool,
    Strict,
)
from reconciler.manifest.yaml_loader import LoadedYaml, PathKey
from reconciler.model import Address, Resource

# ---- enums (canonical spellings of the 2027-01 read model) -------------------------------------

Goal = Annotated[Literal["unspecified", "acquisition", "retention"], CaseInsensitive()]
SpendLimitType = Annotated[Literal["capped", "uncapped"], CaseInsensitive()]
SpendLimitRenewal = Annotated[Literal["undefined", "daily", "monthly", "lifetime"], CaseInsensitive()]
AdSetObjectiveForBudget = Annotated[
    Literal["conversions", "revenue", "visits", "videoViews"], CaseInsensitive()
]
Objective = Annotated[
    Literal[
        "customAction",
        "clicks",
        "conversions",
        "displays",
        "appPromotion",
        "revenue",
        "storeConversions",
        "value",
        "reach",
        "visits",
        "videoViews",
    ],
    CaseInsensitive(),
]
MediaType = Annotated[Literal["display", "video"], CaseInsensitive()]
Activation = Annotated[Literal["on", "off"], BeforeValidator(OnOffBool), CaseInsensitive()]
CostController = Annotated[
    Literal["COS", "maxCPC", "CPI", "CPM", "CPO", "CPSV", "CPV", "dailyBudget", "targetCPM"],
    CaseInsensitive({"CPC": "maxCPC"}),
]
Frequency = Annotated[Literal["hourly", "daily", "lifetime", "advanced"], CaseInsensitive()]
Operand = Annotated[Literal["in", "notIn"], CaseInsensitive()]
Device = Annotated[Literal["desktop", "mobile", "tablet", "other"], CaseInsensitive()]
OperatingSystem = Annotated[Literal["android", "ios", "unknown"], CaseInsensitive()]
Environment = Annotated[Literal["web", "inApp"], CaseInsensitive()]
BudgetStrategy = Annotated[Literal["capped", "uncapped"], CaseInsensitive()]
BudgetRenewal = Annotated[Literal["undefined", "daily", "monthly", "lifetime", "weekly"], CaseInsensitive()]
BudgetDeliverySmoothing = Annotated[Literal["accelerated", "standard"], CaseInsensitive()]
BudgetDeliveryWeek = Annotated[
    Literal[
        "undefined",
        "mondayToSunday",
        "tuesdayToMonday",
        "wednesdayToTuesday",
        "thursdayToWednesday",
        "fridayToThursday",
        "saturdayToFriday",
        "sundayToSaturday",
    ],
    CaseInsensitive(),
]
PacingBehavior = Annotated[
    Literal["undefined", "targetFullBudget", "targetAverageDailyBudget"], CaseInsensitive()
]
AttributionMethod = Annotated[
    Literal["unknown", "criteoAttribution", "lastClick", "postClick", "sftp", "googleAnalytics"],
    CaseInsensitive(),
]
LookbackWindow = Annotated[Literal["unknown", "30M", "24H", "7D", "30D"], CaseInsensitive()]


def _upper(value: Any) -> Any:
    return value.strip().upper() if isinstance(value, str) else value


UpperCode = Annotated[Code, BeforeValidator(_upper)]

# ---- campaign ----------------------------------------------------------------------------------


class SpendLimit(Strict):
    """How much the campaign may spend, and over which period."""

    spendLimitType: SpendLimitType = Field(
        description="`capped` (needs an amount and a renewal other than `undefined`) or `uncapped`."
    )
    spendLimitRenewal: Omittable[SpendLimitRenewal] = Field(
        default=None, description="Period of the spend limit; `undefined` when uncapped."
    )
    spendLimitAmount: Double | None = Field(
        default=None,
        description="Maximum spend per renewal period in the advertiser's currency; null when uncapped.",
    )


class BudgetConfiguration(Strict):
    """What automated budgets optimise for."""

    adSetObjectives: AdSetObjectiveForBudget = Field(
        description="Ad set objective the automation optimises for."
    )


class BudgetAutomation(Strict):
    """Campaign-level budgets that Criteo routes to the best-performing ad sets."""

    enabled: bool = Field(
        default=False,
        description="Whether budget automation is active (false when omitted); `true` needs a "
        "budgetConfiguration, and the campaign's ad sets then take no `budget`.",
    )
    budgetConfiguration: Omittable[BudgetConfiguration] = Field(
        default=None, description="Required when enabled; ignored by Criteo while disabled."
    )


# ---- ad set ------------------------------------------------------------------------------------


class Schedule(Strict):
    """When the ad set may deliver."""

    startDate: DateTime = Field(description="Start of delivery (UTC date-time).")
    endDate: DateTime | None = Field(
        default=None, description="End of delivery (UTC date-time); null means no end."
    )


class Bidding(Strict):
    """How spend is controlled, and the bid or target amount."""

    costController: CostController = Field(
        description="How spend is controlled (immutable). The old spelling `CPC` means `maxCPC`."
    )
    bidAmount: Double | None = Field(
        default=None,
        description="Bid or target amount; null for controllers without a target. Criteo keeps 4 decimals.",
    )


class FrequencyCapping(Strict):
    """At most `maximumImpressions` per viewer per `frequency` period (AdSetFrequencyCappingV26Q1: both
    nullable)."""

    frequency: Frequency | None = Field(
        default=None, description="Period of the cap (`advanced` is Criteo-managed and cannot be set)."
    )
    maximumImpressions: Int32 | None = Field(
        default=None, description="Maximum impressions per viewer in the period (an int32)."
    )


class CountryRule(Strict):
    """Countries to include or exclude (ISO 3166-1 alpha-2 codes)."""

    operand: Operand = Field(description="`in` targets only these values, `notIn` excludes them.")
    values: CodeSet[UpperCode] = Field(description="Country codes such as FR, DE (a set).")


class SubdivisionRule(Strict):
    """Subdivisions to include or exclude (ISO 3166-2 codes)."""

    operand: Operand = Field(description="`in` targets only these values, `notIn` excludes them.")
    values: CodeSet[UpperCode] = Field(description="Subdivision codes such as FR-75 (a set).")


class ZipCodeRule(Strict):
    """Zip codes to include or exclude."""

    operand: Operand = Field(description="`in` targets only these values, `notIn` excludes them.")
    values: CodeSet[Code] = Field(description="Zip codes (a set).")


class GeoLocation(Strict):
    """Geographic targeting; a rule set to null is inactive."""

    countries: CountryRule | None = Field(default=None, description="Country rule, or null for none.")
    subdivisions: SubdivisionRule | None = Field(
        default=None, description="Subdivision rule, or null for none."
    )
    zipCodes: ZipCodeRule | None = Field(default=None, description="Zip code rule, or null for none.")


class DeliveryLimitations(Strict):
    """Where ads may be delivered; an empty list means no limitation."""

    devices: LimitationSet[Device] = Field(default=None, description="Devices to deliver on.")
    operatingSystems: LimitationSet[OperatingSystem] = Field(
        default=None, description="Operating systems to deliver on."
    )
    environments: LimitationSet[Environment] = Field(default=None, description="Environments to deliver in.")


LIMITATION_NAMES = ("devices", "operatingSystems", "environments")


def _no_limitations(value: Any) -> Any:
    """`deliveryLimitations: null` is no limitation at all: every list empty."""
    return {name: [] for name in LIMITATION_NAMES} if value is None else value


def _no_capping(value: Any) -> Any:
    """A frequency capping with neither field set is no capping (null), as Criteo reads it back."""
    if isinstance(value, dict) and all(
        value.get(name) is None for name in ("frequency", "maximumImpressions")
    ):
        return None
    return value


class Targeting(Strict):
    """Who and where the ad set reaches."""

    frequencyCapping: Annotated[FrequencyCapping | None, BeforeValidator(_no_capping)] = Field(
        description="Impression cap per viewer; null for none (the key is required, its value nullable)."
    )
    geoLocation: Omittable[GeoLocation] = Field(default=None, description="Geographic targeting.")
    deliveryLimitations: Annotated[DeliveryLimitations | None, BeforeValidator(_no_limitations)] = Field(
        default=None, description="Device, OS and environment limits; null for none."
    )


class Budget(Strict):
    """The ad set's budget."""

    budgetStrategy: BudgetStrategy = Field(description="`capped` (limited to budgetAmount) or `uncapped`.")
    budgetRenewal: Omittable[BudgetRenewal] = Field(
        default=None, description="Period of the budget; `undefined` when uncapped."
    )
    budgetDeliverySmoothing: Omittable[BudgetDeliverySmoothing] = Field(
        default=None, description="Pacing within a period (capped budgets only: required there)."
    )
    budgetDeliveryWeek: Omittable[BudgetDeliveryWeek] = Field(
        default=None, description="Week boundaries for weekly standard capped budgets."
    )
    pacingBehavior: Omittable[PacingBehavior] = Field(
        default=None, description="How a standard capped budget is paced."
    )
    budgetAmount: Double | None = Field(
        default=None,
        description="Budget per renewal period in the advertiser's currency; null when uncapped.",
    )


class AttributionConfiguration(Strict):
    """How conversions are attributed to the ad set."""

    attributionMethod: Omittable[AttributionMethod] = Field(
        default=None, description="The attribution method."
    )
    lookbackWindow: Omittable[LookbackWindow] = Field(
        default=None, description="Lookback window; only with `lastClick` or `postClick`."
    )


class AdSet(Strict):
    """A Criteo ad set: address `criteo.ad_set.<campaign-key>/<key>`."""

    key: Key
    name: str = Field(min_length=1, description="Name of the ad set.")
    objective: Objective = Field(description="What the ad set optimises for (immutable).")
    mediaType: MediaType = Field(description="`display` or `video` (immutable).")
    datasetId: IdStr = Field(description="Dataset of the advertiser (immutable).")
    trackingCode: str = Field(description="Click tracking code (immutable, write-only).")
    schedule: Schedule = Field(description="Start and end of delivery.")
    activation: Activation | None = Field(
        default=None, description="`on` to deliver, `off` to stop (default `off` at creation)."
    )
    bidding: Bidding = Field(description="Cost controller and bid amount.")
    targeting: Targeting = Field(description="Frequency capping, geolocation and delivery limitations.")
    budget: Omittable[Budget] = Field(
        default=None,
        description="Budget strategy, renewal, pacing and amount. Omit it when the campaign has budget "
        "automation: Criteo then sets it from the campaign's spend limit (and owns it).",
    )
    attributionConfiguration: Omittable[AttributionConfiguration] = Field(
        default=None, description="Attribution settings."
    )
    audience: IdStr | None = Field(
        default=None, description="Id of the audience linked to the ad set; null for none."
    )
    lifecycle: LifecycleRules | None = lifecycle_field()


class Campaign(Strict):
    """A Criteo campaign created by this project: address `criteo.campaign.<key>`."""

    key: Key
    name: str = Field(description="Name of the campaign (immutable).")
    goal: Goal = Field(description="Goal of the campaign (immutable).")
    spendLimit: SpendLimit = Field(description="Spend limit of the campaign.")
    budgetAutomation: Omittable[BudgetAutomation] = Field(
        default=None, description="Campaign-level budget automation."
    )
    adSets: list[AdSet] = Field(default_factory=list, description="The campaign's ad sets.")
    lifecycle: LifecycleRules | None = lifecycle_field()


class CampaignReference(Strict):
    """An existing campaign the project does not create: its ad sets are created in it."""

    key: Key
    campaignId: IntegerId = Field(description="Id of the existing Criteo campaign (no other campaign field).")
    adSets: list[AdSet] = Field(default_factory=list, description="Ad sets to create in that campaign.")


CAMPAIGN_TAG = "Campaign"
REFERENCE_TAG = "CampaignReference"


def _campaign_kind(value: Any) -> str:
    if isinstance(value, dict) and "campaignId" in value:
        return REFERENCE_TAG
    if isinstance(value, CampaignReference):
        return REFERENCE_TAG
    return CAMPAIGN_TAG


CampaignEntry = Annotated[
    Annotated[Campaign, Tag(CAMPAIGN_TAG)] | Annotated[CampaignReference, Tag(REFERENCE_TAG)],
    Discriminator(_campaign_kind),
]

# Tags that appear in pydantic error locations, with the model they select.
TAGS: dict[str, type[Strict]] = {CAMPAIGN_TAG: Campaign, REFERENCE_TAG: CampaignReference}


class CriteoManifest(ManifestFile):
    """A Criteo manifest file: campaigns (new or existing) of one advertiser, with their ad sets."""

    platform: Literal["criteo"] = Field(description="The platform of this file.")
    advertiserId: IntegerId = Field(description="Criteo advertiser id (a string-encoded integer).")
    campaigns: list[CampaignEntry] = Field(
        description="Campaigns to create (with name, goal, spendLimit) or existing ones (with campaignId)."
    )


# ---- resources ---------------------------------------------------------------------------------

PLATFORM = "criteo"


def build(manifest: CriteoManifest, loaded: LoadedYaml, file: str) -> Built:
    """Canonical resources of a validated Criteo manifest: each campaign, then its ad sets."""
    built = Built()
    advertiser = manifest.advertiserId
    for i, entry in enumerate(manifest.campaigns):
        entry_path: PathKey = ("campaigns", i)
        campaign_address = Address(PLATFORM, "campaign", (entry.key,))
        parent: Address | None
        scope = {"advertiserId": advertiser}
        if isinstance(entry, CampaignReference):
            parent = None
            scope["campaignId"] = entry.campaignId
            built.claims.append(
                Claim(
                    campaign_address,
                    locate(loaded, file, entry_path),
                    reference=f"campaignId {entry.campaignId}",
                )
            )
        else:
            parent = campaign_address
            attributes = entry.model_dump(exclude_unset=True, exclude={"key", "adSets"})
            resource = Resource(
                campaign_address,
                attributes,
                scope=dict(scope),
                locations=locations(loaded, file, entry_path, attributes),
            )
            built.resources.append(resource)
            built.claims.append(Claim(campaign_address, resource.locations[""]))
        for j, ad_set in enumerate(entry.adSets):
            ad_set_path: PathKey = (*entry_path, "adSets", j)
            attributes = ad_set.model_dump(exclude_unset=True, exclude={"key"})
            resource = Resource(
                Address(PLATFORM, "ad_set", (entry.key, ad_set.key)),
                attributes,
                parent=parent,
                scope=dict(scope),
                locations=locations(loaded, file, ad_set_path, attributes),
            )
            built.resources.append(resource)
            built.claims.append(Claim(resource.address, resource.locations[""]))
    return built


MANIFEST = PlatformManifest(
    platform=PLATFORM,
    model=CriteoManifest,
    build=build,
    tags=TAGS,
    kinds={"campaign": KindFields(Campaign, frozenset({"adSets"})), "ad_set": KindFields(AdSet)},
    notes={
        Campaign: "to add ad sets to an existing campaign instead, write `campaignId` "
        "with only `key` and `adSets`",
        CampaignReference: "a campaign entry with `campaignId` refers to an existing campaign and takes only "
        "`key`, `campaignId` and `adSets`; remove `campaignId` to create a new campaign",
    },
)
