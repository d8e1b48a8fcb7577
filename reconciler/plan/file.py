"""The plan file: everything `apply PLANFILE` needs to carry out exactly this plan or refuse it as stale.

Its JSON Schema is `schemas/plan.schema.json` (generated from these models). `format_version` is
raised on any incompatible change.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from reconciler.model import (
    Action,
    Address,
    Cause,
    Change,
    FieldChange,
    MoneyChange,
    MoneyKind,
    Operation,
    Verb,
)
from reconciler.model.redaction import redact, restore

# 2: field causes (manifest edit or drift), money per change, currencies, targets, moves, allow_retire.
# 3: verbs declared once in `verbs` (operations name them).
# 4: the cause `failed`, the optional `timeline`, and the plan's `digest` (signed with a key or not).
PLAN_FORMAT_VERSION = 4


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class PlanField(_Strict):
    path: str = Field(description="Dotted field path, e.g. bidding.bidAmount")
    old: Any = Field(default=None, description="Live value (or last applied value for write-only fields)")
    new: Any = Field(default=None, description="Value from the manifests")
    cause: Literal["manifest", "drift", "failed"] = Field(
        default="manifest",
        description="`manifest`: the manifests changed since the last apply; `drift`: they did not, the live "
        "object was changed outside reconciler; `failed`: the last apply tried to set this value and failed "
        "(the change's note says with which error)",
    )


class PlanMoney(_Strict):
    """What a change does to one budget or bid of its object (0 where it does not exist)."""

    kind: MoneyKind
    item: str = Field(default="", description="Which one, when an object has several (a flight, a country)")
    cost_model: str = Field(
        default="", description="A bid's pricing as the platform names it (CPM, maxCPC, CPI)"
    )
    before: float
    after: float

    @property
    def delta(self) -> float:
        return self.after - self.before

    @classmethod
    def of(cls, change: MoneyChange) -> PlanMoney:
        return cls.model_validate(change, from_attributes=True)


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
    money: list[PlanMoney] = Field(default_factory=list, description="Budgets and bids the change moves")

    @property
    def causes(self) -> list[str]:
        """The causes of an update's fields, manifest first (empty for a create or retirement)."""
        return [c for c in ("manifest", "drift", "failed") if any(f.cause == c for f in self.fields)]

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
            fields=[PlanField(path=f.path, old=f.old, new=f.new, cause=f.cause.value) for f in change.fields],
            desired=change.desired,
            money=[PlanMoney.of(m) for m in change.money],
        )

    def to_change(self) -> Change:
        return Change(
            address=Address.parse(self.address),
            action=Action(self.action),
            id=self.id,
            parent=Address.parse(self.parent) if self.parent else None,
            scope=dict(self.scope),
            fields=[FieldChange(f.path, f.old, f.new, Cause(f.cause)) for f in self.fields],
            desired=self.desired,
            note=self.note,
            money=[MoneyChange(**m.model_dump()) for m in self.money],
        )


class PlanVerb(_Strict):
    """A verb as its provider declares it (see `Verb`)."""

    label: str = Field(description="What the call does, in words")
    batch_limit: int = Field(default=1, ge=1, description="Items a request carries at most")
    creates: bool = Field(default=False, description="Makes a new object (journalled before it is sent)")
    forgets: bool = Field(default=False, description="The object leaves state once it succeeds")
    final: bool = Field(default=False, description="Waits for every other operation of its subtree")

    @classmethod
    def of(cls, verb: Verb) -> PlanVerb:
        return cls.model_validate(verb, from_attributes=True)

    def to_verb(self, name: str) -> Verb:
        return Verb(name, **self.model_dump())


def verb_key(platform: str, name: str) -> str:
    """Where a verb is in `PlanFile.verbs`: `platform.name`."""
    return f"{platform}.{name}"


