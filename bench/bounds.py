"""Lower bounds the measured figures are compared with.

- Calls: the fewest write calls a first apply of a portfolio can make, and the fewest reads a no-op plan
  needs, per endpoint: Σ ceil(objects / the vendor's batch or page limit). Limits come from the vendor
  documents in `../shared/platforms/` (quoted at each constant); the counts from the generated manifests.
- Latency: Σ over the dependency levels of a saved plan (`operations[].after`) of
  latency × ceil(calls in the level / concurrency), calls being the level's operations grouped by verb
  and cut at the verb's `batch_limit` (the plan's `verbs`), plus one level for the access token.
- The request log of the sandbox, grouped by endpoint (ids replaced by `{id}`) and class.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from bench.generate import Counts

AMAZON_CAMPAIGN_BATCH = 5
AMAZON_AD_GROUP_BATCH = 20
AMAZON_TARGET_BATCH = 1000
"""FACTS.md: "Batch limits per request: campaigns 5, ad groups 20, targets 1000, creative associations 20"."""
AMAZON_ASSOCIATION_BATCH = 20
"""amazon-dsp-creative-associations.md: "This is a batch endpoint which can support up to 20 associations"."""
AMAZON_PAGE = 100
"""FACTS.md: "Read endpoints are `POST .../list` ... they return at most 100 items a page"."""
CRITEO_AD_SET_BATCH = 50
"""criteo-ad-sets.txt: "there is a limit of 50 ad sets per single request" (stated for PATCH; the
specification gives start/stop no limit, so the same 50 is assumed: the bound is at worst too generous)."""
CRITEO_AUDIENCE_PAGE = 100
"""Specification, `POST .../audiences/search` parameter `limit`: maximum 100."""
APPLOVIN_PAGE = 5000
"""applovin-campaign-management.txt: source bids page with `limit` (example 5000); the guide gives no write
limit, so one POST carries a campaign's rows up to a page's worth."""

TOKEN_PATHS = ("/auth/o2/token", "/oauth2/token", "/oauth/v1/access_token")
_STRIP = (
    "/amazon-dsp",
    "/criteo/2027-01/marketing-solutions",
    "/criteo",
    "/applovin/campaign_management/v1",
    "/applovin",
)
_ID = re.compile(r"^(\d+|[0-9a-f]{16,})$")


def endpoint(method: str, path: str) -> str:
    """`METHOD path` without the sandbox's platform prefix and with ids as `{id}`."""
    for prefix in _STRIP:
        if path.startswith(prefix + "/"):
            path = path[len(prefix) :]
            break
    return f"{method} " + "/".join("{id}" if _ID.match(part) else part for part in path.split("/"))


def call_class(method: str, path: str) -> str:
    """`auth`, `read` or `write`: reads are GETs and the `.../list` and `.../search` POSTs."""
    if path.endswith(TOKEN_PATHS):
        return "auth"
    if method == "GET" or path.endswith(("/list", "/search")):
        return "read"
    return "write"


def tally(log: Iterable[Mapping[str, Any]]) -> dict[tuple[str, str, str], int]:
    """(platform, class, endpoint) → calls, from the sandbox's request log."""
    counted: Counter[tuple[str, str, str]] = Counter()
    for r in log:
        counted[(r["platform"], call_class(r["method"], r["path"]), endpoint(r["method"], r["path"]))] += 1
    return dict(counted)


