"""Audit of a project against the platforms, through their APIs (never through reconciler): duplicates (two
live objects with the same manifest name under the same parent), orphans (live objects named like a manifest
entry whose id the state does not manage) and dangling state entries (ids in state that are not live).
The platforms are read through their APIs; the state is read with the local backend, journal included, as the
next `plan` reads it (a killed apply leaves its journal until the next apply folds it in).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.api import Amazon, AppLovin, Criteo
from bench.harness import PREFIXES, applovin_app
from bench.naive import manifests
from reconciler.state import LocalStateBackend


@dataclass
class Findings:
    duplicates: list[str] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)
    dangling: list[str] = field(default_factory=list)
    pending: int = 0
    """Entries left in the state's journal of creates not yet confirmed."""


@dataclass
class State:
    """The project's local state: address → platform id, grouped by (platform, kind)."""

    ids: dict[tuple[str, str], dict[str, str]]
    pending: int

    @classmethod
    def read(cls, root: Path) -> State:
        """The state as the next `plan` reads it: the state file plus the journal a killed apply left."""
        path = root / "state" / "default.state.json"
        project = json.loads(path.read_text()).get("project", "") if path.exists() else ""
        stored = LocalStateBackend(root / "state", project).read()
        ids: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
        for address, entry in stored.resources.items():
            platform, kind, _ = address.split(".", 2)
            ids[(platform, kind)][address] = str(entry.id)
        return cls(ids, len(stored.pending))

    def of(self, platform: str, kind: str) -> dict[str, str]:
        return self.ids.get((platform, kind), {})


Live = list[tuple[str, str, str]]
"""(id, parent id, name) of live objects."""


def _named(findings: Findings, label: str, live: Live, names: set[str], managed: Mapping[str, str]) -> None:
    """Duplicates, orphans and dangling entries of one kind of named object."""
    ours = [(i, parent, name) for i, parent, name in live if name in names]
    for (parent, name), count in Counter((parent, name) for _, parent, name in ours).items():
        if count > 1:
            findings.duplicates.append(f"{label} {name!r} x{count} under {parent or 'the account'}")
    known = set(managed.values())
    findings.orphans += [
        f"{label} {name!r} (id {i}) is live but not in state" for i, _, name in ours if i not in known
    ]
    alive = {i for i, _, _ in live}
    findings.dangling += [
        f"{address} (id {i}) is not live" for address, i in managed.items() if i not in alive
    ]


def _ids_gone(findings: Findings, managed: Mapping[str, str], alive: set[str]) -> None:
    findings.dangling += [
        f"{address} (id {i}) is not live" for address, i in managed.items() if i not in alive
    ]


def _names(documents: Iterable[Mapping[str, Any]], child: str) -> tuple[set[str], set[str]]:
    campaigns = [c for d in documents for c in d.get("campaigns", [])]
    return {str(c["name"]) for c in campaigns}, {
        str(x["name"]) for c in campaigns for x in c.get(child) or []
    }


async def audit(root: Path, base: str, fixtures: Mapping[str, Any]) -> Findings:
    """Audit every platform the project's manifests use, against the sandbox at `base`."""
    state = State.read(root)
    findings = Findings(pending=state.pending)
    documents = {p: manifests(root, p) for p in PREFIXES}
    if documents["amazon_dsp"]:
        await _amazon(findings, state, documents["amazon_dsp"], base + PREFIXES["amazon_dsp"])
    if documents["criteo"]:
        await _criteo(findings, state, documents["criteo"], base + PREFIXES["criteo"])
    if documents["applovin"]:
        await _applovin(findings, state, documents["applovin"], base + PREFIXES["applovin"], fixtures)
    return findings


async def _amazon(findings: Findings, state: State, documents: list[dict[str, Any]], base: str) -> None:
    campaign_names, group_names = _names(documents, "adGroups")
    async with Amazon(base, str(documents[0]["advertiserId"]), "bench-audit") as api:
        campaigns = await api.listing("/dsp/v1/campaigns/list", {}, "campaigns")
        groups = await api.listing("/dsp/v1/adGroups/list", {}, "adGroups")
        targets = await api.listing("/dsp/v1/targets/list", {}, "targets")
        associations = await api.listing("/dsp/v1/adCreatives/associations/adGroups/list", {}, "associations")
    live = [(str(c["campaignId"]), "", str(c["name"])) for c in campaigns]
    _named(findings, "Amazon campaign", live, campaign_names, state.of("amazon_dsp", "campaign"))
    live = [(str(g["adGroupId"]), str(g["campaignId"]), str(g["name"])) for g in groups]
    _named(findings, "Amazon ad group", live, group_names, state.of("amazon_dsp", "ad_group"))
    ours = {i.split("/")[0] for i in state.of("amazon_dsp", "targets").values()}
    seen = Counter(
        (str(t["adGroupId"]), bool(t.get("negative")), json.dumps(t["targetDetails"], sort_keys=True))
        for t in targets
        if str(t["adGroupId"]) in ours
    )
    findings.duplicates += [
        f"Amazon target {d} x{n} on ad group {g}" for (g, _, d), n in seen.items() if n > 1
    ]
    types = {f"{g}/{next(iter(json.loads(d).values()))['targetType']}" for g, _, d in seen}
    _ids_gone(findings, state.of("amazon_dsp", "targets"), types)
    pairs = {f"{a['adGroupId']}/{a['adCreativeId']}" for a in associations}
    _ids_gone(findings, state.of("amazon_dsp", "creative_association"), pairs)


async def _criteo(findings: Findings, state: State, documents: list[dict[str, Any]], base: str) -> None:
    campaign_names, ad_set_names = _names(documents, "adSets")
    advertisers = sorted({str(d["advertiserId"]) for d in documents})
    async with Criteo(base, "bench-audit") as api:
        campaigns = await api.data("POST", "/campaigns/search", {"filters": {"advertiserIds": advertisers}})
        ad_sets = await api.data("POST", "/ad-sets/search", {"filters": {"advertiserIds": advertisers}})
    live = [(str(c["id"]), "", str(c["attributes"]["name"])) for c in campaigns]
    _named(findings, "Criteo campaign", live, campaign_names, state.of("criteo", "campaign"))
    live = [(str(s["id"]), str(s["attributes"]["campaignId"]), str(s["attributes"]["name"])) for s in ad_sets]
    _named(findings, "Criteo ad set", live, ad_set_names, state.of("criteo", "ad_set"))


async def _applovin(
    findings: Findings, state: State, documents: list[dict[str, Any]], base: str, fixtures: Mapping[str, Any]
) -> None:
    campaign_names, set_names = _names(documents, "creative_sets")
    app = applovin_app(fixtures)
    async with AppLovin(base, app["client_id"], app["client_secret"]) as api:
        campaigns = await api.get("/campaigns")
        ours = [c for c in campaigns if c["name"] in campaign_names]
        sets = [s for c in ours for s in await api.get(f"/creative_sets/{c['campaign_id']}")]
    live = [(str(c["campaign_id"]), "", str(c["name"])) for c in campaigns]
    _named(findings, "AppLovin campaign", live, campaign_names, state.of("applovin", "campaign"))
    alive = {i for i, _, _ in live}
    for kind in ("targets", "source_bids", "sources"):
        _ids_gone(findings, state.of("applovin", kind), alive)
    live = [(f"{s['campaign_id']}/{s['id']}", str(s["campaign_id"]), str(s["name"])) for s in sets]
    _named(findings, "AppLovin creative set", live, set_names, state.of("applovin", "creative_set"))
