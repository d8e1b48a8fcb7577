"""Applying a plan: refuse one that was edited, made with other verbs, or is stale (state, manifests or a
touched live object changed since), then run it through the executor and let the platforms settle."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable, Mapping

from reconciler.apply import ApplyProgress, ApplyReport, execute
from reconciler.engine.reading import read_live
from reconciler.engine.settling import Settling
from reconciler.engine.workspace import Opened
from reconciler.errors import ReconcilerError, StalePlanError
from reconciler.model import Address, Operation, Verb
from reconciler.plan import integrity
from reconciler.plan.file import PlanFile, PlanLifecycle, PlanOperation, PlanVerb, verb_key
from reconciler.providers.base import ObjectRef, Provider
from reconciler.state import Record, State, StateBackend, StateEntry
from reconciler.state.edit import move_records

LOG = logging.getLogger("reconciler.state")


def check_integrity(plan: PlanFile, where: str) -> None:
    """Refuse a saved plan whose digest does not match (edited, or signed with another key)."""
    integrity.check(plan, integrity.key_from_environment(), where)


async def check_fresh(workspace: Opened, plan: PlanFile, state: State) -> None:
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
    live = await read_live(workspace, refs)
    if plan.fingerprints:  # the builder (and the diff library it loads) only for a plan that touches objects
        from reconciler.plan.builder import fingerprint

        for address_text, digest in sorted(plan.fingerprints.items()):
            obj = live.get(Address.parse(address_text))
            if obj is None:
                reasons.append(f"{address_text} no longer exists on the platform")
            elif fingerprint(obj.attributes) != digest:
                reasons.append(f"{address_text} was changed on the platform since the plan")
    if reasons:
        raise StalePlanError("the saved plan is stale and was not applied:\n  " + "\n  ".join(reasons))


def _operations(workspace: Opened, plan: PlanFile) -> list[Operation]:
    """The plan's operations with their verbs as the providers declare them (each verb checked once)."""
    verbs: dict[str, Verb] = {}
    operations: list[Operation] = []
    for op in plan.operations:
        key = verb_key(op.platform, op.verb)
        if key not in verbs:
            verbs[key] = _verb(workspace, plan, op)
        operations.append(op.to_operation(verbs[key]))
    return operations


def _verb(workspace: Opened, plan: PlanFile, op: PlanOperation) -> Verb:
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
    workspace: Opened,
    plan: PlanFile,
    state: State,
    progress: ApplyProgress | None = None,
    wait: bool = True,
    note: Callable[[str], None] | None = None,
) -> ApplyReport:
    """Carry out the plan (the caller holds the state lock); state is recorded after every batch and
    compacted at the end. Moves and adoptions are recorded first; failed steps of addresses the plan no
    longer changes are forgotten (unless the plan is limited by targets). The plan's `prevent_retire`
    values are recorded with the entries already in state first, with those its creates make last.

    Every platform the plan calls fetches its access token meanwhile (`Provider.warm`), so the first
    calls do not wait for it after the creates are journalled. Each provider settles the objects the plan
    touched as soon as the last step on the kinds it settles is done (`Settling`): with `wait`, it waits for
    the platform's asynchronous processing (with `note` messages as it goes) and reports on it in
    `report.diagnostics`.
    """
    async with _warming(workspace.providers, {op.platform for op in plan.operations}):
        return await _carry_out(workspace, plan, state, progress, wait, note)


async def _carry_out(
    workspace: Opened,
    plan: PlanFile,
    state: State,
    progress: ApplyProgress | None,
    wait: bool,
    note: Callable[[str], None] | None,
) -> ApplyReport:
    plan = plan.restored(workspace.project.sensitive)  # the values the platforms must receive
    backend = workspace.backend
    records = move_records(state, {m.from_address: m.to_address for m in plan.moved})
    for address, found in plan.adopted.items():
        entry = StateEntry(id=found.id, parent=found.parent, scope=found.scope, applied=found.applied)
        records += [Record("pending", address, None), Record("resources", address, entry)]
    if records:
        backend.record(state, records)
    _record_lifecycle(backend, state, plan.lifecycle)
    changed = {c.address for c in plan.changes}
    settled = [Record("failed", a, None) for a in state.failed if a not in changed and not plan.targets]
    if settled:
        backend.record(state, settled)
    changes = [c.to_change() for c in plan.changes]
    operations = _operations(workspace, plan)
    touched = {str(c.address) for c in changes} | set(plan.adopted)
    settling = Settling(workspace.providers, operations, touched, state, wait, note, progress)
    try:
        report = await execute(operations, changes, workspace.providers, backend, state, progress=settling)
    except BaseException:
        await settling.cancel()
        raise
    _record_lifecycle(backend, state, plan.lifecycle)
    started = time.perf_counter()
    backend.commit(state)  # after a crash, the next locked read does it
    compaction = time.perf_counter() - started
    LOG.info(
        "state: %d writes during the steps took %.3f s of CPU (%.3f s in the writer thread),"
        " the compaction %.3f s",
        report.state_writes,
        report.state_cpu,
        report.state_seconds,
        compaction,
    )
    report.diagnostics.extend(await settling.reports())
    return report


@contextlib.asynccontextmanager
async def _warming(providers: Mapping[str, Provider], platforms: set[str]) -> AsyncIterator[None]:
    """These platforms' providers get ready (their access tokens) while the block prepares its first calls,
    which wait for them; a failure is left to the first call to report."""

    async def warmed(provider: Provider) -> None:
        with contextlib.suppress(ReconcilerError):
            await provider.warm()

    tasks = [
        asyncio.ensure_future(warmed(p))
        for name, p in providers.items()
        if name in platforms and hasattr(p, "warm")
    ]
    await asyncio.sleep(0)  # their requests leave before the preparation holds the event loop
    try:
        yield
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


def _record_lifecycle(backend: StateBackend, state: State, rules: list[PlanLifecycle]) -> None:
    """Record each `prevent_retire` value with its object's entry, where the entry exists and differs."""
    records = [
        Record("resources", r.address, entry.model_copy(update={"prevent_retire": r.prevent_retire}))
        for r in rules
        if (entry := state.resources.get(r.address)) is not None and entry.prevent_retire != r.prevent_retire
    ]
    if records:
        backend.record(state, records)
