"""Amazon DSP universal targets: `POST /dsp/v1/targets`, `POST /dsp/v1/targets/deleteByObject` (1000 a
request) and `POST /dsp/v1/targets/list`. Writes are atomic per (ad group, target type) within a request
and independent across types; the type table of docs/amazon-dsp-resources.md, the negative-targeting
and audience-group rules, and the default targets' delayed visibility live here.

Nothing stricter than the guides: they do not say which devices are eligible for an inventory type, which
hours a day part has, that video ad formats need a video ad group, or what adding a target the ad group
already has does. So a device, an hour or a video ad format is checked for its type and enum only, and
posting a target the ad group has (the same type and details) answers that target's id and changes
nothing."""

from __future__ import annotations

import functools
import itertools
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
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
)
from reconciler.sandbox.amazon_dsp.defaults import DAYS, VIDEO_AD_FORMATS, VIDEO_INVENTORY
from reconciler.sandbox.amazon_dsp.errors import ItemError
from reconciler.sandbox.amazon_dsp.seed import COUNTERS, PLATFORM
from reconciler.sandbox.common.routing import Operations

OPERATIONS: Operations[Handler] = Operations()

BATCH_LIMIT = 1000
MAX_AUDIENCES = 500
MAX_INCLUSION_GROUPS = 10
MAX_EXCLUSION_GROUPS = 1
GROUP_IDS = tuple(str(n) for n in range(1, 12))
OPERATORS = ("intraOperator", "interOperator", "inGroupOperator", "acrossGroupOperator")

DETAILS_KEYS = {
    "DOMAIN": "domainTarget",
    "LOCATION": "locationTarget",
    "AUDIENCE": "audienceTarget",
    "APP": "appTarget",
    "PRODUCT_CATEGORY": "productCategoryTarget",
    "PRODUCT": "productTarget",
    "DEVICE": "deviceTarget",
    "DAY_PART": "dayPartTarget",
    "INVENTORY_SOURCE": "inventorySourceTarget",
    "VIDEO_AD_FORMAT": "videoAdFormatTarget",
    "IAB_CONTENT_CATEGORY": "contentCategoryTarget",
    "STREAMING_TV_APP": "streamingTvAppTarget",
    "THIRD_PARTY": "thirdPartyTarget",
}
TYPES_BY_KEY = {key: kind for kind, key in DETAILS_KEYS.items()}
NEGATIVE_ALLOWED = frozenset({"AUDIENCE", "LOCATION", "DOMAIN", "APP", "PRODUCT_CATEGORY", "PRODUCT"})
SIMPLE_FIELDS = {
    "APP": ("appId",),
    "PRODUCT_CATEGORY": ("productCategoryId",),
    "PRODUCT": ("asin",),
    "IAB_CONTENT_CATEGORY": ("iabContentCategoryId",),
    "STREAMING_TV_APP": ("streamingTvAppId",),
}
VENDORS = ("DOUBLE_VERIFY", "ORACLE_DATA_CLOUD")


def _details_error(path: str, why: str) -> ItemError:
    return ItemError("INVALID_TARGET_DETAILS", f"{path}: {why}")


def _domain(inner: dict[str, Any], path: str) -> None:
    """`domainTargetDetails` names what is targeted (the guide's example: a `domainName`): at least one of
    domainName, domainList, advertiserDomainList, each of its shape. No sentence limits it to one, or
    advertiserDomainList to true (the default table shows `boolean: true`)."""
    read.check_keys(inner, path, ("domainTargetDetails", "targetType"))
    details = inner.get("domainTargetDetails")
    if not isinstance(details, dict) or not details:
        raise _details_error(
            f"{path}.domainTargetDetails", "needs one of domainName, domainList, advertiserDomainList."
        )
    for kind, value in details.items():
        where = f"{path}.domainTargetDetails.{kind}"
        if kind == "advertiserDomainList":
            if read.boolean(details, kind, f"{path}.domainTargetDetails") is None:
                raise _details_error(where, "must be true or false.")
        elif kind in ("domainName", "domainList"):
            id_key, type_value = (
                ("domainName", "DOMAIN_NAME") if kind == "domainName" else ("domainListId", "DOMAIN_LIST")
            )
            entry = read.obj(value, where)
            read.check_keys(entry, where, (id_key, "domainTargetType"))
            read.string(entry, id_key, where, required=True)
            if entry.get("domainTargetType") != type_value:
                raise _details_error(where, f"domainTargetType must be {type_value}.")
        else:
            raise _details_error(where, "is not one of domainName, domainList, advertiserDomainList.")


