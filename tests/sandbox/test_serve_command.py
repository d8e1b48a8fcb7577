"""`reconciler sandbox serve` as a user meets it: `--help` and the start banner name the three platforms
and their base URLs, and with `-vv` every request is logged (method, path, status, milliseconds)."""

from __future__ import annotations

import re
import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from tests.conftest import BIN, Result

PLATFORMS = {"Criteo": "/criteo", "Amazon DSP": "/amazon-dsp", "AppLovin": "/applovin"}


def test_help_names_every_platform_and_its_prefix(cli: Callable[..., Result]) -> None:
    result = cli("sandbox", "serve", "--help")
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    for name, prefix in PLATFORMS.items():
        assert f"{name} under {prefix}" in text.replace("- ", "-")


def test_banner_and_request_log_with_vv(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "stderr.txt"
    with log.open("w") as stderr:
        server = subprocess.Popen(
            [str(BIN), "-vv", "sandbox", "serve", "--port", str(port), "--db", str(tmp_path / "s.sqlite")],
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
        try:
            deadline = time.monotonic() + 20
            while True:
                try:
                    httpx.get(f"{base}/_sandbox/fixtures", timeout=1).raise_for_status()
                    break
                except httpx.HTTPError:
                    assert time.monotonic() < deadline and server.poll() is None
                    time.sleep(0.05)
            refused = httpx.get(f"{base}/criteo/2027-01/marketing-solutions/ad-sets/1")
            assert refused.status_code == 401
        finally:
            server.terminate()
            server.wait(timeout=10)
    text = log.read_text()
    for name, prefix in PLATFORMS.items():
        assert re.search(rf"{name}\s+base URL {re.escape(base + prefix)}\b", text), text
    assert f"{base}/criteo/oauth2/token" in text
    assert f"{base}/amazon-dsp/auth/o2/token" in text
    assert f"{base}/applovin/oauth/v1/access_token" in text
    assert re.search(r"GET /_sandbox/fixtures 200 \d+\.\d ms", text), text
    assert re.search(r"GET /criteo/2027-01/marketing-solutions/ad-sets/1 401 \d+\.\d ms", text), text
    # a stopped sandbox leaves its whole platform in the one database file (no write-ahead log beside it),
    # so the file can be copied to start another sandbox from
    assert (tmp_path / "s.sqlite").exists()
    assert not (tmp_path / "s.sqlite-wal").exists()
