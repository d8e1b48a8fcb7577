"""The provider conformance suite: every guarantee a provider owes, proven the same way for every platform,
against `reconciler sandbox serve` on a real loopback port and through the real CLI.

- apply, then plan: no changes;
- every batch a provider sends gets one result per item, in order;
- a create whose answer is lost is adopted by the next plan, never made twice;
- an item the platform refuses fails alone: everything else is made and recorded;
- an answer that cannot be read (a redirect, an HTML page, JSON without the envelope) fails the plan, which
  never plans a create for an object the state manages;
- a field the manifests stop setting is released (set back to the value that means "not set").

What differs per platform (its example, its create call, ...) is in tests/providers/conformance.py.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from reconciler import engine
from reconciler.model import Address, ItemResult, Operation, Verb
from tests.conftest import BIN, Result, sandbox_server
from tests.providers.conformance import PROFILES, Profile


@pytest.fixture(params=sorted(PROFILES))
def profile(request: pytest.FixtureRequest) -> Profile:
    return PROFILES[str(request.param)]


def point_at(project: Path, profile: Profile, base: str) -> None:
    """Make the project's platform endpoint (and authorization host) the served base URL."""
    config = project / "reconciler.yaml"
    url = f"{base}{profile.prefix}"
    line = f"endpoint: {url}" + (f"\n    auth_endpoint: {url}" if profile.auth_endpoint else "")
    text = config.read_text(encoding="utf-8")
    assert "endpoint: sandbox" in text
    config.write_text(text.replace("endpoint: sandbox", line, 1), encoding="utf-8")


def run(profile: Profile, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **profile.credentials, "NO_COLOR": "1"}
    return subprocess.run([str(BIN), *args], capture_output=True, text=True, env=env, timeout=180)


def project_for(profile: Profile, example: Callable[[str], Path], base: str) -> Path:
    project = example(profile.example)
    point_at(project, profile, base)
    return project


def plan_file(profile: Profile, project: Path) -> dict[str, Any]:
    out = project / "plan.json"
    planned = run(profile, "plan", str(project), "-o", str(out))
    assert planned.returncode == 0, planned.stdout + planned.stderr
    document: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return document


def names(profile: Profile, base: str) -> Counter[str]:
    with httpx.Client(base_url=base, timeout=30) as client:
        return Counter(profile.live_names(client))


def test_apply_then_plan_shows_no_changes(
    profile: Profile, example: Callable[[str], Path], tmp_path: Path
) -> None:
    with sandbox_server(tmp_path / "served.sqlite") as base:
        project = project_for(profile, example, base)
        first = run(profile, "plan", str(project), "--detailed-exitcode")
        assert first.returncode == 2, first.stdout + first.stderr
        applied = run(profile, "apply", str(project), "--auto-approve")
        assert applied.returncode == 0, applied.stdout + applied.stderr
        again = run(profile, "plan", str(project), "--detailed-exitcode")
        assert again.returncode == 0, again.stdout + again.stderr


