"""A small generic DAG: topological waves of nodes, failing clearly on cycles."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from typing import TypeVar

from reconciler.errors import ReconcilerError

N = TypeVar("N", bound=Hashable)


class CycleError(ReconcilerError):
    """The dependencies between resources form a cycle."""


def waves(nodes: Iterable[N], deps: Mapping[N, Iterable[N]]) -> list[list[N]]:
    """Group nodes into waves: every node comes after all its dependencies. Order inside a wave is stable.

    Dependencies on nodes that are not in `nodes` are ignored (they are already satisfied).
    """
    order = list(dict.fromkeys(nodes))
    present = set(order)
    pending = {n: {d for d in deps.get(n, ()) if d in present and d != n} for n in order}
    result: list[list[N]] = []
    done: set[N] = set()
    while pending:
        ready = [n for n in order if n in pending and pending[n] <= done]
        if not ready:
            raise CycleError(f"dependency cycle among: {', '.join(str(n) for n in pending)}")
        result.append(ready)
        done.update(ready)
        for n in ready:
            del pending[n]
    return result
