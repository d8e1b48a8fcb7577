"""Generated portfolios: plain YAML manifests (no templates, so the loader is measured too) for the three
platforms, modelled on `examples/`, using the ids the sandbox seeds (`/_sandbox/fixtures`).

A `Shape` says how many objects of each kind a portfolio holds; `write_project` writes the project directory
and returns the `Counts` the bounds are computed from.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bench.harness import ENV_NAMES

START, END = "2030-01-01T00:00:00Z", "2030-06-30T23:59:59Z"
COUNTRIES = ("us", "gb", "de", "fr", "es", "it", "ca", "au", "jp", "br", "mx", "nl", "se", "pl", "kr")


@dataclass(frozen=True)
class Shape:
    """How many objects a portfolio holds (per parent unless said otherwise)."""

    amazon_campaigns: int = 0
    ad_groups: int = 4
    locations: int = 2
    """Location targets per ad group (0 declares no location target set)."""
    audiences: int = 2
    """Audience targets per ad group (0 declares no audience target set)."""
    creatives: int = 2
    """Creative associations per ad group."""
    tracked_every: int = 10
    """Every Nth Amazon campaign tracks conversion products (0: none)."""
    criteo_campaigns: int = 0
    ad_sets: int = 5
    audience_every: int = 2
    """Every Nth Criteo ad set links an audience (0: none)."""
    start_ad_sets: bool = True
    """Criteo ad sets declared `activation: on` (started after creation)."""
    applovin_campaigns: int = 0
    countries: int = 5
    creative_sets: int = 2
    source_bids: int = 10
    per_file: int = 50
    """Campaigns per manifest file."""

    @property
    def amazon_per_campaign(self) -> int:
        """Addresses one Amazon campaign brings: itself, its ad groups, target sets and associations."""
        target_sets = (self.locations > 0) + (self.audiences > 0)
        return 1 + self.ad_groups * (1 + target_sets + self.creatives)

    def amazon_resources(self, resources: int) -> Shape:
        """This shape with enough Amazon campaigns for about `resources` addresses, and nothing else."""
        campaigns = max(1, round(resources / self.amazon_per_campaign))
        return replace(self, amazon_campaigns=campaigns, criteo_campaigns=0, applovin_campaigns=0)


@dataclass
class Counts:
    """The objects a generated portfolio declares, per platform and kind (what the bounds count)."""

    objects: dict[str, dict[str, int]]
    resources: int
    """Addresses the manifests declare (what `validate` reports)."""

    def get(self, platform: str, kind: str) -> int:
        return self.objects.get(platform, {}).get(kind, 0)


def project_file(name: str, endpoints: Mapping[str, str]) -> str:
    """`reconciler.yaml` for the platforms in `endpoints` (platform → sandbox base URL)."""
    lines = [f"project: {name}", "platforms:"]
    for platform, url in endpoints.items():
        lines.append(f"  {platform}:")
        lines.append(f"    endpoint: {url}")
        if platform != "criteo":
            lines.append(f"    auth_endpoint: {url}")
        names = ", ".join(f"{field}: {env}" for field, env in ENV_NAMES[platform].items())
        lines.append(f"    credentials: {{{names}}}")
        lines.append(f"    currency: {'EUR' if platform == 'criteo' else 'USD'}")
    lines.append("state: {backend: local, path: state}")
    return "\n".join(lines) + "\n"


def write_project(
    root: Path, shape: Shape, fixtures: Mapping[str, Any], endpoints: Mapping[str, str], name: str = "bench"
) -> Counts:
    """Write a project of `shape` under `root` (created) against `endpoints`; return what it declares."""
    root.mkdir(parents=True)
    writers = (
        ("amazon_dsp", shape.amazon_campaigns, _amazon),
        ("criteo", shape.criteo_campaigns, _criteo),
        ("applovin", shape.applovin_campaigns, _applovin),
    )
    used = {platform: endpoints[platform] for platform, campaigns, _ in writers if campaigns}
    (root / "reconciler.yaml").write_text(project_file(name, used))
    (root / "campaigns").mkdir()
    objects: dict[str, dict[str, int]] = {}
    for platform, campaigns, writer in writers:
        counts: dict[str, int] = {}
        for first in range(0, campaigns, shape.per_file):
            last = min(campaigns, first + shape.per_file)
            text = writer(shape, fixtures, range(first, last), counts)
            (root / "campaigns" / f"{platform}-{first // shape.per_file:04d}.yaml").write_text(text)
        if campaigns:
            objects[platform] = counts
    if shape.amazon_campaigns and shape.creatives:
        objects["amazon_dsp"]["creatives"] = len(amazon_creatives_used(shape, fixtures))
    return Counts(objects, sum(c.get("resources", 0) for c in objects.values()))


def _add(counts: dict[str, int], kind: str, number: int = 1) -> None:
    counts[kind] = counts.get(kind, 0) + number


def amazon_ids(fixtures: Mapping[str, Any]) -> tuple[list[str], list[str], list[str]]:
    """Seeded Amazon geo locations, audiences and approved display creatives of the guide's advertiser."""
    amazon = fixtures["amazon_dsp"]
    advertiser = amazon["advertisers"][0]["advertiserId"]
    geos = [g["geoLocationId"] for g in amazon["geoLocations"]]
    audiences = [a["audienceId"] for a in amazon["audiences"] if "audienceId" in a]
    for entry in amazon["audiences"]:
        if "range" in entry:
            first, count = int(entry["firstId"]), int(entry["range"].rsplit(".", 1)[-1])
            audiences.extend(str(first + n) for n in range(count))
    creatives = [
        c["adCreativeId"]
        for c in amazon["adCreatives"]
        if c["advertiserId"] == advertiser
        and c["adCreativeFormatType"] == "DISPLAY"
        and c["creativeType"] == "IMAGE"
        and c["moderationStatus"] == "APPROVED"
    ]
    return geos, audiences, creatives


