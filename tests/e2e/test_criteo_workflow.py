"""The Criteo workflow through the CLI on the embedded sandbox: plan, apply, saved plans, edits, retiring."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import jsonschema

from tests.conftest import REPO, Result, SandboxAPI

FR = "criteo.ad_set.summer-retargeting/fr-cart-abandoners"
ES = "criteo.ad_set.summer-retargeting/es-lookalikes"


def applied(cli: Callable[..., Result], project: Path) -> None:
    result = cli("apply", str(project), "--auto-approve")
    assert result.exit_code == 0, result.stderr + result.stdout


def state_ids(project: Path) -> dict[str, str]:
    state = json.loads((project / "state" / "default.state.json").read_text())
    return {address: entry["id"] for address, entry in state["resources"].items()}


def test_plan_apply_plan_reaches_no_changes(
    example: Callable[[str], Path], cli: Callable[..., Result], sandbox_api: Callable[[Path], SandboxAPI]
) -> None:
    project = example("criteo-retargeting")
    first = cli("plan", str(project), "--detailed-exitcode")
    assert first.exit_code == 2, first.stderr
    assert "Plan: 4 to create, 0 to update, 0 to retire." in first.stdout
    applied(cli, project)
    again = cli("plan", str(project), "--detailed-exitcode")
    assert again.exit_code == 0, again.stdout + again.stderr
    assert "No changes" in again.stdout
    ids = state_ids(project)
    assert set(ids) == {
        "criteo.campaign.summer-retargeting",
        FR,
        "criteo.ad_set.summer-retargeting/de-cart-abandoners",
        ES,
    }
    api = sandbox_api(project)
    live = api.call("GET", f"/ad-sets/{ids[FR]}").json()["data"]["attributes"]
    assert live["bidding"]["bidAmount"] == 0.12
    assert live["schedule"]["activationStatus"] == "on"
    assert live["targeting"]["frequencyCapping"]["value"]["maximumImpressions"] == 4
    stopped = api.call("GET", f"/ad-sets/{ids[ES]}").json()["data"]["attributes"]
    assert stopped["schedule"]["activationStatus"] == "off"
    audiences = api.call(
        "POST",
        "/audiences/search",
        {"data": {"type": "AudienceSearch", "attributes": {"adSetIds": [ids[ES]]}}},
    )
    assert [a["id"] for a in audiences.json()["data"]] == ["9877"]


def test_editing_one_bid_plans_exactly_one_field_update(
    example: Callable[[str], Path], cli: Callable[..., Result]
) -> None:
    project = example("criteo-retargeting")
    applied(cli, project)
    manifest = project / "campaigns" / "retargeting.yaml"
    manifest.write_text(manifest.read_text().replace("bidAmount: 0.12", "bidAmount: 0.15"))
    text = cli("plan", str(project), "--detailed-exitcode")
    assert text.exit_code == 2
    assert f"~ {FR}" in text.stdout
    assert "bidding.bidAmount: 0.12 → 0.15" in text.stdout
    assert "Plan: 0 to create, 1 to update, 0 to retire." in text.stdout
    markdown = cli("plan", str(project), "--format", "markdown").stdout
    assert f"**`~` `{FR}`** — update, id {state_ids(project)[FR]}, manifest edit" in markdown
    assert "| `bidding.bidAmount` | 0.12 | 0.15 |" in markdown
    plan = json.loads(cli("plan", str(project), "--format", "json").stdout)
    jsonschema.validate(plan, json.loads((REPO / "schemas" / "plan.schema.json").read_text()))
    assert [(c["address"], c["action"], c["fields"]) for c in plan["changes"]] == [
        (FR, "update", [{"path": "bidding.bidAmount", "old": 0.12, "new": 0.15, "cause": "manifest"}])
    ]
    applied(cli, project)
    assert cli("plan", str(project), "--detailed-exitcode").exit_code == 0


def test_saved_plan_is_applied_exactly(
    example: Callable[[str], Path], cli: Callable[..., Result], tmp_path: Path
) -> None:
    project = example("criteo-retargeting")
    planfile = tmp_path / "p.json"
    assert cli("plan", str(project), "-o", str(planfile)).exit_code == 0
    shown = cli("show", str(planfile))
    assert "Plan: 4 to create" in shown.stdout
    result = cli("apply", str(planfile))
    assert result.exit_code == 0, result.stderr
    assert cli("plan", str(project), "--detailed-exitcode").exit_code == 0
    stale = cli("apply", str(planfile))
    assert stale.exit_code == 1
    assert "stale" in stale.stderr and "state changed" in stale.stderr


def test_saved_plan_refused_when_the_manifests_changed(
    example: Callable[[str], Path], cli: Callable[..., Result], tmp_path: Path
) -> None:
    project = example("criteo-retargeting")
    planfile = tmp_path / "p.json"
    assert cli("plan", str(project), "-o", str(planfile)).exit_code == 0
    manifest = project / "campaigns" / "retargeting.yaml"
    manifest.write_text(manifest.read_text().replace("bidAmount: 0.12", "bidAmount: 0.13"))
    result = cli("apply", str(planfile))
    assert result.exit_code == 1
    assert "the manifests or reconciler.yaml changed since the plan" in result.stderr
    assert not (project / "state" / "default.state.json").exists()


def test_saved_plan_refused_when_a_touched_ad_set_changed_on_the_platform(
    example: Callable[[str], Path],
    cli: Callable[..., Result],
    tmp_path: Path,
    sandbox_api: Callable[[Path], SandboxAPI],
) -> None:
    project = example("criteo-retargeting")
    applied(cli, project)
    manifest = project / "campaigns" / "retargeting.yaml"
    manifest.write_text(manifest.read_text().replace("bidAmount: 0.12", "bidAmount: 0.15"))
    planfile = tmp_path / "p.json"
    assert cli("plan", str(project), "-o", str(planfile)).exit_code == 0
    api = sandbox_api(project)
    ad_set = state_ids(project)[FR]
    assert api.patch_ad_set(ad_set, {"name": "renamed by a colleague"}).status_code == 200
    serial = json.loads((project / "state" / "default.state.json").read_text())["serial"]
    result = cli("apply", str(planfile))
    assert result.exit_code == 1
    assert f"{FR} was changed on the platform since the plan" in result.stderr
    live = api.call("GET", f"/ad-sets/{ad_set}").json()["data"]["attributes"]
    assert live["bidding"]["bidAmount"] == 0.12
    assert live["name"] == "renamed by a colleague"
    assert json.loads((project / "state" / "default.state.json").read_text())["serial"] == serial


def test_removed_ad_set_is_retired_and_unmanaged_ad_set_never_touched(
    example: Callable[[str], Path],
    cli: Callable[..., Result],
    sandbox_api: Callable[[Path], SandboxAPI],
) -> None:
    project = example("criteo-retargeting")
    manifest = project / "campaigns" / "retargeting.yaml"
    original = manifest.read_text()
    # Retire the German ad set, which is running.
    start = original.index("      - key: de-cart-abandoners")
    end = original.index("      - key: es-lookalikes")
    applied(cli, project)
    ids = state_ids(project)
    api = sandbox_api(project)
    campaign = ids["criteo.campaign.summer-retargeting"]
    foreign = api.call(
        "POST",
        "/ad-sets",
        {
            "data": {
                "type": "AdSet",
                "attributes": {
                    "name": "made by hand",
                    "campaignId": campaign,
                    "datasetId": "56789",
                    "objective": "clicks",
                    "mediaType": "display",
                    "schedule": {"startDate": "2027-06-01T00:00:00Z"},
                    "bidding": {"costController": "maxCPC", "bidAmount": 0.5},
                    "targeting": {"frequencyCapping": {"frequency": "daily", "maximumImpressions": 2}},
                    "budget": {"budgetStrategy": "uncapped"},
                    "trackingCode": "x=1",
                },
            }
        },
    )
    assert foreign.status_code == 201, foreign.text
    foreign_id = foreign.json()["data"]["id"]
    api.call("POST", "/ad-sets/start", {"data": [{"id": foreign_id, "type": "AdSetId"}]})
    manifest.write_text(original[:start] + original[end:])
    plan = cli("plan", str(project), "--detailed-exitcode")
    assert plan.exit_code == 2
    de = "criteo.ad_set.summer-retargeting/de-cart-abandoners"
    assert f"- {de}  (retire (stop: Criteo has no delete), id {ids[de]})" in plan.stdout
    assert "Plan: 0 to create, 0 to update, 1 to retire." in plan.stdout
    applied(cli, project)
    assert de not in state_ids(project)
    assert (
        api.call("GET", f"/ad-sets/{ids[de]}").json()["data"]["attributes"]["schedule"]["activationStatus"]
        == "off"
    )
    after = api.call("GET", f"/ad-sets/{foreign_id}").json()["data"]["attributes"]
    assert after["name"] == "made by hand"
    assert after["schedule"]["activationStatus"] == "on"
    assert cli("plan", str(project), "--detailed-exitcode").exit_code == 0


def test_state_list_and_show(example: Callable[[str], Path], cli: Callable[..., Result]) -> None:
    project = example("criteo-retargeting")
    applied(cli, project)
    listing = cli("state", "list", str(project)).stdout.splitlines()
    assert len(listing) == 4 and listing[0].startswith(
        "criteo.ad_set.summer-retargeting/de-cart-abandoners\t"
    )
    shown = json.loads(cli("state", "show", FR, str(project)).stdout)
    assert shown["parent"] == "criteo.campaign.summer-retargeting"
    assert shown["applied"]["bidding"] == {"costController": "COS", "bidAmount": 0.12}
    missing = cli("state", "show", "criteo.ad_set.nope/nope", str(project))
    assert missing.exit_code == 1 and "not in state" in missing.stderr


def test_apply_asks_for_confirmation(example: Callable[[str], Path], cli: Callable[..., Result]) -> None:
    project = example("criteo-retargeting")
    refused = cli("apply", str(project), stdin="no\n")
    assert refused.exit_code == 1 and "cancelled" in refused.stderr
    assert not (project / "state" / "default.state.json").exists()
    accepted = cli("apply", str(project), stdin="yes\n")
    assert accepted.exit_code == 0, accepted.stderr
    assert "Apply complete" in accepted.stdout


def test_a_field_the_manifest_stops_setting_is_cleared_and_unowned_fields_are_left_alone(
    example: Callable[[str], Path], cli: Callable[..., Result], sandbox_api: Callable[[Path], SandboxAPI]
) -> None:
    project = example("criteo-retargeting")
    applied(cli, project)
    api = sandbox_api(project)
    fr = state_ids(project)[FR]
    # A colleague adds a zip-code rule, a field this project never set: it is theirs.
    zips = {"zipCodes": {"value": {"operand": "in", "values": ["75001"]}}}
    assert api.patch_ad_set(fr, {"targeting": {"geoLocation": zips}}).status_code == 200
    assert cli("plan", str(project), "--detailed-exitcode").exit_code == 0
    # The manifest stops excluding Corsica: the rule it set is released, i.e. cleared.
    manifest = project / "campaigns" / "retargeting.yaml"
    manifest.write_text(
        manifest.read_text().replace(
            "            subdivisions: {operand: notIn, values: [FR-2A, FR-2B]}\n", ""
        )
    )
    plan = cli("plan", str(project))
    assert (
        "      targeting.geoLocation.subdivisions:\n"
        '        - {"operand": "notIn", "values": ["FR-2A", "FR-2B"]}\n'
        "        + null\n"
    ) in plan.stdout
    assert "Plan: 0 to create, 1 to update, 0 to retire." in plan.stdout
    applied(cli, project)
    geo = api.call("GET", f"/ad-sets/{fr}").json()["data"]["attributes"]["targeting"]["geoLocation"]
    assert geo.get("subdivisions") is None
    assert geo["zipCodes"]["value"]["values"] == ["75001"]
    assert geo["countries"]["value"]["values"] == ["FR"]
    assert cli("plan", str(project), "--detailed-exitcode").exit_code == 0


def test_drift_on_an_owned_field_is_planned_back_to_the_manifest(
    example: Callable[[str], Path], cli: Callable[..., Result], sandbox_api: Callable[[Path], SandboxAPI]
) -> None:
    project = example("criteo-retargeting")
    applied(cli, project)
    api = sandbox_api(project)
    fr = state_ids(project)[FR]
    assert api.patch_ad_set(fr, {"bidding": {"bidAmount": {"value": 0.5}}}).status_code == 200
    api.call("POST", "/ad-sets/stop", {"data": [{"id": fr, "type": "AdSetId"}]})
    plan = cli("plan", str(project), "--detailed-exitcode")
    assert plan.exit_code == 2
    assert "bidding.bidAmount: 0.5 → 0.12" in plan.stdout and 'activation: "off" → "on"' in plan.stdout
    applied(cli, project)
    live = api.call("GET", f"/ad-sets/{fr}").json()["data"]["attributes"]
    assert live["bidding"]["bidAmount"] == 0.12 and live["schedule"]["activationStatus"] == "on"


def test_state_can_be_listed_while_the_manifests_are_broken(
    example: Callable[[str], Path], cli: Callable[..., Result]
) -> None:
    project = example("criteo-retargeting")
    applied(cli, project)
    manifest = project / "campaigns" / "retargeting.yaml"
    manifest.write_text(manifest.read_text().replace("objective: conversions", "objective: [", 1))
    assert cli("validate", str(project)).exit_code == 1
    listing = cli("state", "list", str(project))
    assert listing.exit_code == 0 and len(listing.stdout.splitlines()) == 4


def test_changing_a_field_criteo_cannot_change_is_a_located_plan_error(
    example: Callable[[str], Path], cli: Callable[..., Result]
) -> None:
    project = example("criteo-retargeting")
    applied(cli, project)
    manifest = project / "campaigns" / "retargeting.yaml"
    manifest.write_text(manifest.read_text().replace("objective: visits", "objective: clicks"))
    result = cli("plan", str(project))
    assert result.exit_code == 1
    assert "campaigns/retargeting.yaml:" in result.stderr and ES in result.stderr
    assert "`objective` cannot be changed after creation on criteo" in result.stderr
    assert "give the resource a new key" in result.stderr
    assert "Traceback" not in result.stderr
