"""The pure plan builder: desired resources + state + live objects → changes → ordered operations.

No I/O here. Parents are created before children (operations reference their parent's address and
wait for its create), children are retired before their parents, and a resource in state that the
manifests no longer hold is retired. Objects that are not in state are never considered.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from fnmatch import fnmatchcase
from typing import Any

from reconciler.diff import diff_resource, with_causes, with_ignored, with_released
from reconciler.model import (
    Action,
    Address,
    Amount,
    Cause,
    Change,
    Diagnostic,
    FieldChange,
    KindSchema,
    LastFailure,
    LiveObject,
    Operation,
    Resource,
    money_changes,
)


def fingerprint(attributes: Mapping[str, Any]) -> str:
    """A stable digest of a live object's attributes, to detect a change made since the plan."""
    text = json.dumps(attributes, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def build_changes(
    desired: Sequence[Resource],
    managed: Mapping[Address, tuple[str, Address | None, dict[str, Any]]],
    live: Mapping[Address, LiveObject],
    schemas: Mapping[tuple[str, str], KindSchema],
    failures: Mapping[Address, LastFailure] | None = None,
    recreate: Callable[[Address], bool] = lambda address: False,
    ignored: dict[Address, list[FieldChange]] | None = None,
) -> tuple[list[Change], list[Diagnostic]]:
    """Changes in plan order, and the errors that make the plan impossible.

    `managed` maps each address in state to (platform id, parent address, last applied attributes).
    Each field change says whether a manifest edit, drift or a failed step of the last apply (`failures`)
    causes it; each change says what it does to the object's budgets and bids.

    A managed object the read did not find is gone (the providers leave out only what the platform said
    does not exist): it is created again only when `recreate(address)` says so (`--replace ADDRESS`,
    `recreate_missing: true`); otherwise it is an error (rule `object-gone`) naming the object.

    The fields a resource's `lifecycle.ignore_changes` names are taken from the live object (never
    changed); where they differ from the manifests they are collected in `ignored`, by address.
    """
    failures = failures or {}
    changes: list[Change] = []
    errors: list[Diagnostic] = []
    wanted = {r.address for r in desired}
    known: dict[Address, Mapping[str, Any]] = {}  # attributes by address, made when a change first needs them

    def money(address: Address, parent: Address | None, attributes: Mapping[str, Any] | None) -> list[Amount]:
        if attributes is None:
            return []
        schema = schemas.get((address.platform, address.kind), KindSchema(address.kind))
        if parent is not None and not known:
            known.update({a: m[2] for a, m in managed.items()} | {r.address: r.attributes for r in desired})
        return schema.money(attributes, known.get(parent, {}) if parent else {})

    for resource in desired:
        entry = managed.get(resource.address)
        obj = live.get(resource.address)
        if entry is not None and obj is None and not recreate(resource.address):
            errors.append(gone(resource, entry[0]))
            continue
        if entry is None or obj is None:
            note = "" if entry is None else f"recreate: object {entry[0]} no longer exists on the platform"
            failed = failures.get(resource.address)
            note = "; ".join(n for n in (note, failed.note if failed else "") if n)
            changes.append(
                Change(
                    address=resource.address,
                    action=Action.CREATE,
                    parent=resource.parent,
                    scope=dict(resource.scope),
                    desired=resource.attributes,
                    note=note,
                    locations=resource.locations,
                    money=money_changes([], money(resource.address, resource.parent, resource.attributes)),
                )
            )
            continue
        schema = schemas[(resource.address.platform, resource.address.kind)]
        attributes = with_released(resource.attributes, entry[2], schema)
        attributes, differ = with_ignored(attributes, obj.attributes, resource.lifecycle.ignore_changes)
        if differ and ignored is not None:
            ignored[resource.address] = differ
        if attributes is not resource.attributes:
            resource = replace(resource, attributes=attributes)
        fields, problems = diff_resource(resource, obj, entry[2], schema)
        errors.extend(problems)
        fields = with_causes(fields, entry[2], failures.get(resource.address))
        if fields:
            before = money(resource.address, resource.parent, obj.attributes)
            failed = failures.get(resource.address)
            changes.append(
                Change(
                    address=resource.address,
                    action=Action.UPDATE,
                    id=entry[0],
                    parent=resource.parent,
                    scope=dict(resource.scope),
                    fields=fields,
                    desired=resource.attributes,
                    note=failed.note if failed and any(f.cause == Cause.FAILED for f in fields) else "",
                    locations=resource.locations,
                    money=money_changes(before, money(resource.address, resource.parent, attributes)),
                )
            )
    retired = [a for a in managed if a not in wanted]
    # Children first: a deeper address (more path parts) is retired before its parent.
    for address in sorted(retired, key=lambda a: (-len(a.path), str(a))):
        schema = schemas.get((address.platform, address.kind), KindSchema(address.kind))
        held = live.get(address)
        spent = money(address, managed[address][1], held.attributes if held else None)
        failed = failures.get(address)
        changes.append(
            Change(
                address=address,
                action=Action.RETIRE,
                id=managed[address][0],
                parent=managed[address][1],
                note=f"{schema.retire_note} ({failed.note})" if failed else schema.retire_note,
                money=money_changes(spent, []),
            )
        )
    return changes, errors


def gone(resource: Resource, object_id: str) -> Diagnostic:
    """A managed object the platform no longer has, which the plan will not create again by itself."""
    where = resource.location()
    return Diagnostic(
        message=f"object {object_id} no longer exists on the platform",
        file=where.file if where else "",
        line=where.line if where else 0,
        column=where.column if where else 0,
        hint=f"to create it again, plan with `--replace {resource.address}` (or set `recreate_missing: true` "
        f"in reconciler.yaml); to stop managing it, remove it from the manifests and run "
        f"`reconciler state rm {resource.address}`",
        address=str(resource.address),
        rule="object-gone",
    )


def select(changes: Sequence[Change], patterns: Sequence[str]) -> list[Change]:
    """The changes whose address matches a pattern (`fnmatch` globs), with the creates of their parents."""
    by_address = {c.address: c for c in changes}
    chosen = {c.address for c in changes if any(fnmatchcase(str(c.address), p) for p in patterns)}
    for address in list(chosen):
        parent = by_address[address].parent
        while parent in by_address and by_address[parent].action == Action.CREATE:
            chosen.add(parent)
            parent = by_address[parent].parent
    return [c for c in changes if c.address in chosen]


def build_operations(
    changes: Sequence[Change], operations_for: Callable[[Change], list[Operation]]
) -> list[Operation]:
    """All operations of the changes, with the cross-resource ordering added to `after`.

    An operation that refers to an address created in this plan waits for that create; a retirement
    waits for the retirements of the resource's children; a `final` operation waits for every other
    non-final operation on its address and the addresses below it.
    """
    ops: list[Operation] = []
    for change in changes:
        ops.extend(operations_for(change))
    creates: dict[Address, list[str]] = {}
    retires_by_parent: dict[Address, list[str]] = {}
    below: dict[tuple[str, tuple[str, ...]], list[str]] = {}
    parents = {c.address: c.parent for c in changes}
    for op in ops:
        if op.verb.creates:
            creates.setdefault(op.address, []).append(op.key)
        if op.verb.forgets:
            parent = parents.get(op.address)
            if parent is not None:
                retires_by_parent.setdefault(parent, []).append(op.key)
        if not op.verb.final:
            for root in _roots(op.address):
                below.setdefault(root, []).append(op.key)
    keys = {op.key for op in ops}
    for op in ops:
        extra: list[str] = []
        for ref in op.refs.values():
            extra.extend(creates.get(ref, []))
        if op.verb.forgets:
            extra.extend(retires_by_parent.get(op.address, []))
        if op.verb.final:
            extra.extend(below.get((op.address.platform, op.address.path), []))
        # An `after` naming an operation this plan does not have (a parent left unchanged) is dropped.
        op.after = list(dict.fromkeys(k for k in [*op.after, *extra] if k != op.key and k in keys))
    return ops


def _roots(address: Address) -> list[tuple[str, tuple[str, ...]]]:
    """(platform, path) of every address that `address` is at or below (same platform, a path that starts
    its path), so that a `final` operation finds the operations of its subtree without a scan."""
    return [(address.platform, address.path[:n]) for n in range(len(address.path) + 1)]
