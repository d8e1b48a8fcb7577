"""Property: any valid Amazon DSP manifest (tests/providers/amazon_dsp/manifests.py draws them from the
manifest models and the offline rules) applies against the in-process sandbox, and then plans no change;
one edit of an owned field then plans exactly that field of that object.

The suite runs the `suite` profile (few examples, derandomized: the same ones each run); `bench/round_trip.py`
runs the `bench` profile (many, random) with ROUND_TRIP_PROFILE=bench."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reconciler import engine
from reconciler.plan.file import PlanFile
from tests.providers.amazon_dsp.manifests import Edit, edits, manifests

PROFILES: dict[str, dict[str, Any]] = {
    "suite": {"max_examples": 6, "derandomize": True},
    "bench": {"max_examples": int(os.environ.get("ROUND_TRIP_EXAMPLES", "200"))},
}
PROFILE = PROFILES[os.environ.get("ROUND_TRIP_PROFILE", "suite")]
PROJECT = "project: round-trip\nplatforms:\n  amazon_dsp:\n    endpoint: sandbox\n"


def write(root: Path, document: dict[str, Any]) -> None:
    (root / "campaigns").mkdir(parents=True, exist_ok=True)
    (root / "reconciler.yaml").write_text(PROJECT, encoding="utf-8")
    text = json.dumps(document, indent=1, ensure_ascii=False)  # JSON is YAML whose strings stay strings
    (root / "campaigns" / "amazon.yaml").write_text(text, encoding="utf-8")


async def plan(root: Path) -> PlanFile:
    workspace = engine.open_workspace(root)
    engine.open_providers(workspace)
    try:
        planned, broken = await engine.make_plan(workspace)
    finally:
        await workspace.aclose()
    assert broken == []
    return planned


async def apply(root: Path) -> None:
    workspace = engine.open_workspace(root)
    engine.open_providers(workspace)
    try:
        with workspace.backend.lock("apply", notice=lambda _: None):
            state = workspace.backend.read()
            planned, _ = await engine.make_plan(workspace)
            report = await engine.apply_plan(workspace, planned, state)
    finally:
        await workspace.aclose()
    assert not report.failed, [str(step) for step in report.failed]


def changed(planned: PlanFile) -> list[tuple[str, str, list[str]]]:
    return [(c.address, c.action, [f.path for f in c.fields]) for c in planned.changes]


@settings(
    **PROFILE,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.data())
def test_apply_then_plan_is_clean_and_one_edit_plans_that_field(data: st.DataObject) -> None:
    document = data.draw(manifests(), label="manifest")
    edit: Edit = data.draw(edits(document), label="edit")
    with TemporaryDirectory(prefix="round-trip-") as directory:
        root = Path(directory)
        write(root, document)
        asyncio.run(apply(root))
        clean = asyncio.run(plan(root))
        assert changed(clean) == [], json.dumps(document, indent=1)
        write(root, edit.document)
        edited = changed(asyncio.run(plan(root)))
        assert [(address, action) for address, action, _ in edited] == [(edit.address, "update")], edit.what
        fields = edited[0][2]
        assert fields and all(f == edit.field or f.startswith(edit.field + ".") for f in fields), fields
        asyncio.run(apply(root))
        assert changed(asyncio.run(plan(root))) == [], edit.what
