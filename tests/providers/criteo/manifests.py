"""Hypothesis strategies for valid Criteo manifests, built from the manifest model (its enums, required and
optional fields, int32 and finite numbers) and the offline rules (docs/criteo-rules.md): nothing generated
here may give an error, warnings are allowed. `edits` gives, for a generated manifest, single-field edits of
owned, changeable fields that keep it valid."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, get_args

from hypothesis import strategies as st

from reconciler.manifest import criteo as model
from reconciler.manifest.criteo.types import INT32

Draw = Callable[[st.SearchStrategy[Any]], Any]
Manifest = dict[str, Any]


def choices(annotated: Any, *excluded: str) -> list[str]:
    """The values of one of the model's enums (`Annotated[Literal[...], CaseInsensitive()]`)."""
    (literal, *_) = get_args(annotated)
    return [v for v in get_args(literal) if v not in excluded]


# -- values -------------------------------------------------------------------------------------------

START, END = datetime(2027, 1, 1, tzinfo=UTC), datetime(2031, 1, 1, tzinfo=UTC)
COUNTRIES = ["FR", "DE", "ES", "IT", "US", "GB", "fr", "de"]
SUBDIVISIONS = ["FR-75", "FR-2A", "US-CA", "DE-BY", "ES-M", "GB-LND"]
ZIP_CODES = ["75001", "28001", "SW1A", "10115", "00100"]
NAMES = st.builds(
    str.__add__,
    st.sampled_from("abcdefghijklmnopqrstuvwxyzABCÉ"),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz ABC0123456789-é", max_size=23),
)
"""Names starting with a letter (a YAML scalar such as `0e0` would be read as a number)."""


def moments(low: datetime = START, high: datetime = END) -> st.SearchStrategy[datetime]:
    """Whole seconds: the canonical form drops fractions, so two moments a fraction apart would be equal."""
    span = int((high - low).total_seconds())
    return st.integers(0, span).map(lambda s: low + timedelta(seconds=s))


@st.composite
def date_text(draw: Draw, moment: datetime) -> Any:
    """The same instant written as the manifest may write it: `Z`, an offset, or a bare date at midnight."""
    if moment.hour == moment.minute == moment.second == 0 and draw(st.booleans()):
        return moment.strftime("%Y-%m-%d")
    offset = draw(st.sampled_from([0, 2, -5, 9]))
    if offset == 0:
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    shifted = moment + timedelta(hours=offset)
    return shifted.strftime("%Y-%m-%dT%H:%M:%S") + f"{'+' if offset > 0 else '-'}{abs(offset):02d}:00"


def amounts(low: float = 0.0001, high: float = 100_000.0) -> st.SearchStrategy[float | int]:
    """Whole numbers, amounts with at most 4 decimal digits, and some with 5 or 6 (a warning for bids:
    Criteo rounds them to 4), ties such as 2.00005 among them."""
    ties = [t for t in (0.00015, 2.00005, 10.00015, 1.23455) if low <= t <= high]
    return st.one_of(
        st.integers(int(low) + 1, int(high)),
        st.integers(int(low * 10_000) or 1, int(high * 10_000)).map(lambda n: round(n / 10_000, 4)),
        st.integers(int(low * 1_000_000) or 1, int(high * 1_000_000)).map(lambda n: n / 1_000_000),
        st.sampled_from(ties),
    )


def optional(draw: Draw, target: dict[str, Any], name: str, values: st.SearchStrategy[Any]) -> None:
    """Set `name` in `target` to a drawn value, or leave it out."""
    if draw(st.booleans()):
        target[name] = draw(values)


# -- campaign -----------------------------------------------------------------------------------------


@st.composite
def spend_limits(draw: Draw) -> dict[str, Any]:
    if draw(st.booleans()):
        renewal = draw(st.sampled_from(choices(model.SpendLimitRenewal, "undefined")))
        return {
            "spendLimitType": "capped",
            "spendLimitRenewal": renewal,
            "spendLimitAmount": draw(amounts(1)),
        }
    limit: dict[str, Any] = {"spendLimitType": "uncapped"}
    optional(draw, limit, "spendLimitRenewal", st.just("undefined"))
    optional(draw, limit, "spendLimitAmount", st.none())
    return limit


