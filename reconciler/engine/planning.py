"""Planning: read what the plan needs (state, names, live objects), then assemble the plan (pure, in
`plan.assemble`), check it against `policy:` and seal it. Nothing on a platform changes."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path

from reconciler.engine.policies import check_policy
from reconciler.engine.reading import platform_made, read_live, recover, resolve
from reconciler.engine.workspace import Workspace, schemas
from reconciler.model import Address, LastFailure, Resource
from reconciler.plan import integrity
from reconciler.plan.assemble import Managed, Observed, Request, assemble
from reconciler.plan.file import AdoptedObject, PlanFile
from reconciler.plan.moves import planned_moves, with_moves
from reconciler.providers.base import ObjectRef

LOG = logging.getLogger("reconciler.engine")


async def make_plan(
    workspace: Workspace,
    targets: Sequence[str] = (),
    allow_retire: bool = False,
    replace: Sequence[str] = (),
) -> tuple[PlanFile, list[str]]:
    """The sealed plan, and the `policy:` rules it breaks (one line each; an empty list when it may be
    applied). With `targets` (address patterns) the plan holds only the matching changes and the creates
    of their parents; `replace` names managed objects the platform lost that the plan creates again."""
    state = workspace.backend.read()
    lineage, serial = state.lineage, state.serial
    _say_what_is_read(workspace, state.serial, len(state.resources) + len(state.pending))
    moved = planned_moves(workspace.project.moves, state)
    state = with_moves(state, moved)
    desired = await resolve(workspace)
    adopted = await recover(workspace, state)
    kinds = schemas(workspace)
    made = await platform_made(workspace, desired, state, adopted)
    by_address = {r.address: r for r in desired}
    for address, (object_id, _) in made.items():
        resource = by_address[address]
        adopted[str(address)] = AdoptedObject(
            id=object_id,
            parent=str(resource.parent) if resource.parent else None,
            scope=dict(resource.scope),
            applied=resource.attributes,
            reason=kinds[(address.platform, address.kind)].adopt_note,
        )
    managed: Managed = {}
    refs: list[ObjectRef] = []
    owned = {r.address: r.attributes.keys() for r in desired}
    parse = _addresses(desired)
    for address_text, entry in state.resources.items():
        address = parse(address_text)
        managed[address] = (entry.id, parse(entry.parent) if entry.parent else None, entry.applied)
        fields = frozenset(entry.applied).union(owned.get(address, ()))
        refs.append(ObjectRef(address, entry.id, entry.scope, fields))
    for address_text, found in adopted.items():
        address = parse(address_text)
        applied = {} if address in made else found.applied
        managed[address] = (found.id, parse(found.parent) if found.parent else None, applied)
        if address not in made:
            fields = frozenset(applied).union(owned.get(address, ()))
            refs.append(ObjectRef(address, found.id, found.scope, fields))
    live = await read_live(workspace, refs)
    live.update({a: obj for a, (_, obj) in made.items()})
    notices = [
        str(n)
        for platform, provider in workspace.providers.items()
        for n in provider.notices({a: o for a, o in live.items() if a.platform == platform})
    ]
    config = workspace.project.config
    request = Request(
        project=config.project,
        project_dir=str(Path(workspace.project.root).resolve()),
        manifest_digest=workspace.project.digest,
        lineage=lineage,
        serial=serial,
        currencies={n: s.currency for n, s in config.configured_platforms() if s.currency},
        environment=workspace.project.environment,
        variables=workspace.variables,
        targets=tuple(targets),
        replace=tuple(replace),
        recreate_missing=config.recreate_missing,
        allow_retire=allow_retire,
        prevent_retire={
            kind: rules.prevent_retire
            for kind, rules in config.lifecycle.items()
            if rules.prevent_retire is not None
        },
    )
    observed = Observed(
        desired=desired,
        managed=managed,
        live=live,
        moved=moved,
        adopted=adopted,
        failures={parse(a): LastFailure(f.error, f.attempted) for a, f in state.failed.items()},
        notices=notices,
        warnings=[str(w) for w in workspace.warnings],
        protected={
            parse(a): e.prevent_retire for a, e in state.resources.items() if e.prevent_retire is not None
        },
    )
    draft = assemble(
        request, observed, kinds, lambda c: workspace.providers[c.address.platform].operations(c)
    )
    broken, warned = check_policy(workspace, draft, allow_retire)
    sensitive = workspace.project.sensitive
    plan = draft.model_copy(
        update={
            "warnings": [*draft.warnings, *warned],
            "sensitive_variables": [n for n in workspace.variables if n in sensitive],
        }
    ).redacted(sensitive)  # shown and saved without the sensitive values
    return integrity.sealed(plan, integrity.key_from_environment()), broken


def _addresses(desired: Sequence[Resource]) -> Callable[[str], Address]:
    """`Address.parse` that gives the desired resources' own addresses (and one object per address), so
    that the many lookups of a plan compare addresses by identity first."""
    known = {str(r.address): r.address for r in desired}

    def parse(text: str) -> Address:
        found = known.get(text)
        if found is None:
            found = known[text] = Address.parse(text)
        return found

    return parse


def _say_what_is_read(workspace: Workspace, serial: int, known: int) -> None:
    """At -v: what the plan reads, so that a plan that makes no call (before any apply) says why."""
    where = workspace.backend.describe()
    if not known:
        LOG.info(
            "state %s is empty (serial %d): no apply has recorded an object yet, so no live object is "
            "read; every resource of the manifests is planned as a create, and the platforms are only asked "
            "for the names the manifests give ({name: ...})",
            where,
            serial,
        )
        return
    platforms = ", ".join(sorted(workspace.providers)) or "no platform"
    LOG.info(
        "state %s: serial %d, %d object(s) recorded; reading them from %s", where, serial, known, platforms
    )
