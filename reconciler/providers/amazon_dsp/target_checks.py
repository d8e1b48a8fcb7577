"""The checks behind Amazon DSP's offline rules on target sets and creative associations (rules.py declares
each with its code and source); campaigns, ad groups and the shared helpers are in checks.py."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from reconciler.model.instants import parse_instant
from reconciler.providers.amazon_dsp import checks
from reconciler.providers.kit.rules import ABSENT, Checker, number

MAX_AUDIENCES = 500
MAX_INCLUSION_GROUPS = 10
MAX_EXCLUSION_GROUPS = 1
AUDIENCE_GROUP_IDS = tuple(str(n) for n in range(1, 12))
NEGATIVE_ALLOWED = frozenset({"audience", "location", "domain", "app", "productCategory", "product"})
VIDEO_INVENTORY = frozenset({"STREAMING_TV", "ONLINE_VIDEO", "VIDEO"})
NO_DOMAIN_INVENTORY = frozenset({"AAP_MOBILE_APP"})
_IDENTITY_EXCLUDES = frozenset({"negative", "groupId"})
_IDENTITY = json.JSONEncoder(sort_keys=True)
"""One encoder for every target (`json.dumps` with options builds a new one per call)."""
MIN_WEIGHT, MAX_WEIGHT = 1, 999


# -- targets ----------------------------------------------------------------------------------------------


def _type(c: Checker) -> str:
    return c.resource.address.path[-1]


def _inventory(c: Checker) -> Any:
    ad_group = c.parent("ad_group")
    return ad_group.attributes.get("inventoryType") if ad_group is not None else None


def negative_types(c: Checker) -> None:
    kind = _type(c)
    for path, target in checks.items(c, "targets"):
        if kind not in NEGATIVE_ALLOWED and target.get("negative") is True:
            c.report(
                f"{path}.negative",
                f"{kind} targets cannot be negative (only audience, location, domain, app, productCategory "
                "and product targets can)",
                f"remove `negative: true`; to exclude, list only the {kind} targets to include",
            )


def duplicate_targets(c: Checker) -> None:
    seen: dict[str, str] = {}
    for path, target in checks.items(c, "targets"):
        identity = _IDENTITY.encode({k: v for k, v in target.items() if k not in _IDENTITY_EXCLUDES})
        if identity in seen:
            c.report(
                path, f"this {_type(c)} target is listed twice (also at {seen[identity]})", "list it once"
            )
        else:
            seen[identity] = path


def for_type(kind: str, check: Any) -> Any:
    """`check` on target sets of one type."""

    def run(c: Checker) -> None:
        if _type(c) == kind:
            check(c)

    return run


def domain_inventory(c: Checker) -> None:
    inventory = _inventory(c)
    if inventory in NO_DOMAIN_INVENTORY and checks.items(c, "targets"):
        c.report(
            "targets",
            f"{inventory} ad groups do not support domain targeting",
            "remove `domain` from this ad group's targets",
        )


def domain_details(c: Checker) -> None:
    for path, target in checks.items(c, "targets"):
        details = target.get("domainTargetDetails")
        if not isinstance(details, Mapping):
            continue
        given = [
            k for k in ("domainName", "domainList", "advertiserDomainList") if details.get(k) is not None
        ]
        if len(given) != 1:
            c.report(
                f"{path}.domainTargetDetails",
                "domainTargetDetails takes exactly one of domainName, domainList and advertiserDomainList "
                f"(got {', '.join(given) or 'none'})",
                "write one domain target per domain, list or advertiser list",
            )


def advertiser_list_true(c: Checker) -> None:
    for path, target in checks.items(c, "targets"):
        details = target.get("domainTargetDetails")
        if isinstance(details, Mapping) and details.get("advertiserDomainList") is False:
            c.report(
                f"{path}.domainTargetDetails.advertiserDomainList",
                "advertiserDomainList can only be true (false is not a target)",
                "remove this target to stop using the advertiser's domain list",
            )


def _audience_groups(c: Checker) -> dict[str, list[tuple[str, bool]]]:
    """Audience group id → (path, negative) of its audiences, for valid group ids."""
    groups: dict[str, list[tuple[str, bool]]] = {}
    for path, target in checks.items(c, "targets"):
        if target.get("groupId") in AUDIENCE_GROUP_IDS:
            groups.setdefault(str(target["groupId"]), []).append((path, target.get("negative") is True))
    return groups


def audience_count(c: Checker) -> None:
    count = len(checks.items(c, "targets"))
    if count > MAX_AUDIENCES:
        c.report(
            "targets",
            f"an ad group has at most {MAX_AUDIENCES} audiences (got {count})",
            "remove audiences or move some to another ad group",
        )


def group_ids(c: Checker) -> None:
    for path, target in checks.items(c, "targets"):
        group = target.get("groupId")
        if group not in AUDIENCE_GROUP_IDS:
            c.report(
                f"{path}.groupId",
                f'groupId must be one of "1" to "11" (got {group!r})',
                'write the group number as text, e.g. groupId: "1"',
            )


def mixed_groups(c: Checker) -> None:
    for group, members in sorted(_audience_groups(c).items()):
        if 0 < sum(n for _, n in members) < len(members):
            c.report(
                members[0][0] + ".groupId",
                f"audience group {group} mixes included and excluded (negative) audiences: a group is all "
                "include or all exclude",
                "move the negative audiences to their own group",
            )


def inclusion_groups(c: Checker) -> None:
    inclusion = sorted(g for g, members in _audience_groups(c).items() if not any(n for _, n in members))
    if len(inclusion) > MAX_INCLUSION_GROUPS:
        c.report(
            "targets",
            f"an ad group has at most {MAX_INCLUSION_GROUPS} inclusion groups (got {len(inclusion)}: "
            f"{', '.join(inclusion)})",
            "merge inclusion groups (audiences within a group are joined by OR)",
        )


def exclusion_groups(c: Checker) -> None:
    exclusion = sorted(g for g, members in _audience_groups(c).items() if all(n for _, n in members))
    if len(exclusion) > MAX_EXCLUSION_GROUPS:
        c.report(
            "targets",
            f"an ad group has at most {MAX_EXCLUSION_GROUPS} exclusion group (got {len(exclusion)}: "
            f"{', '.join(exclusion)})",
            "put every negative audience in one group",
        )


def hours(c: Checker) -> None:
    for path, target in checks.items(c, "targets"):
        hour = target.get("hourOfDay")
        if number(hour) and not 0 <= hour <= 23:
            c.report(f"{path}.hourOfDay", f"hourOfDay is 0 to 23 (got {hour})", "write an hour from 0 to 23")


def connected_tv(c: Checker) -> None:
    inventory = _inventory(c)
    for path, target in checks.items(c, "targets"):
        if target.get("deviceType") == "CONNECTED_TV" and inventory and inventory not in VIDEO_INVENTORY:
            c.report(
                f"{path}.deviceType",
                f"CONNECTED_TV is only eligible for STREAMING_TV, ONLINE_VIDEO and VIDEO ad groups "
                f"(this one is {inventory})",
                "remove the CONNECTED_TV target, or use a video inventory type",
            )


def inventory_source_required(c: Checker) -> None:
    if not checks.items(c, "targets"):
        c.report(
            "targets",
            "an ad group must target at least one deal or exchange",
            "list at least one inventory source, or remove `inventorySource` to keep the platform's defaults",
        )


def video_only(c: Checker) -> None:
    inventory = _inventory(c)
    if checks.items(c, "targets") and inventory not in (None, *VIDEO_INVENTORY):
        c.report(
            "targets",
            f"{_type(c)} targets are for video ad groups: STREAMING_TV, ONLINE_VIDEO, VIDEO "
            f"(this one is {inventory})",
            f"remove `{_type(c)}`, or use a video inventory type",
        )


# -- creative associations --------------------------------------------------------------------------------


def weight_range(c: Checker) -> None:
    weight = c.get("weight")
    if number(weight) and not MIN_WEIGHT <= weight <= MAX_WEIGHT:
        c.report(
            "weight", f"weight is {MIN_WEIGHT} to {MAX_WEIGHT} (got {weight})", "write a weight from 1 to 999"
        )


def weight_on_random(c: Checker) -> None:
    ad_group = c.parent("ad_group")
    rotation = ad_group.attributes.get("creativeRotationType") if ad_group is not None else None
    if rotation == "RANDOM" and c.get("weight") not in (ABSENT, None):
        c.report(
            "weight",
            "the ad group's creativeRotationType is RANDOM: its creatives cannot have a weight",
            "remove `weight`, or set `creativeRotationType: WEIGHTED` on the ad group",
        )


def within_ad_group(field: str, ad_group_field: str) -> Any:
    """The association's `field` strictly inside the ad group's: a start later than its start, an end
    earlier than its end."""
    starts = field == "startDate"

    def check(c: Checker) -> None:
        ad_group = c.parent("ad_group")
        bound = parse_instant(ad_group.attributes.get(ad_group_field)) if ad_group is not None else None
        mine = parse_instant(c.get(field))
        if mine is None or bound is None or (mine > bound if starts else mine < bound):
            return
        assert ad_group is not None
        when = "at or before the ad group starts" if starts else "at or after the ad group ends"
        c.report(
            field,
            f"{field} {c.get(field)} is {when} ({ad_group.attributes.get(ad_group_field)})",
            f"{'start' if starts else 'end'} the association {'after' if starts else 'before'} the ad "
            f"group's {ad_group_field}",
        )

    return check


def creative_once(c: Checker) -> None:
    mine = json.dumps(c.get("creative"), sort_keys=True, default=str)
    others = [
        f"`{other.address.path[-1]}`"
        for other in c.siblings("creative_association")
        if json.dumps(other.attributes.get("creative"), sort_keys=True, default=str) == mine
    ]
    if others:
        c.report(
            "creative",
            f"creative {c.get('creative')} is associated with this ad group twice "
            f"(also by {', '.join(others)})",
            "associate each creative once per ad group",
        )
