"""The kit's help for recovering interrupted creates: which live objects the creates left under way may have
made, by name (and parent) among the rows of a list read once for them all, or by the ids they would have
(one read for them all)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from reconciler.model import Address, LiveObject, Resource
from reconciler.providers.base import ObjectRef

Created = tuple[Resource, str | None]
"""A create left under way: its resource and its parent's id (None for an object without a parent)."""
Made = dict[Address, list[str]]
Row = Mapping[str, Any]
Read = Callable[[Sequence[ObjectRef]], Awaitable[Mapping[Address, LiveObject]]]
Owner = TypeVar("Owner", bound=Hashable)


async def made_under_owners(
    created: Iterable[Created],
    owner_of: Callable[[Created], Owner | None],
    look_up: Callable[[Owner, list[Created]], Awaitable[Made]],
) -> Made:
    """The creates grouped by what a list must be read under (`owner_of`, e.g. their advertiser; a create
    without one is left out), each group looked up once (`look_up(owner, creates)`), all at once."""
    under: dict[Owner, list[Created]] = {}
    for item in created:
        owner = owner_of(item)
        if owner is not None and owner != "":
            under.setdefault(owner, []).append(item)
    parts = await asyncio.gather(*(look_up(owner, members) for owner, members in under.items()))
    return {address: ids for part in parts for address, ids in part.items()}


def made_by_name(
    created: Iterable[Created],
    rows: Iterable[Row],
    id_of: Callable[[Row], object],
    name_of: Callable[[Row], object] = lambda row: row.get("name"),
    parent_of: Callable[[Row], object] | None = None,
) -> Made:
    """For each create, the ids of the rows that bear its name (and, with `parent_of`, that live under its
    parent), numeric ids in numeric order."""
    ids: dict[tuple[str | None, str], set[str]] = {}
    for row in rows:
        name, found = name_of(row), id_of(row)
        if isinstance(name, str) and found:
            parent = str(parent_of(row)) if parent_of is not None else None
            ids.setdefault((parent, name), set()).add(str(found))
    made: Made = {}
    for resource, parent_id in created:
        name = resource.attributes.get("name")
        found = (
            ids.get((parent_id if parent_of is not None else None, name)) if isinstance(name, str) else None
        )
        if found:
            made[resource.address] = sorted(found, key=lambda i: (len(i), i))
    return made


async def made_with_ids(read: Read, candidates: Iterable[tuple[Resource, str | None]]) -> Made:
    """The creates whose candidate id (the id the create would have made) one read finds live."""
    refs = [ObjectRef(r.address, found, dict(r.scope)) for r, found in candidates if found is not None]
    live = await read(refs) if refs else {}
    return {ref.address: [str(ref.id)] for ref in refs if ref.address in live}
