"""Amazon DSP targets in a manifest: one pydantic model per target type, keyed as in
docs/amazon-dsp-resources.md (`domain`, `location`, `audience`, ...).

Every target may write `negative`; which types allow `negative: true`, the audience group limits and the
other semantic rules live in the provider's rules module, so they are reported located and together.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

from reconciler.manifest.types import CaseInsensitive, Code, IdStr, Integer, Strict, describe

DeviceType = Annotated[Literal["DESKTOP", "PHONE", "TABLET", "CONNECTED_TV"], CaseInsensitive()]
DayOfWeek = Annotated[
    Literal["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"], CaseInsensitive()
]
InventorySourceType = Annotated[Literal["EXCHANGE", "DEAL"], CaseInsensitive()]
VideoAdFormat = Annotated[Literal["IN_STREAM", "OUT_STREAM", "INTERACTIVE"], CaseInsensitive()]
ThirdPartyVendor = Annotated[Literal["DOUBLE_VERIFY", "ORACLE_DATA_CLOUD"], CaseInsensitive()]


def _id_or_name(value: Any) -> Any:
    """An id (text or number, kept as written) or `{name: "..."}`, resolved to an id at plan time."""
    if isinstance(value, bool) or value is None:
        raise PydanticCustomError(
            "id_or_name", "expected an id or {{name: ...}}, got {value}", {"value": describe(value)}
        )
    if isinstance(value, int):
        return getattr(value, "source", str(value))
    if isinstance(value, str):
        if not value.strip():
            raise PydanticCustomError("empty_id", "an id cannot be empty")
        return value.strip()
    if isinstance(value, dict):
        name = value.get("name")
        if set(value) != {"name"} or not isinstance(name, str) or not name.strip():
            raise PydanticCustomError(
                "id_or_name",
                'expected an id or exactly {{name: "..."}} with a non-empty name, got a mapping with {keys}',
                {"keys": ", ".join(f"`{k}`" for k in value) or "no fields"},
            )
        return {"name": name.strip()}
    raise PydanticCustomError(
        "id_or_name", "expected an id or {{name: ...}}, got {value}", {"value": describe(value)}
    )


IdOrName = Annotated[
    Any,
    BeforeValidator(_id_or_name),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": ["string", "integer"], "minLength": 1},
                {
                    "type": "object",
                    "properties": {"name": {"type": "string", "minLength": 1}},
                    "required": ["name"],
                    "additionalProperties": False,
                },
            ],
            "description": 'An id, or `{name: "..."}`: the name is resolved to its id when planning '
            "(an error lists the candidates when it matches none or several).",
        }
    ),
]

_NEGATIVE = "true to exclude what this target matches instead of including it (default false)."
_NEGATIVE_NOT = "Must stay false: this target type cannot be negative."


class DomainName(Strict):
    """One site domain."""

    domainName: str = Field(min_length=1, description="The domain, e.g. www.example.com.")
    domainTargetType: Literal["DOMAIN_NAME"] = Field(default="DOMAIN_NAME", description="Always DOMAIN_NAME.")


class DomainList(Strict):
    """A domain list made in the DSP UI."""

    domainListId: IdStr = Field(description="Id of the domain list (from the domain lists discovery API).")
    domainTargetType: Literal["DOMAIN_LIST"] = Field(default="DOMAIN_LIST", description="Always DOMAIN_LIST.")


class DomainTargetDetails(Strict):
    """Exactly one of `domainName`, `domainList` or `advertiserDomainList`."""

    domainName: DomainName | None = Field(default=None, description="A single domain.")
    domainList: DomainList | None = Field(default=None, description="A domain list.")
    advertiserDomainList: bool | None = Field(
        default=None, description="true: the advertiser's domain list (the platform's default target)."
    )


class DomainTarget(Strict):
    """A domain target (DOMAIN)."""

    domainTargetDetails: DomainTargetDetails = Field(
        description="The domain, domain list or advertiser list."
    )
    negative: bool = Field(default=False, description=_NEGATIVE)


class LocationTarget(Strict):
    """A location target (LOCATION)."""

    geoLocation: IdOrName = Field(description="Location id (from /dsp/geoLocations) or {name: ...}.")
    negative: bool = Field(default=False, description=_NEGATIVE)


class AudienceTarget(Strict):
    """An audience in one of the ad group's audience groups (AUDIENCE)."""

    audienceId: IdOrName = Field(description="Audience id or {name: ...}.")
    groupId: Code = Field(
        description='Audience group "1" to "11"; a group is all included or all excluded (negative).'
    )
    negative: bool = Field(default=False, description=_NEGATIVE)


class AppTarget(Strict):
    """A mobile app target (APP)."""

    appId: IdStr = Field(description="App id from the Google Play Store or Apple App Store.")
    negative: bool = Field(default=False, description=_NEGATIVE)


