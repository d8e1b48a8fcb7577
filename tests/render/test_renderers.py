"""Text, markdown and json renderings of one plan: per-field old → new values, nested diffs, causes, money,
colour, and the markdown cut that keeps a pull-request comment under its limit."""

from __future__ import annotations

import json

import click
import jsonschema

from reconciler.model import MoneyKind
from reconciler.plan import PlanChange, PlanFile, PlanSummary
from reconciler.plan.file import (
    PLAN_FORMAT_VERSION,
    PlanField,
    PlanIgnored,
    PlanLifecycle,
    PlanMoney,
    PlanMove,
    PlanState,
)
from reconciler.render import render_html, render_json, render_markdown, render_text
from reconciler.schemas import all_schemas


def sample() -> PlanFile:
    return PlanFile(
        created_at="2027-01-01T00:00:00Z",
        project="shop",
        project_dir="/tmp/shop",
        state=PlanState(lineage="l", serial=3),
        manifest_digest="d",
        summary=PlanSummary(create=1, update=1, retire=1),
        currencies={"criteo": "EUR"},
        changes=[
            PlanChange(
                address="criteo.campaign.c",
                platform="criteo",
                kind="campaign",
                action="create",
                desired={"name": "C", "spendLimit": {"spendLimitType": "uncapped"}},
            ),
            PlanChange(
                address="criteo.ad_set.c/a",
                platform="criteo",
                kind="ad_set",
                action="update",
                id="7",
                fields=[
                    PlanField(path="bidding.bidAmount", old=0.12, new=0.15, cause="drift"),
                    PlanField(path="budget.budgetAmount", old=100, new=150, cause="manifest"),
                    PlanField(
                        path="targeting.geoLocation.countries",
                        old={"operand": "in", "values": ["FR", "BE"]},
                        new={"operand": "in", "values": ["FR", "LU"]},
                        cause="manifest",
                    ),
                ],
                money=[
                    PlanMoney(kind=MoneyKind.DAILY_BUDGET, before=100, after=150),
                    PlanMoney(kind=MoneyKind.BID, cost_model="COS", before=0.12, after=0.15),
                ],
            ),
            PlanChange(
                address="criteo.ad_set.c/b",
                platform="criteo",
                kind="ad_set",
                action="retire",
                id="8",
                note="retire (stop: Criteo has no delete)",
                money=[PlanMoney(kind=MoneyKind.DAILY_BUDGET, before=40, after=0)],
            ),
        ],
        warnings=["m.yaml:3:5: warning: bid will be rounded"],
    )


def test_text_shows_each_field_its_cause_the_money_and_a_summary() -> None:
    text = render_text(sample())
    assert "  + criteo.campaign.c  (create)" in text
    assert '      spendLimit.spendLimitType: "uncapped"' in text
    assert "  ~ criteo.ad_set.c/a  (update, id 7, manifest edit, drift: changed outside reconciler)" in text
    assert "      bidding.bidAmount: 0.12 → 0.15  (drift)" in text
    assert "      budget.budgetAmount: 100 → 150\n" in text
    assert "  - criteo.ad_set.c/b  (retire (stop: Criteo has no delete), id 8)" in text
    assert "warning: m.yaml:3:5: warning: bid will be rounded" in text
    assert text.rstrip().endswith("Plan: 1 to create, 1 to update, 1 to retire. 1 update(s) undo drift.")


def test_a_nested_value_is_shown_as_a_diff_of_its_own() -> None:
    text = render_text(sample())
    assert (
        '      targeting.geoLocation.countries:\n        ~ values:\n        -   "BE"\n        +   "LU"\n'
    ) in text


def test_money_per_platform_and_currency_with_totals() -> None:
    text = render_text(sample())
    assert (
        "Money (before → after, change):\n"
        "  criteo, EUR\n"
        "    daily budget  criteo.ad_set.c/a: 100 → 150  (+50)\n"
        "    bid (COS)  criteo.ad_set.c/a: 0.12 → 0.15  (+0.03)\n"
        "    daily budget  criteo.ad_set.c/b: 40 → 0  (-40)\n"
        "    total daily budget: 140 → 150  (+10)\n"
    ) in text
    markdown = render_markdown(sample())
    assert "| criteo | EUR | total daily budget | 140 | 150 | +10 |" in markdown


def test_text_is_coloured_only_when_asked() -> None:
    plain = render_text(sample())
    coloured = render_text(sample(), color=True)
    assert "\x1b[" not in plain
    assert click.style("  + criteo.campaign.c  (create)", fg="green") in coloured
    assert (
        click.style("  - criteo.ad_set.c/b  (retire (stop: Criteo has no delete), id 8)", fg="red")
        in coloured
    )
    assert click.unstyle(coloured) == plain


def test_markdown_puts_the_summary_first_then_a_section_per_platform() -> None:
    markdown = render_markdown(sample())
    lines = markdown.splitlines()
    assert lines[2] == "**Plan: 1 to create, 1 to update, 1 to retire. 1 update(s) undo drift.**"
    assert "<details><summary><b>criteo</b>: 1 to create, 1 to update, 1 to retire</summary>" in lines
    assert (
        "**`~` `criteo.ad_set.c/a`** — update, id 7, manifest edit, drift: changed outside reconciler"
        in lines
    )
    assert "| `bidding.bidAmount (drift)` | 0.12 | 0.15 |" in lines
    assert "| `💰 daily budget` | 100 | 150 (+50) |" in lines
    assert "**`-` `criteo.ad_set.c/b`** — retire (stop: Criteo has no delete), id 8" in lines
    assert markdown.count("</details>") == 1