def _check_inner(
    call: Call, kind: str, inner: dict[str, Any], path: str, ad_group: dict[str, Any], strict: bool
) -> None:
    """The fields of one target's details; `strict` also checks ids and eligibility (not for deletes)."""
    inventory = ad_group["inventoryType"]
    if kind == "DOMAIN":
        _domain(inner, path)
        if strict and inventory == "AAP_MOBILE_APP":
            raise ItemError(
                "TARGET_TYPE_NOT_SUPPORTED",
                f"{path}: AAP_MOBILE_APP ad groups do not support domain targeting.",
            )
    elif kind == "LOCATION":
        read.check_keys(inner, path, ("geoLocation", "targetType"))
        location = read.string(inner, "geoLocation", path, required=True)
        if strict and call.tx.get(PLATFORM, "geo_location", str(location)) is None:
            raise ItemError(
                "GEO_LOCATION_NOT_FOUND",
                f"{path}.geoLocation {location!r} is not a location; find ids with POST "
                "/dsp/v1/geoLocations/list.",
            )
    elif kind == "AUDIENCE":
        read.check_keys(inner, path, ("audienceId", "groupId", "targetType"), OPERATORS)
        audience = read.string(inner, "audienceId", path, required=True)
        if inner.get("groupId") not in GROUP_IDS:
            raise ItemError(
                "INVALID_GROUP_ID",
                f'{path}.groupId {inner.get("groupId")!r} is not valid: use a string from "1" to "11".',
            )
        if strict and call.tx.get(PLATFORM, "audience", str(audience)) is None:
            raise ItemError(
                "AUDIENCE_NOT_FOUND",
                f"{path}.audienceId {audience} is not an audience; find ids with POST "
                "/dsp/v1/audiences/list.",
            )
    elif kind in SIMPLE_FIELDS:
        read.check_keys(inner, path, (*SIMPLE_FIELDS[kind], "targetType"))
        for key in SIMPLE_FIELDS[kind]:
            read.string(inner, key, path, required=True)
        if strict and kind == "STREAMING_TV_APP" and inventory not in VIDEO_INVENTORY:
            raise ItemError(
                "TARGET_TYPE_NOT_SUPPORTED",
                f"{path}: streaming TV app targets need a video ad group, not {inventory}.",
            )
    elif kind == "DEVICE":
        read.check_keys(inner, path, ("deviceType", "targetType"))
        read.enum(inner, "deviceType", path, ("DESKTOP", "PHONE", "TABLET", "CONNECTED_TV"), required=True)
    elif kind == "DAY_PART":
        read.check_keys(inner, path, ("dayOfWeek", "hourOfDay", "targetType"))
        read.enum(inner, "dayOfWeek", path, DAYS, required=True)
        read.integer(inner, "hourOfDay", path, required=True)
    elif kind == "INVENTORY_SOURCE":
        read.check_keys(inner, path, ("inventorySourceId", "inventorySourceType", "targetType"))
        source = read.string(inner, "inventorySourceId", path, required=True)
        source_type = read.enum(inner, "inventorySourceType", path, ("EXCHANGE", "DEAL"), required=True)
        if strict and source_type == "EXCHANGE":
            exchange = call.tx.get(PLATFORM, "exchange", str(source))
            if exchange is None or inventory not in exchange["inventoryTypes"]:
                raise ItemError(
                    "INVENTORY_SOURCE_NOT_ELIGIBLE",
                    f"{path}.inventorySourceId {source} is not an exchange eligible for {inventory} ad "
                    "groups; "
                    "list them with POST /dsp/v1/inventorySourceExchanges/list.",
                )
    elif kind == "VIDEO_AD_FORMAT":
        read.check_keys(inner, path, ("videoAdFormat", "targetType"))
        read.enum(inner, "videoAdFormat", path, VIDEO_AD_FORMATS, required=True)
    elif kind == "THIRD_PARTY":
        read.check_keys(inner, path, ("segmentId", "vendor", "targetType"))
        read.string(inner, "segmentId", path, required=True)
        read.enum(inner, "vendor", path, VENDORS, required=True)


