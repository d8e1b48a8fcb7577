"""Lifecycle rules end to end on each platform's sandbox: a bid or budget changed through the platform's own
API is left alone when `lifecycle.ignore_changes` names it (and planned back without the rule); an object
with `prevent_retire: true` is never retired, not even once its manifest entry is gone, until its entry is
applied with `prevent_retire: false`."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from reconciler.sandbox import create_app
from tests.conftest import BIN, Result, SandboxAPI, _SyncASGI, sandbox_server


@dataclass(frozen=True)
class Case:
    """One platform's example, the manifest entry that gets the rule and how its value changes on the
    platform (through the sandbox's own API, as the platform's optimizer would)."""

    example: str
    manifest: str
    entry: str  # the line after which the entry's `lifecycle:` is written
    indent: str
    address: str
    field: str
    change: Callable[[Path, str], None]  # (project, the object's id)
    planned_back: str  # what a plan without the rule shows


def _criteo_bid(project: Path, ad_set_id: str) -> None:
    api = SandboxAPI(project / ".reconciler" / "sandbox.sqlite")
    try:
        response = api.patch_ad_set(ad_set_id, {"bidding": {"bidAmount": {"value": 0.5}}})
        assert response.status_code == 200, response.text
    finally:
        api.client.close()


def _embedded(project: Path, prefix: str) -> httpx.Client:
    app = create_app(project / ".reconciler" / "sandbox.sqlite")
    return httpx.Client(transport=_SyncASGI(app), base_url=f"http://sandbox{prefix}")


def _amazon_budget(project: Path, ad_group_id: str) -> None:
    with _embedded(project, "/amazon-dsp") as client:
        token = client.post(
            "/auth/o2/token",
            data={
                "grant_type": "refresh_token",
                "refresh_token": "r",
                "client_id": "o",
                "client_secret": "s",
            },
        ).json()["access_token"]
        headers = {
            "Authorization": f"Bearer {token}",
            "Amazon-Advertising-API-ClientId": "o",
            "Amazon-Ads-AccountId": "520724305968518499",
        }
        body = {"adGroups": [{"adGroupId": ad_group_id, "budgetAmount": 4500}]}
        response = client.patch("/dsp/v1/adGroups", json=body, headers=headers)
        assert response.status_code in (200, 207), response.text
        assert "error" not in response.text.lower(), response.text


def _applovin_bid(project: Path, campaign_id: str) -> None:
    with _embedded(project, "/applovin") as client:
        token = client.post(
            "/oauth/v1/access_token",
            data={
                "grant_type": "client_credentials",
                "client_id": "optimizer",
                "client_secret": "x",
                "scope": "campaigns:write",
            },
        ).json()["access_token"]
        response = client.post(
            f"/campaign_management/v1/campaign_targets/{campaign_id}",
            json={"countries": [{"country": "us", "bid": 3.3}]},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert response.status_code == 200, response.text


CASES = {
    "criteo": Case(
        "criteo-retargeting",
        "campaigns/retargeting.yaml",
        "      - key: fr-cart-abandoners\n",
        "        ",
        "criteo.ad_set.summer-retargeting/fr-cart-abandoners",
        "bidding.bidAmount",
        _criteo_bid,
        "bidding.bidAmount: 0.5 → 0.12",
    ),
    "amazon_dsp": Case(
        "amazon-dsp-launch",
        "campaigns/q1-launch.yaml",
        "      - key: display\n",
        "        ",
        "amazon_dsp.ad_group.q1-launch/display",
        "budgetAmount",
        _amazon_budget,
        "budgetAmount: 4500 → 4000",
    ),
    "applovin": Case(
        "applovin-ua",
        "campaigns/puzzle-ios.yaml",
        "    targets:\n",
        "      ",
        "applovin.targets.puzzle-ios",
        "countries.*.bid",
        _applovin_bid,
        '+ {"bid": 2.9, "budget": 1000.0',
    ),
}
SUFFIX = " (ignored: lifecycle.ignore_changes)"
IGNORED = {
    "criteo": "bidding.bidAmount: 0.5 on the platform, 0.12 in the manifests" + SUFFIX,
    "amazon_dsp": "budgetAmount: 4500 on the platform, 4000 in the manifests" + SUFFIX,
    "applovin": "countries.us.bid: 3.3 on the platform, 2.9 in the manifests" + SUFFIX,
}


def with_lifecycle(project: Path, case: Case, rules: str) -> None:
    manifest = project / case.manifest
    text = manifest.read_text()
    assert case.entry in text, case.entry
    manifest.write_text(text.replace(case.entry, f"{case.entry}{case.indent}lifecycle: {rules}\n", 1))


def applied(cli: Callable[..., Result], project: Path, *options: str) -> Result:
    result = cli("apply", str(project), "--auto-approve", *options)
    assert result.exit_code == 0, result.stdout + result.stderr
    return result


def state(project: Path) -> dict[str, Any]:
    return dict(json.loads((project / "state" / "default.state.json").read_text())["resources"])


@pytest.mark.parametrize("platform", sorted(CASES))
def test_a_value_changed_on_the_platform_is_left_alone_when_ignored_and_planned_back_without_the_rule(
    platform: str, example: Callable[[str], Path], cli: Callable[..., Result]
) -> None:
    case = CASES[platform]
    project = example(case.example)
    with_lifecycle(project, case, f"{{ignore_changes: [{case.field}]}}")
    applied(cli, project)
    case.change(project, state(project)[case.address]["id"])

    plan = cli("plan", str(project), "--detailed-exitcode")
    assert plan.exit_code == 0, plan.stdout + plan.stderr
    assert IGNORED[platform] in plan.stdout
    assert "1 field(s) differ but are left to the platform" in plan.stdout
    saved = cli("plan", str(project), "--format", "json")
    assert json.loads(saved.stdout)["ignored"][0]["address"] == case.address

    manifest = project / case.manifest
    manifest.write_text(
        manifest.read_text().replace(f"{case.indent}lifecycle: {{ignore_changes: [{case.field}]}}\n", "")
    )
    back = cli("plan", str(project), "--detailed-exitcode")
    assert back.exit_code == 2, back.stdout + back.stderr
    assert case.planned_back in back.stdout and "ignored" not in back.stdout


@pytest.mark.parametrize("platform", sorted(CASES))
def test_retiring_a_protected_object_is_refused_even_after_its_entry_is_removed(
    platform: str, example: Callable[[str], Path], cli: Callable[..., Result]
) -> None:
    case = CASES[platform]
    project = example(case.example)
    manifest = project / case.manifest
    with_lifecycle(project, case, "{prevent_retire: true}")
    applied(cli, project)
    assert state(project)[case.address]["prevent_retire"] is True
    protected = manifest.read_text()

    manifest.unlink()  # every object of the file would be retired, the protected one with them
    for options in ((), ("--allow-retire",)):
        refused = cli("plan", str(project), *options)
        assert refused.exit_code == 1, refused.stdout
        assert "protected by lifecycle.prevent_retire" in refused.stderr
        assert f"{case.address} (id {state(project)[case.address]['id']})" in refused.stderr
        assert "recorded in state when it was applied" in refused.stderr
    assert cli("apply", str(project), "--auto-approve", "--allow-retire").exit_code == 1
    assert case.address in state(project)

    manifest.write_text(protected.replace("prevent_retire: true", "prevent_retire: false"))
    unlocked = applied(cli, project)
    assert "Recorded 1 lifecycle rule(s) in state" in unlocked.stdout
    assert state(project)[case.address]["prevent_retire"] is False
    manifest.unlink()
    applied(cli, project, "--allow-retire")
    assert case.address not in state(project)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    with sandbox_server(tmp_path / "served.sqlite") as base:
        yield base


def test_over_http_an_ignored_bid_stays_and_a_protected_ad_set_is_not_retired(
    served: str, example: Callable[[str], Path]
) -> None:
    """The real command and `sandbox serve` as separate processes; the bid moves through Criteo's API."""
    case = CASES["criteo"]
    project = example(case.example)
    config = project / "reconciler.yaml"
    config.write_text(config.read_text().replace("endpoint: sandbox", f"endpoint: {served}/criteo"))
    with_lifecycle(project, case, "{ignore_changes: [bidding.bidAmount], prevent_retire: true}")
    env = {**os.environ, "CRITEO_CLIENT_ID": "acme", "CRITEO_CLIENT_SECRET": "secret"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(BIN), *args, str(project)], capture_output=True, text=True, env=env, timeout=120
        )

    assert run("apply", "--auto-approve").returncode == 0
    ad_set = state(project)[case.address]["id"]
    with httpx.Client(base_url=f"{served}/criteo") as criteo:
        token = criteo.post(
            "/oauth2/token", data={"grant_type": "client_credentials", "client_id": "o", "client_secret": "x"}
        ).json()["access_token"]
        item = {"id": ad_set, "type": "PatchAdSet", "attributes": {"bidding": {"bidAmount": {"value": 0.5}}}}
        patched = criteo.patch(
            "/2027-01/marketing-solutions/ad-sets",
            json={"data": [item]},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert patched.status_code == 200, patched.text
    plan = run("plan", "--detailed-exitcode")
    assert plan.returncode == 0 and IGNORED["criteo"] in plan.stdout, plan.stdout + plan.stderr

    (project / case.manifest).unlink()
    refused = run("apply", "--auto-approve", "--allow-retire")
    assert refused.returncode == 1
    assert f"{case.address} (id {ad_set}): lifecycle.prevent_retire is true" in refused.stderr
    assert case.address in state(project)
