"""Amazon DSP creative associations: `POST|PATCH /dsp/v1/adCreatives/associations/adGroups`,
`.../adGroups/delete` (20 a request, 207 with `{"index", "code", "description", "adCreativeId",
"adGroupId"}` errors), `.../adGroups/list`, `.../eligibleCreatives/list` and `.../moderations/list`.
The creative association guide's rule tables (weight, state, dates, creative/ad group compatibility, the
Standard Display 2x rule, ≤ 20 items per filter) and the seeded moderation results live here."""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from reconciler.sandbox.amazon_dsp import inputs as read
from reconciler.sandbox.amazon_dsp import objects
from reconciler.sandbox.amazon_dsp.calls import (
    Call,
    Handler,
    batch_items,
    grouped_page,
    id_filter,
    multi_status,
    page,
)
from reconciler.sandbox.amazon_dsp.errors import ApiError, ItemError, bad_request
from reconciler.sandbox.amazon_dsp.seed import PLATFORM
from reconciler.sandbox.common.routing import Operations

OPERATIONS: Operations[Handler] = Operations()
ASSOCIATIONS = "/dsp/v1/adCreatives/associations/adGroups"

BATCH_LIMIT = 20
FILTER_LIMIT = 20
STATES = ("ACTIVE", "INACTIVE")
COMPATIBLE = {
    "STANDARD_DISPLAY": ("RESPONSIVE_ECOMMERCE", "IMAGE", "THIRD_PARTY", "STANDARD_DISPLAY"),
    "AMAZON_MOBILE_DISPLAY": ("RESPONSIVE_ECOMMERCE", "IMAGE_MOBILE_OO", "STANDARD_DISPLAY"),
    "AAP_MOBILE_APP": (
        "RESPONSIVE_ECOMMERCE",
        "IMAGE_MOBILE_AAP",
        "THIRD_PARTY_MOBILE_AAP",
        "FIRE_TABLET_AMAZON_VIDEO_ADS",
    ),
    "DISPLAY": (
        "RESPONSIVE_ECOMMERCE",
        "IMAGE",
        "IMAGE_MOBILE_AAP",
        "IMAGE_MOBILE_OO",
        "THIRD_PARTY",
        "THIRD_PARTY_MOBILE_AAP",
        "FIRE_TABLET_AMAZON_VIDEO_ADS",
        "IMAGE_FIRE_TABLET",
        "STANDARD_DISPLAY",
    ),
    "VIDEO": ("LEGACY_VIDEO", "STREAMING_TV", "ONLINE_VIDEO", "THIRD_PARTY_VIDEO", "VIDEO_CREATIVE_BUILDER"),
    "STREAMING_TV": ("STREAMING_TV",),
    "ONLINE_VIDEO": ("ONLINE_VIDEO",),
}
"""Ad group inventory type → the creative types it accepts (the creative association guide's table)."""


def compatibility(creative: dict[str, Any], ad_group: dict[str, Any]) -> ItemError | None:
    inventory = ad_group["inventoryType"]
    if creative["creativeType"] not in COMPATIBLE.get(inventory, ()):
        return ItemError(
            "INCOMPATIBLE_CREATIVE_TYPE",
            f"Creative {creative['adCreativeId']} is a {creative['creativeType']} creative, which "
            f"{inventory} ad "
            f"groups do not accept (they take {', '.join(COMPATIBLE.get(inventory, ()))}).",
        )
    if (
        inventory == "AMAZON_MOBILE_DISPLAY"
        and creative["creativeType"] == "STANDARD_DISPLAY"
        and not creative["has2xAsset"]
    ):
        return ItemError(
            "MISSING_2X_ASSET",
            f"Creative {creative['adCreativeId']} is a Standard Display creative without a 2x resolution "
            "asset; "
            "Amazon Mobile Display ad groups need one.",
        )
    return None


def moderation(creative: dict[str, Any]) -> list[dict[str, Any]]:
    """The association's ad experiences with their moderation results (from the creative's)."""
    experience: dict[str, Any] = {
        "adExperience": creative["creativeType"],
        "associationModerationStatus": creative["moderationStatus"],
    }
    if creative["moderationStatus"] == "NOT_APPROVED":
        experience["associationModerationReasons"] = list(creative["moderationReasons"])
    return [experience]


def overall(experiences: Iterable[dict[str, Any]]) -> str:
    statuses = {e["associationModerationStatus"] for e in experiences}
    for status in ("NOT_APPROVED", "IN_PROGRESS"):
        if status in statuses:
            return status
    return "APPROVED"


