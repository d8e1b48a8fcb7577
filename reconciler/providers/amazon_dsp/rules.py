"""Amazon DSP's offline rules (pure, no I/O): what the campaign management and creative association guides
and FACTS.md say can be checked without calling the API, as located `Diagnostic`s that say what is wrong
and what to do. docs/amazon-dsp-rules.md lists every rule with its test.

Rules that need live data are the provider's: a started flight cannot be deleted, a creative's type must
suit the ad group's inventory type (the creative's type is only known from the API), names must match
exactly one object. Discovery filters of at most 20 items are the client's concern (it splits them).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, TypeGuard

from reconciler.model import Address, Diagnostic, Resource, Severity

_ABSENT = object()

MAX_CURRENT_FLIGHTS = 12
MAX_FLIGHTS = 150
MAX_AUDIENCES = 500
MAX_INCLUSION_GROUPS = 10
MAX_EXCLUSION_GROUPS = 1
AUDIENCE_GROUP_IDS = tuple(str(n) for n in range(1, 12))
MIN_WEIGHT, MAX_WEIGHT = 1, 999

# Manifest target keys whose targets may be negative (FACTS.md: audience, location, domain, app,
# product category and product).
NEGATIVE_ALLOWED = frozenset({"audience", "location", "domain", "app", "productCategory", "product"})
# Deprecated inventory types (deprecated June 30, 2025) and what to use instead.
DEPRECATED_INVENTORY = {
    "STANDARD_DISPLAY": "DISPLAY",
    "AMAZON_MOBILE_DISPLAY": "DISPLAY",
    "AAP_MOBILE_APP": "DISPLAY",
    "VIDEO": "ONLINE_VIDEO (or STREAMING_TV)",
}
VIDEO_INVENTORY = frozenset({"STREAMING_TV", "ONLINE_VIDEO", "VIDEO"})
NO_DOMAIN_INVENTORY = frozenset({"AAP_MOBILE_APP"})
# KPIs measured on products sold on Amazon: the campaign must track products (ASINs).
ASIN_KPIS = frozenset({"RETURN_ON_AD_SPEND", "TOTAL_RETURN_ON_AD_SPEND", "COMBINED_RETURN_ON_AD_SPEND"})
RATE_KPIS = frozenset({"CLICK_THROUGH_RATE", "VIDEO_COMPLETION_RATE", "DETAIL_PAGE_VIEW_RATE"})
_IDENTITY_EXCLUDES = frozenset({"negative", "groupId"})


class _Checker:
    """Collects the diagnostics of one resource."""

    def __init__(self, resource: Resource, out: list[Diagnostic]) -> None:
        self.resource = resource
        self.out = out

    def get(self, path: str, default: Any = _ABSENT) -> Any:
        node: Any = self.resource.attributes
        for part in path.split("."):
            if isinstance(node, Mapping) and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                return default
        return node

    def report(self, path: str, message: str, hint: str, severity: Severity = Severity.ERROR) -> None:
        where = self.resource.location(path)
        self.out.append(
            Diagnostic(
                message=message,
                file=where.file if where else "",
                line=where.line if where else 0,
                column=where.column if where else 0,
                field=path,
                hint=hint,
                severity=severity,
                address=str(self.resource.address),
            )
        )


def validate(resources: Sequence[Resource], now: datetime | None = None) -> list[Diagnostic]:
    """Every offline rule on every Amazon DSP resource. `now` (default: the current time) decides which
    flights are current or future."""
    moment = now or datetime.now(UTC)
    by_address = {r.address: r for r in resources}
    out: list[Diagnostic] = []
    associations: dict[Address, list[Resource]] = {}
    for resource in resources:
        c = _Checker(resource, out)
        kind = resource.address.kind
        ad_group = _parent(resource, by_address, "ad_group")
        if kind == "campaign":
            _campaign(c, moment)
        elif kind == "ad_group":
            _ad_group(c, _parent(resource, by_address, "campaign"))
        elif kind == "targets":
            _targets(c, ad_group)
        elif kind == "creative_association":
            _association(c, ad_group)
            if resource.parent is not None:
                associations.setdefault(resource.parent, []).append(resource)
    for group in associations.values():
        _same_creative_twice(group, out)
    return out


def _parent(resource: Resource, by_address: Mapping[Address, Resource], kind: str) -> Resource | None:
    parent = by_address.get(resource.parent) if resource.parent else None
    return parent if parent is not None and parent.address.kind == kind else None


# -- shared ---------------------------------------------------------------------------------------------


def _number(value: Any) -> TypeGuard[float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _instant(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _positive(c: _Checker, path: str, what: str, hint: str) -> None:
    value = c.get(path)
    if _number(value) and value <= 0:
        c.report(path, f"{what} must be greater than 0 (got {value})", hint)


def _end_after_start(c: _Checker, start_path: str, end_path: str, what: str) -> None:
    start, end = _instant(c.get(start_path)), _instant(c.get(end_path))
    if start and end and not start < end:
        c.report(
            end_path,
            f"the {what} must end after it starts ({end_path.rpartition('.')[2]} {c.get(end_path)} is not "
            f"after {start_path.rpartition('.')[2]} {c.get(start_path)})",
            f"move {end_path.rpartition('.')[2]} after {start_path.rpartition('.')[2]}",
        )


def _items(c: _Checker, path: str) -> list[tuple[str, Mapping[str, Any]]]:
    """(`path.<i>`, item) for the mappings of the list at `path`."""
    value = c.get(path)
    if not isinstance(value, list):
        return []
    return [(f"{path}.{i}", item) for i, item in enumerate(value) if isinstance(item, Mapping)]


def _frequencies(c: _Checker) -> None:
    caps = _items(c, "frequencies")
    types = [cap.get("frequencyType") for _, cap in caps]
    if "UNCAPPED" in types and len(caps) > 1:
        c.report(
            "frequencies",
            "an UNCAPPED frequency cannot be combined with other frequency caps",
            "keep only `- frequencyType: UNCAPPED`, or only CAPPED entries",
        )
    for path, cap in caps:
        fields = ("maxImpressions", "timeUnitCount", "timeUnit")
        if cap.get("frequencyType") == "CAPPED":
            missing = [f for f in fields if cap.get(f) is None]
            if missing:
                c.report(
                    path,
                    f"a CAPPED frequency needs {', '.join(missing)}",
                    "write e.g. `{frequencyType: CAPPED, maxImpressions: 3, timeUnitCount: 1, "
                    "timeUnit: DAYS}`",
                )
            for name in ("maxImpressions", "timeUnitCount"):
                value = cap.get(name)
                if _number(value) and value <= 0:
                    c.report(
                        f"{path}.{name}", f"{name} must be greater than 0 (got {value})", "write 1 or more"
                    )
        elif cap.get("frequencyType") == "UNCAPPED":
            extra = [f for f in fields if cap.get(f) is not None]
            if extra:
                c.report(
                    path,
                    f"an UNCAPPED frequency takes no {', '.join(extra)}",
                    f"remove {', '.join(extra)}, or use `frequencyType: CAPPED`",
                )


def _fees(c: _Checker) -> None:
    for path, fee in _items(c, "fees"):
        value = fee.get("feeValue")
        if not _number(value):
            continue
        if value < 0:
            c.report(f"{path}.feeValue", f"a fee cannot be negative (got {value})", "write 0 or more")
        elif fee.get("feeValueType") == "PERCENTAGE" and value > 100:
            c.report(
                f"{path}.feeValue",
                f"a PERCENTAGE fee is at most 100 (got {value})",
                "write the percentage, e.g. 10 for 10%",
            )


# -- campaign -------------------------------------------------------------------------------------------


def _campaign(c: _Checker, now: datetime) -> None:
    _flights(c, now)
    _goal_setting(c)
    _tracked_products(c)
    _frequencies(c)
    _fees(c)
    for path, _ in _items(c, "budgetCaps"):
        _positive(c, f"{path}.amount", "a budget cap amount", "write the maximum spend of the period")
    periods = [cap.get("recurrenceTimePeriod") for _, cap in _items(c, "budgetCaps")]
    for period in sorted({p for p in periods if periods.count(p) > 1 and isinstance(p, str)}):
        c.report("budgetCaps", f"two budget caps for the {period} period", f"keep one {period} budget cap")


def _flights(c: _Checker, now: datetime) -> None:
    flights = _items(c, "flights")
    if isinstance(c.get("flights"), list) and not flights:
        c.report(
            "flights",
            "a campaign needs at least one flight",
            "add `- {startDateTime: ..., endDateTime: ..., budgetAmount: ...}` under flights",
        )
        return
    if len(flights) > MAX_FLIGHTS:
        c.report(
            "flights",
            f"a campaign has at most {MAX_FLIGHTS} flights in total (got {len(flights)})",
            "merge or remove flights, or split the campaign",
        )
    current = [f for _, f in flights if (end := _instant(f.get("endDateTime"))) is not None and end > now]
    if len(current) > MAX_CURRENT_FLIGHTS:
        c.report(
            "flights",
            f"a campaign has at most {MAX_CURRENT_FLIGHTS} current and future flights (got {len(current)})",
            "merge flights, or add the later ones once earlier ones have ended",
        )
    previous: tuple[str, datetime] | None = None
    for path, flight in flights:
        _end_after_start(c, f"{path}.startDateTime", f"{path}.endDateTime", "flight")
        _positive(c, f"{path}.budgetAmount", "a flight's budgetAmount", "write the flight's budget")
        start, end = _instant(flight.get("startDateTime")), _instant(flight.get("endDateTime"))
        if start is None or end is None:
            continue
        if previous is not None and start <= previous[1]:
            c.report(
                f"{path}.startDateTime",
                f"flights must not overlap: this flight starts {flight.get('startDateTime')}, before the "
                f"flight starting {c.get(previous[0] + '.startDateTime')} ends",
                "start this flight after the previous one ends; flights are identified by their start",
            )
        if previous is None or end > previous[1]:
            previous = (path, end)


def _goal_setting(c: _Checker) -> None:
    kpi = c.get("optimization.goalSetting.kpi")
    target = c.get("optimization.goalSetting.targetKpi")
    path = "optimization.goalSetting.targetKpi"
    if not _number(target):
        return
    if target <= 0:
        c.report(path, f"targetKpi must be greater than 0 (got {target})", "write the KPI's target value")
    elif kpi in RATE_KPIS and target > 100:
        c.report(
            path,
            f"{kpi} is a rate in percent: targetKpi is at most 100 (got {target})",
            "write the rate in percent, e.g. 0.1 for 0.1%",
        )


def _tracked_products(c: _Checker) -> None:
    kpi = c.get("optimization.goalSetting.kpi")
    products = _items(c, "trackedProducts")
    if kpi in ASIN_KPIS and not products:
        active = c.get("state") == "ACTIVE"
        c.report(
            "optimization.goalSetting.kpi",
            f"kpi {kpi} measures sales on Amazon: the campaign must track the products (ASINs) it sells"
            + (" before Amazon activates it" if active else ""),
            "add `trackedProducts: [{productId: ASIN, productAssociation: FEATURED, domain: AMAZON_US}]`",
            Severity.ERROR if active else Severity.WARNING,
        )
    seen: set[tuple[Any, Any]] = set()
    for path, product in products:
        identity = (product.get("productId"), product.get("domain"))
        if identity in seen:
            c.report(
                path,
                f"product {identity[0]} on {identity[1]} is tracked twice",
                "list each product and domain once",
            )
        seen.add(identity)


# -- ad group -------------------------------------------------------------------------------------------


def _ad_group(c: _Checker, campaign: Resource | None) -> None:
    inventory = c.get("inventoryType")
    if isinstance(inventory, str) and inventory in DEPRECATED_INVENTORY:
        c.report(
            "inventoryType",
            f"inventoryType {inventory} is deprecated (since June 30, 2025): new ad groups should not use it",
            f"use {DEPRECATED_INVENTORY[inventory]} instead",
            Severity.WARNING,
        )
    _end_after_start(c, "startDateTime", "endDateTime", "ad group")
    categories = c.get("advertisedProductCategoryIds")
    if isinstance(categories, list):
        if not categories:
            c.report(
                "advertisedProductCategoryIds",
                "an ad group needs at least one advertised product category",
                'list the category ids (or `{name: "..."}`) of the products advertised',
            )
        keys = [json.dumps(v, sort_keys=True) for v in categories]
        for i, key in enumerate(keys):
            if key in keys[:i]:
                c.report(
                    f"advertisedProductCategoryIds.{i}",
                    f"advertised product category {categories[i]} is listed twice",
                    "list each category once",
                )
    _budget_automation(c, campaign)
    _positive(c, "budgetAmount", "budgetAmount", "write the ad group's budget")
    _positive(c, "bid.baseBid", "baseBid", "write the base bid")
    _frequencies(c)
    _fees(c)


def _budget_automation(c: _Checker, campaign: Resource | None) -> None:
    if (
        "budgetAmount" not in c.resource.attributes
        or c.get("optimization.automateBudgetAllocation") is not True
    ):
        return
    if (
        campaign is None
        or campaign.attributes.get("optimization", {}).get("automateBudgetAllocation") is not True
    ):
        return
    c.report(
        "budgetAmount",
        "automateBudgetAllocation is true on both the campaign and this ad group: Amazon sets the ad "
        "group's budgetAmount and does not let it be edited",
        "remove `budgetAmount`, or set `optimization.automateBudgetAllocation: false` on the ad group",
    )


# -- targets --------------------------------------------------------------------------------------------


def _identity(target: Mapping[str, Any]) -> str:
    return json.dumps({k: v for k, v in target.items() if k not in _IDENTITY_EXCLUDES}, sort_keys=True)


def _targets(c: _Checker, ad_group: Resource | None) -> None:
    kind = c.resource.address.path[-1]
    targets = _items(c, "targets")
    inventory = ad_group.attributes.get("inventoryType") if ad_group else None
    if kind not in NEGATIVE_ALLOWED:
        for path, target in targets:
            if target.get("negative") is True:
                c.report(
                    f"{path}.negative",
                    f"{kind} targets cannot be negative (only audience, location, domain, app, "
                    "productCategory and product targets can)",
                    f"remove `negative: true`; to exclude, list only the {kind} targets to include",
                )
    seen: dict[str, str] = {}
    for path, target in targets:
        identity = _identity(target)
        if identity in seen:
            c.report(path, f"this {kind} target is listed twice (also at {seen[identity]})", "list it once")
        else:
            seen[identity] = path
    if kind == "domain":
        _domain(c, targets, inventory)
    elif kind == "audience":
        _audiences(c, targets)
    elif kind == "dayPart":
        for path, target in targets:
            hour = target.get("hourOfDay")
            if _number(hour) and not 0 <= hour <= 23:
                c.report(
                    f"{path}.hourOfDay", f"hourOfDay is 0 to 23 (got {hour})", "write an hour from 0 to 23"
                )
    elif kind == "device":
        for path, target in targets:
            if target.get("deviceType") == "CONNECTED_TV" and inventory and inventory not in VIDEO_INVENTORY:
                c.report(
                    f"{path}.deviceType",
                    f"CONNECTED_TV is only eligible for STREAMING_TV, ONLINE_VIDEO and VIDEO ad groups "
                    f"(this one is {inventory})",
                    "remove the CONNECTED_TV target, or use a video inventory type",
                )
    elif kind == "inventorySource" and not targets:
        c.report(
            "targets",
            "an ad group must target at least one deal or exchange",
            "list at least one inventory source, or remove `inventorySource` to keep the platform's defaults",
        )
    elif (
        kind in ("streamingTvApp", "videoAdFormat") and targets and inventory not in (None, *VIDEO_INVENTORY)
    ):
        c.report(
            "targets",
            f"{kind} targets are for video ad groups: STREAMING_TV, ONLINE_VIDEO, VIDEO "
            f"(this one is {inventory})",
            f"remove `{kind}`, or use a video inventory type",
        )


def _domain(c: _Checker, targets: Iterable[tuple[str, Mapping[str, Any]]], inventory: Any) -> None:
    targets = list(targets)
    if inventory in NO_DOMAIN_INVENTORY and targets:
        c.report(
            "targets",
            f"{inventory} ad groups do not support domain targeting",
            "remove `domain` from this ad group's targets",
        )
    for path, target in targets:
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
        if details.get("advertiserDomainList") is False:
            c.report(
                f"{path}.domainTargetDetails.advertiserDomainList",
                "advertiserDomainList can only be true (false is not a target)",
                "remove this target to stop using the advertiser's domain list",
            )


def _audiences(c: _Checker, targets: list[tuple[str, Mapping[str, Any]]]) -> None:
    if len(targets) > MAX_AUDIENCES:
        c.report(
            "targets",
            f"an ad group has at most {MAX_AUDIENCES} audiences (got {len(targets)})",
            "remove audiences or move some to another ad group",
        )
    groups: dict[str, list[tuple[str, bool]]] = {}
    for path, target in targets:
        group = target.get("groupId")
        if group not in AUDIENCE_GROUP_IDS:
            c.report(
                f"{path}.groupId",
                f'groupId must be one of "1" to "11" (got {group!r})',
                'write the group number as text, e.g. groupId: "1"',
            )
            continue
        groups.setdefault(str(group), []).append((path, target.get("negative") is True))
    inclusion = sorted(g for g, members in groups.items() if not any(n for _, n in members))
    exclusion = sorted(g for g, members in groups.items() if all(n for _, n in members))
    for group, members in sorted(groups.items()):
        if 0 < sum(n for _, n in members) < len(members):
            c.report(
                members[0][0] + ".groupId",
                f"audience group {group} mixes included and excluded (negative) audiences: a group is all "
                "include or all exclude",
                "move the negative audiences to their own group",
            )
    if len(inclusion) > MAX_INCLUSION_GROUPS:
        c.report(
            "targets",
            f"an ad group has at most {MAX_INCLUSION_GROUPS} inclusion groups (got {len(inclusion)}: "
            f"{', '.join(inclusion)})",
            "merge inclusion groups (audiences within a group are joined by OR)",
        )
    if len(exclusion) > MAX_EXCLUSION_GROUPS:
        c.report(
            "targets",
            f"an ad group has at most {MAX_EXCLUSION_GROUPS} exclusion group (got {len(exclusion)}: "
            f"{', '.join(exclusion)})",
            "put every negative audience in one group",
        )


# -- creative associations ------------------------------------------------------------------------------


def _association(c: _Checker, ad_group: Resource | None) -> None:
    weight = c.get("weight")
    if _number(weight) and not MIN_WEIGHT <= weight <= MAX_WEIGHT:
        c.report(
            "weight", f"weight is {MIN_WEIGHT} to {MAX_WEIGHT} (got {weight})", "write a weight from 1 to 999"
        )
    _end_after_start(c, "startDate", "endDate", "creative association")
    if ad_group is None:
        return
    rotation = ad_group.attributes.get("creativeRotationType")
    if rotation == "RANDOM" and weight not in (_ABSENT, None):
        c.report(
            "weight",
            "the ad group's creativeRotationType is RANDOM: its creatives cannot have a weight",
            "remove `weight`, or set `creativeRotationType: WEIGHTED` on the ad group",
        )
    group_start = _instant(ad_group.attributes.get("startDateTime"))
    group_end = _instant(ad_group.attributes.get("endDateTime"))
    start, end = _instant(c.get("startDate")), _instant(c.get("endDate"))
    if start and group_start and start < group_start:
        c.report(
            "startDate",
            f"startDate {c.get('startDate')} is before the ad group starts "
            f"({ad_group.attributes.get('startDateTime')})",
            "start the association on or after the ad group's startDateTime",
        )
    if end and group_end and end > group_end:
        c.report(
            "endDate",
            f"endDate {c.get('endDate')} is after the ad group ends "
            f"({ad_group.attributes.get('endDateTime')})",
            "end the association on or before the ad group's endDateTime",
        )


def _same_creative_twice(group: list[Resource], out: list[Diagnostic]) -> None:
    seen: dict[str, Resource] = {}
    for resource in group:
        creative = json.dumps(resource.attributes.get("creative"), sort_keys=True)
        if creative in seen:
            _Checker(resource, out).report(
                "creative",
                f"creative {resource.attributes.get('creative')} is already associated with this ad group "
                f"by `{seen[creative].address.path[-1]}`",
                "associate each creative once per ad group",
            )
        else:
            seen[creative] = resource
