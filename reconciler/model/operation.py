"""Operations: the platform calls a plan is made of, each an instance of a verb its provider declares."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reconciler.model.address import Address


@dataclass(frozen=True)
class Verb:
    """One kind of call a provider declares (e.g. `create_ad_set`), read alike by the plan
    builder, the renderers, the executor and the provider's writer.

    `label` is what people read ("create ad set"). Operations of one verb that are ready together are
    sent together, `batch_limit` items a request. `creates`: the call makes a new object whose id goes
    into state (journalled first). `forgets`: the resource leaves state once the call succeeds
    (retirements). `final`: the call comes last in its subtree: it waits for every other operation on its
    own address and the addresses below it (activating a campaign after its ad groups and targets).
    """

    name: str
    label: str
    batch_limit: int = 1
    creates: bool = False
    forgets: bool = False
    final: bool = False

    def __post_init__(self) -> None:
        if self.batch_limit < 1:
            raise ValueError(f"verb {self.name}: batch_limit must be at least 1")

    def __str__(self) -> str:
        return self.name


@dataclass
class Operation:
    """One call (or one item of a batched call) on one resource.

    `refs` maps a payload field to the address whose platform id is filled in at apply time (the
    parent may be created earlier in the same apply). `after` lists the keys of operations that must
    succeed first.
    """

    key: str
    address: Address
    verb: Verb
    payload: dict[str, Any] = field(default_factory=dict)
    id: str | None = None
    refs: dict[str, Address] = field(default_factory=dict)
    after: list[str] = field(default_factory=list)


@dataclass
class ItemResult:
    """The outcome of one operation inside a batch: the object id on success, else the platform's message.

    `unknown` marks a failure whose outcome the platform did not say (no answer for the item, an answer
    that could not be read): a create may have been carried out, so its journal entry is kept and the next
    plan looks for the object before creating it again."""

    key: str
    ok: bool
    id: str | None = None
    error: str = ""
    unknown: bool = False
