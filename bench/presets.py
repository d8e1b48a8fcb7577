"""The sizes `bench.portfolio` runs at (`--size quick|small|medium|large`) and the context every section of
it receives (work directory, fixtures, environment, options)."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from bench.generate import Shape
from bench.harness import Sandbox
from reconciler.registry import PLATFORMS as REGISTRY

PLATFORMS = ("amazon_dsp", "applovin", "criteo")
CONCURRENCY = {name: int(REGISTRY[name].part("settings").concurrency) for name in PLATFORMS}
"""Calls each provider keeps in flight: its settings' `concurrency`, given to the provider as
`ProviderConfig.concurrency` (the `HttpSession` gate every client.py builds from it, and the executor's
limit). Override the bound's figure with `--concurrency PLATFORM=N`."""


@dataclass(frozen=True)
class Preset:
    calls: Shape
    """The three-platform portfolio whose calls are counted."""
    latency: Shape
    """Applied platform by platform at `--latency-ms`, and by the naive client."""
    throttle_ad_sets: int
    """Criteo ad sets applied against a sandbox announcing `--rate-limit 60`."""
    scale: tuple[int, ...]
    """Amazon DSP resources of the projects validated, applied and planned again."""
    manifest_mb: float
    """Size of the single manifest validated."""
    startup_runs: int


PRESETS = {
    "quick": Preset(
        calls=Shape(amazon_campaigns=2, ad_groups=2, criteo_campaigns=1, ad_sets=3, applovin_campaigns=2),
        latency=Shape(amazon_campaigns=3, ad_groups=2, criteo_campaigns=1, ad_sets=5, applovin_campaigns=3),
        throttle_ad_sets=3,
        scale=(40, 80),
        manifest_mb=0.2,
        startup_runs=1,
    ),
    "small": Preset(
        calls=Shape(amazon_campaigns=20, criteo_campaigns=4, applovin_campaigns=10),
        latency=Shape(amazon_campaigns=20, criteo_campaigns=2, ad_sets=10, applovin_campaigns=20),
        throttle_ad_sets=70,
        scale=(1000, 5000),
        manifest_mb=5,
        startup_runs=5,
    ),
    "medium": Preset(
        calls=Shape(amazon_campaigns=100, criteo_campaigns=10, applovin_campaigns=50),
        latency=Shape(
            amazon_campaigns=100, ad_groups=2, criteo_campaigns=5, ad_sets=10, applovin_campaigns=50
        ),
        throttle_ad_sets=70,
        scale=(1000, 5000, 10000),
        manifest_mb=5,
        startup_runs=5,
    ),
    "large": Preset(
        calls=Shape(amazon_campaigns=760, ad_groups=3, criteo_campaigns=40, applovin_campaigns=200),
        latency=Shape(
            amazon_campaigns=100, ad_groups=2, criteo_campaigns=5, ad_sets=10, applovin_campaigns=50
        ),
        throttle_ad_sets=70,
        scale=(1000, 5000, 10000, 50000),
        manifest_mb=5,
        startup_runs=5,
    ),
}


def resize(shape: Shape, campaigns: int | None, children: int | None) -> Shape:
    """`shape` with `campaigns` campaigns in all (76% Amazon DSP, 20% AppLovin, 4% Criteo: Criteo's 250 calls
    a minute make it the slowest to fill) and about `children` objects below them (by Amazon ad groups)."""
    if campaigns:
        criteo = max(1, round(campaigns * 0.04))
        applovin = max(1, round(campaigns * 0.20))
        shape = replace(
            shape,
            amazon_campaigns=max(1, campaigns - criteo - applovin),
            criteo_campaigns=criteo,
            applovin_campaigns=applovin,
        )
    if children:
        per_group = 1 + shape.locations + shape.audiences + shape.creatives
        others = shape.criteo_campaigns * shape.ad_sets + shape.applovin_campaigns * (
            shape.countries + shape.creative_sets + shape.source_bids
        )
        groups = max(1, round((children - others) / max(1, shape.amazon_campaigns * per_group)))
        shape = replace(shape, ad_groups=groups)
    return shape


def children(shape: Shape) -> int:
    """Objects below the campaigns: Amazon ad groups, targets and associations, Criteo ad sets, AppLovin
    countries, creative sets and source bids."""
    amazon = (
        shape.amazon_campaigns * shape.ad_groups * (1 + shape.locations + shape.audiences + shape.creatives)
    )
    applovin = shape.applovin_campaigns * (shape.countries + shape.creative_sets + shape.source_bids)
    return amazon + shape.criteo_campaigns * shape.ad_sets + applovin


@dataclass
class Context:
    work: Path
    fixtures: Mapping[str, Any]
    env: Mapping[str, str]
    preset: Preset
    latency_ms: int = 50
    concurrency: Mapping[str, int] = field(default_factory=lambda: dict(CONCURRENCY))
    counter: list[int] = field(default_factory=lambda: [0])

    def say(self, message: str) -> None:
        """Progress on stderr (the table goes to stdout)."""
        print(f"[bench] {message}", file=sys.stderr, flush=True)

    def place(self, name: str) -> Path:
        """A fresh path under the work directory."""
        self.counter[0] += 1
        return self.work / f"{self.counter[0]:02d}-{name}"

    def sandbox(self, name: str, *options: str) -> Sandbox:
        return Sandbox(self.place(name + ".sqlite"), *options)


def endpoints(sandbox: Sandbox) -> dict[str, str]:
    return {p: sandbox.url(p) for p in PLATFORMS}


def only(shape: Shape, platform: str) -> Shape:
    """`shape` keeping only one platform's campaigns."""
    return replace(
        shape,
        amazon_campaigns=shape.amazon_campaigns if platform == "amazon_dsp" else 0,
        criteo_campaigns=shape.criteo_campaigns if platform == "criteo" else 0,
        applovin_campaigns=shape.applovin_campaigns if platform == "applovin" else 0,
    )
