"""Hypothesis strategies of valid Amazon DSP manifests, drawn from the manifest models and the offline rules:
every enum, optional fields present or absent, amounts and dates inside the ranges the rules keep, flights
that do not overlap, targets of several types (ids and names), creative associations inside their ad
group's dates, tracked products and conversion definitions when the KPI asks for them. And one edit of an
owned field of a drawn manifest, with the address and field path a plan must show for it.

Ids and names are the sandbox's seeded reference data (reconciler/sandbox/amazon_dsp/seed.py)."""

from __future__ import annotations

import copy
import string
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import strategies as st

from reconciler.manifest.amazon_dsp import models
from reconciler.manifest.amazon_dsp.targets import DayOfWeek, DeviceType
from reconciler.sandbox.amazon_dsp.seed import (
    ADVERTISER_ID,
    CONVERSION_DEFINITIONS,
    GEO_LOCATIONS,
    GUIDE_AUDIENCES,
    PRODUCT_CATEGORIES,
)

Draw = Callable[[st.SearchStrategy[Any]], Any]
START = datetime(2030, 1, 1, tzinfo=UTC)
ASIN_KPIS = ("RETURN_ON_AD_SPEND", "TOTAL_RETURN_ON_AD_SPEND", "COMBINED_RETURN_ON_AD_SPEND")
INVENTORY = ("DISPLAY", "STREAMING_TV", "ONLINE_VIDEO")
CREATIVES = {
    "DISPLAY": ["123456789", "200000000001", "200000000002", "300000000001", "300000000004"],
    "STREAMING_TV": ["300000000006"],
    "ONLINE_VIDEO": ["300000000005"],
}
CREATIVE_NAMES = {"200000000001": "Display banner 01", "300000000005": "Online video 15s"}
LOCATIONS = [g for g in GEO_LOCATIONS if g["name"] != "Springfield"]
AUDIENCES = GUIDE_AUDIENCES
CATEGORIES = PRODUCT_CATEGORIES
CONVERSIONS = [d for d in CONVERSION_DEFINITIONS if d["advertiserId"] == ADVERTISER_ID]


def enum(annotated: Any) -> tuple[str, ...]:
    """The values of a manifest enum (`Annotated[Literal[...], ...]`)."""
    return tuple(annotated.__origin__.__args__)


def when(draw: Draw, value: st.SearchStrategy[Any]) -> Any:
    """Either absent (None) or a drawn value: an optional field."""
    return draw(st.none() | value)


NAMES = st.text(string.ascii_letters + string.digits + " -_&'éü", min_size=1, max_size=24).map(str.strip)
NAME = NAMES.filter(bool)
AMOUNT = st.integers(1, 10_000_00).map(lambda cents: cents / 100)
STAMP = "%Y-%m-%dT%H:%M:%SZ"


def stamp(moment: datetime) -> str:
    return moment.strftime(STAMP)


@st.composite
def frequencies(draw: Draw) -> list[dict[str, Any]]:
    if draw(st.booleans()):
        return [{"frequencyType": "UNCAPPED"}]
    caps = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "frequencyType": st.just("CAPPED"),
                    "maxImpressions": st.integers(1, 50),
                    "timeUnitCount": st.integers(1, 30),
                    "timeUnit": st.sampled_from(enum(models.TimeUnit)),
                }
            ),
            min_size=1,
            max_size=2,
            unique_by=lambda c: (c["timeUnit"], c["timeUnitCount"]),
        )
    )
    return list(caps)


FEES = st.lists(
    st.fixed_dictionaries(
        {
            "feeType": st.sampled_from(enum(models.FeeType)),
            "feeValue": st.integers(0, 100),
            "feeValueType": st.sampled_from(enum(models.FeeValueType)),
        }
    ),
    min_size=1,
    max_size=2,
    unique_by=lambda f: f["feeType"],
)


def conversion(draw: Draw, row: dict[str, Any]) -> Any:
    """A conversion definition in one of the manifest's spellings: an id, `{name}`, `{name, isOptimized}`,
    `{conversionDefinitionId, isOptimized}`."""
    optimized = when(draw, st.booleans())
    if draw(st.booleans()):
        return {"name": row["name"], **({} if optimized is None else {"isOptimized": optimized})}
    if optimized is None:
        return row["conversionDefinitionId"]
    return {"conversionDefinitionId": row["conversionDefinitionId"], "isOptimized": optimized}


