"""Guardrails (`policy:` in reconciler.yaml) through the CLI on the embedded sandbox: a broken rule fails
plan and apply with one line naming address, rule and values; `enforce: warn` only warns."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Result
from tests.e2e.test_criteo_workflow import applied

FR = "criteo.ad_set.summer-retargeting/fr-cart-abandoners"
ES = "criteo.ad_set.summer-retargeting/es-lookalikes"
MANIFEST = Path("campaigns") / "retargeting.yaml"


def with_policy(project: Path, policy: str) -> None:
    config = project / "reconciler.yaml"
    config.write_text(config.read_text() + "policy:\n" + policy)


def edit(project: Path, old: str, new: str) -> None:
    manifest = project / MANIFEST
    text = manifest.read_text()
    assert old in text
    manifest.write_text(text.replace(old, new, 1))


@pytest.fixture
def applied_project(example: Callable[[str], Path], cli: Callable[..., Result]) -> Path:
    project = example("criteo-retargeting")
    applied(cli, project)
    return project


def test_a_daily_budget_raised_above_the_policy_fails_with_address_rule_and_values(
    applied_project: Path, cli: Callable[..., Result]
) -> None:
    with_policy(applied_project, "  budget_increase: {max_percent: 50, max_amount: 150}\n")
    edit(applied_project, "budgetAmount: 400", "budgetAmount: 700")
    result = cli(
        "plan", str(applied_project), "--detailed-exitcode", "--out", str(applied_project / "p.json")
    )
    assert result.exit_code == 1
    assert "the plan breaks 2 policy rule(s):" in result.stderr
    assert (
        f"{FR}: policy budget_increase.max_amount: daily budget 400 → 700 EUR (+300), above the +150 allowed"
        in result.stderr
    )
    assert (
        f"{FR}: policy budget_increase.max_percent: daily budget 400 → 700 EUR (+75%), above the +50% allowed"
        in result.stderr
    )
    assert "budget.budgetAmount: 400 → 700" in result.stdout  # the plan is shown for review
    assert not (applied_project / "p.json").exists()  # and not saved
    refused = cli("apply", str(applied_project), "--auto-approve")
    assert refused.exit_code == 1 and "budget_increase.max_amount" in refused.stderr
    assert cli("plan", str(applied_project), "--detailed-exitcode").exit_code == 1  # nothing was applied


def test_with_warn_the_plan_passes_and_shows_the_warning(
    applied_project: Path, cli: Callable[..., Result]
) -> None:
    with_policy(applied_project, "  budget_increase: {max_percent: 50, enforce: warn}\n")
    edit(applied_project, "budgetAmount: 400", "budgetAmount: 700")
    result = cli("plan", str(applied_project), "--detailed-exitcode")
    assert result.exit_code == 2, result.stderr
    warning = f"warning: {FR}: policy budget_increase.max_percent: daily budget 400 → 700 EUR (+75%)"
    assert warning in result.stdout
    markdown = cli("plan", str(applied_project), "--format", "markdown").stdout
    assert f"> ⚠️ {FR}: policy budget_increase.max_percent" in markdown
    assert cli("apply", str(applied_project), "--auto-approve").exit_code == 0


def test_the_total_increase_of_one_apply_is_capped_per_platform_and_currency(
    applied_project: Path, cli: Callable[..., Result]
) -> None:
    with_policy(applied_project, "  apply_budget_increase: {max_amount: 100}\n")
    edit(applied_project, "budgetAmount: 400", "budgetAmount: 460")
    edit(applied_project, "budgetAmount: 300", "budgetAmount: 360")
    result = cli("plan", str(applied_project))
    assert result.exit_code == 1
    assert (
        "criteo: policy apply_budget_increase.max_amount: total daily budget 700 → 820 EUR (+120) in this "
        "apply, above the +100 allowed" in result.stderr
    )


def test_retirements_need_allow_retire(applied_project: Path, cli: Callable[..., Result]) -> None:
    with_policy(applied_project, "  retire: {require_flag: true}\n")
    manifest = applied_project / MANIFEST
    text = manifest.read_text()
    manifest.write_text(text[: text.index("      - key: es-lookalikes")])
    refused = cli("plan", str(applied_project))
    assert refused.exit_code == 1
    assert f"{ES}: policy retire.require_flag: retire (stop: Criteo has no delete) (id " in refused.stderr
    assert "needs --allow-retire" in refused.stderr
    out = applied_project / "plan.json"
    allowed = cli("plan", str(applied_project), "--allow-retire", "--out", str(out))
    assert allowed.exit_code == 0, allowed.stderr
    assert cli("apply", str(out)).exit_code == 0  # the saved plan was made with --allow-retire
    assert cli("plan", str(applied_project), "--detailed-exitcode").exit_code == 0


def test_active_objects_need_an_end_date_and_bids_a_ceiling(
    applied_project: Path, cli: Callable[..., Result]
) -> None:
    with_policy(applied_project, "  end_date: {}\n  max_bid: {per_cost_model: {maxCPC: 1.0}}\n")
    edit(applied_project, "endDate: 2027-08-31T23:59:59Z", "endDate: null")
    edit(applied_project, "bidAmount: 0.85", "bidAmount: 1.25")
    result = cli("plan", str(applied_project))
    assert result.exit_code == 1
    assert f"{FR}: policy end_date: the object would run with no end date; give it one" in result.stderr
    de = "criteo.ad_set.summer-retargeting/de-cart-abandoners"
    assert f"{de}: policy max_bid.maxCPC: bid (maxCPC) 0.85 → 1.25 EUR, above the 1 allowed" in result.stderr
    # es-lookalikes has no end date but is paused (activation off): the rule does not apply to it.
    assert ES not in result.stderr


def test_a_bad_policy_is_a_located_error(applied_project: Path, cli: Callable[..., Result]) -> None:
    with_policy(applied_project, "  budget_increase: {enforce: never}\n")
    result = cli("validate", str(applied_project))
    assert result.exit_code == 1
    assert "reconciler.yaml:" in result.stderr and "policy.budget_increase" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_environment_may_tighten_the_policy(
    example: Callable[[str], Path], cli: Callable[..., Result]
) -> None:
    project = example("criteo-retargeting")
    config = project / "reconciler.yaml"
    config.write_text(
        config.read_text()
        + "policy:\n  budget_increase: {max_percent: 100}\n"
        + "environments:\n  staging: {}\n  prod:\n    policy:\n      budget_increase: {max_percent: 50}\n"
    )
    for environment in ("staging", "prod"):
        assert cli("apply", str(project), "--env", environment, "--auto-approve").exit_code == 0
    edit(project, "budgetAmount: 400", "budgetAmount: 700")
    assert cli("plan", str(project), "--env", "staging").exit_code == 0  # +75% is within 100%
    prod = cli("plan", str(project), "--env", "prod")
    assert prod.exit_code == 1
    assert (
        f"{FR}: policy budget_increase.max_percent: daily budget 400 → 700 EUR (+75%), above the +50% allowed"
        in (prod.stderr)
    )
