"""One manifest file (its YAML text, plain or rendered from a template) → its resources, address claims
and `moved:` entries, with every problem located; the entries that failed are dropped so that the others
still go through the platform's rules."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from reconciler.manifest.base import Claim, locate
from reconciler.manifest.diagnostics import describe, from_validation_error
from reconciler.manifest.lifecycle import LifecycleRules
from reconciler.manifest.lifecycle_rules import take
from reconciler.manifest.project_file import PROJECT_FILE, order
from reconciler.manifest.yaml_loader import Entry, LoadedYaml, entry_of, load_yaml
from reconciler.model import Address, Diagnostic, Move, Resource, Severity
from reconciler.registry import PLATFORMS

Loaded = tuple[list[Resource], list[Claim], list[Diagnostic], list[Diagnostic], list[Move], set[str]]
"""Resources, claims, errors, warnings, `moved:` entries, and the keys of the entries dropped for their errors
(an address built from one of those keys may be declared once the errors are fixed)."""


def load_manifest(
    text: str, file: str, configured: set[str] | None, lifecycle: Mapping[str, LifecycleRules] | None = None
) -> Loaded:
    """The resources of one manifest, each with its lifecycle rules over the kind's `lifecycle` defaults."""
    loaded, errors = load_yaml(text, file)
    if errors:  # values YAML cannot carry (NaN, impossible dates, bad tags) come first; the fields after
        return [], [], sorted(errors, key=order), [], [], _keys(loaded.data)
    if loaded.data is None:
        warning = Diagnostic(
            "empty manifest file", file, 1, 1, "", "add content or delete the file", severity=Severity.WARNING
        )
        return [], [], [], [warning], [], set()
    data = loaded.data
    if not isinstance(data, dict):
        errors.append(
            Diagnostic(
                f"expected a mapping of fields, got {describe(data)}",
                file,
                1,
                1,
                "",
                f"start the manifest with `platform: NAME` ({', '.join(sorted(PLATFORMS))})",
            )
        )
        return [], [], errors, [], [], set()
    known = sorted(PLATFORMS)
    platform = data.get("platform")
    if "platform" not in data:
        errors.append(
            Diagnostic(
                "required field `platform` is missing",
                file,
                1,
                1,
                "platform",
                f"add `platform:` with one of: {', '.join(known)}",
            )
        )
        return [], [], sorted(errors, key=order), [], [], _keys(data)
    at = loaded.position(("platform",))
    found = PLATFORMS.get(platform.strip().lower()) if isinstance(platform, str) else None
    spec = found.manifest if found is not None else None
    if spec is None:
        errors.append(
            Diagnostic(
                f"unknown platform {describe(platform)}",
                file,
                at.line,
                at.column,
                "platform",
                f"use one of: {', '.join(known)}",
            )
        )
        return [], [], sorted(errors, key=order), [], [], _keys(data)
    data["platform"] = spec.platform
    if configured is not None and spec.platform not in configured:
        errors.append(
            Diagnostic(
                f"platform `{spec.platform}` is not configured in {PROJECT_FILE}",
                file,
                at.line,
                at.column,
                "platform",
                f"add `platforms: {{{spec.platform}: {{endpoint: ...}}}}` to {PROJECT_FILE}, "
                "or remove this file",
            )
        )
    dropped: set[str] = set()
    try:
        manifest = spec.model.model_validate(data)
    except ValidationError as exc:
        errors.extend(from_validation_error(exc, loaded, file, spec.model, spec.tags, spec.notes))
        salvaged = _without_failed_entries(loaded, exc)
        if salvaged is None:
            return [], [], sorted(errors, key=order), [], [], _keys(data)
        try:
            manifest = spec.model.model_validate(salvaged.data)
        except ValidationError:
            return [], [], sorted(errors, key=order), [], [], _keys(data)
        dropped = _keys(data) - _keys(salvaged.data)
        loaded = salvaged
    built = spec.build(manifest, loaded, file)
    errors.extend(take(built.resources, lifecycle or {}))
    moves: list[Move] = []
    for i, moved in enumerate(getattr(manifest, "moved", [])):
        where = locate(loaded, file, ("moved", i))
        try:
            moves.append(Move(Address.parse(moved.source), Address.parse(moved.to), where))
        except ValueError as exc:
            errors.append(
                Diagnostic(
                    str(exc), file, where.line, where.column, "moved", "write addresses as platform.kind.key"
                )
            )
    return built.resources, built.claims, sorted(errors, key=order), [], moves, dropped


