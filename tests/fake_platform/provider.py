"""The fake platform's provider on the kit: a client with one method per endpoint, declared verbs and
writes, reads by id."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from reconciler.model import (
    Action,
    Address,
    Change,
    ItemResult,
    KindSchema,
    LiveObject,
    Operation,
    Resource,
    Verb,
)
from reconciler.providers.base import ObjectRef, ProviderConfig, ProviderDefaults
from reconciler.providers.kit.answers import member
from reconciler.providers.kit.client import ApiClient
from reconciler.providers.kit.http import HttpSession
from reconciler.providers.kit.writes import Item, Write, Writer, created_id

CREATE = Verb("create_thing", "create thing", creates=True)
PATCH = Verb("patch_things", "update thing", batch_limit=10)
FORGET = Verb("forget_thing", "forget thing", batch_limit=10, forgets=True)


class FakeClient(ApiClient):
    async def list_things(self, ids: Sequence[str]) -> list[dict[str, Any]]:
        body = await self.call(
            "POST", "/things/list", member("things"), json={"ids": list(ids)}, idempotent=True
        )
        return list(body["things"])

    async def create_thing(self, attributes: Mapping[str, Any]) -> dict[str, Any]:
        body: dict[str, Any] = await self.call("POST", "/things", json=dict(attributes))
        return body

    async def patch_things(self, items: Sequence[dict[str, Any]]) -> dict[str, Any]:
        body: dict[str, Any] = await self.call("PATCH", "/things", member("results"), json=list(items))
        return body


async def _create(client: FakeClient, items: Sequence[Item]) -> Any:
    return await client.create_thing(items[0].payload)


async def _patch(client: FakeClient, items: Sequence[Item]) -> Any:
    return await client.patch_things([{"id": i.id, **i.payload} for i in items])


def _patched(items: Sequence[Item], answer: Any) -> dict[int, ItemResult]:
    ok = {str(r["id"]): bool(r["ok"]) for r in answer["results"]}
    return {
        n: ItemResult(item.op.key, ok[str(item.id)], item.id, "" if ok[str(item.id)] else "no such thing")
        for n, item in enumerate(items)
        if str(item.id) in ok
    }


WRITES = (
    Write(CREATE, _create, created_id(lambda answer: answer.get("id")), one_by_one=True),
    Write(PATCH, _patch, _patched),
    Write(FORGET),
)


class FakeProvider(ProviderDefaults):
    platform = "fake"

    def __init__(self, config: ProviderConfig) -> None:
        session = HttpSession(config.base_url, transport=config.transport, label="Fake Ads")
        self.client = FakeClient(session, None)
        self.writer = Writer(self.client, WRITES, lambda exc: exc.message)

    def kinds(self) -> Mapping[str, KindSchema]:
        return {"thing": KindSchema("thing", retire_note="forget (Fake Ads has no delete)")}

    def verbs(self) -> Mapping[str, Verb]:
        return self.writer.verbs()

    def operations(self, change: Change) -> list[Operation]:
        verb = {Action.CREATE: CREATE, Action.UPDATE: PATCH, Action.RETIRE: FORGET}[change.action]
        payload = (
            dict(change.desired) if change.action is Action.CREATE else {f.path: f.new for f in change.fields}
        )
        return [Operation(f"{verb}:{change.address}", change.address, verb, payload, id=change.id)]

    async def execute(
        self, verb: Verb, ops: Sequence[Operation], ids: Mapping[Address, str]
    ) -> list[ItemResult]:
        return await self.writer.execute(verb, ops, ids)

    async def read(self, objects: Sequence[ObjectRef]) -> dict[Address, LiveObject]:
        rows = {str(r["id"]): r for r in await self.client.list_things([o.id for o in objects])}
        return {
            o.address: LiveObject(o.address, o.id, {"name": rows[o.id]["name"], "size": rows[o.id]["size"]})
            for o in objects
            if o.id in rows
        }

    async def find_created(self, resource: Resource, parent_id: str | None) -> list[str]:
        return []

    async def aclose(self) -> None:
        await self.client.aclose()


PROVIDER = FakeProvider
