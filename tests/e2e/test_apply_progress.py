"""An apply's live progress as CI sees it (issue 15): output captured through a pipe, not a terminal, from
the CLI applying against `reconciler sandbox serve --latency-ms 200`. Step lines must arrive while the apply
runs, not all at its end, and a heartbeat must say what the apply waits for (AppLovin asset processing)."""

from __future__ import annotations

import os
import re
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

from tests.conftest import BIN, sandbox_server

STEP = re.compile(r"^\s+(\d+\.\d)s  (ok|FAILED) +(\S+) +(applovin\.\S+)$")
BEAT = re.compile(r"^\s+(\d+\.\d)s  wait   (.+)$")


def read_lines(process: subprocess.Popen[str]) -> list[tuple[float, str]]:
    """Every stdout line with the moment it arrived (read as it comes, on a thread)."""
    arrived: list[tuple[float, str]] = []

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            arrived.append((time.monotonic(), line.rstrip("\n")))

    reader = threading.Thread(target=read)
    reader.start()
    process.wait(timeout=180)
    reader.join(timeout=10)
    return arrived


def test_step_lines_arrive_while_the_apply_runs_with_a_heartbeat_while_assets_process(
    tmp_path: Path, example: Callable[[str], Path]
) -> None:
    project = example("applovin-ua")
    with sandbox_server(
        tmp_path / "served.sqlite", "--latency-ms", "200", "--applovin-asset-delay", "8"
    ) as base:
        config = project / "reconciler.yaml"
        text = config.read_text()
        config.write_text(
            re.sub(
                r"endpoint: sandbox.*\n",
                f"endpoint: {base}/applovin\n    auth_endpoint: {base}/applovin\n",
                text,
            )
        )
        env = {**os.environ, "APPLOVIN_CLIENT_ID": "ci-client", "APPLOVIN_CLIENT_SECRET": "ci-secret"}
        started = time.monotonic()
        process = subprocess.Popen(
            [str(BIN), "apply", str(project), "--auto-approve"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        arrived = read_lines(process)
        ended = time.monotonic()
        assert process.stderr is not None
        assert process.returncode == 0, process.stderr.read()
    lines = [line for _, line in arrived]
    steps = [(at, STEP.match(line)) for at, line in arrived if STEP.match(line)]
    assert len(steps) == 13, "\n".join(lines)  # one write per object: the first-apply minimum
    # The lines came as the steps finished: the first long before the end, spread over the run.
    first, last = steps[0][0], steps[-1][0]
    assert last - first > 5, f"step lines arrived within {last - first:.1f}s"
    assert ended - first > 5
    assert ended - started > 8  # the assets took 8 seconds to process
    # Each line says when its step finished, in order, and the columns line up.
    printed = [float(m.group(1)) for _, m in steps if m]
    assert printed == sorted(printed) and printed[-1] - printed[0] > 5
    assert len({line.index(" applovin.") for line in lines if STEP.match(line)}) == 1
    # While no step finished for a few seconds, a heartbeat said what the apply waited for.
    beats = [(at, line) for at, line in arrived if BEAT.match(line)]
    assert beats, "\n".join(lines)
    assert any("applovin.ad.puzzle-ios/portrait-video/inter-portrait waits for its ad" in b for _, b in beats)
    assert first < beats[0][0] < last
    assert lines[-1] == "Apply complete: 13 step(s) done."
    assert "ci-secret" not in "\n".join(lines)