def answered(log: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The calls of the log the platform carried out or answered on, i.e. all but those refused with 429."""
    return [r for r in log if r["status"] != 429]


def statuses(log: Iterable[Mapping[str, Any]], status: int) -> int:
    return sum(1 for r in log if r["status"] == status)


def _of(counts: Counts, platform: str) -> Callable[[str], int]:
    return lambda kind: counts.get(platform, kind)


def _pages(items: int, size: int) -> int:
    return math.ceil(items / size)


def write_bounds(counts: Counts) -> dict[tuple[str, str], int]:
    """(platform, endpoint) → the fewest write calls a first apply of the portfolio needs."""
    a, c, al = (_of(counts, p) for p in ("amazon_dsp", "criteo", "applovin"))
    rows = al("source_bids") // max(1, al("source_bid_campaigns"))
    bounds = {
        ("amazon_dsp", "POST /dsp/v1/campaigns"): _pages(a("campaigns"), AMAZON_CAMPAIGN_BATCH),
        # Campaigns and ad groups are created INACTIVE; only a PATCH activates them (FACTS.md).
        ("amazon_dsp", "PATCH /dsp/v1/campaigns"): _pages(a("campaigns"), AMAZON_CAMPAIGN_BATCH),
        ("amazon_dsp", "POST /dsp/v1/adGroups"): _pages(a("ad_groups"), AMAZON_AD_GROUP_BATCH),
        ("amazon_dsp", "PATCH /dsp/v1/adGroups"): _pages(a("ad_groups"), AMAZON_AD_GROUP_BATCH),
        ("amazon_dsp", "POST /dsp/v1/targets"): _pages(a("targets"), AMAZON_TARGET_BATCH),
        ("amazon_dsp", "POST /dsp/v1/adCreatives/associations/adGroups"): _pages(
            a("associations"), AMAZON_ASSOCIATION_BATCH
        ),
        # One path per campaign: `POST /dsp/v1/campaigns/{id}/conversionTracking/products`.
        ("amazon_dsp", "POST /dsp/v1/campaigns/{id}/conversionTracking/products"): a("tracked_campaigns"),
        # Criteo creates carry one resource (`CreateCampaignRequest.data`, `CreateAdSetV26Q1Request.data`).
        ("criteo", "POST /campaigns"): c("campaigns"),
        ("criteo", "POST /ad-sets"): c("ad_sets"),
        ("criteo", "POST /ad-sets/start"): _pages(c("started"), CRITEO_AD_SET_BATCH),
        ("criteo", "PUT /ad-sets/{id}/audience"): c("audience_links"),
        # AppLovin: `status` and a creative set's `sizes` are fields of the create body; targets have their
        # own path per campaign; a campaign's source bids go in one POST up to a page's worth.
        ("applovin", "POST /campaign"): al("campaigns"),
        ("applovin", "POST /campaign_targets/{id}"): al("campaigns"),
        ("applovin", "POST /creative_set"): al("creative_sets"),
        ("applovin", "POST /source_bids/{id}"): al("source_bid_campaigns") * _pages(rows, APPLOVIN_PAGE),
    }
    return {key: n for key, n in bounds.items() if n and key[0] in counts.objects}


def read_bounds(counts: Counts) -> dict[tuple[str, str], int]:
    """(platform, endpoint) → the fewest reads a no-op plan of the applied portfolio needs."""
    a, c, al = (_of(counts, p) for p in ("amazon_dsp", "criteo", "applovin"))
    bounds = {
        ("amazon_dsp", "POST /dsp/v1/campaigns/list"): _pages(a("campaigns"), AMAZON_PAGE),
        ("amazon_dsp", "POST /dsp/v1/adGroups/list"): _pages(a("ad_groups"), AMAZON_PAGE),
        ("amazon_dsp", "POST /dsp/v1/targets/list"): _pages(a("targets"), AMAZON_PAGE),
        ("amazon_dsp", "POST /dsp/v1/adCreatives/associations/adGroups/list"): _pages(
            a("associations"), AMAZON_PAGE
        ),
        # The plan checks that every associated creative exists and suits its ad group (the association
        # guide: "Ad creative must exist."): their list filtered by id, a page (100) of creatives a call.
        ("amazon_dsp", "POST /dsp/v1/adCreatives/list"): _pages(a("creatives"), AMAZON_PAGE),
        # Flights come inline in the campaign rows; tracked products only where declared.
        ("amazon_dsp", "GET /dsp/v1/campaigns/{id}/conversionTracking/products"): a("tracked_campaigns"),
        # Criteo's searches are not paginated (FACTS.md); the linked audiences fit one page.
        ("criteo", "POST /campaigns/search"): min(1, c("campaigns")),
        ("criteo", "POST /ad-sets/search"): min(1, c("ad_sets")),
        ("criteo", "POST /audiences/search"): min(1, c("audience_links")),
        # AppLovin: `GET /campaigns` views all campaigns in one call; the rest is per campaign.
        ("applovin", "GET /campaigns"): min(1, al("campaigns")),
        ("applovin", "GET /campaign_targets/{id}"): al("campaigns"),
        ("applovin", "GET /creative_sets/{id}"): al("campaigns") if al("creative_sets") else 0,
        ("applovin", "GET /source_bids/{id}"): al("source_bid_campaigns"),
    }
    return {key: n for key, n in bounds.items() if n and key[0] in counts.objects}


def levels(operations: list[dict[str, Any]]) -> dict[str, int]:
    """Operation key → its dependency level (0: depends on nothing), from `after`."""
    by_key = {op["key"]: op for op in operations}
    level: dict[str, int] = {}
    for start in by_key:
        stack = [start]
        while stack:
            key = stack[-1]
            if key in level:
                stack.pop()
                continue
            pending = [d for d in by_key[key].get("after", []) if d in by_key and d not in level]
            if pending:
                stack.extend(pending)
                continue
            deps = [level[d] for d in by_key[key].get("after", []) if d in by_key]
            level[key] = 1 + max(deps) if deps else 0
            stack.pop()
    return level


def latency_bound(
    plan: Mapping[str, Any], latency: float, concurrency: Mapping[str, int]
) -> dict[str, tuple[float, int, int]]:
    """Platform → (seconds, dependency levels, calls) of the latency bound of a saved plan."""
    operations = list(plan["operations"])
    verbs = plan.get("verbs") or {}  # `platform.verb` → its declaration, `batch_limit` included
    level = levels(operations)
    groups: dict[tuple[str, int, str], list[int]] = defaultdict(list)
    for op in operations:
        platform = op["address"].split(".", 1)[0]
        limit = (verbs.get(f"{platform}.{op['verb']}") or {}).get("batch_limit") or op.get("batch_limit")
        groups[(platform, level[op["key"]], op["verb"])].append(int(limit or 1))
    calls: dict[tuple[str, int], int] = defaultdict(int)
    for (platform, depth, _), limits in groups.items():
        calls[(platform, depth)] += math.ceil(len(limits) / max(limits))
    result: dict[str, tuple[float, int, int]] = {}
    for platform in sorted({p for p, _ in calls}):
        per_level = [n for (p, _), n in sorted(calls.items()) if p == platform]
        rounds = 1 + sum(math.ceil(n / concurrency.get(platform, 8)) for n in per_level)  # + the token
        result[platform] = (latency * rounds, len(per_level), sum(per_level))
    return result
