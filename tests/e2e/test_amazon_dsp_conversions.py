"""Amazon DSP conversion definitions through the CLI on the sandbox (examples/amazon-dsp-conversions): a
COST_PER_ACTION campaign is created, its conversion definitions associated, then it is activated ("you
must associate conversion definitions to the campaign"); editing the list plans exactly that edit."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.conftest import Result
from tests.e2e.test_amazon_dsp_workflow import AmazonAPI, amazon_api, state_ids

__all__ = ["amazon_api"]

CAMPAIGN = "amazon_dsp.campaign.spring-signups"
MANIFEST = Path("campaigns") / "signups.yaml"
PURCHASE, SIGN_UP, CART = "581400000000000001", "581400000000000002", "581400000000000003"


def associated(api: AmazonAPI, campaign_id: str) -> list[dict[str, Any]]:
    path = f"/accounts/520724305968518499/dsp/orders/{campaign_id}/conversionDefinitionAssociations"
    answer = api.call("GET", path)
    assert answer.status_code == 200, answer.text
    return sorted(answer.json()["conversionDefinitions"], key=lambda d: str(d["id"]))


def edit(project: Path, old: str, new: str) -> None:
    manifest = project / MANIFEST
    text = manifest.read_text(encoding="utf-8")
    assert old in text, old
    manifest.write_text(text.replace(old, new, 1), encoding="utf-8")


def saved_plan(cli: Callable[..., Result], project: Path) -> dict[str, Any]:
    planned = cli("plan", str(project), "-o", str(project / "plan.json"))
    assert planned.exit_code == 0, planned.stdout + planned.stderr
    document: dict[str, Any] = json.loads((project / "plan.json").read_text(encoding="utf-8"))
    return document


def test_the_conversions_example_plans_applies_and_is_clean(
    example: Callable[[str], Path],
    cli: Callable[..., Result],
    amazon_api: Callable[[Path], AmazonAPI],
    requests_of: Callable[[Path], list[dict[str, str]]],
) -> None:
    project = example("amazon-dsp-conversions")
    first = cli("plan", str(project), "--detailed-exitcode")
    assert first.exit_code == 2, first.stdout + first.stderr
    applied = cli("apply", str(project), "--auto-approve")
    assert applied.exit_code == 0, applied.stdout + applied.stderr
    again = cli("plan", str(project), "--detailed-exitcode")
    assert again.exit_code == 0, again.stdout + again.stderr

    api = amazon_api(project)
    campaign_id = state_ids(project)[CAMPAIGN]
    assert associated(api, campaign_id) == [
        {"id": PURCHASE, "isOptimized": False},
        {"id": SIGN_UP, "isOptimized": True},
        {"id": CART, "isOptimized": False},
    ]
    assert api.campaign(campaign_id)["state"] == "ACTIVE"
    calls = [f"{r['method']} {r['path']}" for r in requests_of(project)]
    orders = "/amazon-dsp/accounts/520724305968518499/dsp/orders"
    associate = calls.index(f"POST {orders}/{campaign_id}/conversionDefinitionAssociations")
    create = calls.index("POST /amazon-dsp/dsp/v1/campaigns")
    activate = max(i for i, c in enumerate(calls) if c == "PATCH /amazon-dsp/dsp/v1/campaigns")
    assert create < associate < activate


def test_removing_a_definition_plans_exactly_its_removal(
    example: Callable[[str], Path], cli: Callable[..., Result], amazon_api: Callable[[Path], AmazonAPI]
) -> None:
    project = example("amazon-dsp-conversions")
    assert cli("apply", str(project), "--auto-approve").exit_code == 0
    edit(project, "      - {name: Website purchase}\n", "")
    plan = saved_plan(cli, project)
    [change] = plan["changes"]
    assert (change["address"], change["action"]) == (CAMPAIGN, "update")
    [field] = change["fields"]
    assert field["path"] == "conversionDefinitions"
    old = {d["conversionDefinitionId"] for d in field["old"]}
    new = {d["conversionDefinitionId"] for d in field["new"]}
    assert old - new == {PURCHASE} and new < old
    assert [op["verb"] for op in plan["operations"]] == ["set_conversions"]
    assert plan["operations"][0]["payload"]["changes"] == [
        {"conversionDefinitionId": PURCHASE, "operation": "REMOVE"}
    ]
    applied = cli("apply", str(project / "plan.json"))
    assert applied.exit_code == 0, applied.stdout + applied.stderr
    campaign_id = state_ids(project)[CAMPAIGN]
    assert [d["id"] for d in associated(amazon_api(project), campaign_id)] == [SIGN_UP, CART]
    clean = cli("plan", str(project), "--detailed-exitcode")
    assert clean.exit_code == 0, clean.stdout + clean.stderr


def test_a_changed_optimization_is_added_again_and_a_drift_is_undone(
    example: Callable[[str], Path], cli: Callable[..., Result], amazon_api: Callable[[Path], AmazonAPI]
) -> None:
    project = example("amazon-dsp-conversions")
    assert cli("apply", str(project), "--auto-approve").exit_code == 0
    api = amazon_api(project)
    campaign_id = state_ids(project)[CAMPAIGN]
    path = f"/accounts/520724305968518499/dsp/orders/{campaign_id}/conversionDefinitionAssociations"
    removed = api.call("POST", path, [{"conversionDefinitionId": CART, "operation": "REMOVE"}])
    assert removed.status_code == 207 and "error" not in removed.json(), removed.text
    edit(project, "{name: Newsletter sign-up, isOptimized: true}", "{name: Newsletter sign-up}")
    plan = saved_plan(cli, project)
    [op] = plan["operations"]
    assert sorted(op["payload"]["changes"], key=lambda c: c["conversionDefinitionId"]) == [
        {"conversionDefinitionId": SIGN_UP, "operation": "ADD", "isOptimized": False},
        {"conversionDefinitionId": CART, "operation": "ADD", "isOptimized": False},
    ]
    assert cli("apply", str(project / "plan.json")).exit_code == 0
    assert all(not d["isOptimized"] for d in associated(api, campaign_id))
    assert len(associated(api, campaign_id)) == 3
    assert cli("plan", str(project), "--detailed-exitcode").exit_code == 0


def test_an_unknown_definition_name_fails_the_plan_with_candidates(
    example: Callable[[str], Path], cli: Callable[..., Result]
) -> None:
    project = example("amazon-dsp-conversions")
    edit(project, "{name: Website purchase}", "{name: Website purchase 2027}")
    planned = cli("plan", str(project))
    assert planned.exit_code == 1, planned.stdout + planned.stderr
    line = next(
        n
        for n, text in enumerate((project / MANIFEST).read_text(encoding="utf-8").splitlines(), 1)
        if "Website purchase 2027" in text
    )
    assert f"signups.yaml:{line}:" in planned.stderr and "conversionDefinitions." in planned.stderr
    assert "no conversion definition is named 'Website purchase 2027'" in planned.stderr
    assert "'Website purchase' (581400000000000001)" in planned.stderr
