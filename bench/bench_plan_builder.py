"""Benchmark: the pure plan builder on a large project (no I/O), to keep planning linear in size.

Run with `.venv/bin/python bench/bench_plan_builder.py [AD_SETS]`; prints the time per phase.
"""

from __future__ import annotations

import sys
import time

from reconciler.model import Address, KindSchema, LiveObject, Resource
from reconciler.plan import build_changes, build_operations
from reconciler.providers.base import ProviderConfig
from reconciler.providers.criteo import CriteoProvider


def ad_set(bid: float) -> dict[str, object]:
    return {
        "name": "Market",
        "objective": "conversions",
        "schedule": {"startDate": "2027-06-01T00:00:00Z", "endDate": None},
        "activation": "on",
        "bidding": {"costController": "COS", "bidAmount": bid},
        "targeting": {
            "frequencyCapping": {"frequency": "daily", "maximumImpressions": 3},
            "geoLocation": {"countries": {"operand": "in", "values": ["FR", "DE", "ES"]}},
        },
        "budget": {"budgetStrategy": "uncapped"},
        "audience": "9876",
    }


def main(count: int) -> None:
    provider = CriteoProvider(ProviderConfig(base_url="http://unused"))
    schemas: dict[tuple[str, str], KindSchema] = {("criteo", k): s for k, s in provider.kinds().items()}
    campaign = Address("criteo", "campaign", ("big",))
    addresses = [Address("criteo", "ad_set", ("big", f"m{n}")) for n in range(count)]
    desired = [
        Resource(a, ad_set(0.2 if n % 10 == 0 else 0.1), parent=campaign) for n, a in enumerate(addresses)
    ]
    managed = {a: (str(n), campaign, {}) for n, a in enumerate(addresses)}
    live = {a: LiveObject(a, str(n), ad_set(0.1)) for n, a in enumerate(addresses)}
    started = time.perf_counter()
    changes, errors = build_changes(desired, managed, live, schemas)
    diffed = time.perf_counter()
    operations = build_operations(changes, provider.operations)
    ordered = time.perf_counter()
    assert not errors and len(changes) == count // 10 and len(operations) == count // 10
    print(
        f"{count} ad sets: diff {diffed - started:.3f}s, operations {ordered - diffed:.3f}s,",
        f"{len(changes)} changes",
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