def identity(kind: str, inner: dict[str, Any]) -> str:
    """What makes two targets of one ad group the same (not `negative`, `groupId` or the operators)."""
    kept = {k: v for k, v in inner.items() if k not in ("targetType", "groupId", *OPERATORS)}
    return kind + json.dumps(kept, sort_keys=True)


@dataclass
class Parsed:
    index: int
    ad_group: dict[str, Any]
    kind: str
    negative: bool
    inner: dict[str, Any]
    error: ItemError | None = None

    @functools.cached_property
    def key(self) -> str:
        return identity(self.kind, self.inner)


def _locate(call: Call, raw: Any, path: str) -> tuple[dict[str, Any], str, dict[str, Any]]:
    """The ad group, target type and details of a raw target (the group it belongs to)."""
    item = read.obj(raw, path)
    ad_group = objects.require_ad_group(call.tx, call.account_id, item.get("adGroupId"), path)
    details = item.get("targetDetails")
    if not isinstance(details, dict) or len(details) != 1:
        raise _details_error(
            f"{path}.targetDetails", "needs exactly one details object, such as domainTarget."
        )
    ((key, inner),) = details.items()
    if key not in TYPES_BY_KEY:
        raise _details_error(
            f"{path}.targetDetails.{key}",
            f"is not a target type; use one of {', '.join(sorted(TYPES_BY_KEY))}.",
        )
    kind = TYPES_BY_KEY[key]
    inner = read.obj(inner, f"{path}.targetDetails.{key}")
    if inner.get("targetType") != kind:
        raise _details_error(
            f"{path}.targetDetails.{key}.targetType", f"must be {kind} (got {inner.get('targetType')!r})."
        )
    return ad_group, kind, inner


def _parse(call: Call, raw: Any, index: int, strict: bool) -> Parsed:
    path = f"targets[{index}]"
    ad_group, kind, inner = _locate(call, raw, path)
    parsed = Parsed(index, ad_group, kind, False, inner)
    try:
        item = raw
        read.check_keys(
            item, path, ("adGroupId", "adProduct", "state", "negative", "targetDetails", "targetId")
        )
        if strict and "targetId" in item:
            raise ItemError("READ_ONLY_FIELD", f"{path}.targetId is read-only and cannot be written.")
        read.enum(item, "adProduct", path, ("AMAZON_DSP",))
        if item.get("state", "ENABLED") != "ENABLED":
            raise ItemError(
                "INVALID_TARGET_STATE",
                f"{path}.state {item.get('state')!r}: a target's state can only be ENABLED.",
            )
        negative = read.boolean(item, "negative", path) or False
        if negative and kind not in NEGATIVE_ALLOWED:
            raise ItemError(
                "NEGATIVE_TARGETING_NOT_SUPPORTED",
                f"{path}.negative: {kind} targets cannot be negative (only audience, location, domain, app, "
                "product category and product targets can).",
            )
        parsed.negative = negative
        campaign = objects.campaign(call.tx, call.account_id, ad_group["campaignId"])
        refusal = objects.deal_refusal(campaign) if campaign is not None else None
        if refusal is not None:
            raise refusal
        _check_inner(call, kind, inner, f"{path}.targetDetails.{DETAILS_KEYS[kind]}", ad_group, strict)
    except ItemError as error:
        parsed.error = error
    return parsed


@dataclass
class Group:
    """The items of one request on one (ad group, target type)."""

    ad_group_id: str
    kind: str
    items: list[Parsed] = field(default_factory=list)
    error: ItemError | None = None

    def fail(self, error: ItemError) -> None:
        self.error = self.error or error


def _group(call: Call, body: dict[str, Any], strict: bool) -> tuple[list[Group], list[dict[str, Any]]]:
    groups: dict[tuple[str, str], Group] = {}
    errors: list[dict[str, Any]] = []
    for index, raw in enumerate(batch_items(body, "targets", BATCH_LIMIT)):
        try:
            parsed = _parse(call, raw, index, strict)
        except ItemError as error:
            errors.append({"index": index, "errorCode": error.code, "errorMessage": error.message})
            continue
        group = groups.setdefault(
            (parsed.ad_group["adGroupId"], parsed.kind), Group(parsed.ad_group["adGroupId"], parsed.kind)
        )
        group.items.append(parsed)
        if parsed.error is not None:
            group.fail(parsed.error)
    return list(groups.values()), errors


