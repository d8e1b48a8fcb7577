"""Benchmark: plan and apply N Criteo ad sets over real HTTP against `reconciler sandbox serve`.

Shows the throughput the documented rate limit allows (250 calls a minute per client) and that the
client's self-throttling keeps every call under it (no 429). Run:
    .venv/bin/python bench/bench_apply_http.py [AD_SETS]
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx

BIN = Path(sys.executable).parent / "reconciler"


def project(root: Path, base: str, count: int) -> None:
    root.mkdir()
    (root / "reconciler.yaml").write_text(
        f"project: bench\nplatforms:\n  criteo:\n    endpoint: {base}/criteo\n"
        "    credentials: {client_id: BENCH_ID, client_secret: BENCH_SECRET}\n"
    )
    ad_sets = "".join(
        f"""
      - key: m{n}
        name: Market {n}
        objective: conversions
        mediaType: display
        datasetId: "56789"
        trackingCode: utm_campaign=m{n}
        schedule: {{startDate: 2027-06-01T00:00:00Z}}
        activation: on
        bidding: {{costController: COS, bidAmount: 0.1}}
        targeting: {{frequencyCapping: {{frequency: daily, maximumImpressions: 3}}}}
        budget: {{budgetStrategy: uncapped}}
        audience: "9876"
"""
        for n in range(count)
    )
    (root / "bench.yaml").write_text(
        'platform: criteo\nadvertiserId: "12345"\ncampaigns:\n  - key: big\n    name: Big\n'
        "    goal: acquisition\n    spendLimit: {spendLimitType: uncapped}\n    adSets:" + ad_sets
    )


def timed(*args: str) -> float:
    env = {**os.environ, "BENCH_ID": "bench", "BENCH_SECRET": "bench"}
    started = time.perf_counter()
    done = subprocess.run([str(BIN), *args], capture_output=True, text=True, env=env)
    if done.returncode not in (0, 2):
        raise SystemExit(done.stderr)
    return time.perf_counter() - started


def main(count: int) -> None:
    with tempfile.TemporaryDirectory() as tmp, socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        probe.close()
        server = subprocess.Popen(
            [str(BIN), "sandbox", "serve", "--port", str(port), "--db", f"{tmp}/bench.sqlite"],
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    httpx.get(f"{base}/_sandbox/fixtures")
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            root = Path(tmp) / "p"
            project(root, base, count)
            first = timed("plan", str(root))
            apply = timed("apply", str(root), "--auto-approve")
            again = timed("plan", str(root), "--detailed-exitcode")
            log = httpx.get(f"{base}/_sandbox/requests").json()["requests"]
        finally:
            server.terminate()
            server.wait()
    statuses = Counter(r["status"] for r in log)
    print(f"{count} ad sets, {len(log)} calls: plan {first:.1f}s, apply {apply:.1f}s, re-plan {again:.1f}s")
    print(f"statuses {dict(statuses)}; refused for the rate limit (429): {statuses.get(429, 0)}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
