"""Plan assembly (pure): what was asked and what was observed become one plan file.

The engine reads (state, live objects, names); this module decides, with no I/O: the changes (the
builder), the `--target` selection, the operations and their ordering, the summary, the fingerprints of
the objects the plan touches, and everything a saved plan must carry to be applied exactly.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from fnmatch import fnmatchcase
from typing import Any

from reconciler.errors import PlanError, ValidationFailed
from reconciler.model import (
    Address,
    Change,
    FieldChange,
    KindSchema,
    LastFailure,
    LiveObject,
    Operation,
    Resource,
)
from reconciler.plan.builder import build_changes, build_operations, fingerprint, select
from reconciler.plan.file import (
    AdoptedObject,
    PlanChange,
    PlanFile,
    PlanIgnored,
    PlanMove,
    PlanOperation,
    PlanState,
    PlanSummary,
    PlanVerb,
    verb_key,
)
from reconciler.plan.lifecycle import refuse_protected, to_record
from reconciler.plan.timeline import build_timeline

Managed = dict[Address, tuple[str, Address | None, dict[str, Any]]]
"""Address in state → (platform id, parent address, last applied attributes)."""


@dataclass(frozen=True)
class Request:
    """What the plan is asked for: the project, its environment and variables, and the plan's options."""

    project: str
    project_dir: str
    manifest_digest: str
    lineage: str
    serial: int
    currencies: Mapping[str, str] = field(default_factory=dict)
    environment: str | None = None
    variables: Mapping[str, Any] = field(default_factory=dict)
    targets: Sequence[str] = ()
    replace: Sequence[str] = ()
    recreate_missing: bool = False
    allow_retire: bool = False
    prevent_retire: Mapping[str, bool] = field(default_factory=dict)
    """The kinds' `lifecycle.prevent_retire` of reconciler.yaml (`platform.kind` → value), where set."""


@dataclass
class Observed:
    """What was read: desired resources (names resolved), the state after moves, the live objects, the
    objects adopted without a call, the failed steps of the last apply, the platforms' notices and the
    `prevent_retire` values state records."""

    desired: list[Resource]
    managed: Managed
    live: dict[Address, LiveObject]
    moved: list[PlanMove] = field(default_factory=list)
    adopted: dict[str, AdoptedObject] = field(default_factory=dict)
    failures: dict[Address, LastFailure] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    protected: dict[Address, bool] = field(default_factory=dict)


def assemble(
    request: Request,
    observed: Observed,
    schemas: Mapping[tuple[str, str], KindSchema],
    operations_for: Callable[[Change], list[Operation]],
) -> PlanFile:
    """The plan (not sealed yet: see `plan.integrity.sealed`). Raises `ValidationFailed` for changes that
    cannot be made (an immutable field), `PlanError` for objects the platform lost that nobody asked to
    create again, for a `--target` or `--replace` that names nothing, and for the retirement of an object
    that `lifecycle.prevent_retire` protects."""
    desired, managed, live = observed.desired, observed.managed, observed.live
    replace = _replaced(request, observed)
    ignored: dict[Address, list[FieldChange]] = {}
    changes, errors = build_changes(
        desired,
        managed,
        live,
        schemas,
        observed.failures,
        recreate=lambda address: request.recreate_missing or str(address) in replace,
        ignored=ignored,
    )
    lost = [e for e in errors if e.rule == "object-gone"]
    if lost:
        raise PlanError(
            f"{len(lost)} managed object(s) no longer exist on the platform; the plan does not create them "
            "again unless asked:\n  " + "\n  ".join(str(e) for e in lost)
        )
    if errors:
        raise ValidationFailed(list(errors))
    adopted = observed.adopted
    warnings = list(observed.warnings)
    chosen = {r.address for r in desired}
    if request.targets:
        _check_patterns("--target", request.targets, {r.address for r in desired} | set(managed))
        changes = select(changes, request.targets)
        adopted = {a: f for a, f in adopted.items() if any(fnmatchcase(a, t) for t in request.targets)}
        warnings.append(
            "the plan is limited by --target: changes to other resources may be pending; "
            "run a plan without --target to see them"
        )
        chosen = {a for a in chosen if any(fnmatchcase(str(a), t) for t in request.targets)}
    refuse_protected(changes, observed.protected, request.prevent_retire)
    operations = build_operations(changes, operations_for)
    touched = sorted({c.address for c in changes if c.id is not None})
    summary = PlanSummary()
    for change in changes:
        setattr(summary, change.action.value, getattr(summary, change.action.value) + 1)
    return PlanFile(
        created_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        project=request.project,
        project_dir=request.project_dir,
        state=PlanState(lineage=request.lineage, serial=request.serial),
        manifest_digest=request.manifest_digest,
        summary=summary,
        changes=[PlanChange.of(c) for c in changes],
        operations=[PlanOperation.of(op) for op in operations],
        verbs={verb_key(op.address.platform, op.verb.name): PlanVerb.of(op.verb) for op in operations},
        fingerprints={str(a): fingerprint(live[a].attributes) for a in touched if a in live},
        adopted=adopted,
        warnings=[*warnings, *observed.notices],
        moved=observed.moved,
        targets=list(request.targets),
        allow_retire=request.allow_retire,
        currencies=dict(request.currencies),
        environment=request.environment,
        variables=dict(request.variables),
        timeline=build_timeline(desired, managed, live, changes, schemas, request.targets),
        replace=sorted(replace),
        ignored=[
            PlanIgnored(address=str(a), path=f.path, platform=f.old, manifests=f.new)
            for a, fields in ignored.items()
            if a in chosen
            for f in fields
        ],
        lifecycle=to_record(
            [r for r in desired if r.address in chosen],
            observed.protected,
            set(managed) | {c.address for c in changes if c.action == "create"},
        ),
    )


def _replaced(request: Request, observed: Observed) -> set[str]:
    """The `--replace` addresses, each a managed object the platform no longer has."""
    if not request.replace:
        return set()
    managed = {str(a) for a in observed.managed}
    wanted = {str(r.address) for r in observed.desired}
    found: set[str] = set()
    for pattern in request.replace:
        matched = {a for a in managed & wanted if fnmatchcase(a, pattern)}
        if not matched:
            raise PlanError(
                f"--replace {pattern} matches no object that the state manages and the manifests declare",
                hint="run `reconciler state list` to see the managed addresses",
            )
        present = sorted(a for a in matched if Address.parse(a) in observed.live)
        if present:
            raise PlanError(
                f"--replace {pattern}: {', '.join(present)} still exists on the platform; --replace creates "
                "again only objects the platform no longer has",
                hint="to start over with a new object, retire it first (remove it from the manifests and "
                "apply), then declare it again",
            )
        found |= matched
    return found


def _check_patterns(option: str, patterns: Sequence[str], known: set[Address]) -> None:
    unknown = [t for t in patterns if not any(fnmatchcase(str(a), t) for a in known)]
    if unknown:
        raise PlanError(
            f"{option} {', '.join(unknown)} matches no address of the manifests or the state",
            hint="run `reconciler state list` or `reconciler render` to see the addresses",
        )
