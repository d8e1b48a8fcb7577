"""An apply fetches each calling platform's access token while it prepares its first calls (journalling the
creates in state), not after: the first create waits for the slower of the two, not for both."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import httpx
import pytest

from reconciler import engine
from reconciler.state import Record, State
from tests.conftest import criteo_through

TOKEN_SECONDS = 0.3
JOURNAL_SECONDS = 0.3


class SlowToken(httpx.AsyncBaseTransport):
    """The sandbox, answering the token request after `TOKEN_SECONDS`; it notes when each request came."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.sent: list[tuple[float, str, str]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append((time.monotonic(), request.method, request.url.path))
        if request.url.path.endswith("/oauth2/token"):
            await asyncio.sleep(TOKEN_SECONDS)
        return await self.inner.handle_async_request(request)


def test_the_token_is_fetched_while_the_first_creates_are_journalled(
    example: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    project = example("criteo-retargeting")
    workspace, transport = criteo_through(project, SlowToken)
    record = workspace.backend.record

    def slow_journal(state: State, records: Sequence[Record]) -> None:
        if any(r.section == "pending" and r.value is not None for r in records):
            time.sleep(JOURNAL_SECONDS)  # a slow disk
        record(state, records)

    monkeypatch.setattr(workspace.backend, "record", slow_journal)

    async def run() -> tuple[float, engine.ApplyReport]:
        try:
            state = workspace.backend.read()
            plan, _ = await engine.make_plan(workspace)
            started = time.monotonic()
            return started, await engine.apply_plan(workspace, plan, state)
        finally:
            await workspace.aclose()

    started, report = asyncio.run(run())
    assert report.outcomes and not report.failed
    tokens = [at for at, _, path in transport.sent if path.endswith("/oauth2/token")]
    first_create = min(at for at, method, path in transport.sent if method == "POST" and "token" not in path)
    assert len(tokens) == 1 and tokens[0] - started < 0.1  # fetched at once, and only once
    assert first_create - started < TOKEN_SECONDS + JOURNAL_SECONDS - 0.15  # the two waits overlapped
