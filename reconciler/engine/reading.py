"""What a plan reads: names resolved to ids, objects an interrupted create left behind, objects the
platforms made by themselves, and the live objects the state manages — each platform read concurrently."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence

from reconciler.engine.workspace import Opened, Workspace
from reconciler.errors import PlanError
from reconciler.model import Address, LiveObject, Resource
from reconciler.plan.file import AdoptedObject
from reconciler.providers.base import ObjectRef
from reconciler.state import State


async def read_live(workspace: Opened, refs: Sequence[ObjectRef]) -> dict[Address, LiveObject]:
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


async def recover(workspace: Workspace, state: State) -> dict[str, AdoptedObject]:
    """Objects that an interrupted create made on the platform but never recorded, by address. The creates
    under way are looked up by platform and kind, every kind at once (one list answers for all of a kind)."""
    adopted: dict[str, AdoptedObject] = {}
    if not state.pending:
        return adopted
    desired = {str(r.address): r for r in workspace.project.resources}
    known = {e.id for e in state.resources.values()}
    groups: dict[tuple[str, str], list[tuple[Resource, str | None]]] = {}
    for address, pending in state.pending.items():
        parsed = Address.parse(address)
        if address in state.resources or parsed.platform not in workspace.providers:
            continue
        resource = desired.get(address) or Resource(parsed, pending.attributes, scope=dict(pending.scope))
        parent_id = pending.parent_id
        if pending.parent and pending.parent in state.resources:
            parent_id = state.resources[pending.parent].id
        groups.setdefault((parsed.platform, parsed.kind), []).append((resource, parent_id))
    answers = await asyncio.gather(
        *(workspace.providers[platform].find_created(created) for (platform, _), created in groups.items())
    )
    made = {address: ids for answer in answers for address, ids in answer.items()}
    for address, pending in state.pending.items():
        found = [i for i in made.get(Address.parse(address), []) if i not in known]
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


async def platform_made(
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
    live = await read_live(workspace, list(candidates.values())) if candidates else {}
    return {a: (candidates[a].id, obj) for a, obj in live.items()}


async def resolve(workspace: Workspace) -> list[Resource]:
    """The desired resources with names replaced by ids, by each platform's provider."""
    by_platform: dict[str, list[Resource]] = {}
    for resource in workspace.project.resources:
        by_platform.setdefault(resource.address.platform, []).append(resource)
    resolved = await asyncio.gather(
        *(workspace.providers[p].resolve(rs) for p, rs in by_platform.items() if p in workspace.providers)
    )
    unresolved = [rs for p, rs in by_platform.items() if p not in workspace.providers]
    return [r for group in (*resolved, *unresolved) for r in group]
