"""The plan after an interrupted apply looks up the creates it left under way by kind: one list
for all of a kind, and each create's object adopted (the Criteo provider over the in-process sandbox)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import httpx

from reconciler import engine
from reconciler.engine.reading import recover
from reconciler.plan.file import AdoptedObject
from reconciler.state import PendingCreate, State
from tests.conftest import criteo_through


class Counting(httpx.AsyncBaseTransport):
    """The sandbox, noting every request."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.sent: list[tuple[str, str]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append((request.method, request.url.path))
        return await self.inner.handle_async_request(request)


def interrupted(state: State, kind: str) -> State:
    """`state` as an apply killed while its creates of `kind` were under way leaves it: journalled, not
    recorded."""
    left = state.model_copy(deep=True)
    for address in [a for a in left.resources if a.split(".")[1] == kind]:
        entry = left.resources.pop(address)
        left.pending[address] = PendingCreate(
            verb=f"create_{kind}",
            started_at="2026-12-03T10:00:00Z",
            parent=entry.parent,
            scope=dict(entry.scope),
            attributes=dict(entry.applied),
        )
    return left


def test_the_creates_left_under_way_are_found_with_one_search(
    example: Callable[[str], Path],
) -> None:
    project = example("criteo-retargeting")
    workspace, transport = criteo_through(project, Counting)

    async def run() -> tuple[State, State, dict[str, AdoptedObject]]:
        try:
            plan, _ = await engine.make_plan(workspace)
            report = await engine.apply_plan(workspace, plan, workspace.backend.read())
            assert report.outcomes and not report.failed
            applied = workspace.backend.read()
            left = interrupted(applied, "ad_set")
            transport.sent.clear()
            return applied, left, await recover(workspace, left)
        finally:
            await workspace.aclose()

    applied, left, adopted = asyncio.run(run())
    assert len(left.pending) == 3 and all(a.split(".")[1] != "ad_set" for a in left.resources)
    assert list(adopted) == list(left.pending)  # in the journal's order
    assert {a: o.id for a, o in adopted.items()} == {a: applied.resources[a].id for a in left.pending}
    assert all(o.parent == applied.resources[a].parent for a, o in adopted.items())
    searches = [path for method, path in transport.sent if path.endswith("/ad-sets/search")]
    assert len(searches) == 1, transport.sent  # one search answers for the three ad sets of the campaign
