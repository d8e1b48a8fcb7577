"""The state document: lineage, serial, managed objects and the journal of creates under way."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

FORMAT_VERSION = 1


class StateEntry(BaseModel):
    """One managed object: its platform id, its parent's address and the attributes last applied."""

    model_config = ConfigDict(extra="forbid")

    id: str
    parent: str | None = None
    scope: dict[str, str] = Field(default_factory=dict)
    applied: dict[str, Any] = Field(default_factory=dict)


class PendingCreate(BaseModel):
    """A create sent to the platform whose answer was not recorded yet (journal entry written first).

    If a run dies between the platform's create and the state write, the next run finds the object
    by parent and name and adopts it instead of creating a duplicate.
    """

    model_config = ConfigDict(extra="forbid")

    verb: str
    started_at: str
    parent: str | None = None
    parent_id: str | None = None
    scope: dict[str, str] = Field(default_factory=dict)
    attributes: dict[str, Any] = Field(default_factory=dict)


class State(BaseModel):
    model_config = ConfigDict(extra="forbid")

    format_version: int = FORMAT_VERSION
    lineage: str = Field(default="", description="Identity of this state, set at its first write")
    serial: int = 0
    project: str = ""
    resources: dict[str, StateEntry] = Field(default_factory=dict)
    pending: dict[str, PendingCreate] = Field(default_factory=dict)