class PlanOperation(_Strict):
    key: str
    address: str
    verb: str = Field(description="The verb's name; its declaration is in the plan's `verbs`")
    payload: dict[str, Any] = Field(default_factory=dict)
    id: str | None = None
    refs: dict[str, str] = Field(default_factory=dict)
    after: list[str] = Field(default_factory=list)

    @property
    def platform(self) -> str:
        return self.address.split(".", 1)[0]

    @classmethod
    def of(cls, op: Operation) -> PlanOperation:
        return cls(
            key=op.key,
            address=str(op.address),
            verb=op.verb.name,
            payload=op.payload,
            id=op.id,
            refs={k: str(v) for k, v in op.refs.items()},
            after=list(op.after),
        )

    def to_operation(self, verb: Verb) -> Operation:
        return Operation(
            key=self.key,
            address=Address.parse(self.address),
            verb=verb,
            payload=self.payload,
            id=self.id,
            refs={k: Address.parse(v) for k, v in self.refs.items()},
            after=list(self.after),
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


class PlanMove(_Strict):
    """A `moved:` entry the plan carries out: the state entry (and those below it) takes the new address."""

    from_address: str = Field(description="The address in state before the plan")
    to_address: str = Field(description="The address the manifests declare now")
    id: str = Field(description="Platform id of the object, unchanged")


class PlanDates(_Strict):
    """When one span of an object runs, with its budget."""

    start: str = Field(description="Start (UTC, ISO 8601)")
    end: str | None = Field(default=None, description="End (UTC, ISO 8601); null: no end")
    budget: float | None = Field(default=None, description="The budget that goes with the span, if any")
    budget_kind: MoneyKind | None = Field(default=None, description="Which kind of budget `budget` is")


class PlanSpan(_Strict):
    """One span of an object before and after the plan (null on the side where it does not exist)."""

    label: str = Field(description="What the span is: `flight 1`, `dates`, `schedule`")
    before: PlanDates | None = Field(default=None, description="As the platform has it now")
    after: PlanDates | None = Field(default=None, description="As it will be after the apply")


class PlanTimelineEntry(_Strict):
    """A dated object the manifests want or the platform has: its spans before and after the plan."""

    address: str
    platform: str
    kind: str
    parent: str | None = None
    campaign: str = Field(description="Address of the campaign the object belongs to (for grouping)")
    campaign_name: str = Field(default="", description="That campaign's name")
    name: str = ""
    action: Literal["create", "update", "retire", "unchanged"]
    spans: list[PlanSpan] = Field(default_factory=list)


class PlanIgnored(_Strict):
    """A field whose live value differs from the manifests', left as the platform has it because the object's
    `lifecycle.ignore_changes` names it: shown, never changed."""

    address: str
    path: str = Field(
        description="Dotted field path, e.g. bidding.bidAmount (a list item by its first field)"
    )
    platform: Any = Field(default=None, description="The live value, which stays")
    manifests: Any = Field(default=None, description="The manifests' value, not applied")


class PlanLifecycle(_Strict):
    """An object's `lifecycle.prevent_retire` recorded in state with its entry by the apply (no platform
    call), so that a plan that retires it is refused even after its manifest entry is gone."""

    address: str
    prevent_retire: bool | None = Field(description="The value recorded; null: no longer recorded")


def _empty(value: Any) -> bool:
    return not value


class PlanFile(_Strict):
    """A saved plan (`reconciler plan -o FILE`). Built once and never edited: `digest` covers the rest."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    format_version: int = Field(
        default=PLAN_FORMAT_VERSION,
        description="Version of this format; see docs/plan-format.md for the changes",
    )
    created_at: str
    project: str
    project_dir: str = Field(description="Absolute path of the project directory the plan was made in")
    state: PlanState
    manifest_digest: str = Field(description="sha256 of reconciler.yaml and every manifest file")
    summary: PlanSummary
    changes: list[PlanChange] = Field(default_factory=list)
    operations: list[PlanOperation] = Field(default_factory=list)
    verbs: dict[str, PlanVerb] = Field(
        default_factory=dict, description="Every verb the operations use, by `platform.name`"
    )
    fingerprints: dict[str, str] = Field(
        default_factory=dict, description="sha256 of each touched live object, by address"
    )
    adopted: dict[str, AdoptedObject] = Field(
        default_factory=dict,
        description="Objects the platform already has, recorded in state without a call, by address",
    )
    warnings: list[str] = Field(default_factory=list)
    currencies: dict[str, str] = Field(
        default_factory=dict, description="Account currency of each platform, from reconciler.yaml"
    )
    moved: list[PlanMove] = Field(default_factory=list, description="Renames recorded in state, no call")
    targets: list[str] = Field(
        default_factory=list, description="The --target patterns the plan was limited to (empty: everything)"
    )
    allow_retire: bool = Field(default=False, description="Made with --allow-retire (see `policy.retire`)")
    environment: str | None = Field(default=None, description="The environment (--env) the plan was made for")
    variables: dict[str, Any] = Field(
        default_factory=dict, description="Template variables given on the command line (--var, --var-file)"
    )
    sensitive_variables: list[str] = Field(
        default_factory=list,
        description="Sensitive variables given on the command line: their values are not in the file "
        "(shown as ***NAME***); `apply` of the file needs them again",
    )
    timeline: list[PlanTimelineEntry] = Field(
        default_factory=list,
        description="Every dated object (flights, ad groups, ad sets, creative associations) before and "
        "after the plan, for the flight timeline of the HTML report",
    )
    replace: list[str] = Field(
        default_factory=list, description="The --replace addresses: objects the platform lost, created again"
    )
    ignored: list[PlanIgnored] = Field(
        default_factory=list,
        exclude_if=_empty,
        description="Fields that differ from the manifests but that `lifecycle.ignore_changes` leaves to the "
        "platform (left out when there are none)",
    )
    lifecycle: list[PlanLifecycle] = Field(
        default_factory=list,
        exclude_if=_empty,
        description="`lifecycle.prevent_retire` values the apply records in state, no call (left out when "
        "there are none)",
    )
    signed: bool = Field(default=False, description="The digest is an HMAC with RECONCILER_PLAN_KEY")
    digest: str = Field(
        default="",
        description="`sha256:` (or, signed, `hmac-sha256:`) digest of every other field, checked by "
        "`apply PLANFILE` (see docs/plan-format.md)",
    )

    def label(self, op: PlanOperation) -> str:
        """What an operation does, in words (its verb's label)."""
        found = self.verbs.get(verb_key(op.platform, op.verb))
        return found.label if found else op.verb

    @property
    def has_changes(self) -> bool:
        return bool(self.changes) or bool(self.adopted) or bool(self.moved) or bool(self.lifecycle)

    def redacted(self, secrets: dict[str, Any]) -> PlanFile:
        """This plan with the values of sensitive variables shown as `***NAME***` everywhere (changes,
        operations, adopted objects, warnings, variables): what every renderer and the plan file show."""
        if not secrets:
            return self
        return PlanFile.model_validate(redact(self.model_dump(), secrets))

    def restored(self, secrets: dict[str, Any]) -> PlanFile:
        """This plan with the sensitive values put back in place of their placeholders, to be applied."""
        if not secrets:
            return self
        return PlanFile.model_validate(restore(self.model_dump(), secrets))
