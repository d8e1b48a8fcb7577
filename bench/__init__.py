"""Benchmarks of reconciler, outside the test suite: `python -m bench.portfolio` (scale, calls, latency,
start-up against their bounds) and `python -m bench.chaos` (faults, killed applies, audits through the APIs).

They drive only public interfaces: the `reconciler` command, `reconciler sandbox serve` on a loopback port,
the sandbox's HTTP API (platform paths, `/_sandbox/requests`, `/_sandbox/fixtures`), plan files and state
files; they import nothing from `reconciler`. (`bench_plan_builder.py`, a micro-benchmark of the pure plan
builder, is the exception.)
"""
