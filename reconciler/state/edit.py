"""Edits of the state that touch no platform: remove addresses from it, move them to new addresses.

Both follow parent links: an entry's subtree is every entry whose parent chain reaches it. They return the
records a backend stores (`StateBackend.record`), so they are written like any other batch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from reconciler.errors import StateError
from reconciler.model import Address
from reconciler.state.backend import StateBackend
from reconciler.state.model import Record, State

_HINT = "run `reconciler state list` to see the addresses in state"


def below(state: State, root: str) -> list[str]:
    """Every address whose parent chain reaches `root` (not `root` itself), sorted."""
    children: dict[str, list[str]] = {}
    for address, entry in state.resources.items():
        if entry.parent:
            children.setdefault(entry.parent, []).append(address)
    found: list[str] = []
    todo = list(children.get(root, []))
    while todo:
        address = todo.pop()
        found.append(address)
        todo.extend(children.get(address, []))
    return sorted(found)


def removal(state: State, addresses: Iterable[str]) -> tuple[list[str], list[Record]]:
    """The addresses to stop managing — each given one with its subtree — and the records that remove them
    (with any create under way or failed step recorded for them)."""
    gone: list[str] = []
    for address in addresses:
        if address not in state.resources:
            raise StateError(f"{address} is not in state; nothing was removed", hint=_HINT)
        gone.extend(a for a in (address, *below(state, address)) if a not in gone)
    records = [
        Record(section, address, None)
        for address in gone
        for section in ("resources", "pending", "failed")
        if address in getattr(state, section)
    ]
    return gone, records


def move_of(state: State, source: str, target: str) -> dict[str, str]:
    """What `moved: {from: source, to: target}` renames: the source, and every entry below it whose
    address starts with the source's path, get the target's path instead (old → new address)."""
    try:
        old, new = Address.parse(source), Address.parse(target)
    except ValueError as exc:
        raise StateError(str(exc), hint="write addresses as platform.kind.key[/child-key]") from None
    if (old.platform, old.kind) != (new.platform, new.kind):
        raise StateError(
            f"cannot move {source} to {target}: a move keeps the platform and kind",
            hint="only the key (after platform.kind.) changes",
        )
    if source not in state.resources:
        raise StateError(f"{source} is not in state; nothing was moved", hint=_HINT)
    if source == target:
        raise StateError(f"{source} is the target itself; nothing was moved")
    renamed: dict[str, str] = {}
    for address in [source, *below(state, source)]:
        parsed = Address.parse(address)
        if parsed.path[: len(old.path)] == old.path:
            renamed[address] = str(
                Address(parsed.platform, parsed.kind, new.path + parsed.path[len(old.path) :])
            )
    taken = sorted(n for n in renamed.values() if n in state.resources and n not in renamed)
    if taken:
        raise StateError(
            f"cannot move {source} to {target}: {', '.join(taken)} is already in state; nothing was moved",
            hint="remove that entry first (`reconciler state rm`), or choose another target",
        )
    return renamed


def move_records(state: State, renamed: Mapping[str, str]) -> list[Record]:
    """The records that carry out `renamed` (old → new address): entries (and their creates under way and
    failed steps) change address, and every entry whose parent moved follows it."""
    drops: list[Record] = []
    sets: list[Record] = []
    for address, entry in state.resources.items():
        new = renamed.get(address, address)
        parent = renamed.get(entry.parent, entry.parent) if entry.parent else None
        if new == address and parent == entry.parent:
            continue
        if new != address:
            drops.append(Record("resources", address, None))
        sets.append(Record("resources", new, entry.model_copy(update={"parent": parent})))
    for section in ("pending", "failed"):
        for address, value in getattr(state, section).items():
            if address in renamed:
                drops.append(Record(section, address, None))
                sets.append(Record(section, renamed[address], value))
    return drops + sets  # every old address goes before a new one is set, so a chain of renames holds


def remove(backend: StateBackend, addresses: Sequence[str], notice: Callable[[str], None]) -> list[str]:
    """Stop managing the addresses and their subtrees, under the lock; the addresses removed, in order."""
    with backend.lock("state rm", notice):
        state = backend.read()
        gone, records = removal(state, addresses)
        backend.record(state, records)
        backend.commit(state)
    return gone


def move(backend: StateBackend, source: str, target: str, notice: Callable[[str], None]) -> dict[str, str]:
    """Move the source (and what is below it) to the target address, under the lock; old → new address."""
    with backend.lock("state mv", notice):
        state = backend.read()
        renamed = move_of(state, source, target)
        backend.record(state, move_records(state, renamed))
        backend.commit(state)
    return renamed
