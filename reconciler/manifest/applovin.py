"""The AppLovin manifest: pydantic models of the fields in docs/applovin-resources.md, and their resources.

Null: a field the platform keeps empty (category, product_page, bundle_id, package_name, goal_period,
os_major_version_min, a creative set's countries and languages) takes null to clear it; a field whose values
are listed or boolean (platform, bid_type, tracking_method, status, device_types, sizes, an ad's name and
status) refuses null, located, as the platform refuses it.

The models describe types, enums, required and unknown fields; the guide's semantic rules (DEFAULT vs
per-country values, language codes, asset types, ratings, templates) live in the AppLovin provider's
rules module so they are reported together, located, before any request.
"""

from __future__ import annotations

import posixpath
from typing import Annotated, Any, Literal, TypeVar

from pydantic import AfterValidator, BeforeValidator, Field
from pydantic_core import PydanticCustomError

from reconciler.manifest.base import Built, Claim, PlatformManifest, locate, locations
from reconciler.manifest.fields import KindFields
from reconciler.manifest.lifecycle import LifecycleRules, lifecycle_field
from reconciler.manifest.types import (
    CaseInsensitive,
    Code,
    IdStr,
    Integer,
    Key,
    ManifestFile,
    Number,
    Strict,
    ValueSet,
    describe,
)
from reconciler.manifest.yaml_loader import LoadedYaml, PathKey
from reconciler.model import Address, Resource, SourceLocation

PLATFORM = "applovin"
T = TypeVar("T")
DEFAULT_COUNTRY = "DEFAULT"

AppPlatform = Annotated[Literal["ios", "android"], CaseInsensitive()]
BidType = Annotated[Literal["CPI", "CPP_GOAL", "RET", "CPE", "ROAS_AD_BASED", "ROAS_IAP"], CaseInsensitive()]
TrackingMethod = Annotated[
    Literal[
        "adjust",
        "applovin",
        "appsflyer",
        "apsalar",
        "branch",
        "custom_track",
        "justtrack",
        "kochava",
        "tenjin",
    ],
    CaseInsensitive(),
]
DeviceType = Annotated[Literal["phone", "tablet", "other"], CaseInsensitive()]
AdSize = Annotated[Literal["BANNER", "INTER", "LEADER", "MREC", "NATIVE", "WIDGET"], CaseInsensitive()]


def _text(value: Any) -> Any:
    """Numbers written where text is expected (a rating `4.5`) keep their written form."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return getattr(value, "source", str(value))
    return value


def _not_null(value: Any) -> Any:
    if value is None:
        raise PydanticCustomError("not_null", "null is not a value of this field: give one, or leave it out")
    return value


def _no_null(schema: dict[str, Any]) -> None:
    """The JSON Schema of a NotNull field: its values without null."""
    options = [o for o in schema.pop("anyOf", []) if o != {"type": "null"}]
    schema.update({**options[0], **schema} if len(options) == 1 else {"anyOf": options})


NotNull = Annotated[T | None, AfterValidator(_not_null), Field(json_schema_extra=_no_null)]
"""An optional field the platform takes no null for: left out it is not set, null is refused."""


def _blank_is_none(value: Any) -> Any:
    """An empty text means none: the platform reads it back as null."""
    return None if value == "" else value


def _default_or_number(value: Any) -> Any:
    """A number, or "default" in any letter case; anything else is one error (not one per alternative)."""
    if isinstance(value, str) and value.strip().lower() == "default":
        return "default"
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PydanticCustomError(
            "bid_value_type", 'expected a number or "default", got {value}', {"value": describe(value)}
        )
    return value


BidNumber = Annotated[Number | Literal["default"], BeforeValidator(_default_or_number)]


class AppLovinCountryValues(Strict):
    """Bid, daily budget and tracking URLs of one country (or of DEFAULT, shared by all countries)."""

    bid: Number | None = Field(
        default=None, description="CPI in USD; percent goal for RET/ROAS; event value for CPP/CPE."
    )
    budget: Number | None = Field(default=None, description="Daily budget in USD.")
    click_url: str | None = Field(default=None, description="Click tracking URL.")
    impression_url: str | None = Field(default=None, description="Impression tracking URL.")


class AppLovinTargets(Strict):
    """The campaign's countries, bids, budgets and device targeting (`POST /campaign_targets`)."""

    countries: dict[Annotated[str, BeforeValidator(_text)], AppLovinCountryValues | None] = Field(
        description="Two-letter country code (or DEFAULT) → values. Either DEFAULT holds the values and the "
        "countries are listed bare (`gb: {}`), or every country has its own bid and budget. A country "
        "removed from this list is disabled."
    )
    device_types: NotNull[ValueSet[DeviceType]] = Field(
        default=None, description="Eligible device types (iOS only); [] means all."
    )
    os_major_version_min: Integer | None = Field(
        default=None, description="Lowest OS major version (10 means 10.0 and above)."
    )
    lifecycle: LifecycleRules | None = lifecycle_field()


