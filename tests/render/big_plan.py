"""A large plan for the HTML report's scale checks (tests/render and bench/bench_html_report.py), made by the
real pure plan builder and timeline from generated manifests' resources and live objects.

Even campaigns are Amazon DSP (a flight, two ad groups, a dated creative association each: 5 dated objects),
odd ones Criteo (5 ad sets). Every 7th campaign is new, every 11th (from the 6th) is retired, every 3rd
moves its dates and raises its budgets, the rest are unchanged.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from reconciler.model import Address, KindSchema, LiveObject, Resource
from reconciler.plan import PlanChange, PlanFile, PlanSummary, build_changes
from reconciler.plan.file import PlanState
from reconciler.plan.timeline import build_timeline
from reconciler.providers.amazon_dsp.kinds import AD_GROUP, ASSOCIATION, CAMPAIGN
from reconciler.providers.criteo.kinds import AD_SET
from reconciler.providers.criteo.kinds import CAMPAIGN as CRITEO_CAMPAIGN

SCHEMAS: dict[tuple[str, str], KindSchema] = {
    ("amazon_dsp", "campaign"): CAMPAIGN,
    ("amazon_dsp", "ad_group"): AD_GROUP,
    ("amazon_dsp", "creative_association"): ASSOCIATION,
    ("criteo", "campaign"): CRITEO_CAMPAIGN,
    ("criteo", "ad_set"): AD_SET,
}


def _iso(day: date) -> str:
    return datetime(day.year, day.month, day.day, tzinfo=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _amazon(n: int, start: date, budget: float) -> list[tuple[Address, Address | None, dict[str, Any]]]:
    key = f"c{n:04d}"
    end = start + timedelta(days=60)
    found: list[tuple[Address, Address | None, dict[str, Any]]] = []
    campaign = Address("amazon_dsp", "campaign", (key,))
    flights = [{"startDateTime": _iso(start), "endDateTime": _iso(end), "budgetAmount": budget}]
    found.append((campaign, None, {"name": f"Campaign {n}", "flights": flights, "state": "ACTIVE"}))
    for g in range(2):
        group = Address("amazon_dsp", "ad_group", (key, f"g{g}"))
        attributes = {
            "name": f"Ad group {n}.{g}",
            "startDateTime": _iso(start + timedelta(days=7 * g)),
            "endDateTime": _iso(end),
            "budgetAmount": round(budget * 0.4, 2),
        }
        found.append((group, campaign, attributes))
        association = Address("amazon_dsp", "creative_association", (key, f"g{g}", "hero"))
        dates = {"startDate": _iso(start + timedelta(days=14)), "endDate": _iso(end - timedelta(days=7))}
        found.append((association, group, {"creative": "123456789", **dates}))
    return found


def _criteo(n: int, start: date, budget: float) -> list[tuple[Address, Address | None, dict[str, Any]]]:
    key = f"c{n:04d}"
    campaign = Address("criteo", "campaign", (key,))
    found: list[tuple[Address, Address | None, dict[str, Any]]] = [
        (campaign, None, {"name": f"Campaign {n}", "goal": "acquisition"})
    ]
    for s in range(5):
        end = None if s == 4 else _iso(start + timedelta(days=45 + 10 * s))
        attributes = {
            "name": f"Ad set {n}.{s}",
            "schedule": {"startDate": _iso(start + timedelta(days=3 * s)), "endDate": end},
            "budget": {"budgetAmount": budget / 10, "budgetRenewal": "daily", "budgetStrategy": "capped"},
            "activation": "on",
        }
        found.append((Address("criteo", "ad_set", (key, f"s{s}")), campaign, attributes))
    return found


def big_plan(campaigns: int = 400) -> PlanFile:
    """A plan over `campaigns` campaigns (5 dated objects each: 2,000 for the default)."""
    desired: list[Resource] = []
    managed: dict[Address, tuple[str, Address | None, dict[str, Any]]] = {}
    live: dict[Address, LiveObject] = {}
    for n in range(campaigns):
        make = _amazon if n % 2 == 0 else _criteo
        start = date(2030, 1, 1) + timedelta(days=(n * 5) % 300)
        was = make(n, start, 1000.0 + 10 * n)
        moved = n % 3 == 0
        now = make(n, start + timedelta(days=14), 1500.0 + 10 * n) if moved else was
        if n % 7 != 0:  # on the platform already
            for number, (address, parent, attributes) in enumerate(was):
                managed[address] = (f"{n}{number}", parent, attributes)
                live[address] = LiveObject(address, f"{n}{number}", attributes)
        if n % 11 != 5 or n % 7 == 0:  # still wanted
            desired += [Resource(address, attributes, parent=parent) for address, parent, attributes in now]
    changes, errors = build_changes(desired, managed, live, SCHEMAS)
    assert not errors, errors
    summary = PlanSummary()
    for change in changes:
        setattr(summary, change.action.value, getattr(summary, change.action.value) + 1)
    return PlanFile(
        created_at="2029-12-01T00:00:00Z",
        project="big-media-plan",
        project_dir="/tmp/big-media-plan",
        state=PlanState(lineage="big", serial=1),
        manifest_digest="0" * 64,
        summary=summary,
        changes=[PlanChange.of(c) for c in changes],
        currencies={"amazon_dsp": "USD", "criteo": "EUR"},
        timeline=build_timeline(desired, managed, live, changes, SCHEMAS),
    )
