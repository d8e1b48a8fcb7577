"""The executor against the in-process sandbox: partial batch failures and creates lost in transit."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path

import httpx

from reconciler import engine
from tests.conftest import Result, SandboxAPI, criteo_through

FR = "criteo.ad_set.summer-retargeting/fr-cart-abandoners"
DE = "criteo.ad_set.summer-retargeting/de-cart-abandoners"


class LoseCreateAnswers(httpx.AsyncBaseTransport):
    """Delivers every request but loses the answers to ad set creates: they happen, the caller never knows."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.lost = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if request.method == "POST" and request.url.path.endswith("/marketing-solutions/ad-sets"):
            await response.aread()
            self.lost += 1
            raise httpx.ReadTimeout("answer lost", request=request)
        return response


def test_a_create_whose_answer_is_lost_is_adopted_not_duplicated(
    example: Callable[[str], Path], cli: Callable[..., Result], sandbox_api: Callable[[Path], SandboxAPI]
) -> None:
    project = example("criteo-retargeting")
    workspace, lossy = criteo_through(project, LoseCreateAnswers)

    async def run() -> engine.ApplyReport:
        try:
            state = workspace.backend.read()
            plan, _ = await engine.make_plan(workspace)
            return await engine.apply_plan(workspace, plan, state)
        finally:
            await workspace.aclose()

    report = asyncio.run(run())
    assert lossy.lost == 3
    assert {str(o.operation.address) for o in report.failed if o.operation.verb.name == "create_ad_set"} == {
        FR,
        DE,
        "criteo.ad_set.summer-retargeting/es-lookalikes",
    }
    state = json.loads((project / "state" / "default.state.json").read_text())
    assert set(state["pending"]) == {FR, DE, "criteo.ad_set.summer-retargeting/es-lookalikes"}
    assert list(state["resources"]) == ["criteo.campaign.summer-retargeting"]

    plan = cli("plan", str(project))
    assert plan.exit_code == 0, plan.stderr
    assert f"= {FR}  (adopt object" in plan.stdout
    assert "0 to create" in plan.stdout
    assert cli("apply", str(project), "--auto-approve").exit_code == 0
    assert cli("plan", str(project), "--detailed-exitcode").exit_code == 0
    campaign = json.loads((project / "state" / "default.state.json").read_text())["resources"][
        "criteo.campaign.summer-retargeting"
    ]["id"]
    found = (
        sandbox_api(project).call("POST", "/ad-sets/search", {"filters": {"campaignIds": [campaign]}}).json()
    )
    assert sorted(a["attributes"]["name"] for a in found["data"]) == sorted(
        ["FR cart abandoners", "DE cart abandoners", "ES lookalikes (paused until the July drop)"]
    )


def test_partial_batch_failure_applies_and_records_the_rest(
    example: Callable[[str], Path], cli: Callable[..., Result], sandbox_api: Callable[[Path], SandboxAPI]
) -> None:
    project = example("criteo-retargeting")
    manifest = project / "campaigns" / "retargeting.yaml"
    text = manifest.read_text()
    # The German ad set leaves its end date to whoever runs it.
    de = text.index("key: de-cart-abandoners")
    text = text[:de] + text[de:].replace("          endDate: 2027-08-31T23:59:59Z\n", "", 1)
    manifest.write_text(text)
    assert cli("apply", str(project), "--auto-approve").exit_code == 0
    ids = {
        a: e["id"]
        for a, e in json.loads((project / "state" / "default.state.json").read_text())["resources"].items()
    }
    api = sandbox_api(project)
    # A colleague ends the German ad set mid-June in the platform's UI.
    ended = api.patch_ad_set(ids[DE], {"scheduling": {"endDate": {"value": "2027-06-15T00:00:00Z"}}})
    assert ended.json().get("errors") in (None, [])
    # Both ad sets now should start on 20 June: one PATCH of two items, the German one must fail.
    manifest.write_text(text.replace("startDate: 2027-06-01T00:00:00Z", "startDate: 2027-06-20T00:00:00Z"))
    serial = json.loads((project / "state" / "default.state.json").read_text())["serial"]
    result = cli("apply", str(project), "--auto-approve")
    assert result.exit_code == 1
    assert f"FAILED patch_ad_set     {DE}" in result.stdout, result.stdout
    assert f"ok     patch_ad_set     {FR}" in result.stdout
    assert "1 step(s) failed" in result.stderr
    assert (
        api.call("GET", f"/ad-sets/{ids[FR]}")
        .json()["data"]["attributes"]["schedule"]["startDate"]["value"]
        .startswith("2027-06-20")
    )
    state = json.loads((project / "state" / "default.state.json").read_text())
    assert state["serial"] > serial
    assert state["resources"][FR]["applied"]["schedule"]["startDate"] == "2027-06-20T00:00:00Z"
    assert state["resources"][DE]["applied"]["schedule"]["startDate"] == "2027-06-01T00:00:00Z"
    again = cli("plan", str(project))
    assert f"~ {DE}" in again.stdout and f"~ {FR}" not in again.stdout


class RefuseCreates(httpx.AsyncBaseTransport):
    """The platform is unreachable for ad set creates: the requests are never sent."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST" and request.url.path.endswith("/marketing-solutions/ad-sets"):
            raise httpx.ConnectError("connection refused", request=request)
        return await self.inner.handle_async_request(request)


def test_a_create_that_was_never_sent_leaves_no_journal(example: Callable[[str], Path]) -> None:
    project = example("criteo-retargeting")
    workspace, _ = criteo_through(project, RefuseCreates)

    async def run() -> engine.ApplyReport:
        try:
            state = workspace.backend.read()
            plan, _ = await engine.make_plan(workspace)
            return await engine.apply_plan(workspace, plan, state)
        finally:
            await workspace.aclose()

    report = asyncio.run(run())
    assert {o.operation.verb.name for o in report.failed} == {
        "create_ad_set",
        "link_audience",
        "start_ad_set",
    }
    state = json.loads((project / "state" / "default.state.json").read_text())
    assert state["pending"] == {}
    assert list(state["resources"]) == ["criteo.campaign.summer-retargeting"]
