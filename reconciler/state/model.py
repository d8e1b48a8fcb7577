"""The state document (lineage, serial, managed objects, creates under way, failed steps) and the records
that change it one entry at a time."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

# 2: `failed` (the last failed step of an address).
# 3: an entry's `prevent_retire` (its lifecycle rule, recorded when applied).
FORMAT_VERSION = 3


class StateEntry(BaseModel):
    """One managed object: its platform id, its parent's address, the attributes last applied and, once an
    apply recorded it, its `lifecycle.prevent_retire` (so removing its manifest entry cannot retire it)."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    id: str
    parent: str | None = None
    scope: dict[str, str] = Field(default_factory=dict)
    applied: dict[str, Any] = Field(default_factory=dict)
    prevent_retire: bool | None = Field(default=None, exclude_if=lambda value: value is None)


class PendingCreate(BaseModel):
    """A create sent to the platform whose answer was not recorded yet (journal entry written first).

    If a run dies between the platform's create and the state write, the next run finds the object
    by parent and name and adopts it instead of creating a duplicate.
    """

    model_config = ConfigDict(extra="forbid", defer_build=True)

    verb: str
    started_at: str
    parent: str | None = None
    parent_id: str | None = None
    scope: dict[str, str] = Field(default_factory=dict)
    attributes: dict[str, Any] = Field(default_factory=dict)


class FailedStep(BaseModel):
    """The last step on an address that failed: which, why and when, and the attributes it was carrying out
    (so the next plan says "the last apply failed" for them instead of blaming drift)."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    verb: str
    error: str
    time: str
    attempted: dict[str, Any] = Field(default_factory=dict)


Section = Literal["resources", "pending", "failed"]
_TYPES: dict[str, type[BaseModel]] = {"resources": StateEntry, "pending": PendingCreate, "failed": FailedStep}


@dataclass(frozen=True)
class Record:
    """One change to the state: `value` becomes the entry of `address` in `section`, or (None) removes it."""

    section: Section
    address: str
    value: StateEntry | PendingCreate | FailedStep | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Record:
        section = data["section"]
        value = data.get("value")
        parsed = None if value is None else _TYPES[section].model_validate(value)
        return cls(section, str(data["address"]), parsed)  # type: ignore[arg-type]


class State(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    format_version: int = FORMAT_VERSION
    lineage: str = Field(default="", description="Identity of this state, set at its first write")
    serial: int = 0
    project: str = ""
    resources: dict[str, StateEntry] = Field(default_factory=dict)
    pending: dict[str, PendingCreate] = Field(default_factory=dict)
    failed: dict[str, FailedStep] = Field(default_factory=dict)

    def apply(self, records: Iterable[Record]) -> None:
        """Carry out the records in order, in memory."""
        for record in records:
            section: dict[str, Any] = getattr(self, record.section)
            if record.value is None:
                section.pop(record.address, None)
            else:
                section[record.address] = record.value
