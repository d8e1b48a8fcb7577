"""The pure plan builder: creates, updates and retirements in the right order, nothing unmanaged touched."""

from __future__ import annotations

from typing import Any

from reconciler.model import (
    Action,
    Address,
    Amount,
    Change,
    KindSchema,
    LiveObject,
    MoneyKind,
    Operation,
    Resource,
    Verb,
)
from reconciler.model.dag import waves
from reconciler.plan import build_changes, build_operations
from reconciler.plan.builder import select

CAMPAIGN = Address("criteo", "campaign", ("c",))
AD_SET = Address("criteo", "ad_set", ("c", "a"))
OLD = Address("criteo", "ad_set", ("c", "old"))
SCHEMAS = {
    ("criteo", "campaign"): KindSchema("campaign", retire_note="retire (forget)"),
    ("criteo", "ad_set"): KindSchema("ad_set", retire_note="retire (stop: Criteo has no delete)"),
}


VERBS = {
    Action.CREATE: Verb("create", "create", 50, creates=True),
    Action.UPDATE: Verb("patch", "update", 50),
    Action.RETIRE: Verb("stop", "stop", 50, forgets=True),
}
ACTIVATE = Verb("activate", "activate", final=True)


def ops_for(change: Change) -> list[Operation]:
    verb = VERBS[change.action]
    refs = {"campaignId": change.parent} if change.parent and change.action is Action.CREATE else {}
    return [Operation(key=f"{verb}:{change.address}", address=change.address, verb=verb, refs=refs)]


def managed(
    *entries: tuple[Address, str, Address | None],
) -> dict[Address, tuple[str, Address | None, dict[str, Any]]]:
    return {a: (i, p, {}) for a, i, p in entries}


def test_new_project_creates_parents_before_children() -> None:
    desired = [Resource(CAMPAIGN, {"name": "C"}), Resource(AD_SET, {"name": "A"}, parent=CAMPAIGN)]
    changes, errors = build_changes(desired, {}, {}, SCHEMAS)
    assert errors == []
    assert [(c.action, c.address) for c in changes] == [(Action.CREATE, CAMPAIGN), (Action.CREATE, AD_SET)]
    ops = build_operations(changes, ops_for)
    assert waves([o.key for o in ops], {o.key: o.after for o in ops}) == [
        [f"create:{CAMPAIGN}"],
        [f"create:{AD_SET}"],
    ]


def test_unchanged_resources_give_no_changes_and_edits_give_one_update() -> None:
    desired = [
        Resource(CAMPAIGN, {"name": "C"}),
        Resource(AD_SET, {"bidding": {"bidAmount": 0.2}}, parent=CAMPAIGN),
    ]
    state = managed((CAMPAIGN, "1", None), (AD_SET, "2", CAMPAIGN))
    live = {
        CAMPAIGN: LiveObject(CAMPAIGN, "1", {"name": "C"}),
        AD_SET: LiveObject(AD_SET, "2", {"bidding": {"bidAmount": 0.1}}),
    }
    changes, _ = build_changes(desired, state, live, SCHEMAS)
    assert len(changes) == 1
    assert changes[0].action is Action.UPDATE and changes[0].id == "2"
    assert [(f.path, f.old, f.new) for f in changes[0].fields] == [("bidding.bidAmount", 0.1, 0.2)]


def test_removed_resources_are_retired_children_first_and_unmanaged_objects_ignored() -> None:
    state = managed((CAMPAIGN, "1", None), (OLD, "3", CAMPAIGN), (AD_SET, "2", CAMPAIGN))
    live = {AD_SET: LiveObject(AD_SET, "2", {}), OLD: LiveObject(OLD, "3", {})}
    unmanaged = Address("criteo", "ad_set", ("c", "made-elsewhere"))
    live[unmanaged] = LiveObject(unmanaged, "9", {})
    changes, _ = build_changes([], state, live, SCHEMAS)
    assert [(c.action, c.address) for c in changes] == [
        (Action.RETIRE, AD_SET),
        (Action.RETIRE, OLD),
        (Action.RETIRE, CAMPAIGN),
    ]
    assert changes[0].note == "retire (stop: Criteo has no delete)"
    ops = build_operations(changes, ops_for)
    order = waves([o.key for o in ops], {o.key: o.after for o in ops})
    assert order[-1] == [f"stop:{CAMPAIGN}"]
    assert all("made-elsewhere" not in key for wave in order for key in wave)


