"""How each Criteo verb is carried out: the client call, and how Criteo's answer maps back to one result
per item (`data` confirms items by id; `errors` point at an item with `@data/N` or its id)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from reconciler.errors import PlatformError
from reconciler.model import ItemResult
from reconciler.providers.criteo import mapping
from reconciler.providers.criteo.client import CriteoApiError, CriteoClient, problem_text, problems_of
from reconciler.providers.criteo.kinds import (
    CREATE_AD_SET,
    CREATE_CAMPAIGN,
    FORGET_CAMPAIGN,
    LINK_AUDIENCE,
    PATCH_AD_SET,
    PATCH_CAMPAIGN,
    RETIRE_AD_SET,
    START_AD_SET,
    STOP_AD_SET,
)
from reconciler.providers.kit.writes import Item, Write, created_id

_INDEX = re.compile(r"data/(\d+)")


def describe(exc: PlatformError) -> str:
    """A refused call's reason: Criteo's problems, else the error's message."""
    problems = exc.problems if isinstance(exc, CriteoApiError) else []
    return "; ".join(problem_text(p) for p in problems) or exc.message


def _as_answer(exc: PlatformError) -> dict[str, Any]:
    """A whole batch refused for bad input, as an answer whose problems point at their items."""
    problems = exc.problems if isinstance(exc, CriteoApiError) else []
    return {"data": [], "errors": problems or [{"title": exc.message}]}


def _index(problem: Mapping[str, Any]) -> int | None:
    for text in (problem.get("instance"), *(problem.get("source") or {}).values()):
        if isinstance(text, str):
            found = _INDEX.search(text)
            if found:
                return int(found.group(1))
    return None


def batch_results(items: Sequence[Item], answer: Any) -> dict[int, ItemResult]:
    """One result per item of a batch answer: its problems (by `@data/N` or id), else its confirmation,
    else the answer's general problems."""
    confirmed = {str(d.get("id")) for d in answer.get("data") or [] if isinstance(d, Mapping)}
    ids = {item.id for item in items}
    by_index: dict[int, list[Mapping[str, Any]]] = {}
    by_id: dict[str, list[Mapping[str, Any]]] = {}
    general: list[Mapping[str, Any]] = []
    for problem in problems_of(answer):
        index = _index(problem)
        if index is not None and 0 <= index < len(items):
            by_index.setdefault(index, []).append(problem)
        elif str(problem.get("id") or "") in ids:
            by_id.setdefault(str(problem["id"]), []).append(problem)
        else:
            general.append(problem)
    results: dict[int, ItemResult] = {}
    for index, item in enumerate(items):
        key, object_id = item.op.key, item.id or ""
        problems = by_index.get(index, []) + by_id.get(object_id, [])
        if problems:
            results[index] = ItemResult(key, False, object_id, _text(problems))
        elif object_id in confirmed:
            results[index] = ItemResult(key, True, object_id)
        else:
            reason = _text(general) or "Criteo did not confirm this item and reported no error"
            results[index] = ItemResult(key, False, object_id, reason)
    return results


def _text(problems: Sequence[Mapping[str, Any]]) -> str:
    return "; ".join(problem_text(p) for p in problems)


def _one_result(items: Sequence[Item], answer: Any) -> dict[int, ItemResult]:
    """A one-object write: refused when the answer carries errors, else done."""
    problems = problems_of(answer)
    item = items[0]
    if problems:
        return {0: ItemResult(item.op.key, False, item.id, _text(problems))}
    return {0: ItemResult(item.op.key, True, item.id)}


def _new_id(answer: Any) -> Any:
    return answer["data"].get("id")


async def _create_campaign(client: CriteoClient, items: Sequence[Item]) -> Any:
    payload = items[0].payload
    return await client.create_campaign(
        mapping.campaign_create_body(payload, str(payload.get("advertiserId")))
    )


async def _create_ad_set(client: CriteoClient, items: Sequence[Item]) -> Any:
    item = items[0]
    campaign_id = item.refs.get("campaignId") or item.payload.get("campaignId")
    return await client.create_ad_set(mapping.ad_set_create_body(item.payload, str(campaign_id)))


async def _link_audience(client: CriteoClient, items: Sequence[Item]) -> Any:
    item = items[0]
    audience = item.payload.get("audience")
    return await client.link_audience(str(item.id), None if audience is None else str(audience))


async def _patch_ad_sets(client: CriteoClient, items: Sequence[Item]) -> Any:
    return await client.patch_ad_sets([(str(i.id), mapping.ad_set_patch_body(i.payload)) for i in items])


async def _patch_campaigns(client: CriteoClient, items: Sequence[Item]) -> Any:
    return await client.patch_campaigns([(str(i.id), mapping.campaign_patch_body(i.payload)) for i in items])


async def _start(client: CriteoClient, items: Sequence[Item]) -> Any:
    return await client.start_ad_sets([str(i.id) for i in items])


async def _stop(client: CriteoClient, items: Sequence[Item]) -> Any:
    return await client.stop_ad_sets([str(i.id) for i in items])


WRITES = (
    Write(CREATE_CAMPAIGN, _create_campaign, created_id(_new_id), one_by_one=True),
    Write(CREATE_AD_SET, _create_ad_set, created_id(_new_id), one_by_one=True),
    Write(LINK_AUDIENCE, _link_audience, _one_result, one_by_one=True),
    Write(PATCH_CAMPAIGN, _patch_campaigns, batch_results, refusal=_as_answer),
    Write(PATCH_AD_SET, _patch_ad_sets, batch_results, refusal=_as_answer),
    Write(START_AD_SET, _start, batch_results, refusal=_as_answer),
    Write(STOP_AD_SET, _stop, batch_results, refusal=_as_answer),
    Write(RETIRE_AD_SET, _stop, batch_results, refusal=_as_answer),
    Write(FORGET_CAMPAIGN),
)
