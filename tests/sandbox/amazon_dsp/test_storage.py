"""How the Amazon DSP emulator stores what an ad group starts with: one record stands for its default
targets until a write stores a type's targets, and the answers are the same either way (also on a
database whose defaults were written out target by target, as older sandboxes did)."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.applications import Starlette

from reconciler.sandbox.amazon_dsp import stored_targets
from reconciler.sandbox.amazon_dsp.seed import PLATFORM
from reconciler.sandbox.amazon_dsp.targets import DETAILS_KEYS
from reconciler.sandbox.store import Store
from tests.sandbox.amazon_dsp.conftest import Amazon, target

pytestmark = pytest.mark.anyio


async def _every_target(amazon: Amazon, ad_group_id: str) -> list[dict[str, Any]]:
    """The ad group's visible targets, read by type and all at once (all pages, 50 a page)."""
    found: list[dict[str, Any]] = []
    for kinds in [None, *([kind] for kind in DETAILS_KEYS)]:
        body: dict[str, Any] = {"maxResults": 50, "filters": {"adGroupIdFilter": [ad_group_id]}}
        if kinds:
            body["filters"]["targetTypeFilter"] = kinds
        while True:
            answer = await amazon.ok("POST", "/dsp/v1/targets/list", body, status=200)
            found += answer["targets"]
            if "nextToken" not in answer:
                break
            body["nextToken"] = answer["nextToken"]
    return found


async def test_default_targets_read_the_same_once_their_documents_are_written(amazon: Amazon) -> None:
    ad_group_id = "579602514554384270"  # seeded, VIDEO: every type of default target
    before = await _every_target(amazon, ad_group_id)
    assert len([t for t in before if "dayPartTarget" in t["targetDetails"]]) == 2 * 168
    # posting a target the ad group has answers its id and writes that type's document out
    existing = [
        target(ad_group_id, "dayPartTarget", dayOfWeek="MONDAY", hourOfDay=0, targetType="DAY_PART"),
        target(ad_group_id, "deviceTarget", deviceType="PHONE", targetType="DEVICE"),
        target(ad_group_id, "videoAdFormatTarget", videoAdFormat="IN_STREAM", targetType="VIDEO_AD_FORMAT"),
    ]
    posted = await amazon.ok("POST", "/dsp/v1/targets", {"targets": existing})
    assert {s["targetId"] for s in posted["success"]} <= {t["targetId"] for t in before}
    assert await _every_target(amazon, ad_group_id) == before


async def test_defaults_written_out_by_an_older_sandbox_read_the_same(
    amazon: Amazon, make_amazon_app: Any
) -> None:
    ad_group_id = await amazon.create_ad_group(inventoryType="DISPLAY")
    before = await _every_target(amazon, ad_group_id)
    app: Starlette = make_amazon_app()
    store: Store = app.state.store
    with store.transaction() as tx:  # the layout of older databases: every type's document stored
        record = tx.get(PLATFORM, stored_targets.DEFAULTS_KIND, ad_group_id)
        assert record is not None
        for key in DETAILS_KEYS.values():
            doc = stored_targets.expanded(ad_group_id, record, key)
            if doc is not None:
                tx.put(PLATFORM, "targets", stored_targets.row_id(ad_group_id, key), doc)
        tx.conn.execute(
            "DELETE FROM objects WHERE platform = ? AND kind = ? AND id = ?",
            (PLATFORM, stored_targets.DEFAULTS_KIND, ad_group_id),
        )
    assert await _every_target(amazon, ad_group_id) == before


async def test_removing_every_default_of_a_type_leaves_none(amazon: Amazon) -> None:
    ad_group_id = await amazon.create_ad_group(inventoryType="DISPLAY")
    devices = [
        target(ad_group_id, "deviceTarget", deviceType=device, targetType="DEVICE")
        for device in ("DESKTOP", "PHONE", "TABLET")
    ]
    await amazon.ok("POST", "/dsp/v1/targets/deleteByObject", {"targets": devices})
    assert await amazon.targets(ad_group_id, "DEVICE") == []
    assert len(await amazon.targets(ad_group_id, "DAY_PART")) == 168
