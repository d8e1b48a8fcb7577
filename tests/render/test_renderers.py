"""Text, markdown and json renderings of one plan: per-field old → new values and a summary."""

from __future__ import annotations

import json

import jsonschema

from reconciler.plan import PlanChange, PlanFile, PlanSummary
from reconciler.plan.file import PlanField, PlanState
from reconciler.render import render_json, render_markdown, render_text
from reconciler.schemas import all_schemas


def sample() -> PlanFile:
    return PlanFile(
        created_at="2027-01-01T00:00:00Z",
        project="shop",
        project_dir="/tmp/shop",
        state=PlanState(lineage="l", serial=3),
        manifest_digest="d",
        summary=PlanSummary(create=1, update=1, retire=1),
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
                fields=[PlanField(path="bidding.bidAmount", old=0.12, new=0.15)],
            ),
            PlanChange(
                address="criteo.ad_set.c/b",
                platform="criteo",
                kind="ad_set",
                action="retire",
                id="8",
                note="retire (stop: Criteo has no delete)",
            ),
        ],
        warnings=["m.yaml:3:5: warning: bid will be rounded"],
    )


def test_text_shows_each_field_and_a_summary() -> None:
    text = render_text(sample())
    assert "  + criteo.campaign.c  (create)" in text
    assert '      spendLimit.spendLimitType: "uncapped"' in text
    assert "  ~ criteo.ad_set.c/a  (update, id 7)" in text
    assert "      bidding.bidAmount: 0.12 → 0.15" in text
    assert "  - criteo.ad_set.c/b  (retire (stop: Criteo has no delete), id 8)" in text
    assert "warning: m.yaml:3:5: warning: bid will be rounded" in text
    assert text.rstrip().endswith("Plan: 1 to create, 1 to update, 1 to retire.")


def test_markdown_is_a_table_with_the_summary_first() -> None:
    markdown = render_markdown(sample())
    lines = markdown.splitlines()
    assert lines[2] == "**Plan: 1 to create, 1 to update, 1 to retire.**"
    assert "| ~ | `criteo.ad_set.c/a` | update, id 7 | `bidding.bidAmount` | 0.12 | 0.15 |" in lines
    assert "| - | `criteo.ad_set.c/b` | retire (stop: Criteo has no delete), id 8 |  |  |  |" in lines


def test_json_validates_against_the_plan_schema() -> None:
    document = json.loads(render_json(sample()))
    jsonschema.validate(document, all_schemas()["plan.schema.json"])
    assert document["changes"][1]["fields"] == [{"path": "bidding.bidAmount", "old": 0.12, "new": 0.15}]


def test_no_changes() -> None:
    empty = sample().model_copy(update={"changes": [], "summary": PlanSummary(), "warnings": []})
    assert render_text(empty) == "No changes. The live platforms match the manifests.\n"