@st.composite
def automations(draw: Draw) -> dict[str, Any] | None:
    """None (no `budgetAutomation`), disabled (`enabled` written or not), or enabled with its objective."""
    kind = draw(st.sampled_from(["absent", "disabled", "omitted", "enabled"]))
    if kind == "absent":
        return None
    if kind == "enabled":
        objective = draw(st.sampled_from(choices(model.AdSetObjectiveForBudget)))
        return {"enabled": True, "budgetConfiguration": {"adSetObjectives": objective}}
    return {"enabled": False} if kind == "disabled" else {}


# -- ad set -------------------------------------------------------------------------------------------


@st.composite
def schedules(draw: Draw) -> dict[str, Any]:
    start = draw(moments(START, END - timedelta(days=1)))
    schedule = {"startDate": draw(date_text(start))}
    end = draw(st.one_of(st.none(), moments(start + timedelta(seconds=1), END)))
    if end is not None:
        schedule["endDate"] = draw(date_text(end))
    elif draw(st.booleans()):
        schedule["endDate"] = None
    return schedule


@st.composite
def biddings(draw: Draw, activation: str | None) -> dict[str, Any]:
    """A cost controller and its amount; a started ad set has one unless its controller takes none."""
    controller = draw(st.sampled_from(choices(model.CostController)))
    bidding: dict[str, Any] = {"costController": controller}
    if controller == "dailyBudget":
        optional(draw, bidding, "bidAmount", st.none())
    elif activation == "on":
        bidding["bidAmount"] = draw(amounts(0, 50))
    else:
        optional(draw, bidding, "bidAmount", st.one_of(st.none(), amounts(0, 50)))
    return bidding


def geo_rules(values: list[str]) -> st.SearchStrategy[dict[str, Any] | None]:
    rule = st.fixed_dictionaries(
        {
            "operand": st.sampled_from(choices(model.Operand)),
            "values": st.lists(st.sampled_from(values), min_size=1, max_size=4),
        }
    )
    return st.one_of(st.none(), rule)


@st.composite
def targetings(draw: Draw) -> dict[str, Any]:
    capping: dict[str, Any] = {}
    optional(draw, capping, "frequency", st.sampled_from(choices(model.Frequency, "advanced")))
    optional(draw, capping, "maximumImpressions", st.integers(*INT32))
    targeting: dict[str, Any] = {"frequencyCapping": capping if capping or draw(st.booleans()) else None}
    if draw(st.booleans()):
        geo: dict[str, Any] = {}
        for name, values in (
            ("countries", COUNTRIES),
            ("subdivisions", SUBDIVISIONS),
            ("zipCodes", ZIP_CODES),
        ):
            optional(draw, geo, name, geo_rules(values))
        targeting["geoLocation"] = geo
    if draw(st.booleans()):
        limits: dict[str, Any] | None = {}
        for name, enum in (
            ("devices", model.Device),
            ("operatingSystems", model.OperatingSystem),
            ("environments", model.Environment),
        ):
            optional(draw, limits, name, st.one_of(st.none(), st.lists(st.sampled_from(choices(enum)))))
        targeting["deliveryLimitations"] = None if draw(st.booleans()) and not limits else limits
    return targeting