def _weight(item: dict[str, Any], path: str) -> int | None:
    """The weight (None when absent or 0: no weight, as the campaign guide's example sends it)."""
    raw = item.get("weight")
    if isinstance(raw, str) and raw.strip().lstrip("-").isdigit():
        raw = int(raw)
    if raw is None or raw == 0:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int) or not 1 <= raw <= 999:
        raise ItemError(
            "INVALID_WEIGHT", f"{path}.weight {raw!r} is not valid: accepted values are 1 to 999."
        )
    return raw


def _settle(
    item: dict[str, Any], path: str, ad_group: dict[str, Any], current: dict[str, Any]
) -> dict[str, Any]:
    """Merge the writable fields of `item` into `current` and check the guide's rules."""
    merged = dict(current)
    read.check_keys(item, path, ("adGroupId", "adCreativeId", "weight", "state", "startDate", "endDate"))
    if "weight" in item:
        merged["weight"] = _weight(item, path)
    if merged.get("weight") is not None and ad_group["creativeRotationType"] == "RANDOM":
        raise ItemError(
            "WEIGHT_NOT_ALLOWED",
            f"{path}.weight can't be set: ad group {ad_group['adGroupId']} rotates creatives RANDOM (use "
            "WEIGHTED).",
        )
    if item.get("state") is not None:
        if item["state"] not in STATES:
            raise ItemError(
                "INVALID_STATE", f"{path}.state {item['state']!r} is not valid: use ACTIVE or INACTIVE."
            )
        merged["state"] = item["state"]
    for key in ("startDate", "endDate"):
        if key in item:
            merged[key] = read.date_time(item, key, path)
    start, end = merged.get("startDate"), merged.get("endDate")
    # The guide's rule table: startDate "needs to be later then adGroup's startDate", endDate "needs to be
    # earlier then adGroup's endDate" (strict).
    if start is not None and read.to_time(start) <= read.to_time(ad_group["startDateTime"]):
        raise ItemError(
            "INVALID_START_DATE",
            f"{path}.startDate {start} must be later than the ad group's startDateTime "
            f"{ad_group['startDateTime']}.",
        )
    if end is not None and read.to_time(end) >= read.to_time(ad_group["endDateTime"]):
        raise ItemError(
            "INVALID_END_DATE",
            f"{path}.endDate {end} must be earlier than the ad group's endDateTime "
            f"{ad_group['endDateTime']}.",
        )
    if start is not None and end is not None and read.to_time(start) >= read.to_time(end):
        raise ItemError("INVALID_DATE_RANGE", f"{path}.startDate {start} must be earlier than endDate {end}.")
    return merged


def _ad_group(call: Call, item: dict[str, Any], path: str) -> dict[str, Any]:
    ad_group = objects.require_ad_group(call.tx, call.account_id, item.get("adGroupId"), path)
    campaign = objects.campaign(call.tx, call.account_id, ad_group["campaignId"])
    refusal = objects.deal_refusal(campaign) if campaign is not None else None
    if refusal is not None:
        raise refusal
    return ad_group


def _creative(call: Call, creative_id: Any, path: str) -> dict[str, Any]:
    if creative_id is None:
        raise ItemError("MISSING_REQUIRED_FIELD", f"{path}.adCreativeId is required.")
    creative = call.tx.get(PLATFORM, "creative", str(creative_id))
    if creative is None or creative["advertiserId"] != call.account_id:
        raise ItemError("AD_CREATIVE_NOT_FOUND", objects.absent("Ad creative", creative_id, call.account_id))
    return creative


Apply = Callable[[Call, dict[str, Any], str], None]


def _batch(call: Call, apply_one: Apply) -> tuple[int, dict[str, Any]]:
    items = batch_items(call.body(), "associations", BATCH_LIMIT)
    success: list[dict[str, Any]] = []
    error: list[dict[str, Any]] = []
    for index, raw in enumerate(items):
        path = f"associations[{index}]"
        ids = {
            "adCreativeId": str(raw.get("adCreativeId")) if isinstance(raw, dict) else None,
            "adGroupId": str(raw.get("adGroupId")) if isinstance(raw, dict) else None,
        }
        try:
            with call.tx.savepoint():
                apply_one(call, read.obj(raw, path), path)
        except ItemError as failure:
            error.append({"index": index, "code": failure.code, "description": failure.message, **ids})
        else:
            success.append({"index": index, **ids})
    return 207, multi_status(call, success, error)


def _save(call: Call, doc: dict[str, Any]) -> None:
    call.tx.put(PLATFORM, "associations", doc["adGroupId"], doc)


