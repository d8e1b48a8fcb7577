"""The Amazon DSP workflow through the CLI on the sandbox: the guide's launch as code, default targets,
flights, batching, names and moderation."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

import reconciler.sandbox as sandbox_package
from reconciler.sandbox import create_app
from reconciler.sandbox.amazon_dsp.settings import Settings as AmazonSettings
from reconciler.sandbox.faults import Faults
from reconciler.sandbox.settings import SandboxSettings
from tests.conftest import Result, _SyncASGI

ADVERTISER = "520724305968518499"
CAMPAIGN = "amazon_dsp.campaign.q1-launch"
AD_GROUP = "amazon_dsp.ad_group.q1-launch/display"
MANIFEST = Path("campaigns") / "q1-launch.yaml"
FLIGHT_1 = (
    "      - {startDateTime: 2030-01-01T00:00:00Z, endDateTime: 2030-03-31T23:59:59Z, budgetAmount: 5000}\n"
)
FLIGHT_2 = (
    "      - {startDateTime: 2030-04-01T00:00:00Z, endDateTime: 2030-06-30T23:59:59Z, budgetAmount: 8000}\n"
)
FLIGHT_3 = (
    "      - {startDateTime: 2030-07-01T00:00:00Z, endDateTime: 2030-09-30T23:59:59Z, budgetAmount: 100}\n"
)


class AmazonAPI:
    """The sandbox's Amazon DSP API, as another user of the platform sees it."""

    def __init__(self, client: httpx.Client) -> None:
        self.client = client
        token = client.post(
            "/auth/o2/token",
            data={
                "grant_type": "refresh_token",
                "refresh_token": "r",
                "client_id": "other",
                "client_secret": "s",
            },
        ).json()["access_token"]
        client.headers.update(
            {
                "Authorization": f"Bearer {token}",
                "Amazon-Advertising-API-ClientId": "other",
                "Amazon-Ads-AccountId": ADVERTISER,
            }
        )

    @classmethod
    def embedded(cls, project: Path) -> AmazonAPI:
        app = create_app(project / ".reconciler" / "sandbox.sqlite")
        return cls(httpx.Client(transport=_SyncASGI(app), base_url="http://sandbox/amazon-dsp"))

    def call(self, method: str, path: str, body: Any = None) -> httpx.Response:
        return self.client.request(method, path, json=body)

    def targets(self, ad_group_id: str, target_type: str) -> list[dict[str, Any]]:
        body = {"filters": {"adGroupIdFilter": [ad_group_id], "targetTypeFilter": [target_type]}}
        return list(self.call("POST", "/dsp/v1/targets/list", body).json().get("targets", []))

    def ad_group(self, ad_group_id: str) -> dict[str, Any]:
        rows = self.call("POST", "/dsp/v1/adGroups/list", {"adGroupIdFilter": {"include": [ad_group_id]}})
        return dict(rows.json()["adGroups"][0])

    def campaign(self, campaign_id: str) -> dict[str, Any]:
        rows = self.call("POST", "/dsp/v1/campaigns/list", {"campaignIdFilter": {"include": [campaign_id]}})
        return dict(rows.json()["campaigns"][0])


@pytest.fixture
def amazon_api() -> Iterator[Callable[[Path], AmazonAPI]]:
    opened: list[AmazonAPI] = []

    def open_for(project: Path) -> AmazonAPI:
        api = AmazonAPI.embedded(project)
        opened.append(api)
        return api

    yield open_for
    for api in opened:
        api.client.close()


def applied(cli: Callable[..., Result], project: Path) -> Result:
    result = cli("apply", str(project), "--auto-approve")
    assert result.exit_code == 0, result.stderr + result.stdout
    return result


def state_ids(project: Path) -> dict[str, str]:
    state = json.loads((project / "state" / "default.state.json").read_text())
    return {address: entry["id"] for address, entry in state["resources"].items()}


