"""The plan's flight timeline: each dated object's spans before and after the plan, from the kinds' own
`timeline` (Amazon DSP flights and ad groups, Criteo ad set schedules), matched across the change."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from reconciler.model import Address, LiveObject, MoneyKind, Resource
from reconciler.plan import build_changes
from reconciler.plan.file import PlanDates, PlanFile
from reconciler.plan.timeline import build_timeline, overlay, pair_spans
from reconciler.providers.amazon_dsp.timeline import campaign_timeline
from tests.conftest import Result
from tests.render.big_plan import SCHEMAS

CAMPAIGN = Address("amazon_dsp", "campaign", ("launch",))
AD_GROUP = Address("amazon_dsp", "ad_group", ("launch", "display"))
AD_SET = Address("criteo", "ad_set", ("launch", "fr"))


def flight(start: str, end: str, budget: float) -> dict[str, Any]:
    return {"startDateTime": f"{start}T00:00:00Z", "endDateTime": f"{end}T23:59:59Z", "budgetAmount": budget}


def ad_set(start: str, end: str | None, daily: float) -> dict[str, Any]:
    return {
        "name": "FR",
        "schedule": {"startDate": f"{start}T00:00:00Z", "endDate": end and f"{end}T23:59:59Z"},
        "budget": {"budgetAmount": daily, "budgetRenewal": "daily", "budgetStrategy": "capped"},
    }


def timeline_of(
    desired: dict[Address, dict[str, Any]],
    live: dict[Address, dict[str, Any]],
    targets: tuple[str, ...] = (),
    applied: dict[Address, dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The timeline entries by address, through the real builder and the providers' kinds; state's last
    applied attributes are the live ones unless `applied` says otherwise."""
    parents = {AD_GROUP: CAMPAIGN}
    resources = [Resource(a, attrs, parent=parents.get(a)) for a, attrs in desired.items()]
    last = {**live, **(applied or {})}
    managed = {a: (f"id-{a.kind}", parents.get(a), last[a]) for a in live}
    objects = {a: LiveObject(a, f"id-{a.kind}", attrs) for a, attrs in live.items()}
    changes, errors = build_changes(resources, managed, objects, SCHEMAS)
    assert errors == []
    entries = build_timeline(resources, managed, objects, changes, SCHEMAS, targets)
    return {e.address: e for e in entries}


def test_a_moved_flight_is_one_span_before_and_after_and_a_new_flight_a_span_of_its_own() -> None:
    before = {"name": "Launch", "flights": [flight("2030-03-01", "2030-05-31", 9000)]}
    after = {
        "name": "Launch",
        "flights": [flight("2030-03-15", "2030-06-15", 12000), flight("2030-07-01", "2030-07-31", 1500)],
    }
    entry = timeline_of({CAMPAIGN: after}, {CAMPAIGN: before})[str(CAMPAIGN)]
    assert entry.action == "update" and entry.name == "Launch" and entry.campaign == str(CAMPAIGN)
    moved, added = entry.spans
    assert moved.label == "flight 1"
    assert moved.before == PlanDates(
        start="2030-03-01T00:00:00Z",
        end="2030-05-31T23:59:59Z",
        budget=9000,
        budget_kind=MoneyKind.FLIGHT_BUDGET,
    )
    assert moved.after is not None and (moved.after.start, moved.after.budget) == (
        "2030-03-15T00:00:00Z",
        12000,
    )
    assert added.before is None and added.after is not None and added.after.start == "2030-07-01T00:00:00Z"


def test_flights_keep_their_identity_by_start_when_another_one_is_removed() -> None:
    old = campaign_timeline(
        {"flights": [flight("2030-01-01", "2030-01-31", 1), flight("2030-02-01", "2030-02-28", 2)]}
    )
    new = campaign_timeline({"flights": [flight("2030-02-01", "2030-02-28", 3)]})
    gone, kept = pair_spans(old, new)
    assert gone.before is not None and gone.before.budget == 1 and gone.after is None
    assert (
        kept.before is not None
        and kept.after is not None
        and (kept.before.budget, kept.after.budget) == (2, 3)
    )


