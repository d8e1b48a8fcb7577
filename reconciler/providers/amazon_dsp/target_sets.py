"""Writing target sets (one target type on one ad group) through `/dsp/v1/targets`: deletes, then posts, of
single targets, several sets a request, never splitting a set unless it alone holds more than a request's
1000 targets.

"There are separate endpoints for adding and removing targets" (the campaign guide), and writes "are atomic
within one target type on one ad group ... but succeed or fail independently across types" (FACTS.md), so a
set fails alone, with Amazon's message. A set planned without its live targets (a create or a retirement)
reads them first; on an ad group made in this apply it first waits for the platform's default targets of
its type, which "can take up to 30 s" to appear (FACTS.md), so they are replaced, not left behind. Inventory
sources are posted before the old ones are deleted ("All ad groups must target at least one deal or
exchange"), and the last ones are never deleted: retiring that set only forgets it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from reconciler.model import ItemResult
from reconciler.providers.amazon_dsp import mapping
from reconciler.providers.amazon_dsp.client import AmazonApiError, AmazonDspClient, item_errors
from reconciler.providers.amazon_dsp.kinds import TARGET_BATCH
from reconciler.providers.kit.writes import REFUSED, Item

DEFAULTS_WAIT = 30.0
DEFAULTS_POLL = 0.5
ADD_FIRST = frozenset({"inventorySource"})
"""Target types whose new targets are posted before the old ones are deleted (the rest: delete first,
since a target that only changes `negative` or its audience group is deleted and posted again)."""


@dataclass
class Wire:
    """What the writes work with: the client, and the ad groups this apply created (when, and of which
    inventory type), whose default targets appear some seconds later."""

    client: AmazonDspClient
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    created: dict[str, tuple[float, str]] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return self.client.label


class _Set:
    """What one target-set operation deletes and adds, and its first error."""

    def __init__(self, item: Item) -> None:
        self.item = item
        split = mapping.split_target_set_id(item.id) if item.id else None
        self.ad_group_id = str(item.refs.get("adGroupId") or (split[0] if split else ""))
        self.type_key = str(item.payload.get("type", item.op.address.path[-1]))
        self.delete: list[dict[str, Any]] = list(item.payload.get("delete") or [])
        self.add: list[dict[str, Any]] = list(item.payload.get("add") or [])
        self.planned = "delete" in item.payload
        self.error = ""

    def fail(self, message: str) -> None:
        if not self.error:
            wire = mapping.BY_KEY[self.type_key].wire
            self.error = f"{wire} targets of ad group {self.ad_group_id}: {message}"


async def send(wire: Wire, items: Sequence[Item]) -> dict[int, str]:
    """Carry out one advertiser's target-set operations; the errors by item position."""
    sets = [_Set(item) for item in items]
    advertiser = str(items[0].payload.get(mapping.ADVERTISER) or "")
    await _from_live(wire, advertiser, [s for s in sets if not s.planned])
    first = [s for s in sets if s.type_key in ADD_FIRST]
    await _send(wire, advertiser, first, "add")
    await _send(wire, advertiser, [s for s in sets if not s.error], "delete")
    await _send(wire, advertiser, [s for s in sets if not s.error and s.type_key not in ADD_FIRST], "add")
    return {i: s.error for i, s in enumerate(sets) if s.error}


def results(items: Sequence[Item], answer: Mapping[int, str]) -> dict[int, ItemResult]:
    found: dict[int, ItemResult] = {}
    for index, item in enumerate(items):
        if index in answer:
            found[index] = ItemResult(item.op.key, False, item.id, answer[index])
        else:
            set_ = _Set(item)
            found[index] = ItemResult(
                item.op.key, True, mapping.target_set_id(set_.ad_group_id, set_.type_key)
            )
    return found


def _defaulted(wire: Wire, set_: _Set) -> bool:
    """Whether the platform adds default targets of the set's type to its ad group, made in this apply."""
    made = wire.created.get(set_.ad_group_id)
    return made is not None and mapping.BY_KEY[set_.type_key].wire in mapping.defaulted_types(made[1])


async def _from_live(wire: Wire, advertiser: str, sets: Sequence[_Set]) -> None:
    """Fill the deletes and adds of sets planned without live targets (creates and retirements), waiting
    first for the default targets of ad groups made in this apply. A set of a type the platform does not
    default, on an ad group made in this apply, has no live targets: it is not read."""
    unread = [s for s in sets if s.ad_group_id in wire.created and not _defaulted(wire, s)]
    to_read = [s for s in sets if s not in unread]
    waiting = {
        (s.ad_group_id, s.type_key): wire.created[s.ad_group_id][0] + DEFAULTS_WAIT
        for s in to_read
        if _defaulted(wire, s)
    }
    live: dict[tuple[str, str], list[dict[str, Any]]] = {}
    types = sorted({mapping.BY_KEY[s.type_key].wire for s in to_read})
    while to_read:
        rows = await wire.client.list_targets(advertiser, [s.ad_group_id for s in to_read], types)
        live = {}
        for row in rows:
            parsed = mapping.target_from_wire(row)
            if parsed is not None:
                live.setdefault((parsed[0], parsed[1]), []).append(parsed[2])
        now = wire.clock()
        waiting = {k: limit for k, limit in waiting.items() if k not in live and now < limit}
        if not waiting:
            break
        await wire.sleep(DEFAULTS_POLL)
    for set_ in sets:
        if set_.item.op.verb.forgets and set_.type_key in ADD_FIRST:
            continue  # the last inventory sources cannot go: the set is only forgotten
        have = live.get((set_.ad_group_id, set_.type_key), [])
        wanted = [] if set_.item.op.verb.forgets else list(set_.item.payload.get("targets") or [])
        set_.delete, set_.add = mapping.target_delta(have, wanted)


async def _send(wire: Wire, advertiser: str, sets: Sequence[_Set], which: str) -> None:
    """Send the deletes or adds of these sets, 1000 targets a request, never splitting a set (unless it
    alone holds more than 1000)."""
    requests: list[list[tuple[_Set, dict[str, Any]]]] = [[]]
    for set_ in sets:
        targets = set_.delete if which == "delete" else set_.add
        body = [mapping.target_to_wire(set_.type_key, t, set_.ad_group_id) for t in targets]
        if requests[-1] and len(requests[-1]) + len(body) > TARGET_BATCH:
            requests.append([])
        for target in body:
            if len(requests[-1]) >= TARGET_BATCH:
                requests.append([])
            requests[-1].append((set_, target))
    await asyncio.gather(*(_request(wire, advertiser, which, r) for r in requests if r))


async def _request(
    wire: Wire, advertiser: str, which: str, items: Sequence[tuple[_Set, dict[str, Any]]]
) -> None:
    targets = [t for _, t in items]
    call = wire.client.delete_targets if which == "delete" else wire.client.create_targets
    try:
        answer = await call(advertiser, targets)
    except AmazonApiError as exc:
        if exc.status not in REFUSED:
            raise
        for set_, _ in items:
            set_.fail(exc.detail)
        return
    for index, messages in item_errors(answer).items():
        if index is not None and 0 <= index < len(items):
            items[index][0].fail("; ".join(messages))