class AppLovinAsset(Strict):
    """One asset of a creative set: exactly one of `text`, `url` or `file`."""

    text: Annotated[str | None, BeforeValidator(_text)] = Field(
        default=None, description="Text of a TXT_* asset (a rating is a number 0.0–5.0 in steps of 0.5)."
    )
    url: str | None = Field(default=None, description="URL of an image, video or HTML asset.")
    file: str | None = Field(
        default=None,
        description="Local file, relative to this manifest; uploaded as a multipart form and identified by "
        "its content (an unchanged file is never uploaded again).",
    )


class AppLovinAd(Strict):
    """An ad the platform made from the creative set's assets, matched by size and template."""

    key: Key
    size: AdSize = Field(description="Ad size: BANNER, INTER, LEADER, MREC, NATIVE or WIDGET.")
    template: str = Field(min_length=1, description="Template name from the guide's templates table.")
    name: NotNull[str] = Field(default=None, description="Ad name (the guide gives it no length).")
    status: NotNull[bool] = Field(default=None, description="Whether the ad is active.")
    lifecycle: LifecycleRules | None = lifecycle_field()


class AppLovinCreativeSet(Strict):
    """A creative set: address `applovin.creative_set.<campaign-key>/<key>`."""

    key: Key
    name: str = Field(min_length=1, description="Creative set name.")
    countries: ValueSet[Annotated[Code, BeforeValidator(_text)]] | None = Field(
        default=None, description="Countries the set is restricted to; [] means the campaign's countries."
    )
    languages: ValueSet[str] | None = Field(default=None, description="Language codes of the assets.")
    product_page: Annotated[str | None, BeforeValidator(_blank_is_none)] = Field(
        default=None, description="iOS Custom Product Page or Android Store Listing (empty or null: none)."
    )
    sizes: NotNull[dict[str, bool]] = Field(
        default=None, description="Size (BANNER, CTV, INTER, PRELOAD) → whether its ads are enabled."
    )
    assets: dict[str, AppLovinAsset] = Field(default_factory=dict, description="Asset type → asset.")
    ads: list[AppLovinAd] = Field(
        default_factory=list, description="Names and statuses of the generated ads."
    )
    lifecycle: LifecycleRules | None = lifecycle_field()


class AppLovinSourceBid(Strict):
    """A bid override for one source app in one country."""

    app_id: IdStr = Field(description="The source app (external_placement_id / {PLACEMENT_ID}).")
    country: Annotated[Code, BeforeValidator(_text)] = Field(description="Two-letter country code.")
    bid_value: BidNumber | None = Field(default=None, description="The overridden bid value.")
    bid_override_percentage: BidNumber | None = Field(
        default=None, description="Percent over (or under) the bid; 100 means twice the bid."
    )