def _create_one(call: Call, item: dict[str, Any], path: str) -> None:
    ad_group = _ad_group(call, item, path)
    creative = _creative(call, item.get("adCreativeId"), path)
    doc = objects.associations_doc(call.tx, ad_group["adGroupId"])
    if creative["adCreativeId"] in doc["items"]:
        raise ItemError(
            "ASSOCIATION_ALREADY_EXISTS",
            f"Creative {creative['adCreativeId']} is already associated with ad group "
            f"{ad_group['adGroupId']}; "
            "update it with PATCH.",
        )
    refusal = compatibility(creative, ad_group)
    if refusal is not None:
        raise refusal
    blank = {"weight": None, "state": "ACTIVE", "startDate": None, "endDate": None}
    association = _settle(item, path, ad_group, blank)
    doc["items"][creative["adCreativeId"]] = {
        "adCreativeId": creative["adCreativeId"],
        "adGroupId": ad_group["adGroupId"],
        **association,
    }
    _save(call, doc)


def _existing(call: Call, item: dict[str, Any], path: str) -> tuple[dict[str, Any], dict[str, Any], str]:
    ad_group = _ad_group(call, item, path)
    creative_id = str(item.get("adCreativeId"))
    doc = objects.associations_doc(call.tx, ad_group["adGroupId"])
    if creative_id not in doc["items"]:
        raise ItemError(
            "ASSOCIATION_NOT_FOUND",
            f"There is no association between ad group {ad_group['adGroupId']} and creative {creative_id}.",
        )
    return ad_group, doc, creative_id


def _patch_one(call: Call, item: dict[str, Any], path: str) -> None:
    ad_group, doc, creative_id = _existing(call, item, path)
    doc["items"][creative_id] = _settle(item, path, ad_group, doc["items"][creative_id])
    _save(call, doc)


def _delete_one(call: Call, item: dict[str, Any], path: str) -> None:
    read.check_keys(item, path, ("adGroupId", "adCreativeId"))
    _, doc, creative_id = _existing(call, item, path)
    del doc["items"][creative_id]
    _save(call, doc)


@OPERATIONS.serves("POST", ASSOCIATIONS)
def create(call: Call) -> tuple[int, dict[str, Any]]:
    """`POST /dsp/v1/adCreatives/associations/adGroups` (state defaults to ACTIVE)."""
    return _batch(call, _create_one)


@OPERATIONS.serves("PATCH", ASSOCIATIONS)
def patch(call: Call) -> tuple[int, dict[str, Any]]:
    """`PATCH /dsp/v1/adCreatives/associations/adGroups`."""
    return _batch(call, _patch_one)


@OPERATIONS.serves("POST", ASSOCIATIONS + "/delete")
def delete(call: Call) -> tuple[int, dict[str, Any]]:
    """`POST /dsp/v1/adCreatives/associations/adGroups/delete`."""
    return _batch(call, _delete_one)


# -- reads -----------------------------------------------------------------------------------------


def _extended(creative: dict[str, Any]) -> dict[str, Any]:
    return {
        "createdDate": creative["createdDate"],
        "lastUpdatedDate": creative["lastUpdatedDate"],
        "language": creative["language"],
        "country": creative["country"],
        "adCreativeModerationStatus": creative["moderationStatus"],
        "adCreativeFormatProperties": {
            "adCreativeFormatType": creative["adCreativeFormatType"],
            "creativeSizes": [dict(size) for size in creative["creativeSizes"]],
        },
    }


