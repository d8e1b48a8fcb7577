"""The Amazon DSP emulator behind `reconciler sandbox serve --amazon-default-target-delay`: a new ad
group's default targets show in `/targets/list` only once the delay has passed (real clock)."""

from __future__ import annotations

import time
from pathlib import Path

import httpx

from tests.conftest import sandbox_server
from tests.sandbox.amazon_dsp.conftest import ADVERTISER, ad_group_body


def test_served_sandbox_delays_default_targets(tmp_path: Path) -> None:
    with sandbox_server(tmp_path / "s.sqlite", "--amazon-default-target-delay", "1.5") as base:
        form = {"grant_type": "refresh_token", "refresh_token": "r", "client_id": "cid", "client_secret": "s"}
        token = httpx.post(f"{base}/amazon-dsp/auth/o2/token", data=form).json()["access_token"]
        headers = {
            "Authorization": f"Bearer {token}",
            "Amazon-Advertising-API-ClientId": "cid",
            "Amazon-Ads-AccountId": ADVERTISER,
        }
        created = httpx.post(
            f"{base}/amazon-dsp/dsp/v1/adGroups", json={"adGroups": [ad_group_body()]}, headers=headers
        )
        assert created.status_code == 207, created.text
        made_at = time.monotonic()
        listing = {"filters": {"adGroupIdFilter": [created.json()["success"][0]["adGroupId"]]}}

        def visible() -> int:
            answer = httpx.post(f"{base}/amazon-dsp/dsp/v1/targets/list", json=listing, headers=headers)
            return len(answer.json()["targets"])

        assert visible() == 0
        while visible() == 0:
            assert time.monotonic() - made_at < 10
            time.sleep(0.2)
        assert time.monotonic() - made_at >= 1.3
        assert visible() == 100  # a full first page (the defaults are 175 targets)