Change = Callable[[Call, Group, dict[str, Any], dict[int, str]], None]
"""Carries out one group on its ad group's targets document, recording each done item's target id (or
fails the group)."""


def _outcome(
    call: Call, groups: list[Group], errors: list[dict[str, Any]], done: dict[int, str]
) -> dict[str, Any]:
    """Every item of a failed group fails: its own error, or TARGET_TYPE_BATCH_FAILED for the others."""
    for group in groups:
        if group.error is None:
            continue
        item_failed = any(p.error is not None for p in group.items)
        for parsed in group.items:
            own = parsed.error
            if own is None and item_failed:
                own = ItemError(
                    "TARGET_TYPE_BATCH_FAILED",
                    f"Not applied: {group.kind} targets of ad group {group.ad_group_id} are written together "
                    "and "
                    f"another one failed ({group.error.code}: {group.error.message})",
                )
            own = own or group.error
            errors.append({"index": parsed.index, "errorCode": own.code, "errorMessage": own.message})
    success = [{"index": index, "targetId": target_id} for index, target_id in done.items()]
    return multi_status(call, success, errors)


def _audience_rules(group: Group, existing: list[dict[str, Any]]) -> None:
    everything = [(t["negative"], t["targetDetails"]["audienceTarget"]["groupId"]) for t in existing]
    everything += [(p.negative, p.inner["groupId"]) for p in group.items]
    if len(everything) > MAX_AUDIENCES:
        group.fail(
            ItemError(
                "AUDIENCE_LIMIT_EXCEEDED",
                f"An ad group can have at most {MAX_AUDIENCES} audiences (this would make "
                f"{len(everything)}).",
            )
        )
        return
    touched = {p.inner["groupId"] for p in group.items}
    for group_id in sorted(touched):
        kinds = {negative for negative, g in everything if g == group_id}
        if len(kinds) > 1:
            group.fail(
                ItemError(
                    "MIXED_AUDIENCE_GROUP",
                    f"Audience group {group_id} would mix included and excluded audiences: all audiences of "
                    "a "
                    "group are either included or excluded.",
                )
            )
            return
    including = {g for negative, g in everything if not negative}
    excluding = {g for negative, g in everything if negative}
    if len(including) > MAX_INCLUSION_GROUPS:
        group.fail(
            ItemError(
                "TOO_MANY_INCLUSION_GROUPS",
                f"At most {MAX_INCLUSION_GROUPS} inclusion groups (this would make {len(including)}).",
            )
        )
    elif len(excluding) > MAX_EXCLUSION_GROUPS:
        group.fail(
            ItemError(
                "TOO_MANY_EXCLUSION_GROUPS",
                f"At most {MAX_EXCLUSION_GROUPS} exclusion group (this would make {len(excluding)}).",
            )
        )


def _key_of(target: dict[str, Any]) -> str:
    ((key, inner),) = target["targetDetails"].items()
    return identity(TYPES_BY_KEY[key], inner)


def _write(call: Call, strict: bool, change: Change) -> tuple[int, dict[str, Any]]:
    """The groups of a request one by one, each changing the document of its ad group's targets of its
    type (a group that fails changes nothing); the documents are stored once, then the 207."""
    groups, errors = _group(call, call.body(), strict=strict)
    docs: dict[tuple[str, str], dict[str, Any]] = {}
    done: dict[int, str] = {}
    for group in groups:
        if group.error is None:
            where = (group.ad_group_id, DETAILS_KEYS[group.kind])
            if where not in docs:
                docs[where] = objects.targets_doc(call.tx, *where)
            change(call, group, docs[where], done)
    for (ad_group_id, key), doc in docs.items():
        objects.put_targets(call.tx, ad_group_id, key, {**doc, "advertiserId": call.account_id})
    return 207, _outcome(call, groups, errors, done)