def test_an_object_gone_from_the_platform_is_an_error_unless_it_is_to_be_created_again() -> None:
    desired = [Resource(CAMPAIGN, {"name": "C"})]
    changes, errors = build_changes(desired, managed((CAMPAIGN, "1", None)), {}, SCHEMAS)
    assert changes == []
    assert [(e.rule, e.address) for e in errors] == [("object-gone", str(CAMPAIGN))]
    assert f"--replace {CAMPAIGN}" in errors[0].hint and "no longer exists" in errors[0].message
    changes, errors = build_changes(
        desired, managed((CAMPAIGN, "1", None)), {}, SCHEMAS, recreate=lambda a: a == CAMPAIGN
    )
    assert errors == [] and changes[0].action is Action.CREATE
    assert "no longer exists" in changes[0].note


def test_final_operation_waits_for_everything_below_its_address_only() -> None:
    other = Address("criteo", "campaign", ("other",))
    desired = [
        Resource(CAMPAIGN, {"name": "C"}),
        Resource(AD_SET, {"name": "A"}, parent=CAMPAIGN),
        Resource(other, {"name": "O"}),
    ]
    changes, _ = build_changes(desired, {}, {}, SCHEMAS)

    def with_activation(change: Change) -> list[Operation]:
        ops = ops_for(change)
        if change.address in (CAMPAIGN, other):
            ops.append(Operation(key=f"activate:{change.address}", address=change.address, verb=ACTIVATE))
        return ops

    ops = build_operations(changes, with_activation)
    after = {o.key: set(o.after) for o in ops}
    assert after[f"activate:{CAMPAIGN}"] == {f"create:{CAMPAIGN}", f"create:{AD_SET}"}
    assert after[f"activate:{other}"] == {f"create:{other}"}
    assert waves([o.key for o in ops], {o.key: o.after for o in ops})[-1] == [f"activate:{CAMPAIGN}"]


def test_final_operations_wait_for_their_whole_subtree_in_plan_order() -> None:
    """Grandchildren count, a final operation never waits for another one, and neither a key that only
    starts like the address (`c` and `c2`) nor the same path on another platform is below it."""
    group = Address("criteo", "ad_set", ("c", "g"))
    leaf = Address("criteo", "ad", ("c", "g", "k"))
    lookalike = Address("criteo", "campaign", ("c2",))
    elsewhere = Address("applovin", "campaign", ("c",))
    changes = [
        Change(CAMPAIGN, Action.CREATE),
        Change(group, Action.CREATE, parent=CAMPAIGN),
        Change(leaf, Action.CREATE, parent=group),
        Change(lookalike, Action.CREATE),
        Change(elsewhere, Action.CREATE),
    ]

    def with_activation(change: Change) -> list[Operation]:
        ops = [Operation(key=f"create:{change.address}", address=change.address, verb=VERBS[Action.CREATE])]
        if change.address.kind != "ad":
            ops.append(Operation(key=f"activate:{change.address}", address=change.address, verb=ACTIVATE))
        return ops

    after = {o.key: o.after for o in build_operations(changes, with_activation)}
    assert after[f"activate:{CAMPAIGN}"] == [f"create:{CAMPAIGN}", f"create:{group}", f"create:{leaf}"]
    assert after[f"activate:{group}"] == [f"create:{group}", f"create:{leaf}"]
    assert after[f"activate:{lookalike}"] == [f"create:{lookalike}"]
    assert after[f"activate:{elsewhere}"] == [f"create:{elsewhere}"]


