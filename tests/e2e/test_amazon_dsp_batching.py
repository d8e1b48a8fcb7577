"""Amazon DSP through the CLI: creative associations in batches of 20 with per-item failures, names
resolved (or refused with their candidates) at plan time, moderation results as warnings."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import httpx

from reconciler.sandbox import create_app
from tests.conftest import Result, _SyncASGI
from tests.e2e.test_amazon_dsp_workflow import AmazonAPI

ASSOCIATIONS = "/amazon-dsp/dsp/v1/adCreatives/associations/adGroups"
MANIFEST = Path("campaigns") / "q1-launch.yaml"
CREATIVES_AT = "        creatives:\n"


def with_creatives(project: Path, creatives: list[str]) -> None:
    manifest = project / MANIFEST
    text = manifest.read_text()
    head, _, _ = text.partition(CREATIVES_AT)
    listed = "".join(
        f'          - key: c{i:02d}\n            creative: "{c}"\n' for i, c in enumerate(creatives)
    )
    manifest.write_text(head + CREATIVES_AT + listed)


def edit(project: Path, old: str, new: str) -> None:
    manifest = project / MANIFEST
    text = manifest.read_text()
    assert old in text, old
    manifest.write_text(text.replace(old, new, 1))


def state_ids(project: Path) -> dict[str, str]:
    state = json.loads((project / "state" / "default.state.json").read_text())
    return {address: entry["id"] for address, entry in state["resources"].items()}


def banners(count: int) -> list[str]:
    return [str(200000000000 + n) for n in range(1, count + 1)]


def test_45_associations_go_out_in_3_requests(
    example: Callable[[str], Path],
    cli: Callable[..., Result],
    requests_of: Callable[[Path], list[dict[str, str]]],
) -> None:
    project = example("amazon-dsp-launch")
    with_creatives(project, banners(45))
    result = cli("apply", str(project), "--auto-approve")
    assert result.exit_code == 0, result.stdout + result.stderr
    posts = [r for r in requests_of(project) if r["method"] == "POST" and r["path"] == ASSOCIATIONS]
    assert len(posts) == 3
    associations = [a for a in state_ids(project) if ".creative_association." in a]
    assert len(associations) == 45
    assert cli("plan", str(project), "--detailed-exitcode").exit_code == 0


def test_one_refused_association_fails_alone_with_the_platforms_message(
    example: Callable[[str], Path],
    cli: Callable[..., Result],
    requests_of: Callable[[Path], list[dict[str, str]]],
) -> None:
    project = example("amazon-dsp-launch")
    with_creatives(project, banners(3))
    assert cli("apply", str(project), "--auto-approve").exit_code == 0
    ad_group_id = state_ids(project)["amazon_dsp.ad_group.q1-launch/display"]
    # A colleague associates banner 4 with the ad group directly on the platform, after the plan was reviewed.
    colleague = AmazonAPI.embedded(project)
    link = {"adGroupId": ad_group_id, "adCreativeId": banners(4)[3]}
    assert (
        colleague.call(
            "POST", "/dsp/v1/adCreatives/associations/adGroups", {"associations": [link]}
        ).status_code
        == 207
    )
    colleague.client.close()
    with_creatives(project, banners(7))
    result = cli("apply", str(project), "--auto-approve")
    assert result.exit_code == 1
    failed = "amazon_dsp.creative_association.q1-launch/display/c03"
    assert f"FAILED create_association {failed}: " in result.stdout
    assert "ASSOCIATION_ALREADY_EXISTS" in result.stdout
    posts = [r for r in requests_of(project) if r["method"] == "POST" and r["path"] == ASSOCIATIONS]
    assert len(posts) == 3  # first apply, the colleague, and one batch of four in the second apply
    ids = state_ids(project)
    recorded = sorted(a.rsplit("/", 1)[1] for a in ids if ".creative_association." in a)
    assert recorded == ["c00", "c01", "c02", "c04", "c05", "c06"]
    assert failed not in ids
    plan = cli("plan", str(project))
    assert "Plan: 1 to create" in plan.stdout


def test_creatives_missing_or_unfit_fail_at_plan_time_before_any_write(
    example: Callable[[str], Path],
    cli: Callable[..., Result],
    requests_of: Callable[[Path], list[dict[str, str]]],
) -> None:
    """assoc-creative-exists and assoc-creative-compatible: one discovery read, a located error, no write."""
    project = example("amazon-dsp-launch")
    video, missing = (
        "300000000005",
        "999999999999",
    )  # an online video creative does not fit a DISPLAY ad group
    with_creatives(project, [*banners(2), video, missing])
    result = cli("plan", str(project))
    assert result.exit_code == 1
    text = (project / MANIFEST).read_text()
    line_of_video = text.splitlines().index(f'            creative: "{video}"') + 1
    assert f"{MANIFEST.as_posix()}:{line_of_video}:" in result.stderr
    assert (
        "creative 300000000005 is a ONLINE_VIDEO creative, which DISPLAY ad groups do not accept"
        in result.stderr
    )
    assert "creative 999999999999 does not exist in advertiser" in result.stderr
    assert "Traceback" not in result.stderr
    writes = [r for r in requests_of(project) if r["method"] != "GET" and not r["path"].endswith("/list")]
    assert [r["path"] for r in writes if "/auth/" not in r["path"]] == []


def test_unknown_and_ambiguous_names_fail_at_plan_time_with_candidates(
    example: Callable[[str], Path], cli: Callable[..., Result]
) -> None:
    project = example("amazon-dsp-launch")
    edit(project, "{name: New York City}", "{name: Springfield}")
    edit(project, "{name: Display banner 01}", "{name: Display banner 99}")
    plan = cli("plan", str(project))
    assert plan.exit_code == 1, plan.stdout
    assert "q1-launch.yaml:" in plan.stderr
    assert "2 locations are named 'Springfield'" in plan.stderr
    assert (
        "no creative is named 'Display banner 99' (candidates: 'Display banner 01' (200000000001)"
        in plan.stderr
    )
    assert not (project / "state" / "default.state.json").exists()


def test_moderation_not_approved_is_a_warning_on_apply_and_plan(
    example: Callable[[str], Path], cli: Callable[..., Result]
) -> None:
    project = example("amazon-dsp-launch")
    with_creatives(project, ["300000000009", *banners(1)])
    applied = cli("apply", str(project), "--auto-approve")
    assert applied.exit_code == 0, applied.stdout + applied.stderr
    output = applied.stdout + applied.stderr
    assert "creative 300000000009 is NOT_APPROVED" in output
    assert "unsubstantiated claim" in output
    plan = cli("plan", str(project), "--detailed-exitcode")
    assert plan.exit_code == 0
    assert "creative 300000000009 is NOT_APPROVED" in plan.stdout + plan.stderr
    assert "amazon_dsp.creative_association.q1-launch/display/c00" in plan.stdout + plan.stderr


def test_a_plan_reads_each_kind_in_one_call(
    example: Callable[[str], Path], cli: Callable[..., Result]
) -> None:
    project = example("amazon-dsp-launch")
    with_creatives(project, banners(30))
    assert cli("apply", str(project), "--auto-approve").exit_code == 0
    app = create_app(project / ".reconciler" / "sandbox.sqlite")
    with httpx.Client(transport=_SyncASGI(app), base_url="http://sandbox") as sandbox:
        sandbox.delete("/_sandbox/requests")
        assert cli("plan", str(project), "--detailed-exitcode").exit_code == 0
        calls = sorted(
            r["path"].removeprefix("/amazon-dsp")
            for r in sandbox.get("/_sandbox/requests").json()["requests"]
        )
    campaign = state_ids(project)["amazon_dsp.campaign.q1-launch"]
    # 30 associations on one ad group: the association list filters 20 ad groups a call, so one call;
    # the 30 creatives are checked (they exist and fit the ad group) in one discovery read.
    assert calls == sorted(
        [
            "/auth/o2/token",
            "/dsp/v1/geoLocations/list",
            "/dsp/v1/adCreatives/list",
            "/dsp/v1/campaigns/list",
            f"/dsp/v1/campaigns/{campaign}/conversionTracking/products",
            "/dsp/v1/adGroups/list",
            "/dsp/v1/targets/list",
            "/dsp/v1/adCreatives/associations/adGroups/list",
        ]
    )


def test_an_association_edit_is_patched_in_place(
    example: Callable[[str], Path], cli: Callable[..., Result]
) -> None:
    project = example("amazon-dsp-launch")
    assert cli("apply", str(project), "--auto-approve").exit_code == 0
    edit(
        project,
        '            creative: "123456789"\n',
        '            creative: "123456789"\n            state: INACTIVE\n',
    )
    plan = json.loads(cli("plan", str(project), "--format", "json").stdout)
    assert [(op["verb"], op["address"]) for op in plan["operations"]] == [
        ("patch_association", "amazon_dsp.creative_association.q1-launch/display/guide")
    ]
    assert cli("apply", str(project), "--auto-approve").exit_code == 0
    assert cli("plan", str(project), "--detailed-exitcode").exit_code == 0