def _add(call: Call, group: Group, doc: dict[str, Any], done: dict[int, str]) -> None:
    existing = doc["targets"]
    there = {_key_of(t): t["targetId"] for t in existing}
    fresh = {p.key: p for p in group.items if p.key not in there}
    new = Group(group.ad_group_id, group.kind, list(fresh.values()))
    if group.kind == "AUDIENCE":
        _audience_rules(new, existing)
    if new.error is not None:
        group.fail(new.error)
        return
    # the new targets' ids, reserved at once, handed out in order
    first = call.tx.next_ids("amazon_dsp.target", COUNTERS["target"], len(fresh)) if fresh else "0"
    numbers = itertools.count(int(first))
    for parsed in group.items:
        if parsed.key in there:
            done[parsed.index] = there[parsed.key]  # the ad group has it already
            continue
        target_id = str(next(numbers))
        inner = dict(parsed.inner)
        doc["targets"].append(
            {
                "targetId": target_id,
                "adGroupId": group.ad_group_id,
                "adProduct": "AMAZON_DSP",
                "state": "ENABLED",
                "negative": parsed.negative,
                "targetDetails": {DETAILS_KEYS[group.kind]: inner},
                "visibleAt": call.now,
            }
        )
        done[parsed.index] = there[parsed.key] = target_id


def _remove(call: Call, group: Group, doc: dict[str, Any], done: dict[int, str]) -> None:
    by_key = {_key_of(t): t for t in doc["targets"]}
    removing: dict[int, str] = {}
    for parsed in group.items:
        found = by_key.pop(parsed.key, None)
        if found is None:
            parsed.error = ItemError(
                "TARGET_NOT_FOUND",
                f"targets[{parsed.index}] is not a target of ad group {group.ad_group_id}.",
            )
            group.fail(parsed.error)
        else:
            removing[parsed.index] = found["targetId"]
    if group.error is None and group.kind == "INVENTORY_SOURCE" and not by_key:
        group.fail(
            ItemError(
                "INVENTORY_SOURCE_REQUIRED",
                f"Ad group {group.ad_group_id} must target at least one deal or exchange: add the new "
                "inventory "
                "sources before deleting the last ones.",
            )
        )
    if group.error is None:
        gone = set(removing.values())
        doc["targets"] = [t for t in doc["targets"] if t["targetId"] not in gone]
        done.update(removing)


@OPERATIONS.serves("POST", "/dsp/v1/targets")
def create(call: Call) -> tuple[int, dict[str, Any]]:
    """`POST /dsp/v1/targets` → 207 with `{"index", "targetId"}` per added target."""
    return _write(call, True, _add)


@OPERATIONS.serves("POST", "/dsp/v1/targets/deleteByObject")
def delete(call: Call) -> tuple[int, dict[str, Any]]:
    """`POST /dsp/v1/targets/deleteByObject`: remove the targets matching the given objects."""
    return _write(call, False, _remove)


def render(target: dict[str, Any]) -> dict[str, Any]:
    shown = {k: v for k, v in target.items() if k != "visibleAt"}
    if "audienceTarget" in target["targetDetails"]:
        inner = dict(target["targetDetails"]["audienceTarget"])
        inner["inGroupOperator"] = "ALL" if target["negative"] else "ANY"
        inner["acrossGroupOperator"] = "ALL"
        shown["targetDetails"] = {"audienceTarget": inner}
    return shown


@OPERATIONS.serves("POST", "/dsp/v1/targets/list")
def listing(call: Call) -> tuple[int, dict[str, Any]]:
    """`POST /dsp/v1/targets/list`: filters `adGroupIdFilter`, `targetTypeFilter`, `targetIdFilter`;
    targets the platform made become visible only after the default-target delay."""
    body = call.body()
    ad_groups = id_filter(body, "adGroupIdFilter")
    kinds = id_filter(body, "targetTypeFilter")
    ids = id_filter(body, "targetIdFilter")
    found: Sequence[str] = (
        call.tx.ids(PLATFORM, "ad_group")
        if ad_groups is None
        else sorted(ad_groups, key=lambda g: (len(g), g))
    )
    wanted = None if kinds is None else {DETAILS_KEYS.get(kind) for kind in kinds}
    keys = [key for key in DETAILS_KEYS.values() if wanted is None or key in wanted]

    def items_of(ad_group_id: str) -> list[dict[str, Any]]:
        if objects.ad_group(call.tx, call.account_id, ad_group_id) is None:
            return []
        return [
            render(t)
            for t in objects.targets_of(call.tx, ad_group_id, keys)
            if t["visibleAt"] <= call.now and (ids is None or t["targetId"] in ids)
        ]

    return 200, grouped_page(body, "targets", found, items_of)
