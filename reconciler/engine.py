"""The engine: one run against a project — validate, read live state, plan, check a saved plan, apply.

It wires the layers together in the one direction DESIGN.md draws: manifests and providers' offline
rules first (nothing reaches a platform before the input is valid), then state and live reads, then
the pure plan builder, then the executor.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

import httpx

from reconciler import policy
from reconciler.apply import ApplyProgress, ApplyReport, execute
from reconciler.errors import CredentialsError, PlanError, ProjectError, StalePlanError, ValidationFailed
from reconciler.manifest import Project, ProjectConfig, load_config, load_project
from reconciler.manifest.project_config import PlatformSettings
from reconciler.manifest.writer import manifest_text
from reconciler.model import Address, Diagnostic, KindSchema, LastFailure, LiveObject, Resource, Verb
from reconciler.plan import PlanChange, PlanFile, PlanOperation, PlanSummary, build_changes, build_operations
from reconciler.plan import fingerprint as fingerprint_of
from reconciler.plan.builder import select
from reconciler.plan.file import AdoptedObject, PlanMove, PlanState, PlanVerb, verb_key
from reconciler.plan.timeline import build_timeline
from reconciler.providers.base import ImportedObject, ImportFilters, ObjectRef, Provider, ProviderConfig
from reconciler.registry import PLATFORMS
from reconciler.sandbox import create_app
from reconciler.state import LocalStateBackend, PostgresStateBackend, Record, State, StateBackend, StateEntry
from reconciler.state.edit import below, move_records

SANDBOX_DB = Path(".reconciler") / "sandbox.sqlite"


@dataclass
class Workspace:
    """A validated project with its state backend and (once opened) its providers."""

    project: Project
    backend: StateBackend
    warnings: list[Diagnostic] = field(default_factory=list)
    providers: dict[str, Provider] = field(default_factory=dict)
    variables: dict[str, Any] = field(default_factory=dict)

    async def aclose(self) -> None:
        for provider in self.providers.values():
            await provider.aclose()


def open_workspace(
    directory: Path, variables: Mapping[str, Any] | None = None, environment: str | None = None
) -> Workspace:
    """Load and validate the project (schema and every platform's offline rules). No API call is made.

    `variables` (from --var-file and --var) override the project's; `environment` picks one of
    `environments:` in reconciler.yaml."""
    project = load_project(directory, check=_platform_rules, variables=variables, environment=environment)
    workspace = Workspace(
        project, state_backend(project.root, project.config, environment), warnings=list(project.warnings)
    )
    workspace.variables = dict(variables or {})
    return workspace


def open_state(directory: Path, environment: str | None = None) -> StateBackend:
    """The project's state backend, from reconciler.yaml alone (the manifests may be broken)."""
    return state_backend(Path(directory), load_config(Path(directory), environment), environment)


def state_backend(root: Path, config: ProjectConfig, environment: str | None = None) -> StateBackend:
    """The configured backend; in PostgreSQL each environment has its own row and lock (workspace), locally
    its own directory (`state/<env>` unless the environment sets `state.path`)."""
    settings = config.state
    if settings.backend == "postgres" and settings.dsn:
        dsn = os.environ.get(settings.dsn)
        if not dsn:
            raise CredentialsError(
                f"state: the environment variable {settings.dsn} (PostgreSQL connection) is not set"
            )
        return PostgresStateBackend(
            dsn, config.project, environment or "default", f"${settings.dsn}", settings.sslmode
        )
    return LocalStateBackend(root / settings.path, config.project)


def _platform_rules(resources: Sequence[Resource]) -> list[Diagnostic]:
    by_platform: dict[str, list[Resource]] = {}
    for resource in resources:
        by_platform.setdefault(resource.address.platform, []).append(resource)
    found: list[Diagnostic] = []
    for platform, group in by_platform.items():
        found.extend(PLATFORMS[platform].part("rules")(group))
    return found


def open_providers(workspace: Workspace) -> None:
    """Build a provider per configured platform; a `sandbox` endpoint runs the emulator in-process."""
    root = workspace.project.root
    for platform, settings in workspace.project.config.configured_platforms():
        config = provider_config(root, workspace.project.config.project, platform, settings)
        workspace.providers[platform] = PLATFORMS[platform].part("provider")(config)


def provider_config(root: Path, project: str, platform: str, settings: PlatformSettings) -> ProviderConfig:
    """How to reach one platform: the embedded sandbox (in-process) or the configured endpoint."""
    if settings.endpoint == "sandbox":
        return ProviderConfig(
            base_url=f"http://sandbox{PLATFORMS[platform].prefix}",
            credentials=_credentials(platform, settings.credentials, sandbox=True),
            transport=httpx.ASGITransport(app=create_app(root / SANDBOX_DB)),
            options={**settings.options(project), "project_dir": str(root)},
        )
    return ProviderConfig(
        base_url=settings.endpoint.rstrip("/"),
        credentials=_credentials(platform, settings.credentials, sandbox=False),
        auth_url=settings.auth_endpoint.rstrip("/") if settings.auth_endpoint else None,
        options={**settings.options(project), "project_dir": str(root)},
    )


def login(directory: Path, platform: str) -> Any:
    """The interactive authorization of a platform (`reconciler auth PLATFORM`), from reconciler.yaml
    alone: the platform's `LOGIN`, built like its provider."""
    known = PLATFORMS.get(platform)
    make = known.part("login") if known else None
    if make is None:
        able = ", ".join(sorted(n for n, p in PLATFORMS.items() if p.part("login")))
        raise ProjectError(
            f"`{platform}` has no interactive authorization", hint=f"platforms that have one: {able}"
        )
    config = load_config(Path(directory))
    settings = dict(config.configured_platforms()).get(platform)
    if settings is None:
        raise ProjectError(
            f"{directory}: reconciler.yaml configures no `{platform}` platform",
            hint=f"add `platforms: {{{platform}: {{endpoint: ...}}}}` to reconciler.yaml",
        )
    return make(provider_config(Path(directory), config.project, platform, settings))


def _credentials(platform: str, names: Mapping[str, str] | None, sandbox: bool) -> dict[str, str]:
    values: dict[str, str] = {}
    missing: list[str] = []
    for key, variable in (names or {}).items():
        value = os.environ.get(variable)
        if value:
            values[key] = value
        else:
            missing.append(variable)
    if sandbox:
        values.setdefault("client_id", "sandbox")
        values.setdefault("client_secret", "sandbox")
        return values
    if missing or not names:
        listed = ", ".join(missing) or "(none named)"
        raise CredentialsError(f"{platform}: credentials environment variables not set: {listed}")
    return values


def _schemas(workspace: Workspace) -> dict[tuple[str, str], KindSchema]:
    return {
        (platform, kind): schema
        for platform, provider in workspace.providers.items()
        for kind, schema in provider.kinds().items()
    }


async def _read_live(workspace: Workspace, refs: Sequence[ObjectRef]) -> dict[Address, LiveObject]:
    grouped: dict[str, list[ObjectRef]] = {}
    for ref in refs:
        grouped.setdefault(ref.address.platform, []).append(ref)
    results = await asyncio.gather(
        *(workspace.providers[p].read(objs) for p, objs in grouped.items() if p in workspace.providers)
    )
    live: dict[Address, LiveObject] = {}
    for result in results:
        live.update(result)
    return live


async def _recover(workspace: Workspace, state: State) -> dict[str, AdoptedObject]:
    """Objects that an interrupted create made on the platform but never recorded, by address."""
    adopted: dict[str, AdoptedObject] = {}
    desired = {str(r.address): r for r in workspace.project.resources}
    known = {e.id for e in state.resources.values()}
    for address, pending in state.pending.items():
        if address in state.resources:
            continue
        parsed = Address.parse(address)
        provider = workspace.providers.get(parsed.platform)
        if provider is None:
            continue
        resource = desired.get(address) or Resource(parsed, pending.attributes, scope=dict(pending.scope))
        parent_id = pending.parent_id
        if pending.parent and pending.parent in state.resources:
            parent_id = state.resources[pending.parent].id
        found = [i for i in await provider.find_created(resource, parent_id) if i not in known]
        if len(found) > 1:
            raise PlanError(
                f"{address}: an interrupted create left {len(found)} candidate objects ({', '.join(found)})",
                hint="retire the extra objects on the platform, then run `reconciler plan` again",
            )
        if found:
            adopted[address] = AdoptedObject(
                id=found[0],
                parent=pending.parent,
                scope=dict(pending.scope),
                applied=pending.attributes,
                reason=f"adopt object {found[0]} created by an interrupted run",
            )
    return adopted


async def _platform_made(
    workspace: Workspace, resources: Sequence[Resource], state: State, taken: Mapping[str, object]
) -> dict[Address, tuple[str, LiveObject]]:
    """Desired objects that the platform already holds without a create of ours (a provider's
    `natural_id`, e.g. default targets of an existing ad group): address → (id, live object)."""
    candidates: dict[Address, ObjectRef] = {}
    for resource in resources:
        if str(resource.address) in state.resources or str(resource.address) in taken:
            continue
        provider = workspace.providers.get(resource.address.platform)
        parent = state.resources.get(str(resource.parent)) if resource.parent else None
        if provider is None or (resource.parent is not None and parent is None):
            continue
        natural = provider.natural_id(resource, parent.id if parent else None)
        if natural is not None:
            candidates[resource.address] = ObjectRef(
                resource.address, natural, dict(resource.scope), frozenset(resource.attributes)
            )
    live = await _read_live(workspace, list(candidates.values())) if candidates else {}
    return {a: (candidates[a].id, obj) for a, obj in live.items()}


async def _resolve(workspace: Workspace) -> list[Resource]:
    """The desired resources with names replaced by ids, by each platform's provider."""
    by_platform: dict[str, list[Resource]] = {}
    for resource in workspace.project.resources:
        by_platform.setdefault(resource.address.platform, []).append(resource)
    resolved = await asyncio.gather(
        *(workspace.providers[p].resolve(rs) for p, rs in by_platform.items() if p in workspace.providers)
    )
    unresolved = [rs for p, rs in by_platform.items() if p not in workspace.providers]
    return [r for group in (*resolved, *unresolved) for r in group]


def _moves(workspace: Workspace, state: State) -> list[PlanMove]:
    """The state moves the manifests' `moved:` entries ask for: each old address in state whose new address
    is not, with every entry below it (found through parent links). Entries apply one after the other, so
    a campaign and one of its ad sets may both be renamed."""
    origin = {address: address for address in state.resources}  # current address → address in state
    current = state
    pending = list(workspace.project.moves)
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
        step: list[PlanMove] = []
        for address in [str(move.source), *below(current, str(move.source))]:
            parsed = Address.parse(address)
            if parsed.path[: len(move.source.path)] == move.source.path:
                path = move.target.path + parsed.path[len(move.source.path) :]
                new = str(Address(parsed.platform, parsed.kind, path))
                step.append(PlanMove(from_address=address, to_address=new, id=current.resources[address].id))
        current = with_moves(current, step)
        renamed = {m.from_address: m.to_address for m in step}
        origin = {renamed.get(a, a): o for a, o in origin.items()}
    return [
        PlanMove(from_address=old, to_address=new, id=current.resources[new].id)
        for new, old in sorted(origin.items(), key=lambda item: item[1])
        if new != old
    ]


def with_moves(state: State, moves: Sequence[PlanMove]) -> State:
    """The state with the entries moved to their new addresses (parents follow); the same state when
    nothing moves."""
    if not moves:
        return state
    renamed = {m.from_address: m.to_address for m in moves}
    moved = state.model_copy(deep=True)
    moved.resources = {
        renamed.get(address, address): entry.model_copy(
            update={"parent": renamed.get(entry.parent, entry.parent) if entry.parent else None}
        )
        for address, entry in moved.resources.items()
    }
    return moved


async def make_plan(workspace: Workspace, targets: Sequence[str] = ()) -> PlanFile:
    """Read state and live objects, diff, and build the ordered plan (nothing is changed).

    With `targets` (address patterns), the plan holds only the matching changes and the creates of their
    parents."""
    state = workspace.backend.read()
    moved = _moves(workspace, state)
    lineage, serial = state.lineage, state.serial
    state = with_moves(state, moved)
    desired = await _resolve(workspace)
    adopted = await _recover(workspace, state)
    schemas = _schemas(workspace)
    made = await _platform_made(workspace, desired, state, adopted)
    by_address = {r.address: r for r in desired}
    for address, (object_id, _) in made.items():
        resource = by_address[address]
        adopted[str(address)] = AdoptedObject(
            id=object_id,
            parent=str(resource.parent) if resource.parent else None,
            scope=dict(resource.scope),
            applied=resource.attributes,
            reason=schemas[(address.platform, address.kind)].adopt_note,
        )
    managed: dict[Address, tuple[str, Address | None, dict[str, Any]]] = {}
    scopes: dict[Address, dict[str, str]] = {}
    for address_text, entry in state.resources.items():
        address = Address.parse(address_text)
        managed[address] = (entry.id, Address.parse(entry.parent) if entry.parent else None, entry.applied)
        scopes[address] = entry.scope
    for address_text, found in adopted.items():
        address = Address.parse(address_text)
        applied = {} if address in made else found.applied
        managed[address] = (found.id, Address.parse(found.parent) if found.parent else None, applied)
        scopes[address] = found.scope
    owned = {r.address: frozenset(r.attributes) for r in desired}
    live = await _read_live(
        workspace,
        [
            ObjectRef(a, m[0], scopes[a], owned.get(a, frozenset()) | frozenset(m[2]))
            for a, m in managed.items()
            if a not in made
        ],
    )
    live.update({a: obj for a, (_, obj) in made.items()})
    failures = {Address.parse(a): LastFailure(f.error, f.attempted) for a, f in state.failed.items()}
    changes, errors = build_changes(desired, managed, live, schemas, failures)
    if errors:
        raise ValidationFailed(list(errors))
    warnings = [str(w) for w in workspace.warnings]
    if targets:
        known = {r.address for r in desired} | set(managed)
        unknown = [t for t in targets if not any(fnmatchcase(str(a), t) for a in known)]
        if unknown:
            raise PlanError(
                f"--target {', '.join(unknown)} matches no address of the manifests or the state",
                hint="run `reconciler state list` or `reconciler render` to see the addresses",
            )
        changes = select(changes, targets)
        adopted = {a: f for a, f in adopted.items() if any(fnmatchcase(a, t) for t in targets)}
        warnings.append(
            "the plan is limited by --target: changes to other resources may be pending; "
            "run a plan without --target to see them"
        )
    operations = build_operations(changes, lambda c: workspace.providers[c.address.platform].operations(c))
    touched = {c.address for c in changes if c.id is not None}
    summary = PlanSummary()
    for change in changes:
        setattr(summary, change.action.value, getattr(summary, change.action.value) + 1)
    notices = [
        n
        for platform, provider in workspace.providers.items()
        for n in provider.notices({a: o for a, o in live.items() if a.platform == platform})
    ]
    return PlanFile(
        created_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        project=workspace.project.config.project,
        project_dir=str(workspace.project.root.resolve()),
        state=PlanState(lineage=lineage, serial=serial),
        manifest_digest=workspace.project.digest,
        summary=summary,
        changes=[PlanChange.of(c) for c in changes],
        operations=[PlanOperation.of(op) for op in operations],
        verbs={verb_key(op.address.platform, op.verb.name): PlanVerb.of(op.verb) for op in operations},
        fingerprints={str(a): fingerprint_of(live[a].attributes) for a in sorted(touched) if a in live},
        adopted=adopted,
        warnings=[*warnings, *(str(n) for n in notices)],
        moved=moved,
        targets=list(targets),
        currencies={
            name: settings.currency
            for name, settings in workspace.project.config.configured_platforms()
            if settings.currency
        },
        environment=workspace.project.environment,
        variables=workspace.variables,
        timeline=build_timeline(desired, managed, live, changes, schemas, targets),
    )


@dataclass
class ImportReport:
    """What `reconciler import` wrote: the manifest files and the objects now managed, with their ids."""

    files: list[Path] = field(default_factory=list)
    objects: list[ImportedObject] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


async def import_objects(
    workspace: Workspace, platform: str, out: Path, filters: ImportFilters, reload: Callable[[], Workspace]
) -> ImportReport:
    """Write manifests and state entries for the live objects of `platform` that no state manages.

    The files are written into `out` (inside the project), then the whole project is loaded again
    (`reload`): when the new manifests do not validate, they are removed and nothing enters state. Each
    state entry records as applied what the manifests now say, so the next plan shows no changes.
    """
    root = workspace.project.root.resolve()
    target = out.resolve()
    if not target.is_relative_to(root):
        raise ProjectError(
            f"--out {out} is outside the project {workspace.project.root}",
            hint="give a directory inside the project, e.g. --out imported",
        )
    provider = workspace.providers.get(platform)
    if provider is None:
        raise ProjectError(
            f"platform `{platform}` is not configured in reconciler.yaml",
            hint=f"add `platforms: {{{platform}: {{endpoint: ...}}}}` to reconciler.yaml",
        )
    report = ImportReport()
    with workspace.backend.lock("import"):
        state = workspace.backend.read()
        managed = {e.id for a, e in state.resources.items() if a.startswith(platform + ".")}
        taken = {r.address for r in workspace.project.resources} | {Address.parse(a) for a in state.resources}
        files = await provider.discover(filters, managed, taken)
        report.skipped = [note for f in files for note in f.skipped]
        files = [f for f in files if f.objects]
        clashes = [target / f.name for f in files if (target / f.name).exists()]
        if clashes:
            raise ProjectError(
                f"{', '.join(str(c) for c in clashes)} already exists; import never overwrites a file",
                hint="give another --out directory, or move the file away",
            )
        if files:
            target.mkdir(parents=True, exist_ok=True)
        for file in files:
            path = target / file.name
            text = manifest_text(f"reconciler import {platform}", file.document, file.notes)
            path.write_text(text, encoding="utf-8")
            report.files.append(path)
        try:
            loaded = reload()
        except ValidationFailed:
            for path in report.files:
                path.unlink()
            raise
        resources = {r.address: r for r in loaded.project.resources}
        records: list[Record] = []
        for file in files:
            for found in file.objects:
                resource = resources[found.address]
                entry = StateEntry(
                    id=found.id,
                    parent=str(found.parent) if found.parent else None,
                    scope=dict(resource.scope),
                    applied=resource.attributes,
                )
                records.append(Record("resources", str(found.address), entry))
                report.objects.append(found)
        if records:
            workspace.backend.record(state, records)
            workspace.backend.commit(state)
    return report


def check_policy(workspace: Workspace, plan: PlanFile, allow_retire: bool) -> list[str]:
    """The plan checked against `policy:`: warnings join the plan's warnings; the broken `error` rules are
    returned, one line each (address, rule, values)."""
    plan.allow_retire = plan.allow_retire or allow_retire
    found = policy.check(plan, workspace.project.config.policy, _schemas(workspace), plan.allow_retire)
    for violation in found:
        if violation.enforce == "warn" and str(violation) not in plan.warnings:
            plan.warnings.append(str(violation))
    return [str(v) for v in found if v.enforce == "error"]


async def check_fresh(workspace: Workspace, plan: PlanFile, state: State) -> None:
    """Refuse a plan made against another state serial, other manifests, or live objects changed since."""
    reasons: list[str] = []
    if plan.state.lineage != state.lineage or plan.state.serial != state.serial:
        reasons.append(
            f"the state changed since the plan (serial {plan.state.serial} then, {state.serial} now)"
        )
    if plan.manifest_digest != workspace.project.digest:
        reasons.append("the manifests or reconciler.yaml changed since the plan")
    applied = {a: e.applied for a, e in plan.adopted.items()} | {
        a: e.applied for a, e in state.resources.items()
    }
    refs = [
        ObjectRef(
            Address.parse(c.address),
            c.id,
            c.scope,
            frozenset(c.desired) | frozenset(applied.get(c.address, {})),
        )
        for c in plan.changes
        if c.id is not None and c.address in plan.fingerprints
    ]
    live = await _read_live(workspace, refs)
    for address_text, digest in sorted(plan.fingerprints.items()):
        obj = live.get(Address.parse(address_text))
        if obj is None:
            reasons.append(f"{address_text} no longer exists on the platform")
        elif fingerprint_of(obj.attributes) != digest:
            reasons.append(f"{address_text} was changed on the platform since the plan")
    if reasons:
        raise StalePlanError("the saved plan is stale and was not applied:\n  " + "\n  ".join(reasons))


def _verb(workspace: Workspace, plan: PlanFile, op: PlanOperation) -> Verb:
    """The provider's declaration of an operation's verb, which must be the one the plan was made with."""
    declared = workspace.providers[op.platform].verbs().get(op.verb)
    saved = plan.verbs.get(verb_key(op.platform, op.verb))
    if declared is None or saved is None or PlanVerb.of(declared) != saved:
        raise StalePlanError(
            f"the plan's operation {op.key} uses a verb this version of reconciler declares otherwise",
            hint="make the plan again with this version of reconciler",
        )
    return declared


async def apply_plan(
    workspace: Workspace,
    plan: PlanFile,
    state: State,
    progress: ApplyProgress | None = None,
    wait: bool = True,
    note: Callable[[str], None] | None = None,
) -> ApplyReport:
    """Carry out the plan (the caller holds the state lock); state is recorded after every batch and
    compacted at the end. Moves and adoptions are recorded first; failed steps of addresses the plan no
    longer changes are forgotten (unless the plan is limited by targets).

    Then each provider settles the objects the plan touched: with `wait`, it waits for the platform's
    asynchronous processing (with `note` messages as it goes) and reports on it in `report.diagnostics`.
    """
    backend = workspace.backend
    records = move_records(state, {m.from_address: m.to_address for m in plan.moved})
    for address, found in plan.adopted.items():
        entry = StateEntry(id=found.id, parent=found.parent, scope=found.scope, applied=found.applied)
        records += [Record("pending", address, None), Record("resources", address, entry)]
    if records:
        backend.record(state, records)
    changed = {c.address for c in plan.changes}
    settled = [Record("failed", a, None) for a in state.failed if a not in changed and not plan.targets]
    if settled:
        backend.record(state, settled)
    changes = [c.to_change() for c in plan.changes]
    operations = [op.to_operation(_verb(workspace, plan, op)) for op in plan.operations]
    report = await execute(operations, changes, workspace.providers, backend, state, progress=progress)
    backend.commit(state)  # after a crash, the next locked read does it
    touched = {str(c.address) for c in changes} | set(plan.adopted)
    objects = [ObjectRef(Address.parse(a), e.id, e.scope) for a, e in state.resources.items() if a in touched]
    for platform, provider in workspace.providers.items():
        mine = [ref for ref in objects if ref.address.platform == platform]
        if mine:
            report.diagnostics.extend(await provider.settle(mine, wait, note))
    return report