def edit(project: Path, old: str, new: str) -> None:
    manifest = project / MANIFEST
    text = manifest.read_text()
    assert old in text, old
    manifest.write_text(text.replace(old, new, 1))


def details(target: dict[str, Any]) -> dict[str, Any]:
    return dict(next(iter(target["targetDetails"].values())))


def test_launch_plan_apply_plan_reaches_no_changes(
    example: Callable[[str], Path], cli: Callable[..., Result], amazon_api: Callable[[Path], AmazonAPI]
) -> None:
    project = example("amazon-dsp-launch")
    first = cli("plan", str(project), "--detailed-exitcode")
    assert first.exit_code == 2, first.stderr
    assert "Plan: 7 to create, 0 to update, 0 to retire." in first.stdout
    applied(cli, project)
    again = cli("plan", str(project), "--detailed-exitcode")
    assert again.exit_code == 0, again.stdout + again.stderr
    ids = state_ids(project)
    api = amazon_api(project)
    campaign = api.campaign(ids[CAMPAIGN])
    assert campaign["state"] == "ACTIVE"
    assert api.ad_group(ids[AD_GROUP])["state"] == "ACTIVE"
    domains = [details(t)["domainTargetDetails"] for t in api.targets(ids[AD_GROUP], "DOMAIN")]
    assert domains == [{"domainName": {"domainName": "www.nytimes.com", "domainTargetType": "DOMAIN_NAME"}}]
    # Not declared: the platform's default devices stay as they are.
    devices = sorted(details(t)["deviceType"] for t in api.targets(ids[AD_GROUP], "DEVICE"))
    assert devices == ["DESKTOP", "PHONE", "TABLET"]
    products = api.call("GET", f"/dsp/v1/campaigns/{ids[CAMPAIGN]}/conversionTracking/products").json()
    assert sorted(p["productId"] for p in products["productTrackingList"]) == ["B003E1OUKS", "B09D36CVP1"]


