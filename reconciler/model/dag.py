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

    Dependencies on nodes that are not in `nodes` are ignored (they are already satisfied). Linear in the
    number of nodes and dependencies.
    """
    order = list(dict.fromkeys(nodes))
    present = set(order)
    waiting: dict[N, int] = {}
    dependants: dict[N, list[N]] = {}
    for n in order:
        found = {d for d in deps.get(n, ()) if d in present and d != n}
        waiting[n] = len(found)
        for d in found:
            dependants.setdefault(d, []).append(n)
    level = {n: 0 for n in order if waiting[n] == 0}
    todo = list(level)
    while todo:
        n = todo.pop()
        for m in dependants.get(n, ()):
            level[m] = max(level.get(m, 0), level[n] + 1)
            waiting[m] -= 1
            if waiting[m] == 0:
                todo.append(m)
    if any(waiting.values()):
        stuck = [n for n in order if waiting[n]]
        raise CycleError(f"dependency cycle among: {', '.join(str(n) for n in stuck)}")
    result: list[list[N]] = [[] for _ in range(max(level.values(), default=-1) + 1)]
    for n in order:
        result[level[n]].append(n)
    return result
