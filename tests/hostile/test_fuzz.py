"""A seeded fuzz run in the suite: a few hundred structural mutations of the examples, each through
`validate`, `render` and `plan` (against the embedded sandbox) of the real CLI, in-process. None may end
in a traceback or run past 10 seconds. `bench/fuzz.py` runs 10,000."""

from __future__ import annotations

from pathlib import Path

from tests.hostile.fuzz import commands, fuzz

SEED = 20270601
COUNT = 300


def test_mutated_examples_never_end_in_a_traceback_or_run_too_long(tmp_path: Path) -> None:
    failures = fuzz(SEED, COUNT, tmp_path, commands)
    assert not failures, "\n\n".join(
        f"seed {f.seed}: {' '.join(f.args)}\nmutations: {f.mutations}\n{f.problem[-2000:]}"
        for f in failures[:5]
    )