def _keys(data: Any) -> set[str]:
    """Every `key` value in a document."""
    found: set[str] = set()
    pending = [data]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            if isinstance(node.get("key"), str):
                found.add(node["key"])
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    return found


def bad_moves(
    moves: list[Move], declared: set[Address], unsure: set[str] | frozenset[str] = frozenset()
) -> list[Diagnostic]:
    """`moved:` entries that cannot be carried out: the new address must be declared, the old one not, and
    both must name the same platform and kind; an address moves once. A new address built from a key in
    `unsure` (an entry dropped for its own errors) is not reported: those errors explain it."""
    errors: list[Diagnostic] = []
    seen: set[Address] = set()
    for move in moves:
        problem, hint = "", ""
        if (move.source.platform, move.source.kind) != (move.target.platform, move.target.kind):
            problem, hint = (
                "a move keeps the platform and kind",
                "only the key (after platform.kind.) changes",
            )
        elif move.target not in declared:
            if not unsure.intersection(move.target.path):  # else its entry's own errors are reported
                problem = f"`{move.target}` is not declared by any manifest"
                hint = "write the new address exactly as `reconciler state list` will show it"
        elif move.source in declared:
            problem = f"`{move.source}` is still declared by a manifest"
            hint = "remove the old entry, or drop this `moved:` entry"
        elif move.source in seen:
            problem, hint = f"`{move.source}` is moved twice", "keep one `moved:` entry per old address"
        seen.add(move.source)
        if problem:
            at = move.location
            errors.append(Diagnostic(f"moved: {problem}", at.file, at.line, at.column, "moved", hint))
    return errors


def _without_failed_entries(loaded: LoadedYaml, exc: ValidationError) -> LoadedYaml | None:
    """The document without the list entries (campaigns, ad sets) that failed, positions kept.

    The resources of the entries that passed still go through the platform's rules, so one run
    reports schema errors and rule errors of the same file together. None when the failure is
    outside list entries (the file's own fields): nothing can be salvaged then.
    """
    failed: set[tuple[Any, ...]] = set()
    for error in exc.errors():
        entry = _innermost_entry(loaded.data, error["loc"])
        if entry is None:
            return None
        failed.add(entry)

    def prune(value: Any, entry: Entry | None, path: tuple[Any, ...]) -> tuple[Any, Entry | None]:
        items = entry[2] if entry is not None else None
        if isinstance(value, dict):
            data, marks = {}, {}
            for k, v in value.items():
                data[k], found = prune(v, items.get(k) if isinstance(items, dict) else None, (*path, k))
                if found is not None:
                    marks[k] = found
            return data, None if entry is None else (entry[0], entry[1], marks)
        if isinstance(value, list):
            kept = [i for i in range(len(value)) if (*path, i) not in failed]
            pruned = [prune(value[i], entry_of(items, i), (*path, i)) for i in kept]
            listed = [found for _, found in pruned]
            return [v for v, _ in pruned], None if entry is None else (entry[0], entry[1], listed)
        return value, entry

    return LoadedYaml(*prune(loaded.data, loaded.marks, ()))


def _innermost_entry(data: Any, loc: tuple[Any, ...]) -> tuple[Any, ...] | None:
    """The path of the innermost list entry an error location points into (union tags skipped)."""
    node = data
    path: tuple[Any, ...] = ()
    entry: tuple[Any, ...] | None = None
    for part in loc:
        if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node, path = node[part], (*path, part)
            entry = path
        elif isinstance(node, dict) and part in node:
            node, path = node[part], (*path, part)
        elif not isinstance(node, dict | list) or isinstance(part, int):
            break
    return entry


def duplicate_claims(claims: list[Claim]) -> list[Diagnostic]:
    """An address may be created once; references to an existing object must agree on which object."""
    by_address: dict[str, list[Claim]] = {}
    for claim in claims:
        by_address.setdefault(str(claim.address), []).append(claim)
    errors: list[Diagnostic] = []
    for address, group in by_address.items():
        if len(group) < 2:
            continue
        created = [c for c in group if c.reference is None]
        references = {c.reference for c in group if c.reference is not None}
        if not created and len(references) == 1:
            continue
        first = group[0]
        for other in group[1:]:
            if not created and other.reference == first.reference:
                continue
            where = f"{first.location.file}:{first.location.line}:{first.location.column}"
            again = f"{other.location.file}:{other.location.line}:{other.location.column}"
            errors.append(
                Diagnostic(
                    f"duplicate address {address}: defined at {where} and again at {again}",
                    other.location.file,
                    other.location.line,
                    other.location.column,
                    "key",
                    "give one of the two entries another `key` (keys are unique across the whole project)",
                    address=address,
                )
            )
    return errors
