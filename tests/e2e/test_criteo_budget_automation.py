"""Criteo campaign budget automation through the CLI on the embedded sandbox: ad sets without `budget` (the
spec: "For marketing campaigns with budget automation enabled, omit this object") validate, plan, apply and
plan no change; the budget Criteo initialises from the campaign's spend limit is the platform's until the
manifest sets one, which it can once automation is off."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import yaml

from tests.conftest import Result, SandboxAPI
from tests.manifest.helpers import write_project

PROJECT = """\
project: automated
platforms:
  criteo:
    endpoint: sandbox
"""
AD_SET = """\
      - key: {key}
        name: {key} prospecting
        objective: conversions
        mediaType: display
        datasetId: "56789"
        trackingCode: utm_source=criteo&utm_campaign={key}
        schedule: {{startDate: 2027-06-01T00:00:00Z, endDate: 2027-08-31T23:59:59Z}}
        activation: on
        bidding: {{costController: COS, bidAmount: 0.1}}
        targeting:
          frequencyCapping: {{frequency: daily, maximumImpressions: 3}}
          geoLocation:
            countries: {{operand: in, values: [{country}]}}
"""
MANIFEST = (
    """\
# yaml-language-server: $schema=../schemas/manifest.schema.json
platform: criteo
advertiserId: "12345"
campaigns:
  - key: launch
    name: Launch with automated budgets
    goal: acquisition
    spendLimit: {spendLimitType: capped, spendLimitRenewal: daily, spendLimitAmount: 900}
    budgetAutomation:
      enabled: true
      budgetConfiguration: {adSetObjectives: conversions}
    adSets:
"""
    + AD_SET.format(key="fr", country="FR")
    + AD_SET.format(key="de", country="DE")
)
FILE = "campaigns/launch.yaml"
FR = "criteo.ad_set.launch/fr"


def ids(project: Path) -> dict[str, str]:
    state = json.loads((project / "state" / "default.state.json").read_text())
    return {address: entry["id"] for address, entry in state["resources"].items()}


def test_budget_automation_ad_sets_without_budget_plan_apply_and_converge(
    tmp_path: Path, cli: Callable[..., Result], sandbox_api: Callable[[Path], SandboxAPI]
) -> None:
    project = write_project(tmp_path / "project", {FILE: MANIFEST}, PROJECT)
    checked = cli("validate", str(project))
    assert checked.exit_code == 0 and "warning" not in checked.stderr, checked.stderr
    plan = cli("plan", str(project), "--detailed-exitcode")
    assert plan.exit_code == 2 and "Plan: 3 to create, 0 to update, 0 to retire." in plan.stdout, plan.stderr
    applied = cli("apply", str(project), "--auto-approve")
    assert applied.exit_code == 0, applied.stdout + applied.stderr
    again = cli("plan", str(project), "--detailed-exitcode")
    assert again.exit_code == 0 and "No changes" in again.stdout, again.stdout + again.stderr

    # Criteo set each ad set's budget from the campaign's spend limit: the platform's, never diffed.
    api = sandbox_api(project)
    live = api.call("GET", f"/ad-sets/{ids(project)[FR]}").json()["data"]["attributes"]
    assert (live["budget"]["budgetStrategy"], live["budget"]["budgetAmount"]) == ("capped", 900)
    assert live["schedule"]["activationStatus"] == "on"
    campaign = api.call("GET", f"/campaigns/{ids(project)['criteo.campaign.launch']}").json()["data"]
    assert campaign["attributes"]["budgetAutomation"]["enabled"] is True

    # A budget in an automated campaign is a located error before any request.
    manifest = project / FILE
    budget = "        budget: {budgetStrategy: uncapped}\n"
    manifest.write_text(MANIFEST.replace("        targeting:\n", budget + "        targeting:\n", 1))
    refused = cli("plan", str(project))
    assert refused.exit_code == 1 and f"{FILE}:" in refused.stderr, refused.stderr
    assert "remove `budget` from this ad set, or disable budgetAutomation" in refused.stderr


def test_turning_automation_off_lets_the_manifest_own_a_budget(
    tmp_path: Path, cli: Callable[..., Result], sandbox_api: Callable[[Path], SandboxAPI]
) -> None:
    project = write_project(tmp_path / "project", {FILE: MANIFEST}, PROJECT)
    assert cli("apply", str(project), "--auto-approve").exit_code == 0
    manifest = project / FILE
    budget = (
        "        budget: {budgetStrategy: capped, budgetRenewal: daily, budgetDeliverySmoothing: standard, "
        "budgetAmount: 250}\n"
    )
    edited = MANIFEST.replace("enabled: true", "enabled: false").replace(
        "        targeting:\n", budget + "        targeting:\n", 1
    )
    manifest.write_text(edited)
    plan = cli("plan", str(project), "--detailed-exitcode")
    assert plan.exit_code == 2 and "Plan: 0 to create, 2 to update, 0 to retire." in plan.stdout, plan.stderr
    # Criteo refuses an ad set budget while the campaign automates budgets: the budget waits for the
    # campaign's patch that turns automation off.
    operations = {
        op["key"]: op for op in json.loads(cli("plan", str(project), "--format", "json").stdout)["operations"]
    }
    assert operations[f"patch_ad_set:{FR}"]["after"] == ["patch_campaign:criteo.campaign.launch"]
    applied = cli("apply", str(project), "--auto-approve")
    assert applied.exit_code == 0, applied.stdout + applied.stderr
    assert cli("plan", str(project), "--detailed-exitcode").exit_code == 0
    live = sandbox_api(project).call("GET", f"/ad-sets/{ids(project)[FR]}").json()["data"]["attributes"]
    assert (live["budget"]["budgetAmount"], live["budget"]["budgetDeliverySmoothing"]) == (250, "standard")


def test_an_automated_campaign_is_imported_without_ad_set_budgets(
    tmp_path: Path, cli: Callable[..., Result], sandbox_api: Callable[[Path], SandboxAPI]
) -> None:
    """A colleague's campaign with budget automation, and an ad set with no frequency capping: the imported
    manifest holds no ad set budget and `frequencyCapping: null`, validates, and plans no change."""
    from tests.sandbox.conftest import ad_set_body, campaign_body

    project = write_project(tmp_path / "project", {}, PROJECT)
    api = sandbox_api(project)
    automation = {"enabled": True, "budgetConfiguration": {"adSetObjectives": "visits"}}
    made = api.call("POST", "/campaigns", campaign_body(name="Colleague's", budgetAutomation=automation))
    assert made.status_code == 201, made.text
    campaign_id = made.json()["data"]["id"]
    targeting = {"frequencyCapping": None, "geoLocation": {"countries": {"operand": "in", "values": ["FR"]}}}
    body = ad_set_body(campaignId=campaign_id, budget=None, targeting=targeting)
    assert api.call("POST", "/ad-sets", body).status_code == 201
    result = cli(
        "import", "criteo", str(project), "--out", str(project / "imported"), "--campaign", campaign_id
    )
    assert result.exit_code == 0, result.stdout + result.stderr
    written = yaml.safe_load((project / "imported" / "criteo-12345.yaml").read_text())
    ad_set = written["campaigns"][0]["adSets"][0]
    assert "budget" not in ad_set and ad_set["targeting"]["frequencyCapping"] is None
    plan = cli("plan", str(project), "--detailed-exitcode")
    assert plan.exit_code == 0, plan.stdout + plan.stderr