class AppLovinCampaign(Strict):
    """An AppLovin campaign: address `applovin.campaign.<key>`. Only `name` is required on creation (the
    guide's campaign fields table: "Required on Creation" is TRUE for name alone among writable fields)."""

    key: Key
    name: str = Field(min_length=1, description="Campaign name.")
    platform: NotNull[AppPlatform] = Field(
        default=None, description="Platform of the promoted app (immutable; not required on creation)."
    )
    bundle_id: str | None = Field(default=None, description="Bundle ID of the promoted app (iOS, immutable).")
    package_name: Annotated[str | None, BeforeValidator(_text)] = Field(
        default=None, description="Package name; on iOS the numeric iTunes id (immutable)."
    )
    bid_type: NotNull[BidType] = Field(
        default=None, description="Bid type (immutable; not required on creation)."
    )
    goal_period: Integer | None = Field(
        default=None, description="Days after install for the goal (immutable)."
    )
    tracking_method: NotNull[TrackingMethod] = Field(
        default=None, description="Tracking method (table of tracking methods; not required on creation)."
    )
    category: str | None = Field(default=None, description="Category of the campaign.")
    status: NotNull[bool] = Field(default=None, description="Whether the campaign is active.")
    targets: AppLovinTargets | None = Field(default=None, description="Countries, bids, budgets, devices.")
    creative_sets: list[AppLovinCreativeSet] = Field(default_factory=list, description="Creative sets.")
    source_bids: list[AppLovinSourceBid] | None = Field(
        default=None, description="Bid overrides per source app and country; the campaign's whole set."
    )
    sources: dict[Annotated[str, BeforeValidator(_text)], bool] | None = Field(
        default=None, description="Source app id → enabled (true) or disabled (false)."
    )
    lifecycle: LifecycleRules | None = lifecycle_field()


class AppLovinManifest(ManifestFile):
    """An AppLovin manifest file: campaigns with their targets, creative sets and source bids."""

    platform: Literal["applovin"] = Field(description="The platform of this file.")
    campaigns: list[AppLovinCampaign] = Field(description="AppLovin campaigns.")


# ---- resources ---------------------------------------------------------------------------------


def country_code(code: str) -> str:
    """`DEFAULT` in capitals, country codes in lower case (as the guide writes them)."""
    text = code.strip()
    return DEFAULT_COUNTRY if text.upper() == DEFAULT_COUNTRY else text.lower()


def override_key(app_id: str, country: str) -> str:
    return f"{app_id}:{country.strip().lower()}"


def _at(loaded: LoadedYaml, file: str, path: PathKey) -> SourceLocation:
    at = loaded.position(path, prefer_key=True)
    return SourceLocation(file, at.line, at.column)


def _targets(
    targets: AppLovinTargets, address: Address, parent: Address, loaded: LoadedYaml, file: str, path: PathKey
) -> Resource:
    attributes = targets.model_dump(exclude_unset=True, exclude={"countries"})
    found = dict(locations(loaded, file, path, attributes))
    found["countries"] = _at(loaded, file, (*path, "countries"))
    rows: list[dict[str, Any]] = []
    for code, values in targets.countries.items():
        country = country_code(code)
        row: dict[str, Any] = {"country": country, "bid": None, "budget": None}
        row.update({"click_url": None, "impression_url": None})
        if values is not None:
            row.update(values.model_dump())
        rows.append(row)
        found[f"countries.{country}"] = _at(loaded, file, (*path, "countries", code))
        for name in AppLovinCountryValues.model_fields:
            if values is not None and name in values.model_fields_set:
                found[f"countries.{country}.{name}"] = _at(loaded, file, (*path, "countries", code, name))
    attributes["countries"] = sorted(rows, key=lambda r: str(r["country"]))
    return Resource(address, attributes, parent=parent, locations=found)


def _asset_content(asset: AppLovinAsset) -> str:
    given = [
        (k, v) for k, v in (("text", asset.text), ("url", asset.url), ("file", asset.file)) if v is not None
    ]
    if len(given) != 1:
        return "invalid:" + ",".join(k for k, _ in given)
    kind, value = given[0]
    return f"{kind}:{value}"


