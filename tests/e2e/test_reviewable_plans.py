"""Plans people can review, through the CLI on the embedded sandbox: each update says whether a manifest
edit or drift causes it, the money the plan moves per platform and currency, and a markdown comment that
stays under 60,000 characters for a rollout of thousands of changes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import yaml

from tests.conftest import Result, SandboxAPI
from tests.e2e.test_criteo_workflow import FR, applied, state_ids

DE = "criteo.ad_set.summer-retargeting/de-cart-abandoners"


def test_drift_is_marked_as_drift_and_a_manifest_edit_as_such(
    example: Callable[[str], Path], cli: Callable[..., Result], sandbox_api: Callable[[Path], SandboxAPI]
) -> None:
    project = example("criteo-retargeting")
    applied(cli, project)
    # A colleague raises the FR bid in the platform; the manifests still say 0.12.
    api = sandbox_api(project)
    assert (
        api.patch_ad_set(state_ids(project)[FR], {"bidding": {"bidAmount": {"value": 0.5}}}).status_code
        == 200
    )
    # A reviewed edit raises the DE budget in the manifest.
    manifest = project / "campaigns" / "retargeting.yaml"
    manifest.write_text(manifest.read_text().replace("budgetAmount: 300", "budgetAmount: 350"))
    out = project / "plan.json"
    text = cli("plan", str(project), "--out", str(out), "--no-color")
    assert text.exit_code == 0, text.stderr
    assert f"~ {FR}  (update, id {state_ids(project)[FR]}, drift: changed outside reconciler)" in text.stdout
    assert f"~ {DE}  (update, id {state_ids(project)[DE]}, manifest edit)" in text.stdout
    assert "1 update(s) undo drift." in text.stdout
    plan = json.loads(out.read_text())
    fields = {c["address"]: c["fields"] for c in plan["changes"]}
    assert fields[FR] == [{"path": "bidding.bidAmount", "old": 0.5, "new": 0.12, "cause": "drift"}]
    assert fields[DE] == [{"path": "budget.budgetAmount", "old": 300, "new": 350, "cause": "manifest"}]
    markdown = cli("show", str(out), "--format", "markdown").stdout
    assert (
        f"**`~` `{FR}`** — update, id {state_ids(project)[FR]}, drift: changed outside reconciler" in markdown
    )
    # Once applied, the state remembers what the manifests said: nothing is left to call drift.
    applied(cli, project)
    assert cli("plan", str(project), "--detailed-exitcode").exit_code == 0


def test_every_plan_shows_the_money_per_platform_and_currency(
    example: Callable[[str], Path], cli: Callable[..., Result]
) -> None:
    project = example("global-rollout")
    applied(cli, project)
    path = project / "markets.yaml"
    data = yaml.safe_load(path.read_text())
    us = data["markets"][0]
    us.update(criteo_daily=650, criteo_bid=1.1, applovin_daily=1000, amazon_budget=12000)  # within the policy
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    text = cli("plan", str(project), "--no-color").stdout
    money = text[text.index("Money (before → after, change):") :]
    assert "  criteo, EUR\n" in money
    assert "    daily budget  criteo.ad_set.aurora-us/prospecting: 500 → 650  (+150)\n" in money
    assert "    bid (maxCPC)  criteo.ad_set.aurora-us/prospecting: 0.9 → 1.1  (+0.2)\n" in money
    assert "  applovin, USD\n" in money
    assert "    daily budget, country us  applovin.targets.aurora-us: 1,200 → 1,000  (-200)\n" in money
    assert "    total daily budget: 1,200 → 1,000  (-200)\n" in money
    assert "  amazon_dsp, USD\n" in money
    assert (
        "    flight budget, flight from 2030-03-01  amazon_dsp.campaign.aurora-us: 9,000 → 12,000  (+3,000)\n"
        in money
    )
    markdown = cli("plan", str(project), "--format", "markdown").stdout
    assert "| criteo | EUR | total daily budget | 500 | 650 | +150 |" in markdown
    assert "| amazon_dsp | USD | total flight budget | 9,000 | 12,000 | +3,000 |" in markdown


def test_the_markdown_of_a_2000_change_rollout_stays_under_60000_characters(
    example: Callable[[str], Path], cli: Callable[..., Result]
) -> None:
    project = example("global-rollout")
    countries = ["US", "GB", "DE", "FR", "ES", "IT", "NL", "BE", "SE", "PL", "JP", "BR", "CA"]
    rows = [
        {
            "key": f"m{i:03d}",
            "country": countries[i % len(countries)],
            "amazon_budget": 1000,
            "criteo_daily": 100,
            "criteo_bid": 0.5,
            "applovin_daily": 100,
            "applovin_bid": 1.5,
        }
        for i in range(290)
    ]
    (project / "markets.yaml").write_text(yaml.safe_dump({"markets": rows}, sort_keys=False))
    out = project / "plan.json"
    result = cli("plan", str(project), "--format", "markdown", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    total = len(json.loads(out.read_text())["changes"])
    assert total >= 2000
    markdown = result.stdout
    assert len(markdown) < 60_000
    shown = markdown.count("**`+` `")
    assert 0 < shown < total
    assert (
        f"_{total - shown} of {total} changes are left out to keep this comment under 60,000 characters."
        in markdown
    )
    assert f"The full plan is in `{out}` (`reconciler show {out}`)._" in markdown
    assert markdown.splitlines()[2] == f"**Plan: {total} to create, 0 to update, 0 to retire.**"
    for platform in ("amazon_dsp", "applovin", "criteo"):
        assert f"<details><summary><b>{platform}</b>:" in markdown
