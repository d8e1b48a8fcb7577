"""Operations: the platform calls a plan is made of, with their batching and ordering information."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reconciler.model.address import Address


@dataclass
class Operation:
    """One call (or one item of a batched call) on one resource.

    `verb` names a provider operation (e.g. `create_ad_set`, `patch_ad_set`, `start_ad_set`).
    Operations with the same `verb` in the same wave are sent together, `batch_limit` items a request.
    `refs` maps a payload field to the address whose platform id is filled in at apply time (the
    parent may be created earlier in the same apply). `after` lists the keys of operations that must
    succeed first. `creates` is true when the call makes a new object whose id goes into state.
    `forgets` is true when the resource leaves state once the call succeeds (retirements).
    `final` is true for a call that must come last in its subtree: it waits for every other operation on
    its own address and the addresses below it (activating a campaign after its ad groups and targets).
    """

    key: str
    address: Address
    verb: str
    payload: dict[str, Any] = field(default_factory=dict)
    id: str | None = None
    refs: dict[str, Address] = field(default_factory=dict)
    after: list[str] = field(default_factory=list)
    batch_limit: int = 1
    creates: bool = False
    forgets: bool = False
    final: bool = False


@dataclass
class ItemResult:
    """The outcome of one operation inside a batch: the object id on success, else the platform's message."""

    key: str
    ok: bool
    id: str | None = None
    error: str = ""