def test_each_field_says_whether_a_manifest_edit_or_drift_causes_it() -> None:
    applied = {"name": "A", "bidding": {"bidAmount": 0.2}, "budget": {"budgetAmount": 100}}
    desired = [Resource(AD_SET, {**applied, "budget": {"budgetAmount": 150}}, parent=CAMPAIGN)]
    live = {AD_SET: LiveObject(AD_SET, "2", {**applied, "bidding": {"bidAmount": 0.5}})}
    changes, _ = build_changes(desired, {AD_SET: ("2", CAMPAIGN, applied)}, live, SCHEMAS)
    assert [(f.path, f.old, f.new, f.cause.value) for f in changes[0].fields] == [
        ("bidding.bidAmount", 0.5, 0.2, "drift"),
        ("budget.budgetAmount", 100, 150, "manifest"),
    ]


def test_a_field_never_applied_before_is_a_manifest_edit() -> None:
    desired = [Resource(AD_SET, {"name": "A"}, parent=CAMPAIGN)]
    live = {AD_SET: LiveObject(AD_SET, "2", {"name": "B"})}
    changes, _ = build_changes(desired, {AD_SET: ("2", CAMPAIGN, {})}, live, SCHEMAS)
    assert [f.cause.value for f in changes[0].fields] == ["manifest"]


def test_money_is_what_each_change_does_to_budgets_and_bids() -> None:
    def money(attributes: Any, parent: Any) -> list[Amount]:
        bid = Amount(MoneyKind.BID, attributes["bid"], cost_model=parent.get("model", ""))
        return [Amount(MoneyKind.DAILY_BUDGET, attributes["budget"]), bid]

    schemas = {**SCHEMAS, ("criteo", "ad_set"): KindSchema("ad_set", money=money)}
    new = Address("criteo", "ad_set", ("c", "new"))
    desired = [
        Resource(CAMPAIGN, {"model": "CPC"}),
        Resource(AD_SET, {"budget": 150, "bid": 1.0}, parent=CAMPAIGN),
        Resource(new, {"budget": 50, "bid": 1.0}, parent=CAMPAIGN),
    ]
    state = {
        CAMPAIGN: ("1", None, {"model": "CPC"}),
        AD_SET: ("2", CAMPAIGN, {"budget": 100, "bid": 1.0}),
        OLD: ("3", CAMPAIGN, {"budget": 30, "bid": 2.0}),
    }
    live = {
        CAMPAIGN: LiveObject(CAMPAIGN, "1", {"model": "CPC"}),
        AD_SET: LiveObject(AD_SET, "2", {"budget": 100, "bid": 1.0}),
        OLD: LiveObject(OLD, "3", {"budget": 30, "bid": 2.0}),
    }
    changes, _ = build_changes(desired, state, live, schemas)
    money_of = {
        c.address: [(m.kind.value, m.cost_model, m.before, m.after) for m in c.money] for c in changes
    }
    assert money_of[AD_SET] == [("daily budget", "", 100, 150)]  # the unchanged bid is left out
    assert money_of[new] == [("daily budget", "", 0, 50), ("bid", "CPC", 0, 1.0)]
    assert money_of[OLD] == [("daily budget", "", 30, 0), ("bid", "CPC", 2.0, 0)]


def test_select_keeps_the_targets_and_the_creates_of_their_parents() -> None:
    other = Address("criteo", "ad_set", ("c", "other"))
    desired = [
        Resource(CAMPAIGN, {"name": "C"}),
        Resource(AD_SET, {"name": "A"}, parent=CAMPAIGN),
        Resource(other, {"name": "O"}, parent=CAMPAIGN),
    ]
    changes, _ = build_changes(desired, {}, {}, SCHEMAS)
    assert [c.address for c in select(changes, ["criteo.ad_set.c/a"])] == [CAMPAIGN, AD_SET]
    assert [c.address for c in select(changes, ["criteo.ad_set.*"])] == [CAMPAIGN, AD_SET, other]
    live = {CAMPAIGN: LiveObject(CAMPAIGN, "1", {"name": "C"})}
    existing, _ = build_changes(desired, managed((CAMPAIGN, "1", None)), live, SCHEMAS)
    assert [c.address for c in select(existing, ["criteo.ad_set.c/a"])] == [AD_SET]
