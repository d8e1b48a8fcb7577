"""AppLovin's asynchronous side: assets are processed after their upload ("It begins by setting the status
to processing. It finishes by setting the status to either error (for failure) or ready (for success).")
and ads appear by themselves ("After you upload all required assets for an ad template ..., the ads are
automatically created").

`Processing` finds the ad a template makes (waiting while its assets are processed, giving up when an
asset failed or nothing more is coming), and, after an apply, waits for the touched assets and the ads
they promise, and reports the assets that ended in error.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from reconciler.model import Address, Diagnostic, Severity
from reconciler.providers.applovin import mapping
from reconciler.providers.applovin.client import AppLovinClient
from reconciler.providers.applovin.reading import creative_sets
from reconciler.providers.base import ObjectRef, waiting

SETTLE_TIMEOUT = 600.0
POLL_FIRST, POLL_MAX = 0.2, 5.0
QUIET_POLLS = 3
"""Polls with every asset processed and still no ad, after which the ad is taken as never coming."""


class Processing:
    """Waits on AppLovin's asset processing and ad generation, on the provider's clock."""

    def __init__(
        self,
        client: AppLovinClient,
        *,
        timeout: float = SETTLE_TIMEOUT,
        sleep: Callable[[float], Any] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.timeout = timeout
        self._sleep = sleep
        self._clock = clock

    async def find_ad(self, natural: str) -> tuple[str | None, str]:
        """The ad id behind a natural id (`campaign/set/size/template`), or None and why it is not there:
        "failed: ..." (an asset is in error), "assets still processing", or "wait" (nothing pending)."""
        campaign_id, set_id, size, template = mapping.id_parts(natural, 4)
        sets = await creative_sets(self.client, campaign_id, with_ads=True)
        found = next((s for s in sets if str(s.get("id")) == set_id), None)
        if found is None:
            return None, f"creative set {set_id} not found"
        for item in found.get("ads") or []:
            ad = mapping.ad_from_wire(item)
            if ad["size"] == size and ad["template"] == template:
                return str(item.get("id")), ""
        assets = [a for a in found.get("assets") or [] if isinstance(a, Mapping)]
        failed = [a for a in assets if a.get("status") == "error"]
        if failed:
            why = "; ".join(
                f"{a.get('type')}: {mapping.asset_from_wire(a)['message'] or 'error'}" for a in failed
            )
            return None, f"failed: assets in error ({why})"
        if any(a.get("status") == "processing" for a in assets):
            return None, "assets still processing"
        return None, "wait"

    async def await_ad(self, natural: str, what: str) -> tuple[str | None, str]:
        """The ad id once the platform has made the ad, or None and why it will not come."""
        deadline = self._clock() + self.timeout
        delay = POLL_FIRST
        quiet = 0
        while True:
            ad_id, why = await self.find_ad(natural)
            if ad_id is not None:
                return ad_id, ""
            quiet = quiet + 1 if why == "wait" else 0
            if why.startswith("failed") or quiet > QUIET_POLLS or self._clock() > deadline:
                return None, why if why.startswith(
                    "failed"
                ) else "every asset was processed" if quiet else why
            waiting("applovin", f"{what} waits for its ad ({why})")
            await self._sleep(delay)
            delay = min(POLL_MAX, delay * 2)

    async def settle(
        self, objects: Sequence[ObjectRef], wait: bool, progress: Callable[[str], None] | None
    ) -> list[Diagnostic]:
        """Wait for the touched assets to be processed and the ads they promise to exist; report errors."""
        assets = {r.address: r.id for r in objects if r.address.kind == "asset"}
        if not wait or not assets:
            return []
        deadline = self._clock() + self.timeout
        delay = POLL_FIRST
        while True:
            states, missing_ads = await self._asset_states(assets)
            pending = [a for a, s in states.items() if s.get("status") == "processing"]
            if not pending and not missing_ads:
                return _errors(states)
            if self._clock() > deadline:
                return _errors(states) + [
                    Diagnostic(
                        f"still processing after {self.timeout:.0f}s",
                        address=str(a),
                        hint="run `reconciler plan` later to see the outcome",
                        severity=Severity.WARNING,
                    )
                    for a in pending
                ]
            what = f"{len(pending)} asset(s) processing" if pending else f"{missing_ads} ad(s) not made yet"
            waiting("applovin", what)
            if progress is not None:
                progress(f"AppLovin: waiting, {what}")
            await self._sleep(delay)
            delay = min(POLL_MAX, delay * 2)

    async def _asset_states(self, assets: Mapping[Address, str]) -> tuple[dict[Address, dict[str, Any]], int]:
        campaigns = sorted({i.split("/", 1)[0] for i in assets.values()})
        listed = await asyncio.gather(*(creative_sets(self.client, c, with_ads=True) for c in campaigns))
        sets = {f"{c}/{s.get('id')}": s for c, rows in zip(campaigns, listed, strict=True) for s in rows}
        states: dict[Address, dict[str, Any]] = {}
        for address, object_id in assets.items():
            set_id, _, asset_type = object_id.rpartition("/")
            found = sets.get(set_id) or {}
            item = next((a for a in found.get("assets") or [] if a.get("type") == asset_type), None)
            states[address] = mapping.asset_from_wire(item) if item else {"status": "missing"}
        missing_ads = sum(
            _missing_ads(sets.get(s) or {}) for s in {i.rpartition("/")[0] for i in assets.values()}
        )
        return states, missing_ads


def _missing_ads(found: Mapping[str, Any]) -> int:
    """How many ads a creative set whose assets are all ready should have and does not (yet)."""
    held = [a for a in found.get("assets") or [] if isinstance(a, Mapping)]
    if any(a.get("status") != "ready" for a in held):
        return 0
    sizes: Mapping[str, Any] = found["sizes"] if isinstance(found.get("sizes"), Mapping) else {}
    made = {
        (mapping.ad_from_wire(a)["size"], mapping.ad_from_wire(a)["template"]) for a in found.get("ads") or []
    }
    return sum(
        1
        for size, template in mapping.expected_templates(str(a.get("type")) for a in held)
        if sizes.get(size) is not False and (size, template) not in made
    )


def _errors(states: Mapping[Address, Mapping[str, Any]]) -> list[Diagnostic]:
    return [
        Diagnostic(
            f"AppLovin could not process this asset: {s.get('message') or 'no message given'}",
            address=str(a),
            hint="fix or replace the file, URL or text, then apply again",
        )
        for a, s in sorted(states.items())
        if s.get("status") == "error"
    ]
