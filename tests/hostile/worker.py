"""Runs the real CLI (`reconciler.cli.main`, what the console script calls) on many cases, each in its own
forked process under a memory limit, after importing reconciler once.

Usage: `python -m tests.hostile.worker LIMIT_BYTES SECONDS < cases.json`, where cases.json is a list of
argument lists (`["validate", "DIR", ...]`). Prints one JSON object per case: exit code, stdout, stderr,
seconds (wall) and cpu_seconds (the case's own, whatever else the machine runs), peak resident memory
(kB), and whether the case was stopped for taking longer than SECONDS.

The address space a case may add to the imported CLI is limited to LIMIT_BYTES (`RLIMIT_AS`: the
libraries already loaded reserve far more address space than they use, so the limit is counted from
there); its peak resident memory is reported for the test to compare with LIMIT_BYTES.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import resource
import select
import sys
import time
import traceback
from typing import Any

from reconciler.cli import main as reconciler_main


def _child(argv: list[str], limit: int, write_end: int) -> None:
    """In the forked process: the memory limit, then `reconciler ARGV`, its result written to the pipe."""
    resource.setrlimit(resource.RLIMIT_AS, (_address_space() + limit, resource.RLIM_INFINITY))
    out, err = io.StringIO(), io.StringIO()
    code: Any = 0
    sys.argv = ["reconciler", *argv]
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            reconciler_main()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        except BaseException:  # what would reach a user as a traceback
            traceback.print_exc()
            code = -1
    usage = resource.getrusage(resource.RUSAGE_SELF)
    result = {"exit_code": code, "stdout": out.getvalue(), "stderr": err.getvalue()}
    result.update(peak_kb=usage.ru_maxrss, cpu_seconds=usage.ru_utime + usage.ru_stime)
    data = json.dumps(result)
    with os.fdopen(write_end, "w", encoding="utf-8") as pipe:
        pipe.write(data)


def _address_space() -> int:
    """This process's address space now, in bytes (VmSize)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def run_case(argv: list[str], limit: int, seconds: float) -> dict[str, Any]:
    read_end, write_end = os.pipe()
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:  # pragma: no cover (the child)
        os.close(read_end)
        try:
            _child(argv, limit, write_end)
        finally:
            os._exit(0)
    os.close(write_end)
    chunks: list[bytes] = []
    timed_out = False
    with os.fdopen(read_end, "rb") as pipe:
        while True:
            left = started + seconds - time.monotonic()
            ready, _, _ = select.select([pipe], [], [], max(left, 0))
            if not ready:
                timed_out = True
                os.kill(pid, 9)
                break
            chunk = os.read(pipe.fileno(), 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    os.waitpid(pid, 0)
    elapsed = time.monotonic() - started
    raw = b"".join(chunks).decode("utf-8", "replace")
    result: dict[str, Any] = (
        json.loads(raw)
        if raw and not timed_out
        else {
            "exit_code": None,
            "stdout": "",
            "stderr": raw or "(the process died without a result: killed, or out of memory outside Python)",
            "peak_kb": 0,
        }
    )
    result.update(argv=argv, seconds=elapsed, timed_out=timed_out)
    return result


def main() -> None:
    limit, seconds = int(sys.argv[1]), float(sys.argv[2])
    for argv in json.load(sys.stdin):
        print(json.dumps(run_case(argv, limit, seconds)), flush=True)


if __name__ == "__main__":
    main()