class ProductCategoryTarget(Strict):
    """A contextual product category target (PRODUCT_CATEGORY)."""

    productCategoryId: IdStr = Field(description="Product category id (contextual targeting discovery).")
    negative: bool = Field(default=False, description=_NEGATIVE)


class ProductTarget(Strict):
    """A contextual product target (PRODUCT)."""

    asin: IdStr = Field(description="The product's ASIN, e.g. B09D36CVP1.")
    negative: bool = Field(default=False, description=_NEGATIVE)


class DeviceTarget(Strict):
    """A device target (DEVICE)."""

    deviceType: DeviceType = Field(description="DESKTOP, PHONE, TABLET or CONNECTED_TV (video ad groups).")
    negative: bool = Field(default=False, description=_NEGATIVE_NOT)


class DayPartTarget(Strict):
    """An hour of a day of the week (DAY_PART)."""

    dayOfWeek: DayOfWeek = Field(description="MONDAY to SUNDAY.")
    hourOfDay: Integer = Field(description="Hour of the day, 0 to 23.")
    negative: bool = Field(default=False, description=_NEGATIVE_NOT)


class InventorySourceTarget(Strict):
    """An exchange or a deal (INVENTORY_SOURCE)."""

    inventorySourceId: IdStr = Field(description="Exchange or deal id (inventory discovery APIs).")
    inventorySourceType: InventorySourceType = Field(description="EXCHANGE or DEAL.")
    negative: bool = Field(default=False, description=_NEGATIVE_NOT)


class VideoAdFormatTarget(Strict):
    """A video ad format (VIDEO_AD_FORMAT)."""

    videoAdFormat: VideoAdFormat = Field(description="IN_STREAM, OUT_STREAM or INTERACTIVE.")
    negative: bool = Field(default=False, description=_NEGATIVE_NOT)


class ContentCategoryTarget(Strict):
    """An IAB content category (IAB_CONTENT_CATEGORY)."""

    iabContentCategoryId: IdStr = Field(description="IAB content category id (discovery API).")
    negative: bool = Field(default=False, description=_NEGATIVE_NOT)


class StreamingTvAppTarget(Strict):
    """A streaming TV app (STREAMING_TV_APP)."""

    streamingTvAppId: IdStr = Field(description="Streaming TV app id (discovery API).")
    negative: bool = Field(default=False, description=_NEGATIVE_NOT)


class ThirdPartyTarget(Strict):
    """A third-party segment (THIRD_PARTY)."""

    segmentId: IdStr = Field(description="Segment id of the vendor.")
    vendor: ThirdPartyVendor = Field(description="DOUBLE_VERIFY or ORACLE_DATA_CLOUD.")
    negative: bool = Field(default=False, description=_NEGATIVE_NOT)


_OWNS = (
    " Declaring this type makes the manifests own every target of it on the ad group: targets of this "
    "type they do not list (platform defaults included) are deleted; an empty list deletes them all."
)


class AdGroupTargets(Strict):
    """The ad group's targets, by type. A type left out is never touched."""

    domain: list[DomainTarget] | None = Field(default=None, description="Domain targets." + _OWNS)
    location: list[LocationTarget] | None = Field(default=None, description="Location targets." + _OWNS)
    audience: list[AudienceTarget] | None = Field(
        default=None,
        description="Audience targets (at most 500, in at most 10 inclusion groups and 1 exclusion group)."
        + _OWNS,
    )
    app: list[AppTarget] | None = Field(default=None, description="Mobile app targets." + _OWNS)
    productCategory: list[ProductCategoryTarget] | None = Field(
        default=None, description="Contextual product category targets." + _OWNS
    )
    product: list[ProductTarget] | None = Field(
        default=None, description="Contextual product (ASIN) targets." + _OWNS
    )
    device: list[DeviceTarget] | None = Field(default=None, description="Device targets." + _OWNS)
    dayPart: list[DayPartTarget] | None = Field(default=None, description="Day part targets." + _OWNS)
    inventorySource: list[InventorySourceTarget] | None = Field(
        default=None, description="Exchanges and deals (at least one)." + _OWNS
    )
    videoAdFormat: list[VideoAdFormatTarget] | None = Field(
        default=None, description="Video ad formats." + _OWNS
    )
    contentCategory: list[ContentCategoryTarget] | None = Field(
        default=None, description="IAB content categories." + _OWNS
    )
    streamingTvApp: list[StreamingTvAppTarget] | None = Field(
        default=None, description="Streaming TV apps." + _OWNS
    )
    thirdParty: list[ThirdPartyTarget] | None = Field(
        default=None, description="Third-party segments (DoubleVerify, Oracle Data Cloud)." + _OWNS
    )
