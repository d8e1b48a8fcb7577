"""Property-based round trips of Criteo manifests against the in-process sandbox (issue 14 item 4): any valid
manifest (tests/providers/criteo/manifests.py: the manifest model's enums, optional fields present or
absent, nulls, dates in every accepted spelling, within the rules) validates, applies, and then plans no
change; one edit of an owned field then plans exactly that field, applies, and plans no change again.

The suite runs the `criteo-suite` profile (a few examples, a few seconds); `bench/bench_criteo_round_trip.py`
runs the same test with the `criteo-bench` profile (CRITEO_ROUND_TRIP_PROFILE=criteo-bench: many examples)."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from reconciler import engine
from reconciler.plan import PlanFile
from tests.manifest.helpers import write_project
from tests.providers.criteo.manifests import Manifest, edits, manifests
from tests.providers.round_trip import round_trip_profile

PROJECT = "project: round-trip\nplatforms:\n  criteo:\n    endpoint: sandbox\n"
FILE = "campaigns/generated.yaml"
PROFILE = round_trip_profile("criteo", suite=20, bench=300)


def write(root: Path, manifest: Manifest) -> Path:
    text = "# yaml-language-server: $schema=../schemas/manifest.schema.json\n" + yaml.safe_dump(
        manifest, sort_keys=False, allow_unicode=True
    )
    return write_project(root, {FILE: text}, PROJECT)


async def _plan(root: Path, apply: bool) -> PlanFile:
    """A plan of the project (its manifests must validate); with `apply`, carried out as `apply` does."""
    workspace = engine.open_workspace(root)
    engine.open_providers(workspace)
    try:
        with workspace.backend.lock("apply" if apply else "plan"):
            state = workspace.backend.read()
            plan, _ = await engine.make_plan(workspace)
            if apply and plan.has_changes:
                report = await engine.apply_plan(workspace, plan, state, wait=False)
                assert not report.failed and not report.errors, [o.error for o in report.failed]
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
@given(manifest=manifests(), data=st.data())
def test_apply_then_plan_has_no_change_and_one_edit_plans_one_field(manifest: Manifest, data: Any) -> None:
    with tempfile.TemporaryDirectory() as directory:
        root = write(Path(directory), manifest)
        created = apply(root)
        assert {c.action for c in created.changes} == {"create"}
        assert len(created.changes) == len(manifest["campaigns"][0]["adSets"]) + (
            "campaignId" not in manifest["campaigns"][0]
        )
        assert changed(plan(root)) == []
        edited, address, path = data.draw(edits(manifest), label="edit")
        write(root, edited)
        assert changed(apply(root)) == [(address, "update", [path])]
        assert changed(plan(root)) == []
