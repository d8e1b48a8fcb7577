"""The plan file: everything `apply PLANFILE` needs to carry out exactly this plan or refuse it as stale.

Its JSON Schema is `schemas/plan.schema.json` (generated from these models). `format_version` is
raised on any incompatible change.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from reconciler.model import Action, Address, Change, FieldChange, Operation

PLAN_FORMAT_VERSION = 1


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PlanField(_Strict):
    path: str = Field(description="Dotted field path, e.g. bidding.bidAmount")
    old: Any = Field(default=None, description="Live value (or last applied value for write-only fields)")
    new: Any = Field(default=None, description="Value from the manifests")


class PlanChange(_Strict):
    address: str
    platform: str
    kind: str
    action: Literal["create", "update", "retire"]
    id: str | None = Field(default=None, description="Platform id of the existing object")
    parent: str | None = None
    scope: dict[str, str] = Field(default_factory=dict)
    note: str = ""
    fields: list[PlanField] = Field(default_factory=list)
    desired: dict[str, Any] = Field(default_factory=dict, description="Full desired attributes")

    @classmethod
    def of(cls, change: Change) -> PlanChange:
        return cls(
            address=str(change.address),
            platform=change.address.platform,
            kind=change.address.kind,
            action=change.action.value,
            id=change.id,
            parent=str(change.parent) if change.parent else None,
            scope=dict(change.scope),
            note=change.note,
            fields=[PlanField(path=f.path, old=f.old, new=f.new) for f in change.fields],
            desired=change.desired,
        )

    def to_change(self) -> Change:
        return Change(
            address=Address.parse(self.address),
            action=Action(self.action),
            id=self.id,
            parent=Address.parse(self.parent) if self.parent else None,
            scope=dict(self.scope),
            fields=[FieldChange(f.path, f.old, f.new) for f in self.fields],
            desired=self.desired,
            note=self.note,
        )


class PlanOperation(_Strict):
    key: str
    address: str
    verb: str
    payload: dict[str, Any] = Field(default_factory=dict)
    id: str | None = None
    refs: dict[str, str] = Field(default_factory=dict)
    after: list[str] = Field(default_factory=list)
    batch_limit: int = 1
    creates: bool = False
    forgets: bool = False

    @classmethod
    def of(cls, op: Operation) -> PlanOperation:
        return cls(
            key=op.key,
            address=str(op.address),
            verb=op.verb,
            payload=op.payload,
            id=op.id,
            refs={k: str(v) for k, v in op.refs.items()},
            after=list(op.after),
            batch_limit=op.batch_limit,
            creates=op.creates,
            forgets=op.forgets,
        )

    def to_operation(self) -> Operation:
        return Operation(
            key=self.key,
            address=Address.parse(self.address),
            verb=self.verb,
            payload=self.payload,
            id=self.id,
            refs={k: Address.parse(v) for k, v in self.refs.items()},
            after=list(self.after),
            batch_limit=self.batch_limit,
            creates=self.creates,
            forgets=self.forgets,
        )


class PlanSummary(_Strict):
    create: int = 0
    update: int = 0
    retire: int = 0

    @property
    def total(self) -> int:
        return self.create + self.update + self.retire


class PlanState(_Strict):
    lineage: str
    serial: int


class AdoptedObject(_Strict):
    """An object the platform already has that the apply records in state without any call: one that an
    interrupted run created, or one the platform made by itself (see `Provider.natural_id`)."""

    id: str
    parent: str | None = None
    scope: dict[str, str] = Field(default_factory=dict)
    applied: dict[str, Any] = Field(default_factory=dict, description="Attributes recorded as last applied")
    reason: str = Field(description="Why it is adopted, in words")


class PlanFile(_Strict):
    """A saved plan (`reconciler plan -o FILE`)."""

    format_version: int = PLAN_FORMAT_VERSION
    created_at: str
    project: str
    project_dir: str = Field(description="Absolute path of the project directory the plan was made in")
    state: PlanState
    manifest_digest: str = Field(description="sha256 of reconciler.yaml and every manifest file")
    summary: PlanSummary
    changes: list[PlanChange] = Field(default_factory=list)
    operations: list[PlanOperation] = Field(default_factory=list)
    fingerprints: dict[str, str] = Field(
        default_factory=dict, description="sha256 of each touched live object, by address"
    )
    adopted: dict[str, AdoptedObject] = Field(
        default_factory=dict,
        description="Objects the platform already has, recorded in state without a call, by address",
    )
    warnings: list[str] = Field(default_factory=list)
    environment: str | None = Field(default=None, description="The environment (--env) the plan was made for")
    variables: dict[str, Any] = Field(
        default_factory=dict, description="Template variables given on the command line (--var, --var-file)"
    )

    @property
    def has_changes(self) -> bool:
        return bool(self.changes) or bool(self.adopted)
