"""The kit's help for recovering interrupted creates: which live objects a group of creates may have made,
by name among the rows of one list, or by the ids they would have (one read for the whole group)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from typing import Any

from reconciler.model import Address, LiveObject, Resource
from reconciler.providers.base import ObjectRef

Read = Callable[[Sequence[ObjectRef]], Awaitable[Mapping[Address, LiveObject]]]
Made = dict[Address, list[str]]


async def made_under_owners(
    resources: Iterable[Resource],
    owner_of: Callable[[Resource], object],
    look_up: Callable[[str, list[Resource]], Awaitable[Made]],
) -> Made:
    """The resources grouped by the object they live under (`owner_of`, e.g. their advertiser; a resource
    without one is left out), each group looked up once (`look_up(owner, resources)`), all at once."""
    under: dict[str, list[Resource]] = {}
    for resource in resources:
        if owner := owner_of(resource):
            under.setdefault(str(owner), []).append(resource)
    parts = await asyncio.gather(*(look_up(owner, members) for owner, members in under.items()))
    return {address: ids for part in parts for address, ids in part.items()}


def made_by_name(
    resources: Iterable[Resource],
    rows: Iterable[Mapping[str, Any]],
    id_of: Callable[[Mapping[str, Any]], object],
    name_of: Callable[[Mapping[str, Any]], object] = lambda row: row.get("name"),
) -> Made:
    """For each resource, the ids of the rows that bear its name (numeric ids in numeric order)."""
    ids_by_name: dict[str, set[str]] = {}
    for row in rows:
        name, found = name_of(row), id_of(row)
        if isinstance(name, str) and found:
            ids_by_name.setdefault(name, set()).add(str(found))
    made: Made = {}
    for resource in resources:
        name = resource.attributes.get("name")
        if isinstance(name, str) and name in ids_by_name:
            made[resource.address] = sorted(ids_by_name[name], key=lambda i: (len(i), i))
    return made


async def made_with_ids(read: Read, candidates: Iterable[tuple[Resource, str | None]]) -> Made:
    """The resources whose candidate id (the id a create of theirs would have made) a read finds live."""
    refs = [ObjectRef(r.address, found, dict(r.scope)) for r, found in candidates if found is not None]
    live = await read(refs) if refs else {}
    return {ref.address: [str(ref.id)] for ref in refs if ref.address in live}
