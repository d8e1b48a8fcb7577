"""Moves: the state moves a plan carries out for the manifests' `moved:` entries, with no platform call.

Each entry renames a state entry and everything below it (by parent links, `state.edit.move_of`); entries
apply one after the other, so a campaign and one of its ad sets may both be renamed. The diff then runs
against the moved state, and `apply` records the same moves first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from reconciler.model import Move
from reconciler.plan.file import PlanMove
from reconciler.state import State
from reconciler.state.edit import move_of


def planned_moves(declared: Sequence[Move], state: State) -> list[PlanMove]:
    """The moves that take each `moved:` source still in state to its target, not yet in state."""
    if not declared:
        return []
    origin = {address: address for address in state.resources}  # current address → address in state
    current = state
    pending = list(declared)
    while pending:
        ready = [
            m
            for m in pending
            if str(m.source) in current.resources and str(m.target) not in current.resources
        ]
        if not ready:
            break
        move = ready[0]
        pending.remove(move)
        renamed = move_of(current, str(move.source), str(move.target))
        current = with_moves(current, renamed)
        origin = {renamed.get(a, a): o for a, o in origin.items()}
    return [
        PlanMove(from_address=old, to_address=new, id=current.resources[new].id)
        for new, old in sorted(origin.items(), key=lambda item: item[1])
        if new != old
    ]


def with_moves(state: State, renamed: Mapping[str, str] | Sequence[PlanMove]) -> State:
    """The state with the entries at their new addresses (parents follow); the same state when nothing
    moves."""
    if not isinstance(renamed, Mapping):
        renamed = {m.from_address: m.to_address for m in renamed}
    if not renamed:
        return state
    moved = state.model_copy(deep=True)
    moved.resources = {
        renamed.get(address, address): entry.model_copy(
            update={"parent": renamed.get(entry.parent, entry.parent) if entry.parent else None}
        )
        for address, entry in moved.resources.items()
    }
    return moved
