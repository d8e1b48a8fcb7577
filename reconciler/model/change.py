"""Changes: what must happen to one resource for the live state to match the manifests."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from reconciler.model.address import Address
from reconciler.model.money import MoneyChange
from reconciler.model.resource import SourceLocation, nearest_location


class Action(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    RETIRE = "retire"


class Cause(StrEnum):
    """Why a field changes: the manifests now say something else than at the last apply, or they say the
    same and the live object was changed outside reconciler since (drift), or the last apply tried to set
    it and failed."""

    MANIFEST = "manifest"
    DRIFT = "drift"
    FAILED = "failed"


@dataclass(frozen=True)
class LastFailure:
    """A step on an address failed in an earlier apply: the platform's error, and the attributes the step
    was carrying out."""

    error: str
    attempted: dict[str, Any] = field(default_factory=dict)

    @property
    def note(self) -> str:
        return f"the last apply failed: {self.error}"


@dataclass(frozen=True)
class FieldChange:
    """One field's old and new value; `path` is dotted (`bidding.bidAmount`)."""

    path: str
    old: Any
    new: Any
    cause: Cause = Cause.MANIFEST


@dataclass
class Change:
    """One resource's change. `desired` is the full canonical desired attributes (empty for a retirement).

    `money` is what the change does to the object's budgets and bids.
    `locations` are the desired resource's source locations (see `Resource.locations`), so that a provider
    can locate a problem it finds while turning the change into operations; a saved plan does not keep them.
    """

    address: Address
    action: Action
    id: str | None = None
    parent: Address | None = None
    scope: dict[str, str] = field(default_factory=dict)
    fields: list[FieldChange] = field(default_factory=list)
    desired: dict[str, Any] = field(default_factory=dict)
    note: str = ""
    locations: Mapping[str, SourceLocation] = field(default_factory=dict)
    money: list[MoneyChange] = field(default_factory=list)

    def location(self, field_path: str = "") -> SourceLocation | None:
        return nearest_location(self.locations, field_path)