def test_every_batch_gets_one_result_per_item_in_order(
    profile: Profile,
    example: Callable[[str], Path],
    tmp_path: Path,
    cli: Callable[..., Result],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[tuple[str, list[str], list[str]]] = []
    opened = engine.open_providers

    def checked(workspace: engine.Workspace) -> None:
        opened(workspace)
        for provider in workspace.providers.values():
            original = provider.execute

            async def execute(
                verb: Verb,
                ops: list[Operation],
                ids: dict[Address, str],
                original: Callable[..., Any] = original,
            ) -> list[ItemResult]:
                results: list[ItemResult] = await original(verb, ops, ids)
                seen.append((verb.name, [op.key for op in ops], [r.key for r in results]))
                return results

            monkeypatch.setattr(provider, "execute", execute)

    monkeypatch.setattr(engine, "open_providers", checked)
    for name, value in profile.credentials.items():
        monkeypatch.setenv(name, value)
    with sandbox_server(tmp_path / "served.sqlite") as base:
        project = project_for(profile, example, base)
        applied = cli("apply", str(project), "--auto-approve")
        assert applied.exit_code == 0, applied.stdout + applied.stderr
        for manifest in (project / "campaigns").glob("*.yaml"):
            manifest.unlink()  # then retire everything: sibling retirements are ready together
        retired = cli("apply", str(project), "--auto-approve", "--allow-retire")
        assert retired.exit_code == 0, retired.stdout + retired.stderr
    assert seen, "no batch was sent"
    assert all(sent == answered for _, sent, answered in seen), [s for s in seen if s[1] != s[2]]
    if profile.batching:
        assert max(len(sent) for _, sent, _ in seen) > 1, "no batch carried several items"


def test_a_lost_create_answer_is_adopted_not_duplicated(
    profile: Profile, example: Callable[[str], Path], tmp_path: Path
) -> None:
    db = tmp_path / "served.sqlite"
    with sandbox_server(db) as base:
        before = names(profile, base)
    with sandbox_server(db, "--lose-share", "1", "--faults-only", profile.lost_create) as base:
        project = project_for(profile, example, base)
        lost = run(profile, "apply", str(project), "--auto-approve")
        assert lost.returncode == 1, lost.stdout + lost.stderr
        made = names(profile, base) - before
        assert sum(made.values()) == 1, made  # the platform made it; the answer never came back
    state = json.loads((project / "state" / "default.state.json").read_text(encoding="utf-8"))
    assert state["pending"], "the create must stay journalled when its outcome is unknown"
    with sandbox_server(db) as again:
        config = project / "reconciler.yaml"
        config.write_text(config.read_text(encoding="utf-8").replace(base, again), encoding="utf-8")
        planned = run(profile, "plan", str(project))
        assert planned.returncode == 0, planned.stdout + planned.stderr
        assert "created by an interrupted run" in planned.stdout
        applied = run(profile, "apply", str(project), "--auto-approve")
        assert applied.returncode == 0, applied.stdout + applied.stderr
        final = run(profile, "plan", str(project), "--detailed-exitcode")
        assert final.returncode == 0, final.stdout + final.stderr
        after = names(profile, again) - before
    assert after == made, f"the lost create was made again: {after}"


def test_a_refused_item_fails_alone(profile: Profile, example: Callable[[str], Path], tmp_path: Path) -> None:
    with sandbox_server(tmp_path / "served.sqlite") as base:
        project = project_for(profile, example, base)
        refused = profile.poison(project)
        applied = run(profile, "apply", str(project), "--auto-approve")
        assert applied.returncode == 1, applied.stdout + applied.stderr
        failed = [line for line in applied.stdout.splitlines() if "FAILED" in line]
        assert failed and all(refused in line for line in failed), failed
        assert sum(" ok " in f" {line} " for line in applied.stdout.splitlines()) >= 3
        state = json.loads((project / "state" / "default.state.json").read_text(encoding="utf-8"))
        assert len(state["resources"]) >= 3
        again = plan_file(profile, project)
    creates = {c["address"] for c in again["changes"] if c["action"] == "create"}
    assert creates <= {refused}, f"objects made by the apply are planned again: {creates - {refused}}"
    assert refused in {c["address"] for c in again["changes"]}


@contextmanager
def unreadable_server(sandbox: str, answer: str) -> Iterator[str]:
    """A server that passes token requests to the sandbox and answers every other call with `answer`:
    `redirect` (307), `html` (a 200 login page) or `empty` (`{}`)."""

    async def handle(request: Request) -> Response:
        path = request.url.path
        if path.endswith("/token") or path.endswith("/access_token"):
            async with httpx.AsyncClient(base_url=sandbox) as client:
                passed = await client.post(path, content=await request.body(), headers=request.headers)
            return Response(passed.content, passed.status_code, media_type="application/json")
        if answer == "redirect":
            return RedirectResponse("https://login.example.invalid/sso", status_code=307)
        if answer == "html":
            return HTMLResponse("<html><body><h1>Sign in</h1></body></html>")
        return JSONResponse({})

    app = Starlette(routes=[Route("/{path:path}", handle, methods=["GET", "POST", "PUT", "PATCH"])])
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        ("redirect", "answered with a redirect (HTTP 307)"),
        ("html", "answered with an HTML page"),
        ("empty", "answered with JSON that is not"),
    ],
)
def test_an_unreadable_answer_fails_the_plan_and_never_plans_a_create(
    profile: Profile, example: Callable[[str], Path], tmp_path: Path, answer: str, words: str
) -> None:
    with sandbox_server(tmp_path / "served.sqlite") as base:
        project = project_for(profile, example, base)
        applied = run(profile, "apply", str(project), "--auto-approve")
        assert applied.returncode == 0, applied.stdout + applied.stderr
        with unreadable_server(base, answer) as bad:
            config = project / "reconciler.yaml"
            config.write_text(config.read_text(encoding="utf-8").replace(base, bad), encoding="utf-8")
            planned = run(profile, "plan", str(project), "--detailed-exitcode")
    assert planned.returncode == 1, planned.stdout + planned.stderr
    assert words in planned.stderr, planned.stderr
    assert "Traceback" not in planned.stderr
    assert "+ " not in planned.stdout and "recreate" not in planned.stdout


def test_a_field_the_manifests_stop_setting_is_released(
    profile: Profile, example: Callable[[str], Path], tmp_path: Path
) -> None:
    with sandbox_server(tmp_path / "served.sqlite") as base:
        project = project_for(profile, example, base)
        applied = run(profile, "apply", str(project), "--auto-approve")
        assert applied.returncode == 0, applied.stdout + applied.stderr
        address, field, released = profile.drop_field(project)
        planned = plan_file(profile, project)
        [change] = [c for c in planned["changes"] if c["address"] == address]
        assert [(f["path"], f["new"]) for f in change["fields"]] == [(field, released)]
        assert len(planned["changes"]) == 1, [c["address"] for c in planned["changes"]]
        again = run(profile, "apply", str(project), "--auto-approve")
        assert again.returncode == 0, again.stdout + again.stderr
        final = run(profile, "plan", str(project), "--detailed-exitcode")
        assert final.returncode == 0, final.stdout + final.stderr
