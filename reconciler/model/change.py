"""Changes: what must happen to one resource for the live state to match the manifests."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from reconciler.model.address import Address


class Action(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    RETIRE = "retire"


@dataclass(frozen=True)
class FieldChange:
    """One field's old and new value; `path` is dotted (`bidding.bidAmount`)."""

    path: str
    old: Any
    new: Any


@dataclass
class Change:
    """One resource's change. `desired` is the full canonical desired attributes (empty for a retirement)."""

    address: Address
    action: Action
    id: str | None = None
    parent: Address | None = None
    scope: dict[str, str] = field(default_factory=dict)
    fields: list[FieldChange] = field(default_factory=list)
    desired: dict[str, Any] = field(default_factory=dict)
    note: str = ""