def test_default_targets_appearing_late_are_replaced_not_left_behind(
    example: Callable[[str], Path],
    cli: Callable[..., Result],
    amazon_api: Callable[[Path], AmazonAPI],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def late_defaults(db: Path, settings: Any = None, mounted: Any = None) -> Any:
        late = AmazonSettings(default_target_delay_seconds=5)
        return create_app(db, SandboxSettings(platforms={"amazon_dsp": late}), mounted)

    monkeypatch.setattr(sandbox_package, "create_app", late_defaults)
    project = example("amazon-dsp-launch")
    edit(
        project,
        "          location:\n",
        "          device:\n            - deviceType: PHONE\n          location:\n",
    )
    assert cli("plan", str(project), "--detailed-exitcode").exit_code == 2
    started = time.monotonic()
    applied(cli, project)
    assert time.monotonic() - started >= 4.5  # it waited for the defaults to show
    final = cli("plan", str(project), "--detailed-exitcode")
    assert final.exit_code == 0, final.stdout + final.stderr
    ad_group = state_ids(project)[AD_GROUP]
    api = amazon_api(project)
    assert [details(t)["deviceType"] for t in api.targets(ad_group, "DEVICE")] == ["PHONE"]
    domains = [details(t)["domainTargetDetails"] for t in api.targets(ad_group, "DOMAIN")]
    assert domains == [{"domainName": {"domainName": "www.nytimes.com", "domainTargetType": "DOMAIN_NAME"}}]


def test_declaring_devices_deletes_the_defaults_not_listed(
    example: Callable[[str], Path], cli: Callable[..., Result], amazon_api: Callable[[Path], AmazonAPI]
) -> None:
    project = example("amazon-dsp-launch")
    applied(cli, project)
    edit(
        project,
        "          location:\n",
        "          device:\n            - deviceType: PHONE\n          location:\n",
    )
    plan = cli("plan", str(project), "--detailed-exitcode")
    assert plan.exit_code == 2, plan.stderr
    assert "platform defaults" in plan.stdout
    assert "amazon_dsp.targets.q1-launch/display/device" in plan.stdout
    applied(cli, project)
    api = amazon_api(project)
    devices = [details(t)["deviceType"] for t in api.targets(state_ids(project)[AD_GROUP], "DEVICE")]
    assert devices == ["PHONE"]
    assert cli("plan", str(project), "--detailed-exitcode").exit_code == 0


def test_flight_edits_are_planned_delete_update_create(
    example: Callable[[str], Path], cli: Callable[..., Result], amazon_api: Callable[[Path], AmazonAPI]
) -> None:
    project = example("amazon-dsp-launch")
    applied(cli, project)
    edit(project, FLIGHT_1 + FLIGHT_2, FLIGHT_2.replace("8000", "9000") + FLIGHT_3)
    plan = json.loads(cli("plan", str(project), "--format", "json").stdout)
    flight_ops = [op for op in plan["operations"] if "flights" in op["verb"]]
    assert [op["verb"] for op in flight_ops] == ["delete_flights", "update_flights", "create_flights"]
    assert flight_ops[2]["after"] == [flight_ops[0]["key"], flight_ops[1]["key"]]
    applied(cli, project)
    assert cli("plan", str(project), "--detailed-exitcode").exit_code == 0
    rows = amazon_api(project).call(
        "POST", f"/dsp/v1/campaigns/{state_ids(project)[CAMPAIGN]}/flights/list", {}
    )
    flights = sorted((f["startDateTime"][:10], f["budgetAmount"]) for f in rows.json()["flights"])
    assert flights == [("2030-04-01", 9000), ("2030-07-01", 100)]


def monthly(year: int, months: range, budget: int) -> str:
    """Flight lines, one a month of `year`."""
    return "".join(
        f"      - {{startDateTime: {year}-{m:02d}-01T00:00:00Z, endDateTime: {year}-{m:02d}-20T00:00:00Z, "
        f"budgetAmount: {budget}}}\n"
        for m in months
    )


def test_a_campaign_of_more_than_12_flights_is_created_then_completed(
    example: Callable[[str], Path],
    cli: Callable[..., Result],
    amazon_api: Callable[[Path], AmazonAPI],
    requests_of: Callable[[Path], list[dict[str, str]]],
) -> None:
    """The guide: "During campaign creation, you may create up to 12 flights in the campaign creation
    request." 4 flights that have ended and 10 to come: the create carries the first 12, a flights call the
    last 2."""
    project = example("amazon-dsp-launch")
    edit(
        project,
        FLIGHT_1 + FLIGHT_2,
        monthly(2020, range(1, 5), 10) + FLIGHT_1 + FLIGHT_2 + monthly(2031, range(1, 9), 20),
    )
    plan = json.loads(cli("plan", str(project), "--format", "json").stdout)
    create, flights = (
        next(op for op in plan["operations"] if op["verb"] == verb)
        for verb in ("create_campaign", "create_flights")
    )
    assert [f["startDateTime"][:7] for f in flights["payload"]["flights"]] == ["2031-07", "2031-08"]
    assert len(create["payload"]["flights"]) == 12 and flights["after"] == [create["key"]]
    applied(cli, project)
    campaign_id = state_ids(project)[CAMPAIGN]
    rows = amazon_api(project).call("POST", f"/dsp/v1/campaigns/{campaign_id}/flights/list", {}).json()
    assert len(rows["flights"]) == 14
    posts = [r for r in requests_of(project) if r["path"].endswith(f"/campaigns/{campaign_id}/flights")]
    assert [r["method"] for r in posts] == ["POST"]
    assert cli("plan", str(project), "--detailed-exitcode").exit_code == 0


def test_deleting_a_started_flight_is_refused_at_plan_time(
    example: Callable[[str], Path], cli: Callable[..., Result]
) -> None:
    project = example("amazon-dsp-launch")
    edit(
        project,
        "startDateTime: 2030-01-01T00:00:00Z, endDateTime: 2030-03-31",
        "startDateTime: 2024-01-01T00:00:00Z, endDateTime: 2030-03-31",
    )
    applied(cli, project)
    edit(project, FLIGHT_1.replace("2030-01-01", "2024-01-01"), "")
    plan = cli("plan", str(project), "--detailed-exitcode")
    assert plan.exit_code == 1
    assert "2024-01-01T00:00:00Z has started: Amazon DSP cannot delete it" in plan.stderr
    flights_line = (project / MANIFEST).read_text().splitlines().index("    flights:") + 1
    assert (
        f"{MANIFEST.as_posix()}:{flights_line}:5: error amazon_dsp.campaign.q1-launch field `flights`"
        in plan.stderr
    )


def test_changing_the_inventory_type_is_an_update_in_place(
    example: Callable[[str], Path], cli: Callable[..., Result], amazon_api: Callable[[Path], AmazonAPI]
) -> None:
    """No sentence of the guides says an ad group's inventory type cannot change: it is patched (the guide
    advises against *creating* ad groups of a deprecated type, so changing to one only warns)."""
    project = example("amazon-dsp-launch")
    applied(cli, project)
    ad_group_id = state_ids(project)[AD_GROUP]
    edit(project, "inventoryType: DISPLAY", "inventoryType: STANDARD_DISPLAY")
    plan = cli("plan", str(project), "--detailed-exitcode")
    assert plan.exit_code == 2, plan.stdout + plan.stderr
    assert "STANDARD_DISPLAY is deprecated" in plan.stdout  # with the plan, once
    assert f"~ {AD_GROUP}" in plan.stdout and 'inventoryType: "DISPLAY" → "STANDARD_DISPLAY"' in plan.stdout
    assert "Plan: 0 to create, 1 to update, 0 to retire." in plan.stdout
    applied(cli, project)
    assert amazon_api(project).ad_group(ad_group_id)["inventoryType"] == "STANDARD_DISPLAY"
    assert state_ids(project)[AD_GROUP] == ad_group_id
    assert cli("plan", str(project), "--detailed-exitcode").exit_code == 0


def test_a_new_ad_group_of_a_deprecated_inventory_type_fails_at_plan_time(
    example: Callable[[str], Path], cli: Callable[..., Result]
) -> None:
    """Offline it is a warning (existing ad groups of the type keep running); creating one is a plan error."""
    project = example("amazon-dsp-launch")
    edit(project, "inventoryType: DISPLAY", "inventoryType: STANDARD_DISPLAY")
    validated = cli("validate", str(project))
    assert validated.exit_code == 0 and "STANDARD_DISPLAY is deprecated" in validated.stderr
    plan = cli("plan", str(project))
    assert plan.exit_code == 1
    line = (project / MANIFEST).read_text().splitlines().index("        inventoryType: STANDARD_DISPLAY") + 1
    assert (
        f"{MANIFEST.as_posix()}:{line}:9: error amazon_dsp.ad_group.q1-launch/display field `inventoryType`"
        in plan.stderr
    )
    assert "no longer creates STANDARD_DISPLAY ad groups" in plan.stderr and "use DISPLAY" in plan.stderr
    assert not (project / "state" / "default.state.json").exists()


def test_saved_plan_is_applied_exactly(
    example: Callable[[str], Path], cli: Callable[..., Result], tmp_path: Path
) -> None:
    project = example("amazon-dsp-launch")
    applied(cli, project)
    edit(project, "budgetAmount: 4000", "budgetAmount: 4500")
    planfile = tmp_path / "p.json"
    assert cli("plan", str(project), "-o", str(planfile)).exit_code == 0
    result = cli("apply", str(planfile))
    assert result.exit_code == 0, result.stderr
    assert cli("plan", str(project), "--detailed-exitcode").exit_code == 0


def test_a_create_whose_answer_was_lost_is_adopted_not_made_twice(
    example: Callable[[str], Path],
    cli: Callable[..., Result],
    amazon_api: Callable[[Path], AmazonAPI],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    lose = Faults(lose_share=1.0, only=r"^POST /amazon-dsp/dsp/v1/campaigns$")
    monkeypatch.setattr(
        sandbox_package,
        "create_app",
        lambda db, settings=None, mounted=None: create_app(db, SandboxSettings(faults=lose), mounted),
    )
    project = example("amazon-dsp-launch")
    failed = cli("apply", str(project), "--auto-approve")
    assert failed.exit_code == 1
    assert "FAILED create_campaign" in failed.stdout and "504" in failed.stdout
    state = json.loads((project / "state" / "default.state.json").read_text())
    assert list(state["pending"]) == [CAMPAIGN]
    monkeypatch.setattr(sandbox_package, "create_app", create_app)
    plan = cli("plan", str(project))
    assert f"= {CAMPAIGN}  (adopt object" in plan.stdout
    applied(cli, project)
    assert cli("plan", str(project), "--detailed-exitcode").exit_code == 0
    campaigns = amazon_api(project).call("POST", "/dsp/v1/campaigns/list", {}).json()["campaigns"]
    assert [c["name"] for c in campaigns].count("Acme Q1 launch") == 1


def test_a_removed_ad_group_is_set_inactive_and_its_associations_deleted(
    example: Callable[[str], Path], cli: Callable[..., Result], amazon_api: Callable[[Path], AmazonAPI]
) -> None:
    project = example("amazon-dsp-launch")
    applied(cli, project)
    ids = state_ids(project)
    manifest = project / MANIFEST
    text = manifest.read_text()
    manifest.write_text(text[: text.index("    adGroups:")] + "    adGroups: []\n")
    plan = cli("plan", str(project), "--detailed-exitcode")
    assert plan.exit_code == 2
    assert (
        f"- {AD_GROUP}  (retire (set INACTIVE: Amazon DSP has no delete for ad groups), id {ids[AD_GROUP]})"
        in (plan.stdout)
    )
    assert "Plan: 0 to create, 0 to update, 6 to retire." in plan.stdout
    applied(cli, project)
    api = amazon_api(project)
    assert api.ad_group(ids[AD_GROUP])["state"] == "INACTIVE"
    listed = api.call(
        "POST", "/dsp/v1/adCreatives/associations/adGroups/list", {"adGroupIdFilter": [ids[AD_GROUP]]}
    )
    assert listed.json()["associations"] == []
    assert api.targets(ids[AD_GROUP], "LOCATION") == []
    assert set(state_ids(project)) == {CAMPAIGN}
    assert cli("plan", str(project), "--detailed-exitcode").exit_code == 0


def test_tracked_products_are_added_and_deleted(
    example: Callable[[str], Path], cli: Callable[..., Result], amazon_api: Callable[[Path], AmazonAPI]
) -> None:
    project = example("amazon-dsp-launch")
    applied(cli, project)
    edit(
        project,
        "      - {productId: B003E1OUKS, productAssociation: FEATURED, domain: AMAZON_US}\n",
        "      - {productId: B08KXDFWBT, productAssociation: FEATURED, domain: AMAZON_US}\n",
    )
    edit(project, "productAssociation: FEATURED_WITH_VARIATION", "productAssociation: FEATURED")
    plan = json.loads(cli("plan", str(project), "--format", "json").stdout)
    assert [op["verb"] for op in plan["operations"]] == ["delete_products", "add_products"]
    applied(cli, project)
    listed = amazon_api(project).call(
        "GET", f"/dsp/v1/campaigns/{state_ids(project)[CAMPAIGN]}/conversionTracking/products"
    )
    products = sorted((p["productId"], p["productAssociation"]) for p in listed.json()["productTrackingList"])
    assert products == [("B08KXDFWBT", "FEATURED"), ("B09D36CVP1", "FEATURED")]
    assert cli("plan", str(project), "--detailed-exitcode").exit_code == 0