@st.composite
def budgets(draw: Draw) -> dict[str, Any]:
    """A budget as CreateAdSetBudgetV26Q1 describes capped and uncapped ones."""
    if not draw(st.booleans()):
        budget: dict[str, Any] = {"budgetStrategy": "uncapped"}
        for name in ("budgetRenewal", "budgetDeliveryWeek", "pacingBehavior"):
            optional(draw, budget, name, st.just("undefined"))
        optional(draw, budget, "budgetAmount", st.none())
        return budget
    renewal = draw(st.sampled_from(choices(model.BudgetRenewal, "undefined")))
    smoothing = draw(st.sampled_from(choices(model.BudgetDeliverySmoothing)))
    budget = {
        "budgetStrategy": "capped",
        "budgetRenewal": renewal,
        "budgetDeliverySmoothing": smoothing,
        "budgetAmount": draw(amounts(1)),
    }
    weeks = choices(model.BudgetDeliveryWeek, "undefined")
    week = weeks if (renewal, smoothing) == ("weekly", "standard") else ["undefined"]
    optional(draw, budget, "budgetDeliveryWeek", st.sampled_from(week))
    pacing = ["undefined"]
    if smoothing == "standard":
        pacing += ["targetFullBudget"] + (["targetAverageDailyBudget"] if renewal == "monthly" else [])
    optional(draw, budget, "pacingBehavior", st.sampled_from(pacing))
    return budget


@st.composite
def attributions(draw: Draw) -> dict[str, Any]:
    method = draw(st.sampled_from(choices(model.AttributionMethod)))
    attribution: dict[str, Any] = {}
    if draw(st.booleans()):
        attribution["attributionMethod"] = method
        if method in ("lastClick", "postClick"):
            optional(draw, attribution, "lookbackWindow", st.sampled_from(choices(model.LookbackWindow)))
    return attribution


@st.composite
def ad_sets(draw: Draw, key: str, automated: bool) -> dict[str, Any]:
    media = draw(st.sampled_from(choices(model.MediaType)))
    objectives = choices(model.Objective, *([] if media == "video" else ["videoViews"]))
    activation = draw(st.sampled_from([None, "on", "off"]))
    ad_set: dict[str, Any] = {
        "key": key,
        "name": draw(NAMES),
        "objective": draw(st.sampled_from(objectives)),
        "mediaType": media,
        "datasetId": "56789",
        "trackingCode": f"utm_source=criteo&utm_campaign={key}",
        "schedule": draw(schedules()),
    }
    if activation is not None:
        ad_set["activation"] = activation
    ad_set["bidding"] = draw(biddings(activation))
    ad_set["targeting"] = draw(targetings())
    if not automated:
        optional(draw, ad_set, "budget", budgets())
    optional(draw, ad_set, "attributionConfiguration", attributions())
    optional(draw, ad_set, "audience", st.sampled_from([None, "9876", "9877"]))
    return ad_set


EXISTING_CAMPAIGN = "358313"
"""The sandbox's seeded campaign of advertiser 12345 (no budget automation)."""


@st.composite
def manifests(draw: Draw) -> Manifest:
    """A Criteo manifest: one campaign (new, or a reference to an existing one) with one or two ad sets."""
    campaign: dict[str, Any] = {"key": "summer"}
    automated = False
    if draw(st.integers(0, 3)) == 0:
        campaign["campaignId"] = EXISTING_CAMPAIGN
    else:
        campaign["name"] = draw(NAMES)
        campaign["goal"] = draw(st.sampled_from(choices(model.Goal)))
        campaign["spendLimit"] = draw(spend_limits())
        automation = draw(automations())
        if automation is not None:
            campaign["budgetAutomation"] = automation
        automated = bool(automation and automation.get("enabled"))
    count = draw(st.integers(1, 2))
    campaign["adSets"] = [draw(ad_sets(f"set-{n}", automated)) for n in range(count)]
    return {"platform": "criteo", "advertiserId": "12345", "campaigns": [campaign]}


# -- one-field edits ----------------------------------------------------------------------------------


