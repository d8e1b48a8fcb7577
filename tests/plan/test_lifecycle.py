"""Lifecycle rules in plan assembly (pure): ignored fields carried in the plan, protected retirements
refused whatever the flags, and the `prevent_retire` values the apply will record."""

from __future__ import annotations

from typing import Any

import pytest

from reconciler.errors import PlanError
from reconciler.model import Address, Change, KindSchema, Lifecycle, LiveObject, Operation, Resource, Verb
from reconciler.plan.assemble import Managed, Observed, Request, assemble

CAMPAIGN = Address("criteo", "campaign", ("c",))
FR = Address("criteo", "ad_set", ("c", "fr"))
DE = Address("criteo", "ad_set", ("c", "de"))
SCHEMAS = {("criteo", k): KindSchema(k, retire_note="retire (stop)") for k in ("campaign", "ad_set")}
VERB = Verb("call", "call", 50)


def operations(change: Change) -> list[Operation]:
    return [Operation(key=f"{change.action}:{change.address}", address=change.address, verb=VERB)]


def request(**options: Any) -> Request:
    return Request(project="p", project_dir="/p", manifest_digest="d", lineage="l", serial=3, **options)


def ad_set(address: Address, bid: float, lifecycle: Lifecycle | None = None) -> Resource:
    return Resource(
        address, {"bidding": {"bidAmount": bid}}, parent=CAMPAIGN, lifecycle=lifecycle or Lifecycle()
    )


def observed(desired: list[Resource], protected: dict[Address, bool] | None = None) -> Observed:
    managed: Managed = {CAMPAIGN: ("1", None, {}), FR: ("2", CAMPAIGN, {}), DE: ("3", CAMPAIGN, {})}
    live = {a: LiveObject(a, i, {"bidding": {"bidAmount": 0.12}}) for a, (i, _, _) in managed.items()}
    return Observed(desired=desired, managed=managed, live=live, protected=protected or {})


def everything(fr: Resource) -> list[Resource]:
    return [Resource(CAMPAIGN, {}), fr, ad_set(DE, 0.12)]


def test_an_ignored_field_is_no_change_and_is_carried_in_the_plan() -> None:
    fr = ad_set(FR, 0.15, Lifecycle(ignore_changes=("bidding.bidAmount",)))
    plan = assemble(request(), observed(everything(fr)), SCHEMAS, operations)
    assert plan.changes == [] and not plan.has_changes
    [ignored] = plan.ignored
    assert (ignored.address, ignored.path, ignored.platform, ignored.manifests) == (
        str(FR),
        "bidding.bidAmount",
        0.12,
        0.15,
    )
    assert assemble(request(targets=[str(DE)]), observed(everything(fr)), SCHEMAS, operations).ignored == []


def test_retiring_an_object_state_protects_is_refused_even_with_allow_retire() -> None:
    with pytest.raises(PlanError) as refused:
        assemble(
            request(allow_retire=True), observed([Resource(CAMPAIGN, {})], {FR: True}), SCHEMAS, operations
        )
    message = str(refused.value)
    assert "retire 1 object(s) protected by lifecycle.prevent_retire" in message
    assert f"{FR} (id 2): lifecycle.prevent_retire is true, recorded in state when it was applied" in message
    assert str(DE) not in message


def test_a_kind_default_protects_objects_state_records_nothing_for() -> None:
    defaults = {"criteo.ad_set": True}
    with pytest.raises(PlanError, match=r"criteo.ad_set.c/de \(id 3\).*in reconciler.yaml"):
        assemble(
            request(prevent_retire=defaults),
            observed([Resource(CAMPAIGN, {})], {FR: False}),
            SCHEMAS,
            operations,
        )
    # FR was applied with `prevent_retire: false`: that record wins over the kind's default
    plan = assemble(
        request(prevent_retire=defaults),
        observed([Resource(CAMPAIGN, {}), ad_set(DE, 0.12)], {FR: False}),
        SCHEMAS,
        operations,
    )
    assert [(c.address, c.action) for c in plan.changes] == [(str(FR), "retire")]


def test_a_retirement_left_out_by_target_is_not_refused() -> None:
    plan = assemble(
        request(targets=[str(DE)]), observed([Resource(CAMPAIGN, {})], {FR: True}), SCHEMAS, operations
    )
    assert [c.address for c in plan.changes] == [str(DE)]


def test_prevent_retire_values_are_recorded_where_state_differs() -> None:
    new = Address("criteo", "ad_set", ("c", "es"))
    desired = [
        Resource(CAMPAIGN, {}, lifecycle=Lifecycle(prevent_retire=True)),
        ad_set(FR, 0.12, Lifecycle(prevent_retire=True)),  # already recorded
        ad_set(DE, 0.12),  # recorded true, the rule is gone: forgotten
        ad_set(new, 0.2, Lifecycle(prevent_retire=True)),  # created by this plan
    ]
    plan = assemble(request(), observed(desired, {FR: True, DE: True}), SCHEMAS, operations)
    assert [(r.address, r.prevent_retire) for r in plan.lifecycle] == [
        (str(CAMPAIGN), True),
        (str(DE), None),
        (str(new), True),
    ]
    assert plan.has_changes