def test_creates_retirements_and_unchanged_objects() -> None:
    group = {
        "name": "Display",
        "startDateTime": "2030-03-01T00:00:00Z",
        "endDateTime": "2030-05-31T23:59:59Z",
    }
    kept = ad_set("2030-03-01", None, 50)
    entries = timeline_of({AD_GROUP: group, AD_SET: kept}, {AD_SET: kept, CAMPAIGN: {"flights": []}})
    created = entries[str(AD_GROUP)]
    assert created.action == "create" and created.parent == str(CAMPAIGN)
    assert created.spans[0].before is None and created.spans[0].after is not None
    unchanged = entries[str(AD_SET)]
    assert unchanged.action == "unchanged" and unchanged.spans[0].before == unchanged.spans[0].after
    assert unchanged.spans[0].after is not None and unchanged.spans[0].after.end is None  # no end date
    assert unchanged.spans[0].after.budget_kind is MoneyKind.DAILY_BUDGET
    assert str(CAMPAIGN) not in entries  # a campaign with no flight has no dates

    retired = timeline_of({}, {AD_SET: kept})[str(AD_SET)]
    assert (
        retired.action == "retire" and retired.spans[0].after is None and retired.spans[0].before is not None
    )


def test_after_the_plan_is_the_live_object_with_the_owned_fields_laid_over_it() -> None:
    """The manifests own the start only: the end date set on the platform stays after the apply."""
    live = ad_set("2030-03-01", "2030-04-30", 50)
    owned = {"schedule": {"startDate": "2030-03-01T00:00:00Z"}}
    moved = {"schedule": {"startDate": "2030-03-08T00:00:00Z"}}
    span = timeline_of({AD_SET: moved}, {AD_SET: live}, applied={AD_SET: owned})[str(AD_SET)].spans[0]
    assert span.after is not None and span.after.start == "2030-03-08T00:00:00Z"
    assert span.after.end == "2030-04-30T23:59:59Z" and span.after.budget == 50
    # Once the manifests stop setting the end they had set, it goes back to none (Criteo's `released`).
    released = timeline_of({AD_SET: moved}, {AD_SET: live})[str(AD_SET)].spans[0]
    assert released.after is not None and released.after.end is None
    merged = overlay({"a": {"b": 1, "c": 2}, "d": [1]}, {"a": {"b": 3}, "d": [2]})
    assert merged == {"a": {"b": 3, "c": 2}, "d": [2]}


def test_targets_keep_the_changed_objects_and_the_matching_ones() -> None:
    kept = ad_set("2030-03-01", "2030-04-30", 50)
    group = {"startDateTime": "2030-03-01T00:00:00Z", "endDateTime": "2030-05-31T23:59:59Z"}
    entries = timeline_of({AD_SET: kept, AD_GROUP: group}, {AD_SET: kept}, targets=("amazon_dsp.*",))
    assert list(entries) == [str(AD_GROUP)]


def test_the_global_rollout_plan_holds_every_dated_object(
    cli: Callable[..., Result], example: Callable[[str], Path]
) -> None:
    project = example("global-rollout")
    assert cli("plan", str(project), "-o", str(project / "plan.json")).exit_code == 0
    plan = PlanFile.model_validate_json((project / "plan.json").read_text())
    assert [e.address for e in plan.timeline if e.platform == "amazon_dsp"] == [
        f"amazon_dsp.{kind}.aurora-{market}{path}"
        for market in ("de", "gb", "us")
        for kind, path in (("campaign", ""), ("ad_group", "/display"))
    ]
    criteo = {e.address: e for e in plan.timeline if e.platform == "criteo"}
    assert set(criteo) == {f"criteo.ad_set.aurora-{m}/prospecting" for m in ("us", "gb", "de")}
    assert criteo["criteo.ad_set.aurora-us/prospecting"].campaign == "criteo.campaign.aurora-us"
    assert not [e for e in plan.timeline if e.platform == "applovin"]  # AppLovin campaigns have no dates
    assert all(e.action == "create" and e.spans[0].after is not None for e in plan.timeline)
