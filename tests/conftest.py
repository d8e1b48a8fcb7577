"""Shared fixtures: a copy of an example project, the CLI run in-process, and direct sandbox API access."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

from reconciler import engine
from reconciler.cli import main
from reconciler.providers.base import ProviderConfig
from reconciler.providers.criteo.provider import CriteoProvider
from reconciler.sandbox import create_app

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
BIN = Path(sys.executable).parent / "reconciler"
T = TypeVar("T", bound=httpx.AsyncBaseTransport)


def criteo_through(
    project: Path, wrap: Callable[[httpx.AsyncBaseTransport], T]
) -> tuple[engine.Workspace, T]:
    """The project's workspace, its Criteo provider calling the project's in-process sandbox through
    `wrap(sandbox)`: a transport that loses, refuses or delays some calls (returned too)."""
    workspace = engine.open_workspace(project)
    transport = wrap(httpx.ASGITransport(app=create_app(project / engine.SANDBOX_DB)))
    workspace.providers["criteo"] = CriteoProvider(
        ProviderConfig(
            base_url="http://sandbox/criteo",
            credentials={"client_id": "a", "client_secret": "b"},
            transport=transport,
        )
    )
    return workspace, transport


@contextmanager
def sandbox_server(db: Path, *options: str) -> Iterator[str]:
    """`reconciler sandbox serve OPTIONS` in its own process on a free loopback port; yields the base URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    server = subprocess.Popen(
        [str(BIN), "sandbox", "serve", "--port", str(port), "--db", str(db), *options],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                httpx.get(f"{base}/_sandbox/fixtures", timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.05)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture
def example(tmp_path: Path) -> Callable[[str], Path]:
    """Copy an example project into a fresh directory (a fresh sandbox and no state)."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(EXAMPLES / name, target, ignore=shutil.ignore_patterns("state", ".reconciler"))
        return target

    return copy


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """Run `reconciler ARGS...` in-process, exactly as the console script does."""

    def run(*args: str, stdin: str = "") -> Result:
        capsys.readouterr()
        monkeypatch.setattr(sys, "argv", ["reconciler", *args])
        monkeypatch.setattr(sys, "stdin", _Input(stdin))
        code = 0
        try:
            main()
        except SystemExit as exc:
            code = int(exc.code or 0)
        out = capsys.readouterr()
        return Result(code, out.out, out.err)

    return run


class _Input:
    def __init__(self, text: str) -> None:
        self.lines = iter(text.splitlines(keepends=True))

    def readline(self) -> str:
        return next(self.lines, "")

    def isatty(self) -> bool:
        return False


class SandboxAPI:
    """Talks to a project's embedded sandbox through its Criteo API, as another user of the platform would."""

    def __init__(self, db: Path) -> None:
        from reconciler.sandbox import create_app

        self.client = httpx.Client(transport=_SyncASGI(create_app(db)), base_url="http://sandbox/criteo")
        token = self.client.post(
            "/oauth2/token",
            data={"grant_type": "client_credentials", "client_id": "other", "client_secret": "x"},
        ).json()["access_token"]
        self.client.headers["Authorization"] = f"Bearer {token}"

    def call(self, method: str, path: str, body: Any = None) -> httpx.Response:
        return self.client.request(method, f"/2027-01/marketing-solutions{path}", json=body)

    def patch_ad_set(self, ad_set_id: str, attributes: dict[str, Any]) -> httpx.Response:
        """One-item `PATCH /ad-sets`, as a colleague editing the ad set in the platform would."""
        item = {"id": ad_set_id, "type": "PatchAdSet", "attributes": attributes}
        return self.call("PATCH", "/ad-sets", {"data": [item]})


class _SyncASGI(httpx.BaseTransport):
    """Runs an ASGI app for a synchronous httpx client (each request in its own event loop)."""

    def __init__(self, app: Any) -> None:
        self.transport = httpx.ASGITransport(app=app)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        import asyncio

        async def send() -> httpx.Response:
            response = await self.transport.handle_async_request(request)
            body = await response.aread()
            return httpx.Response(response.status_code, headers=response.headers, content=body)

        return asyncio.run(send())


@pytest.fixture
def sandbox_api() -> Iterator[Callable[[Path], SandboxAPI]]:
    opened: list[SandboxAPI] = []

    def open_for(project: Path) -> SandboxAPI:
        api = SandboxAPI(project / ".reconciler" / "sandbox.sqlite")
        opened.append(api)
        return api

    yield open_for
    for api in opened:
        api.client.close()


@pytest.fixture
def requests_of() -> Iterator[Callable[[Path], list[dict[str, str]]]]:
    """The requests a project's embedded sandbox received (method, path, ...), in order."""
    opened: list[httpx.Client] = []

    def read(project: Path) -> list[dict[str, str]]:
        from reconciler.sandbox import create_app

        app = create_app(project / ".reconciler" / "sandbox.sqlite")
        client = httpx.Client(transport=_SyncASGI(app), base_url="http://sandbox")
        opened.append(client)
        return list(client.get("/_sandbox/requests").json()["requests"])

    yield read
    for client in opened:
        client.close()