@st.composite
def edits(draw: Draw, manifest: Manifest) -> tuple[Manifest, str, str]:
    """The manifest with one owned, changeable field set to another valid value: (manifest, address, the
    dotted path of the field the plan must change)."""
    edited = copy.deepcopy(manifest)
    campaign = edited["campaigns"][0]
    ad_set = draw(st.sampled_from(campaign["adSets"]))
    address = f"criteo.ad_set.summer/{ad_set['key']}"
    options = ["name", "endDate", "audience"]
    if ad_set["bidding"]["costController"] != "dailyBudget":
        options.append("bidAmount")
    if ad_set["targeting"]["frequencyCapping"] is not None:
        options.append("maximumImpressions")
    if ad_set.get("budget", {}).get("budgetStrategy") == "capped":
        options.append("budgetAmount")
    if campaign.get("spendLimit", {}).get("spendLimitType") == "capped":
        options.append("spendLimitAmount")
    if ad_set.get("activation") == "on" or ad_set["bidding"].get("bidAmount") is not None:
        options.append("activation")
    if isinstance(ad_set["targeting"].get("geoLocation", {}).get("countries"), dict):
        options.append("countries")
    if (ad_set["targeting"]["frequencyCapping"] or {}).get("frequency") is not None:
        options.append("frequency")
    options.append("startDate")
    field = draw(st.sampled_from(options))
    targeting = ad_set["targeting"]
    if field == "countries":
        rule = targeting["geoLocation"]["countries"]
        old_set = {v.upper() for v in rule["values"]}
        new = draw(st.sets(st.sampled_from(COUNTRIES[:6]), min_size=1).filter(lambda s: s != old_set))
        rule["values"] = sorted(new)
        return edited, address, "targeting.geoLocation.countries.values"
    if field == "frequency":
        old = targeting["frequencyCapping"]["frequency"]
        others = [f for f in choices(model.Frequency, "advanced") if f != old]
        targeting["frequencyCapping"]["frequency"] = draw(st.sampled_from(others))
        return edited, address, "targeting.frequencyCapping.frequency"
    if field == "startDate":
        start = _instant(ad_set["schedule"]["startDate"])
        earlier = draw(moments(START - timedelta(days=60), start - timedelta(seconds=1)))
        ad_set["schedule"]["startDate"] = draw(date_text(earlier))
        return edited, address, "schedule.startDate"
    if field == "name":
        ad_set["name"] = draw(NAMES.filter(lambda n: n != ad_set["name"]))
        return edited, address, "name"
    if field == "endDate":
        start = _instant(ad_set["schedule"]["startDate"])
        current = ad_set["schedule"].get("endDate")
        later = draw(moments(start + timedelta(seconds=1), END + timedelta(days=400)))
        if current is not None and _instant(current) == later:
            later += timedelta(seconds=1)
        ad_set["schedule"]["endDate"] = draw(date_text(later))
        return edited, address, "schedule.endDate"
    if field == "audience":
        ad_set["audience"] = "9877" if ad_set.get("audience") == "9876" else "9876"
        return edited, address, "audience"
    if field == "bidAmount":
        old = ad_set["bidding"].get("bidAmount")
        ad_set["bidding"]["bidAmount"] = draw(
            amounts(0, 50).filter(lambda a: old is None or abs(a - old) > 1e-3)
        )
        return edited, address, "bidding.bidAmount"
    if field == "maximumImpressions":
        capping = ad_set["targeting"]["frequencyCapping"]
        empty = all(value is None for value in capping.values())  # no capping at all: null
        old = capping.get("maximumImpressions")
        capping["maximumImpressions"] = draw(st.integers(1, 10_000).filter(lambda n: n != old))
        return edited, address, "targeting.frequencyCapping" + ("" if empty else ".maximumImpressions")
    if field == "budgetAmount":
        old = ad_set["budget"]["budgetAmount"]
        ad_set["budget"]["budgetAmount"] = draw(amounts(1).filter(lambda a: abs(a - old) > 1e-3))
        return edited, address, "budget.budgetAmount"
    if field == "spendLimitAmount":
        old = campaign["spendLimit"]["spendLimitAmount"]
        campaign["spendLimit"]["spendLimitAmount"] = draw(amounts(1).filter(lambda a: abs(a - old) > 1e-3))
        return edited, "criteo.campaign.summer", "spendLimit.spendLimitAmount"
    ad_set["activation"] = "off" if ad_set.get("activation") == "on" else "on"
    return edited, address, "activation"


def _instant(text: Any) -> datetime:
    """A generated date text back as an instant (a bare date is midnight UTC)."""
    value = str(text)
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
