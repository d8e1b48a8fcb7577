"""Desired vs live, per resource, over the fields the manifest owns, after normalisation.

Normalisation makes equal what the platform considers equal: numbers compared at 4 decimal digits
(a platform rounds bids there), date-times compared as instants in UTC, lists of values compared as sets.
Read-only and platform-computed fields never appear because only the desired resource's keys are
compared. Write-only fields (never returned by the platform) are compared with the value last applied.
A field the manifests set before and no longer set is released: it goes back to the kind's default.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from deepdiff import DeepDiff

from reconciler.model import Cause, Diagnostic, FieldChange, KindSchema, LastFailure, LiveObject, Resource
from reconciler.model.instants import utc_text

_MISSING = object()


def normalise(value: Any) -> Any:
    """The comparable form of a value."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, float | int):
        return round(float(value), 4)
    if isinstance(value, str):
        return _instant(value) or value
    if isinstance(value, dict):
        return {k: normalise(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [normalise(v) for v in value]
    return value


def _instant(text: str) -> str | None:
    if len(text) < 10 or not text[:4].isdigit() or text[4] != "-":
        return None
    return utc_text(text)


def _same(a: Any, b: Any) -> bool:
    if a == b:  # equal values normalise to equal forms (most fields of a no-op plan)
        return True
    left, right = normalise(a), normalise(b)
    if left == right:
        return True
    if isinstance(left, list) and isinstance(right, list) and len(left) == len(right):
        return not DeepDiff(left, right, ignore_order=True, report_repetition=True)
    return False


def compare(desired: Any, live: Any, path: str = "") -> list[FieldChange]:
    """Field changes needed to turn `live` into `desired`, looking only at the keys `desired` has."""
    if isinstance(desired, dict) and isinstance(live, dict):
        changes: list[FieldChange] = []
        for key, want in desired.items():
            held = live.get(key)
            if want == held:  # equal values have no change below them (most fields of a no-op plan)
                continue
            changes.extend(compare(want, held, f"{path}.{key}" if path else key))
        return changes
    if _same(desired, live):
        return []
    return [FieldChange(path=path, old=live, new=desired)]


def _pick(values: dict[str, Any], path: str) -> Any:
    node: Any = values
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return _MISSING
        node = node[part]
    return node


def _within(path: str, prefixes: frozenset[str]) -> str | None:
    for prefix in prefixes:
        if path == prefix or path.startswith(prefix + "."):
            return prefix
    return None


def diff_resource(
    desired: Resource,
    live: LiveObject,
    applied: dict[str, Any],
    schema: KindSchema,
) -> tuple[list[FieldChange], list[Diagnostic]]:
    """The field changes for one existing object, and an error for each immutable field it would change."""
    readable = dict(desired.attributes) if schema.write_only else desired.attributes
    changes: list[FieldChange] = []
    for path in schema.write_only:
        want = _pick(readable, path)
        if want is _MISSING:
            continue
        _drop(readable, path)
        before = _pick(applied, path)
        if before is not _MISSING and not _same(want, before):
            changes.append(FieldChange(path=path, old=before, new=want))
    changes.extend(compare(readable, live.attributes))
    changes.sort(key=lambda c: c.path)
    errors: list[Diagnostic] = []
    for change in changes:
        field = _within(change.path, schema.immutable)
        if field is None:
            continue
        where = desired.location(change.path)
        errors.append(
            Diagnostic(
                message=(
                    f"`{field}` cannot be changed after creation on {desired.address.platform} "
                    f"(live: {change.old!r}, manifest: {change.new!r})"
                ),
                hint="restore the old value, or give the resource a new key to create a new one "
                "(the old one is then retired)",
                file=where.file if where else "",
                line=where.line if where else 0,
                column=where.column if where else 0,
                field=change.path,
                address=str(desired.address),
            )
        )
    return changes, errors


def with_causes(
    changes: list[FieldChange], applied: dict[str, Any], failure: LastFailure | None = None
) -> list[FieldChange]:
    """Each change marked as failed when the last apply tried to set this value and failed, as drift when
    the manifests still want what was last applied (so the live object was changed outside reconciler),
    else as a manifest edit."""

    def cause(change: FieldChange) -> Cause:
        if failure is not None and _is(failure.attempted, change.path, change.new):
            return Cause.FAILED
        return Cause.DRIFT if _is(applied, change.path, change.new) else Cause.MANIFEST

    return [replace(c, cause=cause(c)) for c in changes]


def _is(values: dict[str, Any], path: str, value: Any) -> bool:
    found = _pick(values, path)
    return found is not _MISSING and _same(value, found)


def with_released(attributes: dict[str, Any], applied: dict[str, Any], schema: KindSchema) -> dict[str, Any]:
    """`attributes` plus the kind's default for every releasable field that was applied and is now unset."""
    result = attributes
    for path, default in sorted(schema.released.items()):
        if _pick(applied, path) is not _MISSING and _pick(attributes, path) is _MISSING:
            if result is attributes:
                result = copy.deepcopy(attributes)
            _put(result, path, copy.deepcopy(default))
    return result


def _put(values: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    node = values
    for part in parents:
        child = node.get(part)
        if not isinstance(child, dict):
            child = node[part] = {}
        node = child
    node[last] = value


def _drop(values: dict[str, Any], path: str) -> None:
    head, _, rest = path.partition(".")
    if not rest:
        values.pop(head, None)
        return
    child = values.get(head)
    if isinstance(child, dict):
        child = dict(child)
        _drop(child, rest)
        values[head] = child


def with_ignored(
    attributes: dict[str, Any], live: dict[str, Any], paths: Sequence[str]
) -> tuple[dict[str, Any], list[FieldChange]]:
    """`attributes` with every field that `paths` (`lifecycle.ignore_changes`) names taken from the live
    object, or left out where the platform does not return it, so the diff never changes them; and the
    fields whose live value differs from the manifests' (old: the platform's, new: the manifests').

    A path part `*` is every key of a mapping or item of a list; a list item (a mapping) is also named by the
    value of its first field (`countries.us.bid`), and is matched with the live item that has that value."""
    if not paths:
        return attributes, []
    result = copy.deepcopy(attributes)
    differ: dict[str, FieldChange] = {}
    for path in paths:
        _overlay(result, live, path.split("."), "", differ)
    return result, [differ[p] for p in sorted(differ)]


def _overlay(desired: Any, live: Any, parts: list[str], at: str, differ: dict[str, FieldChange]) -> None:
    part, rest = parts[0], parts[1:]
    dropped: list[Any] = []
    for slot, name, held in _pairs(desired, live, part):
        here = f"{at}.{name}" if at else name
        if held is _MISSING:
            if not rest:
                dropped.append(slot)  # the platform does not say: not compared, never sent
            continue  # an item the platform does not have yet is created as the manifests say
        if rest:
            _overlay(desired[slot], held, rest, here, differ)
            continue
        if not _same(desired[slot], held):
            differ[here] = FieldChange(path=here, old=held, new=desired[slot])
        desired[slot] = copy.deepcopy(held)
    for slot in reversed(dropped):
        del desired[slot]


def _pairs(desired: Any, live: Any, part: str) -> list[tuple[Any, str, Any]]:
    """(slot in `desired`, its name in a path, the live value or _MISSING) of the children `part` names."""
    if isinstance(desired, dict):
        names = list(desired) if part == "*" else [part] if part in desired else []
        held = live if isinstance(live, dict) else {}
        return [(name, str(name), held.get(name, _MISSING)) for name in names]
    if not isinstance(desired, list):
        return []
    found: list[tuple[Any, str, Any]] = []
    for index, item in enumerate(desired):
        if not isinstance(item, dict) or not item:
            continue
        field, value = next(iter(item.items()))
        name = str(value)
        if part != "*" and part.lower() != name.lower():
            continue
        match = [x for x in live or [] if isinstance(x, dict) and _same(x.get(field, _MISSING), value)]
        found.append((index, name, match[0] if match else _MISSING))
    return found