def _creative(creatives: list[str], c: int, g: int, k: int) -> str:
    """The creative association `k` of ad group `g` of Amazon campaign `c` names."""
    return creatives[(c + g + k) % len(creatives)]


def amazon_creatives_used(shape: Shape, fixtures: Mapping[str, Any]) -> set[str]:
    """The distinct creatives the Amazon associations of a portfolio of `shape` name."""
    creatives = amazon_ids(fixtures)[2]
    return {
        _creative(creatives, c, g, k)
        for c in range(shape.amazon_campaigns)
        for g in range(shape.ad_groups)
        for k in range(shape.creatives)
    }


def _amazon(shape: Shape, fixtures: Mapping[str, Any], numbers: range, counts: dict[str, int]) -> str:
    geos, audiences, creatives = amazon_ids(fixtures)
    advertiser = fixtures["amazon_dsp"]["advertisers"][0]["advertiserId"]
    category = fixtures["amazon_dsp"]["advertisedProductCategories"][0]["advertisedProductCategoryId"]
    if shape.locations > len(geos) or shape.creatives > len(creatives) or shape.audiences > 500:
        raise SystemExit("the shape asks for more Amazon locations, creatives or audiences than are seeded")
    out = ["platform: amazon_dsp", f'advertiserId: "{advertiser}"', "campaigns:"]
    for c in numbers:
        tracked = bool(shape.tracked_every) and c % shape.tracked_every == 0
        kpi = (
            "{kpi: RETURN_ON_AD_SPEND, targetKpi: 3}"
            if tracked
            else "{kpi: CLICK_THROUGH_RATE, targetKpi: 0.2}"
        )
        out += [
            f"  - key: c{c}",
            f"    name: Bench campaign {c}",
            "    optimization:",
            "      bidStrategy: SPEND_BUDGET_IN_FULL",
            "      automateBudgetAllocation: false",
            f"      goalSetting: {kpi}",
            "    flights:",
            f"      - {{startDateTime: {START}, endDateTime: {END}, budgetAmount: {5000 + c}}}",
            "    frequencies:",
            "      - frequencyType: UNCAPPED",
        ]
        if tracked:
            out += [
                "    trackedProducts:",
                "      - {productId: B09D36CVP1, productAssociation: FEATURED, domain: AMAZON_US}",
            ]
            _add(counts, "tracked_campaigns")
        out += ["    state: ACTIVE", "    adGroups:"]
        _add(counts, "campaigns")
        for g in range(shape.ad_groups):
            out += [
                f"      - key: g{g}",
                f"        name: Bench ad group {c}-{g}",
                "        inventoryType: DISPLAY",
                "        creativeRotationType: RANDOM",
                f'        advertisedProductCategoryIds: ["{category}"]',
                "        optimization: {bidStrategy: SPEND_BUDGET_IN_FULL, automateBudgetAllocation: false}",
                f"        bid: {{baseBid: {2 + g % 3}}}",
                f"        startDateTime: {START}",
                f"        endDateTime: {END}",
                f"        budgetAmount: {1000 + g}",
                "        state: ACTIVE",
                "        targets:",
            ]
            _add(counts, "ad_groups")
            if shape.locations:
                out.append("          location:")
                out += [
                    f"            - geoLocation: {geos[(c + g + n) % len(geos)]}"
                    for n in range(shape.locations)
                ]
                _add(counts, "targets", shape.locations)
                _add(counts, "target_sets")
            if shape.audiences:
                out.append("          audience:")
                picked = [audiences[(c * 7 + g * 3 + n) % len(audiences)] for n in range(shape.audiences)]
                out += [f'            - {{audienceId: "{a}", groupId: "1"}}' for a in dict.fromkeys(picked)]
                _add(counts, "targets", len(dict.fromkeys(picked)))
                _add(counts, "target_sets")
            out.append("        creatives:")
            for k in range(shape.creatives):
                out += [
                    f"          - key: k{k}",
                    f'            creative: "{_creative(creatives, c, g, k)}"',
                ]
            _add(counts, "associations", shape.creatives)
    counts["resources"] = counts.get("campaigns", 0) + counts.get("ad_groups", 0)
    counts["resources"] += counts.get("target_sets", 0) + counts.get("associations", 0)
    return "\n".join(out) + "\n"