def test_markdown_of_a_huge_plan_is_cut_and_says_what_it_left_out() -> None:
    changes = [
        PlanChange(
            address=f"{'criteo' if i % 2 else 'applovin'}.ad_set.c/market-{i:04d}",
            platform="criteo" if i % 2 else "applovin",
            kind="ad_set",
            action="create",
            desired={"name": f"Market {i}", "budget": {"budgetAmount": 100}, "bidding": {"bidAmount": 0.5}},
            money=[PlanMoney(kind=MoneyKind.DAILY_BUDGET, before=0, after=100)],
        )
        for i in range(2000)
    ]
    plan = sample().model_copy(update={"changes": changes, "summary": PlanSummary(create=2000)})
    markdown = render_markdown(plan, full_plan="plan.json")
    assert len(markdown) < 60_000
    shown = markdown.count("**`+` `")
    assert 0 < shown < 2000
    assert (
        f"_{2000 - shown} of 2000 changes are left out to keep this comment under 60,000 characters."
        in markdown
    )
    assert "The full plan is in `plan.json` (`reconciler show plan.json`)._" in markdown
    assert markdown.count("</details>") == 2  # every platform keeps its section
    assert "| applovin | account currency | total daily budget | 0 | 100,000 | +100,000 |" in markdown


def test_moves_are_listed_without_any_change() -> None:
    plan = sample().model_copy(
        update={
            "changes": [],
            "summary": PlanSummary(),
            "moved": [PlanMove(from_address="criteo.ad_set.c/old", to_address="criteo.ad_set.c/new", id="9")],
        }
    )
    assert "  → criteo.ad_set.c/new  (moved from criteo.ad_set.c/old, id 9)" in render_text(plan)
    assert render_text(plan).rstrip().endswith("1 address(es) moved in state.")


def test_json_validates_against_the_plan_schema() -> None:
    document = json.loads(render_json(sample()))
    jsonschema.validate(document, all_schemas()["plan.schema.json"])
    assert document["format_version"] == PLAN_FORMAT_VERSION
    assert document["changes"][1]["fields"][0] == {
        "path": "bidding.bidAmount",
        "old": 0.12,
        "new": 0.15,
        "cause": "drift",
    }
    assert document["changes"][1]["money"][0] == {
        "kind": "daily budget",
        "item": "",
        "cost_model": "",
        "before": 100,
        "after": 150,
    }


def test_no_changes() -> None:
    empty = sample().model_copy(update={"changes": [], "summary": PlanSummary(), "warnings": []})
    assert render_text(empty) == "No changes. The live platforms match the manifests.\n"


def test_every_format_shows_ignored_fields_and_recorded_lifecycle_rules() -> None:
    plan = sample().model_copy(
        update={
            "ignored": [
                PlanIgnored(
                    address="criteo.ad_set.c/x", path="bidding.bidAmount", platform=0.12, manifests=0.15
                )
            ],
            "lifecycle": [PlanLifecycle(address="criteo.ad_set.c/a", prevent_retire=True)],
        }
    )
    line = (
        "bidding.bidAmount: 0.12 on the platform, 0.15 in the manifests (ignored: lifecycle.ignore_changes)"
    )
    text = render_text(plan)
    assert f"  criteo.ad_set.c/x\n      {line}\n" in text
    assert "  * criteo.ad_set.c/a  (record lifecycle.prevent_retire: true in state, no platform call)" in text
    assert text.rstrip().endswith(
        "1 lifecycle rule(s) recorded in state. 1 field(s) differ but are left to the platform "
        "(lifecycle.ignore_changes)."
    )
    markdown = render_markdown(plan)
    assert f"- `criteo.ad_set.c/x`: {line}" in markdown
    assert "- `*` `criteo.ad_set.c/a` — record lifecycle.prevent_retire: true" in markdown
    html = render_html(plan)
    assert '<section id="lifecycle">' in html and "<td>0.12</td><td>0.15</td>" in html
    document = json.loads(render_json(plan))
    assert document["ignored"][0]["manifests"] == 0.15 and document["lifecycle"][0]["prevent_retire"] is True
    jsonschema.validate(document, all_schemas()["plan.schema.json"])
    assert "ignored" not in json.loads(render_json(sample())), "left out of plans without them"


def test_a_plan_whose_only_differences_are_ignored_says_no_changes() -> None:
    plan = PlanFile(
        created_at="2027-01-01T00:00:00Z",
        project="shop",
        project_dir="/tmp/shop",
        state=PlanState(lineage="l", serial=3),
        manifest_digest="d",
        summary=PlanSummary(),
        ignored=[
            PlanIgnored(address="criteo.ad_set.c/x", path="budget.budgetAmount", platform=90, manifests=100)
        ],
    )
    assert not plan.has_changes
    assert render_text(plan).endswith(
        "No changes. The live platforms match the manifests. 1 field(s) differ but are left to the platform "
        "(lifecycle.ignore_changes).\n"
    )
    assert "budget.budgetAmount: 90 on the platform, 100 in the manifests" in render_markdown(plan)
