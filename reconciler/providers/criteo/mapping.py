"""Criteo wire ↔ canonical attributes (pure), exactly as docs/criteo-resources.md describes.

Read side: the 2027-01 read models (`ReadAdSetV26Q1`, `CampaignV23Q1`, audience search results) become
canonical attributes: enums in the read model's spelling whatever case the platform sent, `{"value": ...}`
wrappers unwrapped, date-times as `YYYY-MM-DDTHH:MM:SSZ` in UTC, activation from
`schedule.activationStatus`, the linked audience from the audiences search.
Write side: canonical attributes become `CreateAdSetV26Q1` / `CreateCampaign` bodies and
`PatchAdSetV26Q1` (`scheduling`, `{"value": ...}` wrappers) / `PatchCampaign` items holding only the
changed fields.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from reconciler.model.instants import utc_text

# Enum values in the 2027-01 read model's spelling.
OBJECTIVES = (
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
)
MEDIA_TYPES = ("display", "video")
COST_CONTROLLERS = ("COS", "maxCPC", "CPI", "CPM", "CPO", "CPSV", "CPV", "dailyBudget", "targetCPM")
COST_CONTROLLER_ALIASES = {"cpc": "maxCPC"}
FREQUENCIES = ("hourly", "daily", "lifetime", "advanced")
OPERANDS = ("undefined", "in", "notIn")
DEVICES = ("other", "desktop", "mobile", "tablet")
OPERATING_SYSTEMS = ("android", "ios", "unknown")
ENVIRONMENTS = ("web", "inApp")
BUDGET_STRATEGIES = ("capped", "uncapped")
BUDGET_RENEWALS = ("undefined", "daily", "monthly", "lifetime", "weekly")
SMOOTHINGS = ("accelerated", "standard")
DELIVERY_WEEKS = (
    "undefined",
    "mondayToSunday",
    "tuesdayToMonday",
    "wednesdayToTuesday",
    "thursdayToWednesday",
    "fridayToThursday",
    "saturdayToFriday",
    "sundayToSaturday",
)
PACING_BEHAVIORS = ("undefined", "targetFullBudget", "targetAverageDailyBudget")
ATTRIBUTION_METHODS = ("unknown", "criteoAttribution", "lastClick", "postClick", "sftp", "googleAnalytics")
LOOKBACK_WINDOWS = ("unknown", "30M", "24H", "7D", "30D")
ACTIVATIONS = ("on", "off")
DELIVERY_STATUSES = (
    "draft",
    "inactive",
    "live",
    "notLive",
    "pausing",
    "paused",
    "scheduled",
    "ended",
    "notDelivering",
    "archived",
)
GOALS = ("unspecified", "acquisition", "retention")
SPEND_LIMIT_TYPES = ("capped", "uncapped")
SPEND_LIMIT_RENEWALS = ("undefined", "daily", "monthly", "lifetime")
AUTOMATION_OBJECTIVES = ("conversions", "revenue", "visits", "videoViews")
GEO_RULES = ("countries", "subdivisions", "zipCodes")
DELIVERY_LIMITATIONS: dict[str, tuple[str, ...]] = {
    "devices": DEVICES,
    "operatingSystems": OPERATING_SYSTEMS,
    "environments": ENVIRONMENTS,
}
BUDGET_ENUMS: dict[str, tuple[str, ...]] = {
    "budgetStrategy": BUDGET_STRATEGIES,
    "budgetRenewal": BUDGET_RENEWALS,
    "budgetDeliverySmoothing": SMOOTHINGS,
    "budgetDeliveryWeek": DELIVERY_WEEKS,
    "pacingBehavior": PACING_BEHAVIORS,
}
BID_DECIMALS = 4


def canon(value: Any, allowed: Sequence[str], aliases: Mapping[str, str] | None = None) -> Any:
    """An enum value in its canonical spelling, matched case-insensitively; unknown values are kept."""
    if not isinstance(value, str):
        return value
    lowered = value.lower()
    if aliases and lowered in aliases:
        return aliases[lowered]
    for candidate in allowed:
        if candidate.lower() == lowered:
            return candidate
    return value


def unwrap(value: Any) -> Any:
    """The content of a `{"value": ...}` wrapper (Nillable* models); other values unchanged."""
    if isinstance(value, Mapping) and set(value) == {"value"}:
        return value["value"]
    return value


def format_datetime(value: Any) -> Any:
    """A date-time as `YYYY-MM-DDTHH:MM:SSZ` in UTC (fractions dropped; a date alone is midnight UTC)."""
    if not isinstance(value, str) or not value:
        return value
    return utc_text(value.strip().replace("z", "Z")) or value


def round_bid(value: Any) -> Any:
    """A bid or budget amount at 4 decimal digits (Criteo: "At most 4 decimals are supported. Additional
    decimals are rounded."); ints stay ints. Rounded exactly as the diff compares numbers (`round`), so the
    amount sent is the one the next plan expects to read back, even for a tie such as 0.00015."""
    if isinstance(value, bool) or not isinstance(value, float):
        return value
    return round(value, BID_DECIMALS)


def _obj(value: Any) -> dict[str, Any]:
    value = unwrap(value)
    return dict(value) if isinstance(value, Mapping) else {}


def attributes_of(resource: Mapping[str, Any]) -> dict[str, Any]:
    attributes = resource.get("attributes")
    return dict(attributes) if isinstance(attributes, Mapping) else dict(resource)


def _id(value: Any) -> str | None:
    return None if value is None else str(value)


# -- read: wire → canonical ---------------------------------------------------------------------------


def _rule_from_wire(value: Any) -> dict[str, Any] | None:
    rule = unwrap(value)
    if not isinstance(rule, Mapping):
        return None
    values = rule.get("values")
    operand = canon(rule.get("operand"), OPERANDS)
    if not values and operand in (None, "undefined"):
        return None
    return {"operand": operand, "values": list(values or [])}


def _frequency_from_wire(capping: Mapping[str, Any]) -> dict[str, Any] | None:
    """The frequency capping; None when the platform has none (`{"value": null}` or both fields null)."""
    found = {
        "frequency": canon(capping.get("frequency"), FREQUENCIES),
        "maximumImpressions": capping.get("maximumImpressions"),
    }
    return None if all(v is None for v in found.values()) else found


def _limitation(values: Any, allowed: Sequence[str]) -> list[Any]:
    return [canon(v, allowed) for v in values or []]


def ad_set_from_wire(resource: Mapping[str, Any], audience: str | None = None) -> dict[str, Any]:
    """Canonical attributes of one ad set (a `ReadAdSetV26Q1` resource or its attributes)."""
    a = attributes_of(resource)
    schedule = _obj(a.get("schedule"))
    bidding = _obj(a.get("bidding"))
    targeting = _obj(a.get("targeting"))
    frequency = _obj(targeting.get("frequencyCapping"))
    geo = _obj(targeting.get("geoLocation"))
    limits = _obj(targeting.get("deliveryLimitations"))
    budget = _obj(a.get("budget"))
    attribution = unwrap(a.get("attributionConfiguration"))
    result: dict[str, Any] = {
        "name": a.get("name"),
        "objective": canon(a.get("objective"), OBJECTIVES),
        "mediaType": canon(a.get("mediaType"), MEDIA_TYPES),
        "datasetId": _id(a.get("datasetId")),
        "schedule": {
            "startDate": format_datetime(unwrap(schedule.get("startDate"))),
            "endDate": format_datetime(unwrap(schedule.get("endDate"))),
        },
        "activation": canon(schedule.get("activationStatus"), ACTIVATIONS) or "off",
        "bidding": {
            "costController": canon(bidding.get("costController"), COST_CONTROLLERS, COST_CONTROLLER_ALIASES),
            "bidAmount": round_bid(unwrap(bidding.get("bidAmount"))),
        },
        "targeting": {
            "frequencyCapping": _frequency_from_wire(frequency),
            "geoLocation": {name: _rule_from_wire(geo.get(name)) for name in GEO_RULES},
            "deliveryLimitations": {
                name: _limitation(limits.get(name), allowed) for name, allowed in DELIVERY_LIMITATIONS.items()
            },
        },
        "budget": {
            **{name: canon(budget.get(name), allowed) for name, allowed in BUDGET_ENUMS.items()},
            "budgetAmount": round_bid(unwrap(budget.get("budgetAmount"))),
        },
        "attributionConfiguration": (
            {
                "attributionMethod": canon(attribution.get("attributionMethod"), ATTRIBUTION_METHODS),
                "lookbackWindow": canon(attribution.get("lookbackWindow"), LOOKBACK_WINDOWS),
            }
            if isinstance(attribution, Mapping)
            else None
        ),
        "audience": audience,
        # Read-only: never owned by a manifest, so never diffed.
        "advertiserId": _id(a.get("advertiserId")),
        "campaignId": _id(a.get("campaignId")),
        "deliveryStatus": canon(schedule.get("deliveryStatus"), DELIVERY_STATUSES),
    }
    return result


def campaign_from_wire(resource: Mapping[str, Any]) -> dict[str, Any]:
    """Canonical attributes of one campaign (a `CampaignV23Q1` resource or its attributes)."""
    a = attributes_of(resource)
    spend = _obj(a.get("spendLimit"))
    automation = _obj(a.get("budgetAutomation"))
    configuration = unwrap(
        automation.get("automatedBudgetConfiguration", automation.get("budgetConfiguration"))
    )
    objective = None
    if isinstance(configuration, Mapping):
        objective = configuration.get("adSetOptimizationObjective", configuration.get("adSetObjectives"))
    return {
        "name": a.get("name"),
        "goal": canon(a.get("goal"), GOALS),
        "spendLimit": {
            "spendLimitType": canon(spend.get("spendLimitType"), SPEND_LIMIT_TYPES),
            "spendLimitRenewal": canon(spend.get("spendLimitRenewal"), SPEND_LIMIT_RENEWALS),
            "spendLimitAmount": round_bid(unwrap(spend.get("spendLimitAmount"))),
        },
        "budgetAutomation": {
            "enabled": bool(automation.get("enabled")),
            "budgetConfiguration": (
                {"adSetObjectives": canon(objective, AUTOMATION_OBJECTIVES)}
                if objective is not None
                else None
            ),
        },
        "advertiserId": _id(a.get("advertiserId")),
    }


def audiences_by_ad_set(audiences: Iterable[Mapping[str, Any]], ad_set_ids: Iterable[str]) -> dict[str, str]:
    """Ad set id → the id of the audience linked to it, from `audiences/search` results."""
    wanted = set(ad_set_ids)
    linked: dict[str, str] = {}
    for audience in sorted(audiences, key=lambda r: str(r.get("id"))):
        attributes = attributes_of(audience)
        audience_id = audience.get("id")
        if audience_id is None:
            continue
        for ad_set_id in attributes.get("adSetIds") or []:
            key = str(ad_set_id)
            if key in wanted:
                linked.setdefault(key, str(audience_id))
    return linked


# -- write: canonical → wire --------------------------------------------------------------------------


def _rule_to_wire(rule: Any) -> dict[str, Any] | None:
    if not isinstance(rule, Mapping):
        return None
    return {"operand": canon(rule.get("operand"), OPERANDS), "values": list(rule.get("values") or [])}


def _frequency_to_wire(value: Any) -> dict[str, Any] | None:
    if not isinstance(value, Mapping):
        return None
    out: dict[str, Any] = {}
    if "frequency" in value:
        out["frequency"] = canon(value["frequency"], FREQUENCIES)
    if "maximumImpressions" in value:
        out["maximumImpressions"] = value["maximumImpressions"]
    return out


def _limitations_to_wire(value: Mapping[str, Any]) -> dict[str, Any]:
    return {
        name: _limitation(value[name], DELIVERY_LIMITATIONS[name])
        for name in DELIVERY_LIMITATIONS
        if name in value
    }


def _budget_fields(budget: Mapping[str, Any], wrap_amount: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, allowed in BUDGET_ENUMS.items():
        if name in budget:
            out[name] = canon(budget[name], allowed)
    if "budgetAmount" in budget:
        amount = round_bid(budget["budgetAmount"])
        out["budgetAmount"] = {"value": amount} if wrap_amount else amount
    return out


def _attribution_to_wire(value: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "attributionMethod" in value:
        out["attributionMethod"] = canon(value["attributionMethod"], ATTRIBUTION_METHODS)
    if "lookbackWindow" in value:
        out["lookbackWindow"] = canon(value["lookbackWindow"], LOOKBACK_WINDOWS)
    return out


def ad_set_create_body(desired: Mapping[str, Any], campaign_id: str) -> dict[str, Any]:
    """`CreateAdSetV26Q1` attributes from canonical desired attributes (activation and audience excluded:
    they are applied with start/stop and the audience link after the create)."""
    body: dict[str, Any] = {"name": desired.get("name"), "campaignId": campaign_id}
    for name in ("datasetId", "trackingCode"):
        if name in desired:
            body[name] = desired[name]
    if "objective" in desired:
        body["objective"] = canon(desired["objective"], OBJECTIVES)
    if "mediaType" in desired:
        body["mediaType"] = canon(desired["mediaType"], MEDIA_TYPES)
    schedule = desired.get("schedule")
    if isinstance(schedule, Mapping):
        body["schedule"] = {
            k: format_datetime(schedule[k]) for k in ("startDate", "endDate") if k in schedule
        }
    bidding = desired.get("bidding")
    if isinstance(bidding, Mapping):
        bid: dict[str, Any] = {}
        if "costController" in bidding:
            bid["costController"] = canon(
                bidding["costController"], COST_CONTROLLERS, COST_CONTROLLER_ALIASES
            )
        if "bidAmount" in bidding:
            bid["bidAmount"] = round_bid(bidding["bidAmount"])
        body["bidding"] = bid
    targeting = desired.get("targeting")
    if isinstance(targeting, Mapping):
        target: dict[str, Any] = {}
        if "frequencyCapping" in targeting:
            target["frequencyCapping"] = _frequency_to_wire(targeting["frequencyCapping"])
        geo = targeting.get("geoLocation")
        if isinstance(geo, Mapping):
            rules = {name: _rule_to_wire(geo.get(name)) for name in GEO_RULES}
            target["geoLocation"] = {name: rule for name, rule in rules.items() if rule is not None}
        limits = targeting.get("deliveryLimitations")
        if isinstance(limits, Mapping):
            target["deliveryLimitations"] = _limitations_to_wire(limits)
        body["targeting"] = target
    budget = desired.get("budget")
    if isinstance(budget, Mapping):
        body["budget"] = _budget_fields(budget, wrap_amount=False)
    attribution = desired.get("attributionConfiguration")
    if isinstance(attribution, Mapping):
        body["attributionConfiguration"] = _attribution_to_wire(attribution)
    return body


def _goal_to_wire(goal: Any) -> Any:
    """`CreateCampaign.goal` is spelt `Unspecified`/`Acquisition`/`Retention`."""
    value = canon(goal, GOALS)
    return value[:1].upper() + value[1:] if isinstance(value, str) and value in GOALS else value


def _automation_to_wire(value: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "enabled" in value:
        out["enabled"] = bool(value["enabled"])
    configuration = value.get("budgetConfiguration")
    if isinstance(configuration, Mapping):
        out["budgetConfiguration"] = {
            "adSetObjectives": canon(configuration.get("adSetObjectives"), AUTOMATION_OBJECTIVES)
        }
    return out


def _spend_limit_to_wire(value: Mapping[str, Any], wrap_amount: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "spendLimitType" in value:
        out["spendLimitType"] = canon(value["spendLimitType"], SPEND_LIMIT_TYPES)
    if "spendLimitRenewal" in value:
        out["spendLimitRenewal"] = canon(value["spendLimitRenewal"], SPEND_LIMIT_RENEWALS)
    if "spendLimitAmount" in value:
        amount = round_bid(value["spendLimitAmount"])
        out["spendLimitAmount"] = {"value": amount} if wrap_amount else amount
    return out


def campaign_create_body(desired: Mapping[str, Any], advertiser_id: str) -> dict[str, Any]:
    """`CreateCampaign` attributes from canonical desired attributes."""
    body: dict[str, Any] = {
        "advertiserId": advertiser_id,
        "name": desired.get("name"),
        "goal": _goal_to_wire(desired.get("goal")),
    }
    return {**body, **_campaign_budget(desired, wrap_amount=False)}


def ad_set_patch_body(changed: Mapping[str, Any]) -> dict[str, Any]:
    """`PatchAdSetV26Q1` attributes for a canonical subset holding only the changed fields."""
    body: dict[str, Any] = {}
    if "name" in changed:
        body["name"] = changed["name"]
    schedule = changed.get("schedule")
    if isinstance(schedule, Mapping):
        body["scheduling"] = {
            k: {"value": format_datetime(schedule[k])} for k in ("startDate", "endDate") if k in schedule
        }
    bidding = changed.get("bidding")
    if isinstance(bidding, Mapping) and "bidAmount" in bidding:
        body["bidding"] = {"bidAmount": {"value": round_bid(bidding["bidAmount"])}}
    targeting = changed.get("targeting")
    if isinstance(targeting, Mapping):
        target: dict[str, Any] = {}
        if "frequencyCapping" in targeting:
            target["frequencyCapping"] = {"value": _frequency_to_wire(targeting["frequencyCapping"])}
        geo = targeting.get("geoLocation")
        if isinstance(geo, Mapping):
            target["geoLocation"] = {
                name: {"value": _rule_to_wire(geo[name])} for name in GEO_RULES if name in geo
            }
        target.update(_when_mapping(targeting, "deliveryLimitations", _limitations_to_wire))
        if target:
            body["targeting"] = target
    body.update(_when_mapping(changed, "budget", lambda v: _budget_fields(v, wrap_amount=True)))
    body.update(_when_mapping(changed, "attributionConfiguration", _attribution_to_wire))
    return body


def campaign_patch_body(changed: Mapping[str, Any]) -> dict[str, Any]:
    """`PatchCampaign` attributes for a canonical subset (spend limit and budget automation only)."""
    return _campaign_budget(changed, wrap_amount=True)


def _campaign_budget(source: Mapping[str, Any], wrap_amount: bool) -> dict[str, Any]:
    """The spend limit and budget automation of a campaign create or patch (`wrap_amount`: a patch's
    `{value: ...}` amount)."""
    return {
        **_when_mapping(source, "spendLimit", lambda v: _spend_limit_to_wire(v, wrap_amount)),
        **_when_mapping(source, "budgetAutomation", _automation_to_wire),
    }


def _when_mapping(
    source: Mapping[str, Any], name: str, convert: Callable[[Mapping[str, Any]], Any]
) -> dict[str, Any]:
    """`{name: convert(value)}` when `source` holds a mapping under `name`, else nothing."""
    value = source.get(name)
    return {name: convert(value)} if isinstance(value, Mapping) else {}
