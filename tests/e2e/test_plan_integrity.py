"""Only the reviewed plan is applied: a saved plan carries a digest of everything it holds (an HMAC with
RECONCILER_PLAN_KEY), and `apply PLANFILE` refuses one that was edited or signed with another key; a managed
object the platform lost is created again only when asked (`--replace ADDRESS`)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Result

AD_SET = "criteo.ad_set.summer-retargeting/fr-cart-abandoners"


def _edit_budget(plan: Path) -> None:
    """What an attacker (or a careless hand) does to a saved plan: 400 becomes 99999 wherever it appears."""
    document = json.loads(plan.read_text(encoding="utf-8"))
    text = json.dumps(document).replace('"budgetAmount": 400', '"budgetAmount": 99999')
    assert text != json.dumps(document), "the example's plan must hold a budget of 400"
    plan.write_text(text, encoding="utf-8")


def _live_budgets(project: Path) -> list[float]:
    with sqlite3.connect(project / ".reconciler" / "sandbox.sqlite") as db:
        rows = db.execute("SELECT doc FROM objects WHERE platform = 'criteo' AND kind = 'ad_set'").fetchall()
    return sorted(float(json.loads(doc)["budget"]["budgetAmount"] or 0) for (doc,) in rows)


@pytest.mark.parametrize("key", [None, "a-key-only-ci-holds"])
def test_an_edited_plan_is_refused_and_nothing_is_applied(
    key: str | None,
    example: Callable[[str], Path],
    cli: Callable[..., Result],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if key:
        monkeypatch.setenv("RECONCILER_PLAN_KEY", key)
    project = example("criteo-retargeting")
    plan = project / "plan.json"
    made = cli("plan", str(project), "-o", str(plan))
    assert made.exit_code == 0, made.stderr
    document = json.loads(plan.read_text(encoding="utf-8"))
    assert document["signed"] is bool(key)
    assert document["digest"].startswith("hmac-sha256:" if key else "sha256:")
    _edit_budget(plan)
    applied = cli("apply", str(plan))
    assert applied.exit_code == 1
    assert "digest does not match" in applied.stderr and "was not applied" in applied.stderr
    assert not (project / ".reconciler" / "sandbox.sqlite").exists() or _live_budgets(project) == []


def test_the_unedited_plan_applies_and_a_plan_signed_with_one_key_is_refused_under_another(
    example: Callable[[str], Path], cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    project = example("criteo-retargeting")
    plan = project / "plan.json"
    monkeypatch.setenv("RECONCILER_PLAN_KEY", "pull-request-job-key")
    assert cli("plan", str(project), "-o", str(plan)).exit_code == 0
    monkeypatch.setenv("RECONCILER_PLAN_KEY", "another-key")
    other = cli("apply", str(plan))
    assert other.exit_code == 1 and "signed with another key" in other.stderr
    monkeypatch.delenv("RECONCILER_PLAN_KEY")
    unkeyed = cli("apply", str(plan))
    assert unkeyed.exit_code == 1 and "RECONCILER_PLAN_KEY is not set" in unkeyed.stderr
    monkeypatch.setenv("RECONCILER_PLAN_KEY", "pull-request-job-key")
    applied = cli("apply", str(plan))
    assert applied.exit_code == 0, applied.stderr
    assert 400.0 in _live_budgets(project)
    assert "pull-request-job-key" not in plan.read_text(encoding="utf-8")


def test_an_unsigned_plan_is_refused_where_a_key_is_set(
    example: Callable[[str], Path], cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    project = example("criteo-retargeting")
    plan = project / "plan.json"
    assert cli("plan", str(project), "-o", str(plan)).exit_code == 0
    monkeypatch.setenv("RECONCILER_PLAN_KEY", "apply-job-key")
    refused = cli("apply", str(plan))
    assert refused.exit_code == 1 and "is not signed" in refused.stderr


def test_a_lost_object_is_an_error_and_replace_creates_exactly_it(
    example: Callable[[str], Path], cli: Callable[..., Result]
) -> None:
    project = example("criteo-retargeting")
    assert cli("apply", str(project), "--auto-approve").exit_code == 0
    state = json.loads((project / "state" / "default.state.json").read_text(encoding="utf-8"))
    lost_id = state["resources"][AD_SET]["id"]
    with sqlite3.connect(project / ".reconciler" / "sandbox.sqlite") as db:
        db.execute("DELETE FROM objects WHERE platform = 'criteo' AND kind = 'ad_set' AND id = ?", (lost_id,))
    refused = cli("plan", str(project))
    assert refused.exit_code == 1
    assert f"{AD_SET}: object {lost_id} no longer exists on the platform" in refused.stderr
    assert f"--replace {AD_SET}" in refused.stderr
    replaced = cli("plan", str(project), "--replace", AD_SET, "-o", str(project / "plan.json"))
    assert replaced.exit_code == 0, replaced.stderr
    plan = json.loads((project / "plan.json").read_text(encoding="utf-8"))
    assert [(c["address"], c["action"]) for c in plan["changes"]] == [(AD_SET, "create")]
    assert plan["replace"] == [AD_SET]
    still_there = cli(
        "plan", str(project), "--replace", "criteo.ad_set.summer-retargeting/de-cart-abandoners"
    )
    assert still_there.exit_code == 1 and "still exists on the platform" in still_there.stderr
    applied = cli("apply", str(project / "plan.json"))
    assert applied.exit_code == 0, applied.stderr
    assert cli("plan", str(project), "--detailed-exitcode").exit_code == 0


def test_a_saved_plan_is_refused_with_the_errors_of_a_manifest_broken_since(
    example: Callable[[str], Path], cli: Callable[..., Result]
) -> None:
    project = example("criteo-retargeting")
    plan = project / "plan.json"
    assert cli("plan", str(project), "-o", str(plan)).exit_code == 0
    manifest = project / "campaigns" / "retargeting.yaml"
    manifest.write_text(manifest.read_text().replace("bidAmount: 0.12", "bidAmount: [0.12"))
    applied = cli("apply", str(plan))
    assert applied.exit_code == 1
    assert "campaigns/retargeting.yaml:" in applied.stderr and "error" in applied.stderr
    assert not (project / "state" / "default.state.json").exists()


@pytest.mark.parametrize("when", ["before the plan", "after the plan"])
def test_a_saved_plan_shows_the_warnings_of_the_project_again(
    example: Callable[[str], Path], cli: Callable[..., Result], when: str
) -> None:
    """Whether the manifests are read again (a plan carrying warnings) or not (their digest is the plan's),
    the apply shows the project's warnings as they are now."""
    project = example("criteo-retargeting")
    plan = project / "plan.json"
    ignored = "notes.yml: warning: ignored: manifest files must end in `.yaml`"
    if when == "before the plan":
        (project / "notes.yml").write_text("a: 1\n")
    planned = cli("plan", str(project), "-o", str(plan))
    assert planned.exit_code == 0, planned.stderr
    assert (ignored in planned.stdout) is (when == "before the plan")
    if when == "after the plan":
        (project / "notes.yml").write_text("a: 1\n")
    applied = cli("apply", str(plan))
    assert applied.exit_code == 0, applied.stderr
    assert ignored in applied.stderr
