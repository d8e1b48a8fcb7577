"""Renames and targeted plans through the CLI on the embedded sandbox: a `moved:` entry moves state with no
platform call; `--target` plans (and applies) only the matching resources and the creates of their parents."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.conftest import Result
from tests.e2e.test_criteo_workflow import applied, state_ids

CAMPAIGN = "criteo.campaign.summer-retargeting"
FR = "criteo.ad_set.summer-retargeting/fr-cart-abandoners"
DE = "criteo.ad_set.summer-retargeting/de-cart-abandoners"
ES = "criteo.ad_set.summer-retargeting/es-lookalikes"
MANIFEST = Path("campaigns") / "retargeting.yaml"
WRITES = ("PATCH", "PUT", "DELETE")


def rewrite(project: Path, *pairs: tuple[str, str], tail: str = "") -> None:
    manifest = project / MANIFEST
    text = manifest.read_text()
    for old, new in pairs:
        assert old in text
        text = text.replace(old, new, 1)
    manifest.write_text(text + tail)


def platform_writes(requests: list[dict[str, str]]) -> list[str]:
    """Requests that change something on a platform (reads and token requests left out)."""
    return [
        f"{r['method']} {r['path']}"
        for r in requests
        if r["method"] in WRITES
        or (r["method"] == "POST" and not r["path"].endswith(("/search", "/token", "/oauth2/token")))
    ]


def test_a_moved_rename_plans_as_a_state_move_with_no_platform_call(
    example: Callable[[str], Path],
    cli: Callable[..., Result],
    requests_of: Callable[[Path], list[dict[str, str]]],
) -> None:
    project = example("criteo-retargeting")
    applied(cli, project)
    before = state_ids(project)
    rewrite(
        project,
        ("  - key: summer-retargeting", "  - key: summer-2027"),
        ("      - key: fr-cart-abandoners", "      - key: fr-cart"),
        tail="moved:\n"
        "  - {from: criteo.campaign.summer-retargeting, to: criteo.campaign.summer-2027}\n"
        "  - {from: criteo.ad_set.summer-2027/fr-cart-abandoners, to: criteo.ad_set.summer-2027/fr-cart}\n",
    )
    out = project / "plan.json"
    plan = cli("plan", str(project), "--detailed-exitcode", "--out", str(out))
    assert plan.exit_code == 2, plan.stderr
    assert f"  → criteo.ad_set.summer-2027/fr-cart  (moved from {FR}, id {before[FR]})" in plan.stdout
    assert "Plan: 0 to create, 0 to update, 0 to retire. 4 address(es) moved in state." in plan.stdout
    saved = json.loads(out.read_text())
    assert saved["changes"] == [] and saved["operations"] == []
    assert {m["from_address"]: m["to_address"] for m in saved["moved"]} == {
        CAMPAIGN: "criteo.campaign.summer-2027",
        FR: "criteo.ad_set.summer-2027/fr-cart",
        DE: "criteo.ad_set.summer-2027/de-cart-abandoners",
        ES: "criteo.ad_set.summer-2027/es-lookalikes",
    }
    seen = len(requests_of(project))
    assert platform_writes(requests_of(project)[:seen])  # the first apply's creates are seen as writes
    moved = cli("apply", str(out))
    assert moved.exit_code == 0 and "Moved 4 address(es) in state, with no platform call." in moved.stdout
    assert platform_writes(requests_of(project)[seen:]) == []
    after = state_ids(project)
    assert after["criteo.ad_set.summer-2027/fr-cart"] == before[FR]
    assert after["criteo.campaign.summer-2027"] == before[CAMPAIGN]
    assert set(after) == {
        "criteo.campaign.summer-2027",
        "criteo.ad_set.summer-2027/fr-cart",
        "criteo.ad_set.summer-2027/de-cart-abandoners",
        "criteo.ad_set.summer-2027/es-lookalikes",
    }
    state = json.loads((project / "state" / "default.state.json").read_text())
    assert state["resources"]["criteo.ad_set.summer-2027/fr-cart"]["parent"] == "criteo.campaign.summer-2027"
    assert cli("plan", str(project), "--detailed-exitcode").exit_code == 0  # the moved: entries may stay


def test_moved_entries_that_cannot_be_carried_out_are_located_errors(
    example: Callable[[str], Path], cli: Callable[..., Result]
) -> None:
    project = example("criteo-retargeting")
    rewrite(
        project,
        tail="moved:\n"
        f"  - {{from: criteo.ad_set.summer-retargeting/old, to: criteo.ad_set.summer-retargeting/nowhere}}\n"
        f"  - {{from: {FR}, to: {DE}}}\n"
        f"  - {{from: criteo.campaign.x, to: {FR}}}\n",
    )
    result = cli("validate", str(project))
    assert result.exit_code == 1
    lines = result.stderr
    assert "campaigns/retargeting.yaml:" in lines
    assert "moved: `criteo.ad_set.summer-retargeting/nowhere` is not declared by any manifest" in lines
    assert f"moved: `{FR}` is still declared by a manifest" in lines
    assert "moved: a move keeps the platform and kind" in lines


def test_an_unknown_field_in_a_moved_entry_is_the_only_error(
    example: Callable[[str], Path], cli: Callable[..., Result]
) -> None:
    """The renamed ad set has a typo: its entry is reported, not a cascading "moved: ... is not declared"."""
    project = example("criteo-retargeting")
    rewrite(
        project,
        ("      - key: fr-cart-abandoners\n", "      - key: fr\n        bidAmout: 3\n"),
        tail=f"moved:\n  - {{from: {FR}, to: criteo.ad_set.summer-retargeting/fr}}\n",
    )
    result = cli("validate", str(project))
    assert result.exit_code == 1
    assert "Error: 1 error(s) in the manifests:" in result.stderr
    assert "unknown field `bidAmout`" in result.stderr and "moved:" not in result.stderr
    fixed = (project / MANIFEST).read_text().replace("        bidAmout: 3\n", "")
    (project / MANIFEST).write_text(fixed.replace("summer-retargeting/fr}", "summer-retargeting/fr-typo}"))
    undeclared = cli("validate", str(project))  # a target no entry declares is still an error
    assert (
        "moved: `criteo.ad_set.summer-retargeting/fr-typo` is not declared by any manifest"
        in undeclared.stderr
    )


def test_target_on_one_ad_set_plans_only_that_ad_set(
    example: Callable[[str], Path], cli: Callable[..., Result]
) -> None:
    project = example("criteo-retargeting")
    applied(cli, project)
    rewrite(project, ("bidAmount: 0.12", "bidAmount: 0.2"), ("bidAmount: 0.85", "bidAmount: 0.9"))
    result = cli("plan", str(project), "--target", FR, "--format", "json")
    assert result.exit_code == 0, result.stderr
    plan = json.loads(result.stdout)
    assert [(c["address"], c["action"]) for c in plan["changes"]] == [(FR, "update")]
    assert plan["targets"] == [FR]
    assert any("limited by --target" in w for w in plan["warnings"])
    both = json.loads(
        cli("plan", str(project), "--target", "criteo.ad_set.*/*-cart-*", "--format", "json").stdout
    )
    assert sorted(c["address"] for c in both["changes"]) == [DE, FR]


def test_target_on_a_new_ad_set_also_creates_its_parent_and_nothing_else(
    example: Callable[[str], Path], cli: Callable[..., Result]
) -> None:
    project = example("criteo-retargeting")
    plan = cli("plan", str(project), "--target", FR, "--format", "json")
    assert plan.exit_code == 0, plan.stderr
    assert [(c["address"], c["action"]) for c in json.loads(plan.stdout)["changes"]] == [
        (CAMPAIGN, "create"),
        (FR, "create"),
    ]
    assert cli("apply", str(project), "--target", FR, "--auto-approve").exit_code == 0
    assert set(state_ids(project)) == {CAMPAIGN, FR}
    rest = json.loads(cli("plan", str(project), "--format", "json").stdout)
    assert sorted((c["address"], c["action"]) for c in rest["changes"]) == [(DE, "create"), (ES, "create")]


def test_a_target_that_matches_nothing_is_an_error(
    example: Callable[[str], Path], cli: Callable[..., Result]
) -> None:
    project = example("criteo-retargeting")
    result = cli("plan", str(project), "--target", "criteo.ad_set.summer/typo")
    assert result.exit_code == 1
    assert (
        "--target criteo.ad_set.summer/typo matches no address of the manifests or the state" in result.stderr
    )