def _criteo(shape: Shape, fixtures: Mapping[str, Any], numbers: range, counts: dict[str, int]) -> str:
    advertiser = fixtures["criteo"]["advertisers"][0]
    audiences = [a["id"] for a in advertiser["audiences"]]
    out = ["platform: criteo", f'advertiserId: "{advertiser["id"]}"', "campaigns:"]
    for c in numbers:
        out += [
            f"  - key: c{c}",
            f"    name: Bench campaign {c}",
            "    goal: acquisition",
            "    spendLimit: {spendLimitType: uncapped}",
            "    adSets:",
        ]
        _add(counts, "campaigns")
        for s in range(shape.ad_sets):
            out += [
                f"      - key: s{s}",
                f"        name: Bench ad set {c}-{s}",
                "        objective: conversions",
                "        mediaType: display",
                f'        datasetId: "{advertiser["datasets"][0]}"',
                f"        trackingCode: utm_campaign=bench-{c}-{s}",
                f"        schedule: {{startDate: {START}, endDate: {END}}}",
                f"        activation: {'on' if shape.start_ad_sets else 'off'}",
                f"        bidding: {{costController: maxCPC, bidAmount: {round(0.5 + s / 100, 2)}}}",
                "        targeting: {frequencyCapping: {frequency: daily, maximumImpressions: 3}}",
                "        budget: {budgetStrategy: capped, budgetRenewal: daily,"
                f" budgetDeliverySmoothing: accelerated, budgetAmount: {100 + s}}}",
            ]
            _add(counts, "ad_sets")
            _add(counts, "started", int(shape.start_ad_sets))
            if shape.audience_every and s % shape.audience_every == 0:
                out.append(f'        audience: "{audiences[s % len(audiences)]}"')
                _add(counts, "audience_links")
    counts["resources"] = counts.get("campaigns", 0) + counts.get("ad_sets", 0)
    return "\n".join(out) + "\n"


def _applovin(shape: Shape, fixtures: Mapping[str, Any], numbers: range, counts: dict[str, int]) -> str:
    apps = [a["app_id"] for a in fixtures["applovin"]["apps"]]
    out = ["platform: applovin", "campaigns:"]
    for c in numbers:
        countries = [COUNTRIES[(c + n) % len(COUNTRIES)] for n in range(shape.countries)]
        out += [
            f"  - key: c{c}",
            f"    name: Bench UA {c}",
            "    platform: ios",
            "    bundle_id: com.bench.game",
            '    package_name: "1234567890"',
            "    bid_type: CPI",
            "    tracking_method: adjust",
            "    status: true",
            "    targets:",
            "      countries:",
            *(
                f"        {code}: {{bid: {1 + n / 10}, budget: {100 + n}}}"
                for n, code in enumerate(countries)
            ),
        ]
        _add(counts, "campaigns")
        _add(counts, "countries", len(countries))
        if shape.creative_sets:
            out.append("    creative_sets:")
            for s in range(shape.creative_sets):
                out += [f"      - key: set{s}", f"        name: Bench set {c}-{s}", "        languages: [en]"]
                out.append("        sizes: {INTER: true}")
            _add(counts, "creative_sets", shape.creative_sets)
        if shape.source_bids:
            out.append("    source_bids:")
            for b in range(shape.source_bids):
                app, country = apps[(c * 13 + b) % len(apps)], countries[b % len(countries)]
                out.append(f"      - {{app_id: {app}, country: {country}, bid_value: {1 + b / 100}}}")
            _add(counts, "source_bids", shape.source_bids)
            _add(counts, "source_bid_campaigns")
    counts["resources"] = 2 * counts.get("campaigns", 0) + counts.get("creative_sets", 0)
    counts["resources"] += counts.get("source_bid_campaigns", 0)
    return "\n".join(out) + "\n"


def big_manifest(path: Path, fixtures: Mapping[str, Any], megabytes: float) -> int:
    """One Amazon manifest of at least `megabytes` MB; returns the resources it declares."""
    shape = Shape(ad_groups=10, locations=10, audiences=20, creatives=5, tracked_every=0)
    counts: dict[str, int] = {}
    parts: list[str] = []
    size = 0
    for first in itertools.count(step=2):
        text = _amazon(shape, fixtures, range(first, first + 2), counts)
        parts.append(text if first == 0 else text.split("campaigns:\n", 1)[1])
        size += len(parts[-1].encode())
        if size >= megabytes * 1_000_000:
            break
    path.write_text("".join(parts))
    return counts["resources"]


def resources_label(resources: int) -> str:
    return f"{resources / 1000:g}k" if resources >= 1000 else str(resources)
