"""Benchmark: `reconciler validate` on large generated projects, and the YAML loader alone with libyaml and
with the pure-Python fallback.

Projects: the Amazon DSP example's campaign repeated into about 10,000 resources (one 3.3 MB file), and
a Criteo manifest of 5 MB (about 7,300 ad sets). For each: wall time, CPU time and peak memory of the
command (start-up included), and the start-up alone (`reconciler --version`); then the loader alone:
libyaml's events (what a plain manifest takes), libyaml's node tree (what one with anchors, aliases, merge
keys or a problem takes) and the pure-Python parser (where libyaml is missing).

Run with `.venv/bin/python bench/validate_scale.py` from the repository root.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from reconciler.manifest.yaml_loader import PureYamlLoader, YamlLoader, from_nodes, load_yaml, paused_gc

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent / "reconciler"
AD_SET = """      - key: fr{n}
        name: FR {n}
        objective: conversions
        mediaType: display
        datasetId: "56789"
        trackingCode: utm_source=criteo&utm_campaign=fr{n}
        schedule: {{startDate: 2027-06-01T00:00:00Z, endDate: 2027-08-31T23:59:59Z}}
        activation: on
        bidding: {{costController: COS, bidAmount: 0.12}}
        targeting:
          frequencyCapping: {{frequency: daily, maximumImpressions: 3}}
          geoLocation: {{countries: {{operand: in, values: [FR]}}}}
        budget:
          budgetStrategy: capped
          budgetRenewal: daily
          budgetDeliverySmoothing: accelerated
          budgetAmount: 400
        audience: "9876"
"""


def amazon_project(target: Path, campaigns: int = 1430) -> Path:
    example = ROOT / "examples" / "amazon-dsp-launch"
    head, _, body = (example / "campaigns" / "q1-launch.yaml").read_text().partition("campaigns:\n")
    copies = (body.replace("key: q1-launch", f"key: q{i}") for i in range(campaigns))
    (target / "campaigns").mkdir(parents=True)
    (target / "reconciler.yaml").write_text((example / "reconciler.yaml").read_text())
    (target / "campaigns" / "big.yaml").write_text(head + "campaigns:\n" + "".join(copies))
    return target


def criteo_project(target: Path, size: int = 5_000_000) -> Path:
    head = (
        "platform: criteo\nadvertiserId: '12345'\ncampaigns:\n  - key: big\n    name: Big\n"
        "    goal: retention\n    spendLimit: {spendLimitType: uncapped}\n    adSets:\n"
    )
    count = size // len(AD_SET.format(n=10_000))
    (target / "campaigns").mkdir(parents=True)
    (target / "reconciler.yaml").write_text("project: big\nplatforms: {criteo: {endpoint: sandbox}}\n")
    (target / "campaigns" / "big.yaml").write_text(head + "".join(AD_SET.format(n=n) for n in range(count)))
    return target


def measured(command: list[str]) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds, output) of a command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return wall, cpu, (done.stdout + done.stderr).strip().splitlines()[-1]


def main() -> None:
    start_wall, start_cpu, _ = measured([str(BIN), "--version"])
    print(f"start-up (reconciler --version): {start_wall:.2f} s wall, {start_cpu:.2f} s CPU")
    with tempfile.TemporaryDirectory() as workdir:
        for name, project in (
            ("10k Amazon DSP resources", amazon_project(Path(workdir) / "amazon")),
            ("5 MB Criteo manifest", criteo_project(Path(workdir) / "criteo")),
        ):
            manifest = project / "campaigns" / "big.yaml"
            wall, cpu, last = measured(
                ["/usr/bin/env", "time", "-f", "%M", str(BIN), "validate", str(project)]
            )
            size = manifest.stat().st_size / 1e6
            print(f"validate, {name} ({size:.1f} MB): {wall:.2f} s wall, {cpu:.2f} s CPU")
            print(f"  peak memory {int(last) / 1024:.0f} MB")
            loader_times(manifest.read_text())


def loader_times(text: str) -> None:
    """CPU time of the loader alone on one manifest's text, each way it can read it."""
    for label, load in (
        (f"load_yaml with {YamlLoader.__name__}", lambda: load_yaml(text, "big.yaml")),
        ("  the same through the node tree", lambda: from_nodes(text, "big.yaml", YamlLoader)),
        (f"load_yaml with {PureYamlLoader.__name__}", lambda: load_yaml(text, "big.yaml", PureYamlLoader)),
    ):
        started = time.process_time()
        with paused_gc():
            load()
        print(f"  {label}: {time.process_time() - started:.2f} s CPU")


if __name__ == "__main__":
    main()