def build(manifest: AppLovinManifest, loaded: LoadedYaml, file: str) -> Built:
    """Canonical resources of a validated AppLovin manifest (see docs/applovin-resources.md)."""
    built = Built()
    here = posixpath.dirname(file)

    def add(resource: Resource) -> None:
        built.resources.append(resource)
        built.claims.append(Claim(resource.address, resource.locations[""]))

    for i, campaign in enumerate(manifest.campaigns):
        path: PathKey = ("campaigns", i)
        ckey = campaign.key
        address = Address(PLATFORM, "campaign", (ckey,))
        attributes = campaign.model_dump(
            exclude_unset=True, exclude={"key", "targets", "creative_sets", "source_bids", "sources"}
        )
        add(Resource(address, attributes, locations=locations(loaded, file, path, attributes)))
        if campaign.targets is not None:
            targets_address = Address(PLATFORM, "targets", (ckey,))
            add(_targets(campaign.targets, targets_address, address, loaded, file, (*path, "targets")))
        for j, creative_set in enumerate(campaign.creative_sets):
            set_path: PathKey = (*path, "creative_sets", j)
            set_address = Address(PLATFORM, "creative_set", (ckey, creative_set.key))
            attributes = creative_set.model_dump(exclude_unset=True, exclude={"key", "assets", "ads"})
            for name in ("countries", "languages"):  # `countries: ~` is no country: the platform reads []
                if name in attributes:
                    attributes[name] = sorted(attributes[name] or [])
            if "countries" in attributes:
                attributes["countries"] = [c.lower() for c in attributes["countries"]]
            add(
                Resource(
                    set_address,
                    attributes,
                    parent=address,
                    locations=locations(loaded, file, set_path, attributes),
                )
            )
            for asset_type, asset in creative_set.assets.items():
                asset_path: PathKey = (*set_path, "assets", asset_type)
                scope = {"type": asset_type}
                if asset.file is not None:
                    scope["file"] = posixpath.normpath(posixpath.join(here, asset.file))
                found = {"": _at(loaded, file, asset_path)}
                for name in asset.model_fields_set:
                    found["content"] = _at(loaded, file, (*asset_path, name))
                add(
                    Resource(
                        Address(PLATFORM, "asset", (ckey, creative_set.key, asset_type)),
                        {"content": _asset_content(asset)},
                        parent=set_address,
                        scope=scope,
                        locations=found,
                    )
                )
            for k, ad in enumerate(creative_set.ads):
                ad_path: PathKey = (*set_path, "ads", k)
                attributes = ad.model_dump(exclude_unset=True, exclude={"key"})
                add(
                    Resource(
                        Address(PLATFORM, "ad", (ckey, creative_set.key, ad.key)),
                        attributes,
                        parent=set_address,
                        locations=locations(loaded, file, ad_path, attributes),
                    )
                )
        if campaign.source_bids is not None:
            bids_path: PathKey = (*path, "source_bids")
            overrides: dict[str, dict[str, Any]] = {}
            duplicates: list[str] = []
            found = {"": locate(loaded, file, bids_path)}
            for k, bid in enumerate(campaign.source_bids):
                key = override_key(bid.app_id, bid.country)
                values = {
                    name: value
                    for name, value in (
                        ("bid_value", bid.bid_value),
                        ("bid_override_percentage", bid.bid_override_percentage),
                    )
                    if value is not None and value != "default"
                }
                if key in overrides:
                    duplicates.append(key)
                overrides[key] = values
                found[f"overrides.{key}"] = locate(loaded, file, (*bids_path, k))
            # Both values "default" clears the override (the guide): such an entry asks for no override.
            cleared = sorted(key for key, values in overrides.items() if not values)
            overrides = {key: values for key, values in overrides.items() if values}
            scope = {"duplicates": ",".join(duplicates), "cleared": ",".join(cleared)}
            add(
                Resource(
                    Address(PLATFORM, "source_bids", (ckey,)),
                    {"overrides": overrides, "keys": sorted(overrides)},
                    parent=address,
                    scope={name: value for name, value in scope.items() if value},
                    locations=found,
                )
            )
        if campaign.sources is not None:
            sources_path: PathKey = (*path, "sources")
            apps = {str(app): status for app, status in campaign.sources.items()}
            add(
                Resource(
                    Address(PLATFORM, "sources", (ckey,)),
                    {"apps": apps},
                    parent=address,
                    locations={
                        "": locate(loaded, file, sources_path),
                        **{f"apps.{a}": _at(loaded, file, (*sources_path, a)) for a in apps},
                    },
                )
            )
    return built


MANIFEST = PlatformManifest(
    platform=PLATFORM,
    model=AppLovinManifest,
    build=build,
    kinds={
        "campaign": KindFields(
            AppLovinCampaign, frozenset({"targets", "creative_sets", "source_bids", "sources"})
        ),
        "targets": KindFields(AppLovinTargets),
        "creative_set": KindFields(AppLovinCreativeSet, frozenset({"assets", "ads"})),
        "asset": KindFields(paths=("content",)),
        "ad": KindFields(AppLovinAd),
        "source_bids": KindFields(
            paths=("overrides.*", "overrides.*.bid_value", "overrides.*.bid_override_percentage")
        ),
        "sources": KindFields(paths=("apps.*",)),
    },
)