def _of_ad_group(
    call: Call, ad_group_id: str, creatives: set[str] | None, known: dict[str, dict[str, Any] | None]
) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(association, creative) pairs of one ad group of the account, filtered; `known` keeps the
    creatives read so far in this call."""
    doc = call.tx.get(PLATFORM, "associations", ad_group_id)
    if doc is None or objects.ad_group(call.tx, call.account_id, ad_group_id) is None:
        return []
    found = []
    for creative_id in sorted(doc["items"], key=lambda c: (len(c), c)):
        if creatives is None or creative_id in creatives:
            if creative_id not in known:
                known[creative_id] = call.tx.get(PLATFORM, "creative", creative_id)
            creative = known[creative_id]
            if creative is not None:
                found.append((doc["items"][creative_id], creative))
    return found


def _ad_groups(call: Call, ad_groups: set[str] | None) -> Sequence[str]:
    """The ad groups with associations, filtered, in id order."""
    return call.tx.ids(PLATFORM, "associations", ad_groups)


def _entry(association: dict[str, Any], creative: dict[str, Any], extended: bool) -> dict[str, Any]:
    experiences = moderation(creative)
    entry = {
        **association,
        "creativeAssociationStatus": overall(experiences),
        "adExperiences": [
            {k: v for k, v in e.items() if k != "associationModerationReasons"} for e in experiences
        ],
    }
    if extended:
        entry["extendedData"] = {"adCreative": _extended(creative)}
    return entry


@OPERATIONS.serves("POST", ASSOCIATIONS + "/list")
def listing(call: Call) -> tuple[int, dict[str, Any]]:
    """`POST /dsp/v1/adCreatives/associations/adGroups/list`: pages that load only the ad groups they
    reach (and every one for the first page's `totalResults`)."""
    body = call.body()
    ad_groups = id_filter(body, "adGroupIdFilter", FILTER_LIMIT)
    creatives = id_filter(body, "adCreativeIdFilter", FILTER_LIMIT)
    extended = body.get("includeExtendedDataFields") is True
    known: dict[str, dict[str, Any] | None] = {}

    def items_of(ad_group_id: str) -> list[dict[str, Any]]:
        pairs = _of_ad_group(call, ad_group_id, creatives, known)
        return [_entry(association, creative, extended) for association, creative in pairs]

    return 200, grouped_page(body, "associations", _ad_groups(call, ad_groups), items_of, total=True)


@OPERATIONS.serves("POST", ASSOCIATIONS + "/moderations/list")
def moderations(call: Call) -> tuple[int, dict[str, Any]]:
    """`POST /dsp/v1/adCreatives/associations/adGroups/moderations/list`."""
    body = call.body()
    ad_groups = id_filter(body, "adGroupIdFilter", FILTER_LIMIT)
    creatives = id_filter(body, "adCreativeIdFilter", FILTER_LIMIT)
    if ad_groups is None and creatives is None:
        raise bad_request("MISSING_REQUIRED_FIELD", "Give adGroupIdFilter, adCreativeIdFilter or both.")
    known: dict[str, dict[str, Any] | None] = {}
    shown = [
        {
            "adCreativeId": association["adCreativeId"],
            "adGroupId": association["adGroupId"],
            "adExperiences": moderation(creative),
        }
        for ad_group_id in _ad_groups(call, ad_groups)
        for association, creative in _of_ad_group(call, ad_group_id, creatives, known)
    ]
    return 200, page(body, shown, "associationStatuses", total=True)


def matches(patterns: set[str] | None, *values: str) -> bool:
    """A name filter: `*` matches anything (fuzzy search); otherwise equal, ignoring case."""
    if patterns is None:
        return True
    return any(fnmatch.fnmatchcase(v.lower(), p.lower()) for p in patterns for v in values)


@OPERATIONS.serves("POST", ASSOCIATIONS + "/eligibleCreatives/list")
def eligible(call: Call) -> tuple[int, dict[str, Any]]:
    """`POST /dsp/v1/adCreatives/associations/adGroups/eligibleCreatives/list`."""
    body = call.body()
    ad_group_ids = id_filter(body, "adGroupIdFilter", FILTER_LIMIT)
    if not ad_group_ids:
        raise bad_request(
            "MISSING_REQUIRED_FIELD", "adGroupIdFilter with at least one ad group id is required."
        )
    ad_groups = []
    for ad_group_id in sorted(ad_group_ids, key=lambda g: (len(g), g)):
        found = objects.ad_group(call.tx, call.account_id, ad_group_id)
        if found is None:
            raise ApiError(
                400, "AD_GROUP_NOT_FOUND", objects.absent("Ad group", ad_group_id, call.account_id)
            )
        ad_groups.append(found)
    creative_ids = id_filter(body, "adCreativeIdFilter", FILTER_LIMIT)
    names = id_filter(body, "adCreativeNameFilter", FILTER_LIMIT)
    formats = id_filter(body, "adCreativeFormatTypeFilter", FILTER_LIMIT)
    statuses = id_filter(body, "adCreativeModerationStatusFilter")
    extended = body.get("includeExtendedDataFields") is True
    shown = []
    for creative in call.tx.all(PLATFORM, "creative"):
        if creative["advertiserId"] != call.account_id:
            continue
        if creative_ids is not None and creative["adCreativeId"] not in creative_ids:
            continue
        if not matches(names, creative["name"]) or not matches(
            formats, creative["adCreativeFormatType"], creative["creativeType"]
        ):
            continue
        if statuses is not None and creative["moderationStatus"] not in statuses:
            continue
        fits = [g["adGroupId"] for g in ad_groups if compatibility(creative, g) is None]
        if not fits:
            continue
        entry: dict[str, Any] = {
            "adCreativeName": creative["name"],
            "adCreativeId": creative["adCreativeId"],
            "eligibleAdGroupIds": fits,
        }
        if extended:
            entry["extendedData"] = _extended(creative)
        shown.append(entry)
    return 200, page(body, shown, "adCreatives", total=True)
