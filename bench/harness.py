"""Running things for the benchmarks: `reconciler sandbox serve` on a free loopback port (its request log and
fixtures), a `reconciler` command timed with the peak memory of its process, the environment holding the
credentials the generated projects name, and the log-log growth exponent of a series of timings."""

from __future__ import annotations

import math
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent / "reconciler"

ENV_NAMES = {
    "amazon_dsp": {
        "client_id": "BENCH_AMAZON_ID",
        "client_secret": "BENCH_AMAZON_SECRET",
        "refresh_token": "BENCH_AMAZON_REFRESH",
    },
    "criteo": {"client_id": "BENCH_CRITEO_ID", "client_secret": "BENCH_CRITEO_SECRET"},
    "applovin": {"client_id": "BENCH_APPLOVIN_ID", "client_secret": "BENCH_APPLOVIN_SECRET"},
}
"""Platform → credential field → the environment variable a generated project names for it."""

PREFIXES = {"amazon_dsp": "/amazon-dsp", "criteo": "/criteo", "applovin": "/applovin"}
"""Platform → the sandbox's path prefix for it."""


def applovin_app(fixtures: Mapping[str, Any]) -> dict[str, str]:
    """The seeded first-party AppLovin OAuth app holding every write scope."""
    for app in fixtures["applovin"]["oauth_apps"]:
        if app["kind"] == "first_party" and "campaigns:write" in app["scopes"]:
            return {"client_id": app["client_id"], "client_secret": app["client_secret"]}
    raise SystemExit("the sandbox fixtures hold no first-party AppLovin app with write scopes")


def bench_env(fixtures: Mapping[str, Any], criteo_client: str = "bench-reconciler") -> dict[str, str]:
    """The process environment with the credentials of the generated projects (the sandbox's own apps)."""
    app = applovin_app(fixtures)
    values = {
        "BENCH_AMAZON_ID": "bench-reconciler",
        "BENCH_AMAZON_SECRET": "bench-secret",
        "BENCH_AMAZON_REFRESH": "Atzr|bench-refresh",
        "BENCH_CRITEO_ID": criteo_client,
        "BENCH_CRITEO_SECRET": "bench-secret",
        "BENCH_APPLOVIN_ID": app["client_id"],
        "BENCH_APPLOVIN_SECRET": app["client_secret"],
    }
    return {**os.environ, **values, "NO_COLOR": "1"}


@dataclass
class Run:
    """One finished `reconciler` command."""

    args: tuple[str, ...]
    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float
    """Peak resident memory of the process (its `ru_maxrss`), in MiB."""
    cpu: float
    """CPU seconds of the process (user + system)."""
    program: str = "reconciler"

    def check(self, *codes: int) -> Run:
        """This run, or exit naming the command and its output when its exit code is not one of `codes`."""
        if self.code not in (codes or (0,)):
            tail = (self.stdout + self.stderr)[-3000:]
            raise SystemExit(f"`{self.program} {' '.join(self.args)}` exited {self.code}:\n{tail}")
        return self


def run(args: Sequence[str], env: Mapping[str, str], program: Sequence[str] = (str(BIN),)) -> Run:
    """Run `reconciler ARGS` (or `program ARGS`), timing it and reading its own peak memory and CPU time
    from `wait4`."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(
            [*program, *args], stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=dict(env)
        )
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(
            tuple(args),
            process.returncode,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
            seconds,
            usage.ru_maxrss / 1024,
            usage.ru_utime + usage.ru_stime,
            " ".join(Path(p).name for p in program),
        )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Sandbox:
    """`reconciler sandbox serve OPTIONS` over one SQLite file, as a context manager."""

    def __init__(self, db: Path, *options: str, port: int | None = None) -> None:
        self.db = db
        self.options = options
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.http = httpx.Client(base_url=self.base, timeout=60)

    def __enter__(self) -> Sandbox:
        command = [str(BIN), "sandbox", "serve", "--port", str(self.port), "--db", str(self.db)]
        self.process = subprocess.Popen(
            [*command, *self.options], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                self.http.get("/_sandbox/fixtures", timeout=2).raise_for_status()
                return self
            except httpx.HTTPError as error:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.__exit__()
                    serve = f"reconciler sandbox serve {' '.join(self.options)}"
                    raise SystemExit(f"`{serve}` did not start") from error
                time.sleep(0.05)

    def __exit__(self, *exc: object) -> None:
        self.http.close()
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def url(self, platform: str) -> str:
        return self.base + PREFIXES[platform]

    def fixtures(self) -> dict[str, Any]:
        return dict(self.http.get("/_sandbox/fixtures").json())

    def requests(self) -> list[dict[str, Any]]:
        """Every platform call the sandbox received since the last `clear`, in order."""
        return list(self.http.get("/_sandbox/requests").json()["requests"])

    def clear(self) -> None:
        self.http.delete("/_sandbox/requests").raise_for_status()


def loglog_slope(sizes: Sequence[float], values: Sequence[float]) -> float | None:
    """The least-squares slope of log(value) over log(size): 1 is linear growth, 2 quadratic."""
    points = [(math.log(s), math.log(v)) for s, v in zip(sizes, values, strict=True) if s > 0 and v > 0]
    if len(points) < 2:
        return None
    mean_x = sum(x for x, _ in points) / len(points)
    mean_y = sum(y for _, y in points) / len(points)
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    if spread == 0:
        return None
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / spread


def median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