@st.composite
def campaigns(draw: Draw, index: int) -> dict[str, Any]:
    kpi = draw(st.sampled_from(enum(models.Kpi)))
    state = when(draw, st.sampled_from(["ACTIVE", "INACTIVE"]))
    campaign: dict[str, Any] = {
        "key": f"c{index}",
        "name": draw(NAME),
        "optimization": {"goalSetting": {"kpi": kpi}},
    }
    strategy = when(draw, st.sampled_from(enum(models.BidStrategy)))
    if strategy:
        campaign["optimization"]["bidStrategy"] = strategy
    automated = when(draw, st.booleans())
    if automated is not None:
        campaign["optimization"]["automateBudgetAllocation"] = automated
    target = when(draw, st.integers(1, 100))
    if target is not None:
        campaign["optimization"]["goalSetting"]["targetKpi"] = target
    count = draw(st.integers(1, 3))
    campaign["flights"] = [
        {
            "startDateTime": stamp(START + timedelta(days=40 * n)),
            "endDateTime": stamp(START + timedelta(days=40 * n + draw(st.integers(1, 39)), hours=-1)),
            "budgetAmount": draw(AMOUNT),
        }
        for n in range(count)
    ]
    optional: dict[str, st.SearchStrategy[Any]] = {
        "frequencies": frequencies(),
        "budgetCaps": st.lists(
            st.fixed_dictionaries(
                {"recurrenceTimePeriod": st.sampled_from(["DAILY", "MONTHLY"]), "amount": AMOUNT}
            ),
            min_size=1,
            max_size=2,
            unique_by=lambda c: c["recurrenceTimePeriod"],
        ),
        "fees": FEES,
        "purchaseOrderNumber": NAME,
        "comments": NAME,
    }
    for name, value in optional.items():
        drawn = when(draw, value)
        if drawn is not None:
            campaign[name] = drawn
    if kpi in ASIN_KPIS or draw(st.booleans()):
        campaign["trackedProducts"] = draw(
            st.lists(
                st.fixed_dictionaries(
                    {
                        "productId": st.sampled_from(["B09D36CVP1", "B003E1OUKS", "B08KXDFWBT"]),
                        "productAssociation": st.sampled_from(enum(models.ProductAssociation)),
                        "domain": st.sampled_from(["AMAZON_US", "AMAZON_CA"]),
                    }
                ),
                min_size=1,
                max_size=3,
                unique_by=lambda p: (p["productId"], p["domain"]),
            )
        )
    if kpi == "COST_PER_ACTION" or draw(st.booleans()):
        chosen = draw(st.lists(st.sampled_from(CONVERSIONS), min_size=1, max_size=3, unique_by=str))
        campaign["conversionDefinitions"] = [conversion(draw, row) for row in chosen]
    if state:
        campaign["state"] = state
    campaign["adGroups"] = [
        draw(ad_groups(index, n, automated is True)) for n in range(draw(st.integers(0, 2)))
    ]
    return campaign


def id_or_name(draw: Draw, row: dict[str, Any], id_key: str) -> Any:
    """A seeded object written by its id or by `{name: ...}`."""
    return row[id_key] if draw(st.booleans()) else {"name": row["name"]}


@st.composite
def locations(draw: Draw) -> list[dict[str, Any]]:
    chosen = draw(st.lists(st.sampled_from(LOCATIONS), min_size=1, max_size=3, unique_by=str))
    return [
        {"geoLocation": id_or_name(draw, row, "geoLocationId"), "negative": draw(st.booleans())}
        for row in chosen
    ]


