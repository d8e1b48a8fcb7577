"""Benchmark: load time of the HTML plan report of 2,000 dated objects in headless Chromium (issue 15:
under 2 s).

The plan is made by the real pure plan builder and timeline from generated resources (tests/render/
big_plan.py): 400 campaigns on Amazon DSP and Criteo, new, retired, moved and unchanged ones. Each run
loads the report in a fresh Chromium and reads the page's own navigation timing (start to the end of its
load event). Run:
    .venv/bin/python bench/bench_html_report.py [CAMPAIGNS] [RUNS]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reconciler.render import render_html
from tests.render.big_plan import big_plan
from tests.render.chromium import chromium

BOUND = 2.0


def main() -> None:
    campaigns = int(sys.argv[1]) if len(sys.argv) > 1 else 400
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    plan = big_plan(campaigns)
    started = time.perf_counter()
    page_text = render_html(plan)
    rendered = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as directory:
        report = Path(directory) / "plan.html"
        report.write_text(page_text, encoding="utf-8")
        loads: list[float] = []
        for _ in range(runs):
            with chromium() as page:
                page.load(report)
                page.settle(0.1)
                loads.append(
                    float(page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")) / 1000
                )
                rows = page.evaluate("document.querySelectorAll('.row[data-address]').length")
                assert page.errors() == [], page.errors()
    worst = max(loads)
    size = len(page_text) / 1e6
    print(f"{len(plan.timeline)} dated objects ({rows} rows), {size:.1f} MB, rendered in {rendered:.2f}s")
    print(f"load in Chromium over {runs} runs: median {statistics.median(loads):.2f}s, worst {worst:.2f}s")
    if worst >= BOUND:
        raise SystemExit(f"too slow: {worst:.2f}s >= {BOUND}s")
    print(f"under {BOUND:.0f} s: ok")


if __name__ == "__main__":
    main()
