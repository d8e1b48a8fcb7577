"""Desired resources (from manifests), live objects (from platforms) and what a platform says about a kind."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from reconciler.model.address import Address
from reconciler.model.lifecycle import Lifecycle
from reconciler.model.money import Amount
from reconciler.model.timeline import Span


@dataclass(frozen=True)
class SourceLocation:
    file: str
    line: int
    column: int


@dataclass
class Resource:
    """One object the manifests want, in canonical form: only the fields the user set (the owned fields).

    `parent` is the address of the object this one belongs to (an ad set's campaign); `scope` holds
    identifiers that are not resources of the project (for example the advertiser id).
    `locations` maps a dotted field path ("" for the resource itself) to where it was written.
    `lifecycle` holds its lifecycle rules (not attributes: they are never sent to a platform).
    """

    address: Address
    attributes: dict[str, Any]
    parent: Address | None = None
    scope: dict[str, str] = field(default_factory=dict)
    locations: Mapping[str, SourceLocation] = field(default_factory=dict)
    lifecycle: Lifecycle = field(default_factory=Lifecycle)

    def location(self, field_path: str = "") -> SourceLocation | None:
        return nearest_location(self.locations, field_path)


def nearest_location(locations: Mapping[str, SourceLocation], field_path: str) -> SourceLocation | None:
    """Where a field was written: the field itself, else its nearest parent, else the resource ("")."""
    path = field_path
    while True:
        if path in locations:
            return locations[path]
        if not path:
            return None
        path = path.rpartition(".")[0]


@dataclass(frozen=True)
class Move:
    """A `moved:` entry of a manifest: the object state knows at `source` is now declared at `target`."""

    source: Address
    target: Address
    location: SourceLocation


@dataclass
class LiveObject:
    """An object as the platform has it now, mapped to the same canonical field names as a Resource."""

    address: Address
    id: str
    attributes: dict[str, Any]


def _no_spans(attributes: Mapping[str, Any]) -> list[Span]:
    """The spans of an object whose kind has no timeline: none."""
    return []


@dataclass(frozen=True)
class KindSchema:
    """What a provider says about one kind of resource, so the generic diff and plan treat it right.

    - `immutable`: top-level fields that can only be set at creation (a change is a plan error);
    - `write_only`: fields the platform never returns; they are compared with the last applied value in state;
    - `released`: the value a field goes back to when the manifests stop setting it after having set it
      (for example a geolocation rule back to `null`): ownership ends by clearing, not by forgetting;
    - `retire_note`: how the plan describes retiring this kind, e.g. "retire (stop: no delete exists)";
    - `adopt_note`: how the plan describes taking over an object the platform made by itself (see
      `Provider.natural_id`), e.g. "the manifests now own every DEVICE target: platform defaults they do
      not list are deleted".
    - `money(attributes, parent_attributes)`: the budgets and bids an object of this kind holds (for the
      plan's money table and the budget and bid guardrails);
    - `open_ended(attributes)`: whether the object would run with no end date (for the end-date guardrail);
    - `timeline(attributes)`: the dated spans of an object (flights, schedules) for the plan's timeline.
    """

    kind: str
    immutable: frozenset[str] = frozenset()
    write_only: frozenset[str] = frozenset()
    released: Mapping[str, Any] = field(default_factory=dict)
    retire_note: str = "retire"
    adopt_note: str = "adopt the object the platform already has"
    money: Callable[[Mapping[str, Any], Mapping[str, Any]], list[Amount]] = field(
        default=lambda attributes, parent: []
    )
    open_ended: Callable[[Mapping[str, Any]], bool] = field(default=lambda attributes: False)
    timeline: Callable[[Mapping[str, Any]], list[Span]] = field(default=_no_spans)

    @property
    def dated(self) -> bool:
        """Whether objects of this kind have spans on the timeline (a kind without `timeline` has none)."""
        return self.timeline is not _no_spans
