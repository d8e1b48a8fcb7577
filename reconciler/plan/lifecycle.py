"""Lifecycle rules in a plan (pure): the retirements `prevent_retire` refuses, and the `prevent_retire`
values the apply records in state so that removing a manifest entry cannot lift the protection.

A retirement is refused when the object's entry in state records `prevent_retire: true` (it was applied so),
or records nothing and its kind's default in reconciler.yaml says true. Applying an entry with
`prevent_retire: false` (or without the rule) records that, after which its retirement goes through.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Mapping

from reconciler.errors import PlanError
from reconciler.model import Action, Address, Change, Resource
from reconciler.plan.file import PlanLifecycle


def refuse_protected(
    changes: Iterable[Change], recorded: Mapping[Address, bool], defaults: Mapping[str, bool]
) -> None:
    """Raise PlanError naming every retirement of a protected object (`--allow-retire` does not lift it)."""
    refused: list[str] = []
    for change in changes:
        if change.action != Action.RETIRE:
            continue
        kind = f"{change.address.platform}.{change.address.kind}"
        if change.address in recorded:
            protected, why = recorded[change.address], "recorded in state when it was applied"
        else:
            protected, why = defaults.get(kind, False), f"`lifecycle: {{{kind}: ...}}` in reconciler.yaml"
        if protected:
            refused.append(f"{change.address} (id {change.id}): lifecycle.prevent_retire is true, {why}")
    if refused:
        raise PlanError(
            f"the plan would retire {len(refused)} object(s) protected by lifecycle.prevent_retire; nothing "
            "is retired, even with --allow-retire:\n  " + "\n  ".join(refused),
            hint="to keep them, put their manifest entries back; to retire one, first apply its entry with "
            "`lifecycle: {prevent_retire: false}`, then remove the entry",
        )


def to_record(
    desired: Iterable[Resource], recorded: Mapping[Address, bool], present: Container[Address]
) -> list[PlanLifecycle]:
    """The `prevent_retire` values to record for the desired objects that are (or will be, `present`) in
    state, where they differ from what state records."""
    return [
        PlanLifecycle(address=str(r.address), prevent_retire=r.lifecycle.prevent_retire)
        for r in desired
        if r.address in present and recorded.get(r.address) != r.lifecycle.prevent_retire
    ]
