"""A provider settles (moderation, processing) as soon as the apply's last step on the kinds it settles is
done, while the other steps go on; a provider that names no kinds settles after the last step."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reconciler.apply import execute
from reconciler.engine.settling import Settling
from reconciler.model import Address, Diagnostic, Operation, Verb
from reconciler.providers.base import ObjectRef
from reconciler.state import LocalStateBackend
from tests.apply.fakes import FakeProvider, changes_of


@dataclass
class SettlingProvider(FakeProvider):
    settled: list[tuple[float, list[ObjectRef]]] = field(default_factory=list)

    async def settle(
        self, objects: Sequence[ObjectRef], wait: bool, progress: Callable[[str], None] | None
    ) -> list[Diagnostic]:
        self.settled.append((time.monotonic(), list(objects)))
        await asyncio.sleep(0.01)
        return [Diagnostic(f"{ref.address} settled", address=str(ref.address)) for ref in objects]


@dataclass
class AssociationsSettled(SettlingProvider):
    settled_kinds: frozenset[str] = frozenset({"association"})


def _op(kind: str, name: str, verb: str, after: Sequence[str] = ()) -> Operation:
    address = Address("fake", kind, (name,))
    return Operation(
        key=f"{kind}:{name}", address=address, verb=Verb(verb, verb, 1, creates=True), after=list(after)
    )


OPERATIONS = [
    _op("group", "g", "create_group"),
    _op("association", "g-c", "associate", after=["group:g"]),
    _op("campaign", "c", "activate", after=["association:g-c"]),
]


def _apply(provider: SettlingProvider, tmp_path: Path) -> list[Diagnostic]:
    backend = LocalStateBackend(tmp_path / "state", "p")
    state = backend.read()
    touched = {str(op.address) for op in OPERATIONS}

    async def run() -> list[Diagnostic]:
        settling = Settling({"fake": provider}, OPERATIONS, touched, state, True, None, None)
        await execute(
            OPERATIONS, changes_of(OPERATIONS), {"fake": provider}, backend, state, progress=settling
        )
        return await settling.reports()

    return asyncio.run(run())


def test_settling_starts_when_the_last_step_on_its_kinds_is_done_while_later_steps_run(
    tmp_path: Path,
) -> None:
    provider = AssociationsSettled(delays={"activate": 0.3})
    reports = _apply(provider, tmp_path)
    [(started, objects)] = provider.settled
    activation = provider.call_of("campaign:c")
    assert provider.call_of("association:g-c").end <= started < activation.end - 0.2
    assert [(str(r.address), r.id) for r in objects] == [("fake.association.g-c", "id-association:g-c")]
    assert [d.message for d in reports] == ["fake.association.g-c settled"]


def test_a_provider_naming_no_kinds_settles_everything_touched_after_the_last_step(tmp_path: Path) -> None:
    provider = SettlingProvider(delays={"activate": 0.1})
    reports = _apply(provider, tmp_path)
    [(started, objects)] = provider.settled
    assert started >= provider.call_of("campaign:c").end
    assert sorted(str(r.address) for r in objects) == [
        "fake.association.g-c",
        "fake.campaign.c",
        "fake.group.g",
    ]
    assert len(reports) == 3