@st.composite
def targets(draw: Draw, inventory: str) -> dict[str, list[dict[str, Any]]]:
    video = inventory != "DISPLAY"
    devices = [d for d in enum(DeviceType) if video or d != "CONNECTED_TV"]
    kinds: dict[str, st.SearchStrategy[list[dict[str, Any]]]] = {
        "location": locations(),
        "domain": st.lists(
            st.builds(
                lambda n, negative: {
                    "domainTargetDetails": {"domainName": {"domainName": f"www.site{n}.example"}},
                    "negative": negative,
                },
                st.integers(1, 50),
                st.booleans(),
            ),
            min_size=1,
            max_size=3,
            unique_by=lambda t: str(t["domainTargetDetails"]),
        ),
        "device": st.lists(
            st.sampled_from(devices).map(lambda d: {"deviceType": d}), min_size=1, max_size=3, unique_by=str
        ),
        "dayPart": st.lists(
            st.builds(
                lambda day, hour: {"dayOfWeek": day, "hourOfDay": hour},
                st.sampled_from(enum(DayOfWeek)),
                st.integers(0, 23),
            ),
            min_size=1,
            max_size=4,
            unique_by=str,
        ),
        "app": st.lists(
            st.builds(
                lambda n, neg: {"appId": f"com.example.app{n}", "negative": neg},
                st.integers(1, 9),
                st.booleans(),
            ),
            min_size=1,
            max_size=2,
            unique_by=lambda t: t["appId"],
        ),
        "product": st.lists(
            st.sampled_from(["B09D36CVP1", "B003E1OUKS"]).map(lambda a: {"asin": a}),
            min_size=1,
            max_size=2,
            unique_by=str,
        ),
    }
    if video:
        kinds["streamingTvApp"] = st.lists(
            st.sampled_from(["B00CX5P8FC", "B00DR0PDNE"]).map(lambda a: {"streamingTvAppId": a}),
            min_size=1,
            max_size=2,
            unique_by=str,
        )
    chosen = draw(st.lists(st.sampled_from(sorted(kinds)), max_size=3, unique=True))
    found = {kind: draw(kinds[kind]) for kind in chosen}
    if draw(st.booleans()):
        included = draw(st.lists(st.sampled_from(AUDIENCES[:4]), min_size=1, max_size=3, unique_by=str))
        found["audience"] = [
            {"audienceId": a["audienceId"], "groupId": draw(st.sampled_from(["1", "2"]))} for a in included
        ]
        if draw(st.booleans()):
            found["audience"].append(
                {"audienceId": AUDIENCES[4]["audienceId"], "groupId": "3", "negative": True}
            )
    return found


@st.composite
def ad_groups(draw: Draw, campaign: int, index: int, campaign_automated: bool) -> dict[str, Any]:
    inventory = draw(st.sampled_from(INVENTORY))
    start = START + timedelta(days=draw(st.integers(0, 30)), hours=draw(st.integers(0, 23)))
    end = start + timedelta(days=draw(st.integers(5, 90)))
    group: dict[str, Any] = {
        "key": f"g{index}",
        "name": draw(NAME),
        "inventoryType": inventory,
        "advertisedProductCategoryIds": [
            id_or_name(draw, row, "advertisedProductCategoryId")
            for row in draw(st.lists(st.sampled_from(CATEGORIES), min_size=1, max_size=2, unique_by=str))
        ],
        "startDateTime": stamp(start),
        "endDateTime": stamp(end),
    }
    rotation = when(draw, st.sampled_from(enum(models.CreativeRotationType)))
    if rotation:
        group["creativeRotationType"] = rotation
    automated = when(draw, st.booleans())
    optimization = {
        k: v
        for k, v in {
            "bidStrategy": when(draw, st.sampled_from(enum(models.BidStrategy))),
            "automateBudgetAllocation": automated,
        }.items()
        if v is not None
    }
    if optimization:
        group["optimization"] = optimization
    if not (campaign_automated and automated) and draw(st.booleans()):
        group["budgetAmount"] = draw(AMOUNT)
    optional: dict[str, st.SearchStrategy[Any]] = {
        "frequencies": frequencies(),
        "pacing": st.fixed_dictionaries(
            {},
            optional={
                "deliveryProfile": st.sampled_from(enum(models.DeliveryProfile)),
                "catchUpBoostPercentage": st.integers(0, 100),
            },
        ),
        "targetingSettings": st.fixed_dictionaries(
            {},
            optional={
                "timeZoneType": st.sampled_from(enum(models.TimeZoneType)),
                "userLocationSignal": st.sampled_from(enum(models.UserLocationSignal)),
                "amazonViewability": st.fixed_dictionaries(
                    {
                        "viewabilityTier": st.sampled_from(enum(models.ViewabilityTier)),
                        "includeUnmeasurableImpressions": st.booleans(),
                    }
                ),
            },
        ),
        "bid": st.fixed_dictionaries({"baseBid": AMOUNT}),
        "fees": FEES,
        "comments": NAME,
        "state": st.sampled_from(["ACTIVE", "INACTIVE"]),
    }
    for name, value in optional.items():
        drawn = when(draw, value)
        if drawn:
            group[name] = drawn
    found = draw(targets(inventory))
    if found:
        group["targets"] = found
    creatives = draw(st.lists(st.sampled_from(CREATIVES[inventory]), max_size=2, unique=True))
    group["creatives"] = [
        association(draw, n, c, start, end, rotation == "WEIGHTED") for n, c in enumerate(creatives)
    ]
    return group


