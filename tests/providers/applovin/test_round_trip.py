"""Property-based round trips of AppLovin manifests against the in-process sandbox (issue 14 item 4): any
valid manifest (tests/providers/applovin/manifests.py: the manifest model's enums and the guide's rules; bid
types, platforms, targets per country or in DEFAULT, creative sets with text, URL and file assets and the ads
their templates make, source bids, optional fields present or absent) validates, applies, and then plans no
change; one edit of an owned field then plans exactly that field, applies, and plans no change again.

The suite runs the `applovin-suite` profile (a few derandomized examples);
`bench/bench_applovin_round_trip.py` runs the same test with the `applovin-bench` profile
(APPLOVIN_ROUND_TRIP_PROFILE=applovin-bench: many examples)."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import event, given, settings
from hypothesis import strategies as st

from reconciler import engine
from reconciler.plan import PlanFile
from tests.manifest.helpers import write_project
from tests.providers.applovin.manifests import Files, Manifest, edits, manifests
from tests.providers.round_trip import round_trip_profile

PROJECT = "project: round-trip\nplatforms:\n  applovin:\n    endpoint: sandbox\n"
FILE = "campaigns/generated.yaml"
PROFILE = round_trip_profile("applovin", suite=12, bench=200)


def write(root: Path, manifest: Manifest, files: Files) -> Path:
    text = "# yaml-language-server: $schema=../schemas/manifest.schema.json\n" + yaml.safe_dump(
        manifest, sort_keys=False, allow_unicode=True
    )
    for name, content in files.items():
        (root / "campaigns" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "campaigns" / name).write_bytes(content)
    return write_project(root, {FILE: text}, PROJECT)


async def _plan(root: Path, apply: bool) -> PlanFile:
    """A plan of the project (its manifests must validate); with `apply`, carried out as `apply` does."""
    workspace = engine.open_workspace(root)
    engine.open_providers(workspace)
    try:
        with workspace.backend.lock("apply" if apply else "plan"):
            state = workspace.backend.read()
            plan, broken = await engine.make_plan(workspace)
            assert not broken, broken
            if apply and plan.has_changes:
                report = await engine.apply_plan(workspace, plan, state)
                assert not report.failed and not report.errors, [o.error for o in report.failed]
                assert not report.diagnostics, [str(d) for d in report.diagnostics]
            return plan
    finally:
        await workspace.aclose()


def plan(root: Path) -> PlanFile:
    return asyncio.run(_plan(root, apply=False))


def apply(root: Path) -> PlanFile:
    return asyncio.run(_plan(root, apply=True))


def changed(plan_file: PlanFile) -> list[tuple[str, str, list[str]]]:
    return [(c.address, c.action, [f.path for f in c.fields]) for c in plan_file.changes]


@settings(PROFILE)
@given(generated=manifests(), data=st.data())
def test_apply_then_plan_has_no_change_and_one_edit_plans_one_field(
    generated: tuple[Manifest, Files], data: Any
) -> None:
    manifest, files = generated
    with tempfile.TemporaryDirectory() as directory:
        root = write(Path(directory), manifest, files)
        created = apply(root)
        assert {c.action for c in created.changes} == {"create"}
        assert changed(plan(root)) == []
        edited, edited_files, address, path = data.draw(edits(manifest, files), label="edit")
        event(f"edit of {address.split('.')[1]} {path.split('.')[0]}")
        event(f"{len(created.changes)} objects created")
        write(root, edited, edited_files)
        assert changed(apply(root)) == [(address, "update", [path])]
        assert changed(plan(root)) == []


def test_a_cleared_source_bid_entry_plans_no_change_after_apply(tmp_path: Path) -> None:
    """The guide: "Clear bid overrides by setting both bid_override_percentage and bid_value to "default"."
    Such an entry asks for no override: it never plans a perpetual change, and it clears a live one."""
    app = "da605e6f950f1aec838816df845e95e0c8d5cb7a994d71ae0ef2"
    bids: list[dict[str, Any]] = [
        {"app_id": app, "country": "us", "bid_value": 2.5},
        {"app_id": app, "country": "gb", "bid_override_percentage": 20},
        {"app_id": app, "country": "de", "bid_value": "default", "bid_override_percentage": "default"},
    ]
    campaign = {"key": "c", "name": "Clears", "source_bids": bids}
    manifest: Manifest = {"platform": "applovin", "campaigns": [campaign]}
    root = write(tmp_path, manifest, {})
    assert changed(apply(root)) == [
        ("applovin.campaign.c", "create", []),
        ("applovin.source_bids.c", "create", []),
    ]
    assert changed(plan(root)) == []
    bids[1].update(bid_override_percentage="default", bid_value="default")  # clear gb's live override
    write(root, manifest, {})
    assert changed(apply(root)) == [("applovin.source_bids.c", "update", ["keys"])]
    assert changed(plan(root)) == []


def test_values_move_between_the_countries_and_default_and_back(tmp_path: Path) -> None:
    """The guide's two shapes, "either in the DEFAULT object or in each country-specific object", one after
    the other on the same campaign: each move is one update of `countries`, and then no change."""
    each = {
        "us": {"bid": 2.9, "budget": 1000, "click_url": "https://t.example/c"},
        "gb": {"bid": 2, "budget": 9},
    }
    shared = {"DEFAULT": {"bid": 2.5, "budget": 1500}, "us": {}, "gb": {}}
    campaign: dict[str, Any] = {"key": "c", "name": "Moves", "targets": {"countries": each}}
    manifest: Manifest = {"platform": "applovin", "campaigns": [campaign]}
    root = write(tmp_path, manifest, {})
    apply(root)
    for countries in (shared, each, {**shared, "fr": {}}):
        campaign["targets"]["countries"] = countries
        write(root, manifest, {})
        assert changed(apply(root)) == [("applovin.targets.c", "update", ["countries"])]
        assert changed(plan(root)) == []
