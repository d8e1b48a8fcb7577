"""The AppLovin workflow through the CLI on the embedded sandbox: the example's round trip, file assets
identified by content, partial country updates, thousands of source bids, and assets that fail."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import ClassVar

import httpx
import pytest

from tests.conftest import Result

MANIFEST = "campaigns/puzzle-ios.yaml"
IMAGE = "campaigns/images/portrait.png"
IMAGE_ASSET = "applovin.asset.puzzle-ios/portrait-video/IMG_INTER_P"
API = "/applovin/campaign_management/v1"


class Recording(httpx.ASGITransport):
    """The in-process sandbox transport, keeping every request (with its body) it carried."""

    sent: ClassVar[list[httpx.Request]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        Recording.sent.append(request)
        return await super().handle_async_request(request)


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[httpx.Request]]:
    monkeypatch.setattr("httpx.ASGITransport", Recording)
    Recording.sent = []
    yield Recording.sent


def calls(sent: list[httpx.Request], method: str, prefix: str) -> list[httpx.Request]:
    return [r for r in sent if r.method == method and r.url.path.startswith(API + prefix)]


def plan_code(cli: Callable[..., Result], project: Path) -> Result:
    return cli("plan", str(project), "--detailed-exitcode")


def applied(cli: Callable[..., Result], project: Path) -> Result:
    result = cli("apply", str(project), "--auto-approve")
    assert result.exit_code == 0, result.stderr + result.stdout
    return result


def state(project: Path) -> dict[str, str]:
    document = json.loads((project / "state" / "default.state.json").read_text())
    return {address: entry["id"] for address, entry in document["resources"].items()}


def test_example_round_trip_and_file_assets_identified_by_content(
    example: Callable[[str], Path], cli: Callable[..., Result], sent: list[httpx.Request]
) -> None:
    project = example("applovin-ua")
    first = plan_code(cli, project)
    assert first.exit_code == 2, first.stderr
    applied(cli, project)
    again = plan_code(cli, project)
    assert again.exit_code == 0, again.stdout + again.stderr
    ids = state(project)
    assert "applovin.ad.puzzle-ios/portrait-video/inter-portrait" in ids
    assert IMAGE_ASSET in ids and "applovin.source_bids.puzzle-ios" in ids

    image = project / IMAGE
    os.utime(image, (1_900_000_000, 1_900_000_000))  # touched, same content: nothing to do
    assert plan_code(cli, project).exit_code == 0

    image.write_bytes(image.read_bytes() + b"\0")  # new content (trailing bytes after IEND)
    changed = plan_code(cli, project)
    assert changed.exit_code == 2
    assert "Plan: 0 to create, 1 to update, 0 to retire." in changed.stdout, changed.stdout
    assert IMAGE_ASSET in changed.stdout
    sent.clear()
    applied(cli, project)
    uploads = calls(sent, "POST", "/creative_set_assets/")
    assert len(uploads) == 1 and b"IMG_INTER_P" in uploads[0].content
    assert plan_code(cli, project).exit_code == 0


def test_removing_a_country_disables_it_and_adding_one_sends_only_it(
    example: Callable[[str], Path], cli: Callable[..., Result], sent: list[httpx.Request]
) -> None:
    project = example("applovin-ua")
    applied(cli, project)
    manifest = project / MANIFEST
    text = manifest.read_text()
    manifest.write_text(text.replace("        de: {bid: 1.8, budget: 300}\n", ""))
    sent.clear()
    applied(cli, project)
    [post] = calls(sent, "POST", "/campaign_targets/")
    assert json.loads(post.content) == {"countries": [{"country": "de", "disabled": True}]}
    assert plan_code(cli, project).exit_code == 0

    manifest.write_text(text.replace("de: {bid: 1.8, budget: 300}", "fr: {bid: 1.7, budget: 250}"))
    sent.clear()
    applied(cli, project)
    [post] = calls(sent, "POST", "/campaign_targets/")
    body = json.loads(post.content)
    assert body == {"countries": [{"country": "fr", "bid": 1.7, "budget": 250}]}
    assert plan_code(cli, project).exit_code == 0


def _apps(project: Path) -> list[str]:
    from reconciler.sandbox.applovin import fixtures

    found = fixtures()
    apps = found.get("apps") or found.get("source_apps") or []
    return [str(a["app_id"]) if isinstance(a, dict) else str(a) for a in apps]


def test_thousands_of_source_bids_are_paged_and_written_in_few_requests(
    example: Callable[[str], Path], cli: Callable[..., Result], sent: list[httpx.Request]
) -> None:
    project = example("applovin-ua")
    apps = _apps(project)[:2500]
    assert len(apps) == 2500
    manifest = project / MANIFEST
    text = manifest.read_text()
    head = text[: text.index("    source_bids:")]
    rows = "".join(
        f"      - {{app_id: {a}, country: us, bid_value: {1 + i % 7}.25}}\n" for i, a in enumerate(apps)
    )
    manifest.write_text(head + "    source_bids:\n" + rows)
    applied(cli, project)
    assert len(calls(sent, "POST", "/source_bids/")) == 1
    sent.clear()
    assert plan_code(cli, project).exit_code == 0
    reads = calls(sent, "GET", "/source_bids/")
    assert len(reads) >= 1 and all("limit" in r.url.params for r in reads)

    manifest.write_text(head + "    source_bids:\n" + "".join(rows.splitlines(keepends=True)[1:]))
    cleared = plan_code(cli, project)
    assert cleared.exit_code == 2 and "1 to update" in cleared.stdout
    sent.clear()
    applied(cli, project)
    [post] = calls(sent, "POST", "/source_bids/")
    assert json.loads(post.content) == [
        {"app_id": apps[0], "country": "us", "bid_value": "default", "bid_override_percentage": "default"}
    ]
    assert plan_code(cli, project).exit_code == 0


def test_assets_that_fail_processing_are_reported_and_the_rest_is_recorded(
    example: Callable[[str], Path], cli: Callable[..., Result]
) -> None:
    project = example("applovin-ua")
    manifest = project / MANIFEST
    manifest.write_text(manifest.read_text().replace("banner_320x50.png", "banner_320x50_corrupt.png"))
    result = cli("apply", str(project), "--auto-approve")
    assert result.exit_code == 1, result.stdout + result.stderr
    output = result.stdout + result.stderr
    assert "applovin.asset.puzzle-ios/banners/IMG_BANNER" in output
    assert "Traceback" not in result.stderr
    ids = state(project)
    assert "applovin.asset.puzzle-ios/banners/IMG_BANNER" in ids  # uploaded; the platform failed it
    assert "applovin.ad.puzzle-ios/portrait-video/inter-portrait" in ids
    assert "applovin.campaign.puzzle-ios" in ids
    warned = cli("plan", str(project))
    assert "applovin.asset.puzzle-ios/banners/IMG_BANNER" in warned.stdout + warned.stderr


def test_changing_a_read_only_campaign_field_is_a_located_plan_error(
    example: Callable[[str], Path], cli: Callable[..., Result]
) -> None:
    """The guide's campaign table marks bid_type, bundle_id, package_name, platform and goal_period
    read-only: a change is refused at plan time, located, and never sent."""
    project = example("applovin-ua")
    applied(cli, project)
    manifest = project / MANIFEST
    manifest.write_text(manifest.read_text().replace("bid_type: CPI", "bid_type: CPE"))
    result = cli("plan", str(project))
    assert result.exit_code == 1, result.stdout + result.stderr
    assert f"{MANIFEST}:" in result.stderr and "`bid_type` cannot be changed after creation" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_campaign_with_only_the_fields_required_on_creation_applies_cleanly(
    example: Callable[[str], Path], cli: Callable[..., Result]
) -> None:
    """The guide requires only `name` on creation: platform, bid type and tracking method are left to
    AppLovin, and a second plan shows no changes (the manifest owns only what it sets)."""
    project = example("applovin-ua")
    manifest = project / MANIFEST
    manifest.write_text(
        "platform: applovin\ncampaigns:\n  - key: minimal\n    name: Minimal\n"
        "    targets:\n      countries:\n        us: {bid: 1, budget: 10}\n"
    )
    assert cli("validate", str(project)).exit_code == 0
    applied(cli, project)
    again = plan_code(cli, project)
    assert again.exit_code == 0, again.stdout + again.stderr
    assert set(state(project)) == {"applovin.campaign.minimal", "applovin.targets.minimal"}