def association(
    draw: Draw, index: int, creative: str, start: datetime, end: datetime, weighted: bool
) -> dict[str, Any]:
    found: dict[str, Any] = {
        "key": f"a{index}",
        "creative": {"name": CREATIVE_NAMES[creative]}
        if creative in CREATIVE_NAMES and draw(st.booleans())
        else creative,
    }
    if weighted and draw(st.booleans()):
        found["weight"] = draw(st.integers(1, 999))
    state = when(draw, st.sampled_from(["ACTIVE", "INACTIVE"]))
    if state:
        found["state"] = state
    if draw(st.booleans()):
        found["startDate"] = stamp(start + timedelta(hours=draw(st.integers(1, 48))))
    if draw(st.booleans()):
        found["endDate"] = stamp(end - timedelta(hours=draw(st.integers(1, 48))))
    return found


@st.composite
def manifests(draw: Draw) -> dict[str, Any]:
    """A whole manifest file of one advertiser: 1 or 2 campaigns."""
    return {
        "platform": "amazon_dsp",
        "advertiserId": ADVERTISER_ID,
        "campaigns": [draw(campaigns(n)) for n in range(draw(st.integers(1, 2)))],
    }


@dataclass(frozen=True)
class Edit:
    """One owned field changed: the manifest after it, and the address and field path a plan must show."""

    what: str
    document: dict[str, Any]
    address: str
    field: str


Keys = tuple[str | int, ...]
Change = Callable[[Any, int], Any]
"""(the field's value, a drawn number 1..9) → its new value."""


def _later(value: Any, days: int) -> str:
    return stamp(datetime.strptime(value, STAMP).replace(tzinfo=UTC) + timedelta(days=days))


def _candidates(document: dict[str, Any]) -> list[tuple[str, str, str, Keys, Change]]:
    """(what, address, field path in the plan, where the value is in the document, how it changes) for the
    owned fields of a manifest."""
    found: list[tuple[str, str, str, Keys, Change]] = []
    for i, campaign in enumerate(document["campaigns"]):
        c, at = f"amazon_dsp.campaign.{campaign['key']}", ("campaigns", i)
        found += [
            ("campaign name", c, "name", (*at, "name"), lambda old, n: f"{old} {n}"),
            ("flight budget", c, "flights", (*at, "flights", 0, "budgetAmount"), lambda old, n: old + n),
            ("campaign comments", c, "comments", (*at, "comments"), lambda old, n: f"note {n}"),
        ]
        for j, group in enumerate(campaign["adGroups"]):
            g, where = f"amazon_dsp.ad_group.{campaign['key']}/{group['key']}", (*at, "adGroups", j)
            found += [
                ("ad group name", g, "name", (*where, "name"), lambda old, n: f"{old} {n}"),
                ("base bid", g, "bid", (*where, "bid"), lambda old, n: {"baseBid": n + 0.5}),
                ("ad group end", g, "endDateTime", (*where, "endDateTime"), _later),
            ]
            for kind in group.get("targets", {}):
                t = f"amazon_dsp.targets.{campaign['key']}/{group['key']}/{kind}"
                found.append(
                    (f"{kind} targets", t, "targets", (*where, "targets", kind), lambda old, n: old[:-1])
                )
            for k, link in enumerate(group["creatives"]):
                a = f"amazon_dsp.creative_association.{campaign['key']}/{group['key']}/{link['key']}"
                flipped = "INACTIVE" if link.get("state", "ACTIVE") == "ACTIVE" else "ACTIVE"
                found.append(
                    (
                        "association state",
                        a,
                        "state",
                        (*where, "creatives", k, "state"),
                        lambda old, n, s=flipped: s,
                    )
                )
    return found


@st.composite
def edits(draw: Draw, document: dict[str, Any]) -> Edit:
    what, address, field, keys, change = draw(st.sampled_from(_candidates(document)))
    edited = copy.deepcopy(document)
    holder: Any = edited
    for key in keys[:-1]:
        holder = holder[key]
    holder[keys[-1]] = change(holder.get(keys[-1]), draw(st.integers(1, 9)))
    return Edit(what, edited, address, field)
