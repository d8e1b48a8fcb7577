"""`reconciler import` through the CLI on the embedded sandbox: objects a colleague made directly in the
platform become manifests and state entries, after which the plan shows no changes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from tests.conftest import Result, SandboxAPI
from tests.e2e.test_criteo_workflow import applied, state_ids
from tests.sandbox.conftest import ad_set_body, campaign_body

SEEDED_CAMPAIGN = "358313"  # the sandbox's own campaign of advertiser 12345, made outside any project


def made_in_the_platform(api: SandboxAPI) -> tuple[str, str, str]:
    """A campaign with two ad sets, created through the Criteo API as a colleague would."""
    campaign = api.call("POST", "/campaigns", campaign_body(name="Winter sale 2027"))
    assert campaign.status_code == 201, campaign.text
    campaign_id = campaign.json()["data"]["id"]
    ids = []
    for name in ("Winter FR", "Winter DE"):
        created = api.call("POST", "/ad-sets", ad_set_body(name=name, campaignId=campaign_id))
        assert created.status_code == 201, created.text
        ids.append(created.json()["data"]["id"])
    return campaign_id, ids[0], ids[1]


def test_imported_objects_plan_with_no_changes(
    example: Callable[[str], Path], cli: Callable[..., Result], sandbox_api: Callable[[Path], SandboxAPI]
) -> None:
    project = example("criteo-retargeting")
    applied(cli, project)
    managed = state_ids(project)
    campaign_id, fr_id, de_id = made_in_the_platform(sandbox_api(project))
    result = cli(
        "import", "criteo", str(project), "--out", str(project / "imported"), "--campaign", campaign_id
    )
    assert result.exit_code == 0, result.stderr
    assert f"  imported criteo.campaign.winter-sale-2027  (id {campaign_id})" in result.stdout
    assert f"  imported criteo.ad_set.winter-sale-2027/winter-fr  (id {fr_id})" in result.stdout
    assert "Imported 3 object(s)" in result.stdout
    written = yaml.safe_load((project / "imported" / "criteo-12345.yaml").read_text())
    ad_set = written["campaigns"][0]["adSets"][0]
    assert ad_set["bidding"] == {"costController": "maxCPC", "bidAmount": 0.9}
    assert ad_set["budget"]["budgetAmount"] == 123.5
    assert ad_set["targeting"]["geoLocation"]["subdivisions"] == {
        "operand": "notIn",
        "values": ["FR-01", "FR-38"],
    }
    ids = state_ids(project)
    assert ids["criteo.campaign.winter-sale-2027"] == campaign_id
    assert ids["criteo.ad_set.winter-sale-2027/winter-de"] == de_id
    assert {
        a: i for a, i in ids.items() if a in managed
    } == managed  # the project's own objects are untouched
    plan = cli("plan", str(project), "--detailed-exitcode")
    assert plan.exit_code == 0, plan.stdout + plan.stderr
    # The imported objects are managed like any other: an edit in the new manifest is planned.
    path = project / "imported" / "criteo-12345.yaml"
    path.write_text(path.read_text().replace("bidAmount: 0.9", "bidAmount: 0.95", 1))
    edited = json.loads(cli("plan", str(project), "--format", "json").stdout)
    assert [(c["address"], c["fields"][0]["path"]) for c in edited["changes"]] == [
        ("criteo.ad_set.winter-sale-2027/winter-fr", "bidding.bidAmount")
    ]


def test_an_advertiser_import_skips_what_state_manages_and_a_second_import_finds_nothing(
    example: Callable[[str], Path], cli: Callable[..., Result], sandbox_api: Callable[[Path], SandboxAPI]
) -> None:
    project = example("criteo-retargeting")
    applied(cli, project)
    managed = state_ids(project)
    made_in_the_platform(sandbox_api(project))
    first = cli("import", "criteo", str(project), "--out", str(project / "imported"), "--advertiser", "12345")
    assert first.exit_code == 0, first.stderr
    imported = [line for line in first.stdout.splitlines() if line.startswith("  imported ")]
    # The seeded campaign and its ad set, and the colleague's campaign and its 2 ad sets.
    assert len(imported) == 5
    assert not any(f"(id {i})" in line for line in imported for i in managed.values())
    assert cli("plan", str(project), "--detailed-exitcode").exit_code == 0
    again = cli("import", "criteo", str(project), "--out", str(project / "more"), "--advertiser", "12345")
    assert again.exit_code == 0
    assert (
        "Nothing to import: the 9 criteo object(s) these filters select are all managed already."
        in again.stdout
    )
    assert not (project / "more").exists()


def test_an_ad_set_in_a_managed_campaign_is_imported_under_a_campaign_reference(
    example: Callable[[str], Path], cli: Callable[..., Result], sandbox_api: Callable[[Path], SandboxAPI]
) -> None:
    project = example("criteo-retargeting")
    applied(cli, project)
    campaign_id = state_ids(project)["criteo.campaign.summer-retargeting"]
    created = sandbox_api(project).call(
        "POST", "/ad-sets", ad_set_body(name="Summer IT", campaignId=campaign_id)
    )
    ad_set_id = created.json()["data"]["id"]
    result = cli("import", "criteo", str(project), "--out", str(project / "imported"), "--id", ad_set_id)
    assert result.exit_code == 0, result.stderr
    written = yaml.safe_load((project / "imported" / "criteo-12345.yaml").read_text())
    entry = written["campaigns"][0]
    assert entry["campaignId"] == campaign_id and [a["name"] for a in entry["adSets"]] == ["Summer IT"]
    assert f"(id {ad_set_id})" in result.stdout and "Imported 1 object(s)" in result.stdout
    assert cli("plan", str(project), "--detailed-exitcode").exit_code == 0


def test_import_refuses_bad_requests_and_writes_nothing(
    example: Callable[[str], Path], cli: Callable[..., Result], tmp_path: Path
) -> None:
    project = example("criteo-retargeting")
    outside = cli(
        "import", "criteo", str(project), "--out", str(tmp_path / "elsewhere"), "--advertiser", "12345"
    )
    assert outside.exit_code == 1 and "is outside the project" in outside.stderr
    unfiltered = cli("import", "criteo", str(project), "--out", str(project / "imported"))
    assert unfiltered.exit_code == 1 and "give --advertiser ID, --campaign ID or --id ID" in unfiltered.stderr
    (project / "imported").mkdir()
    (project / "imported" / "criteo-12345.yaml").write_text("# mine\n")
    clash = cli("import", "criteo", str(project), "--out", str(project / "imported"), "--id", SEEDED_CAMPAIGN)
    assert clash.exit_code == 1 and "already exists; import never overwrites a file" in clash.stderr
    assert (project / "imported" / "criteo-12345.yaml").read_text() == "# mine\n"
    unknown = cli("import", "tiktok", str(project), "--out", str(project / "x"))
    assert unknown.exit_code == 1 and "tiktok" in unknown.stderr
    assert not (project / "state" / "default.state.json").exists()
    for result in (outside, unfiltered, clash, unknown):
        assert "Traceback" not in result.stderr


def test_applovin_campaigns_and_their_targets_are_imported(
    example: Callable[[str], Path], cli: Callable[..., Result]
) -> None:
    project = example("applovin-ua")
    applied(cli, project)
    managed = state_ids(project)
    # The sandbox's advertiser account also runs a campaign no project made ("Foobidyfoo iOS UA").
    result = cli("import", "applovin", str(project), "--out", str(project / "imported"))
    assert result.exit_code == 0, result.stderr
    imported = [line for line in result.stdout.splitlines() if line.startswith("  imported ")]
    assert [line.split()[1] for line in imported] == [
        "applovin.campaign.foobidyfoo-ios-ua",
        "applovin.targets.foobidyfoo-ios-ua",
    ]
    written = yaml.safe_load((project / "imported" / "applovin.yaml").read_text())
    campaign = written["campaigns"][0]
    assert campaign["bid_type"] == "CPI" and campaign["status"] is True
    assert campaign["targets"]["countries"]["DEFAULT"] == {"bid": 2.9, "budget": 1000}
    assert {a: i for a, i in state_ids(project).items() if a in managed} == managed
    plan = cli("plan", str(project), "--detailed-exitcode")
    assert plan.exit_code == 0, plan.stdout + plan.stderr
    refused = cli("import", "applovin", str(project), "--out", str(project / "x"), "--advertiser", "1")
    assert refused.exit_code == 1 and "AppLovin has no advertiser filter" in refused.stderr


def test_amazon_campaigns_and_ad_groups_of_an_advertiser_are_imported(
    example: Callable[[str], Path], cli: Callable[..., Result]
) -> None:
    project = example("amazon-dsp-launch")
    applied(cli, project)
    managed = state_ids(project)
    # The sandbox's advertiser holds the guides' campaigns, made outside any project, one on a deal.
    out = project / "imported"
    result = cli(
        "import", "amazon_dsp", str(project), "--out", str(out), "--advertiser", "520724305968518499"
    )
    assert result.exit_code == 0, result.stderr
    assert "  imported amazon_dsp.campaign.guide-example-campaign  (id 587673741928966411)" in result.stdout
    assert (
        "  imported amazon_dsp.ad_group.guide-example-campaign/guide-example-display-ad-group"
        "  (id 579602514554384269)" in result.stdout
    )
    assert "skipped campaign 587673741928966412: it runs on an Amazon Guaranteed deal" in result.stderr
    written = yaml.safe_load((out / "amazon-dsp-520724305968518499.yaml").read_text())
    guide = written["campaigns"][0]
    assert [f["budgetAmount"] for f in guide["flights"]] == [1.0, 1000.0]
    assert guide["adGroups"][0]["bid"] == {"baseBid": 3.0}
    assert {a: i for a, i in state_ids(project).items() if a in managed} == managed
    plan = cli("plan", str(project), "--detailed-exitcode")
    assert plan.exit_code == 0, plan.stdout + plan.stderr
    one = cli("import", "amazon_dsp", str(project), "--out", str(out), "--campaign", "1")
    assert one.exit_code == 1 and "reads one advertiser at a time" in one.stderr


def test_after_an_amazon_import_each_warning_is_printed_once(
    example: Callable[[str], Path], cli: Callable[..., Result]
) -> None:
    """The imported guide campaigns have deprecated inventory types: a warning each, shown once with the plan
    (on stdout), or on stderr when no plan can be shown."""
    project = example("amazon-dsp-launch")
    applied(cli, project)
    out = str(project / "imported")
    assert (
        cli(
            "import", "amazon_dsp", str(project), "--out", out, "--advertiser", "520724305968518499"
        ).exit_code
        == 0
    )
    warning = "inventoryType VIDEO is deprecated"
    for options in ((), ("--format", "markdown"), ("--format", "json")):
        plan = cli("plan", str(project), *options)
        assert plan.exit_code == 0, plan.stderr
        assert (plan.stdout + plan.stderr).count(warning) == 1, options
    applied_again = cli("apply", str(project), "--auto-approve")
    assert (applied_again.stdout + applied_again.stderr).count(warning) == 1
    failed = cli("plan", str(project), "--target", "amazon_dsp.campaign.nothing-like-this")
    assert failed.exit_code == 1 and failed.stderr.count(warning) == 1
    assert cli("validate", str(project)).stderr.count(warning) == 1


NOTHING = [
    ("criteo", "criteo-retargeting", "criteo.campaign.summer-retargeting", ("--advertiser", "99999"), 4),
    (
        "amazon_dsp",
        "amazon-dsp-launch",
        "amazon_dsp.campaign.q1-launch",
        ("--advertiser", "520724305968518499", "--campaign", "999999999999999999"),
        2,
    ),
    ("applovin", "applovin-ua", "applovin.campaign.puzzle-ios", ("--campaign", "no-such-campaign"), 2),
]


@pytest.mark.parametrize(("platform", "name", "campaign", "unknown", "count"), NOTHING)
def test_an_import_that_finds_nothing_says_so_and_only_found_objects_are_called_managed(
    platform: str,
    name: str,
    campaign: str,
    unknown: tuple[str, ...],
    count: int,
    example: Callable[[str], Path],
    cli: Callable[..., Result],
) -> None:
    project = example(name)
    applied(cli, project)
    none = cli("import", platform, str(project), "--out", str(project / "x"), *unknown)
    assert none.exit_code == 0, none.stderr
    assert (
        f"Nothing to import: these filters found no {platform} object (check the ids they give)."
        in none.stdout
    )
    assert "managed" not in none.stdout
    managed_id = state_ids(project)[campaign]
    filters = ("--campaign", managed_id)
    if platform == "amazon_dsp":
        filters = ("--advertiser", "520724305968518499", *filters)
    all_managed = cli("import", platform, str(project), "--out", str(project / "x"), *filters)
    assert all_managed.exit_code == 0, all_managed.stderr
    assert (
        f"Nothing to import: the {count} {platform} object(s) these filters select are all managed already."
        in all_managed.stdout
    )
    assert not (project / "x").exists()
