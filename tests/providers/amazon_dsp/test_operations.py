"""Amazon DSP changes → operations (pure): batch limits, inactive creates then `final` activation,
flights in the order delete, update, create, target sets as deletes and posts."""

from __future__ import annotations

import pytest

from reconciler.errors import ValidationFailed
from reconciler.model import Action, Address, Change, FieldChange
from reconciler.plan import build_operations
from reconciler.providers.amazon_dsp import mapping
from reconciler.providers.amazon_dsp.provider import AmazonDspProvider
from reconciler.providers.base import ProviderConfig

SCOPE = {"advertiserId": "520724305968518499"}
CAMPAIGN = Address("amazon_dsp", "campaign", ("q1",))
AD_GROUP = Address("amazon_dsp", "ad_group", ("q1", "display"))
DEVICES = Address("amazon_dsp", "targets", ("q1", "display", "device"))
HERO = Address("amazon_dsp", "creative_association", ("q1", "display", "hero"))
FLIGHT_1 = {
    "startDateTime": "2030-01-01T00:00:00Z",
    "endDateTime": "2030-03-31T23:59:59Z",
    "budgetAmount": 500.0,
}
FLIGHT_2 = {
    "startDateTime": "2030-04-01T00:00:00Z",
    "endDateTime": "2030-06-30T23:59:59Z",
    "budgetAmount": 1000.0,
}
FLIGHT_3 = {
    "startDateTime": "2030-07-01T00:00:00Z",
    "endDateTime": "2030-09-30T23:59:59Z",
    "budgetAmount": 10.0,
}


def provider() -> AmazonDspProvider:
    return AmazonDspProvider(ProviderConfig(base_url="http://sandbox/amazon-dsp"))


def test_a_new_active_tree_is_created_inactive_and_activated_last() -> None:
    changes = [
        Change(
            CAMPAIGN,
            Action.CREATE,
            scope=SCOPE,
            desired={
                "name": "Q1",
                "state": "ACTIVE",
                "flights": [FLIGHT_1],
                "trackedProducts": [
                    {"productId": "B1", "productAssociation": "FEATURED", "domain": "AMAZON_US"}
                ],
            },
        ),
        Change(
            AD_GROUP,
            Action.CREATE,
            parent=CAMPAIGN,
            scope=SCOPE,
            desired={"name": "AG", "inventoryType": "DISPLAY", "state": "ACTIVE"},
        ),
        Change(
            DEVICES,
            Action.CREATE,
            parent=AD_GROUP,
            scope=SCOPE,
            desired={"targets": [{"deviceType": "PHONE", "negative": False}]},
        ),
        Change(HERO, Action.CREATE, parent=AD_GROUP, scope=SCOPE, desired={"creative": "123456789"}),
    ]
    p = provider()
    ops = {op.key: op for op in build_operations(changes, p.operations)}
    assert set(ops) == {
        "create_campaign:amazon_dsp.campaign.q1",
        "add_products:amazon_dsp.campaign.q1",
        "activate_campaign:amazon_dsp.campaign.q1",
        "create_ad_group:amazon_dsp.ad_group.q1/display",
        "activate_ad_group:amazon_dsp.ad_group.q1/display",
        "put_targets:amazon_dsp.targets.q1/display/device",
        "create_association:amazon_dsp.creative_association.q1/display/hero",
    }
    create = ops["create_campaign:amazon_dsp.campaign.q1"]
    assert (
        create.verb.batch_limit == 5
        and create.verb.creates
        and create.payload["advertiserId"] == SCOPE["advertiserId"]
    )
    assert ops["create_ad_group:amazon_dsp.ad_group.q1/display"].verb.batch_limit == 20
    # Created INACTIVE: the create bodies carry no state; the account is the manifest's advertiser.
    campaign_body = mapping.campaign_create_body(create.payload, SCOPE["advertiserId"])
    assert "state" not in campaign_body and campaign_body["advertiserId"] == SCOPE["advertiserId"]
    ad_group_payload = ops["create_ad_group:amazon_dsp.ad_group.q1/display"].payload
    assert "state" not in mapping.ad_group_create_body(ad_group_payload, "campaign-id")
    assert ops["put_targets:amazon_dsp.targets.q1/display/device"].verb.batch_limit == 1000
    assert ops["create_association:amazon_dsp.creative_association.q1/display/hero"].verb.batch_limit == 20
    activate = ops["activate_campaign:amazon_dsp.campaign.q1"]
    assert activate.verb.final
    assert set(activate.after) == {k for k, op in ops.items() if not op.verb.final}
    assert set(ops["activate_ad_group:amazon_dsp.ad_group.q1/display"].after) == {
        "create_ad_group:amazon_dsp.ad_group.q1/display",
        "put_targets:amazon_dsp.targets.q1/display/device",
        "create_association:amazon_dsp.creative_association.q1/display/hero",
    }


def test_flight_edits_delete_then_update_then_create() -> None:
    change = Change(
        CAMPAIGN,
        Action.UPDATE,
        id="1",
        scope=SCOPE,
        fields=[FieldChange("flights", [FLIGHT_1, FLIGHT_2], [FLIGHT_1 | {"budgetAmount": 600.0}, FLIGHT_3])],
        desired={"flights": [FLIGHT_1 | {"budgetAmount": 600.0}, FLIGHT_3]},
    )
    ops = provider().operations(change)
    assert [op.verb.name for op in ops] == ["delete_flights", "update_flights", "create_flights"]
    assert ops[0].payload["starts"] == [FLIGHT_2["startDateTime"]]
    assert ops[1].payload["flights"] == [FLIGHT_1 | {"budgetAmount": 600.0}]
    assert ops[1].after == [ops[0].key]
    assert ops[2].payload["flights"] == [FLIGHT_3]
    assert ops[2].after == [ops[0].key, ops[1].key]


def link(definition: str, optimized: bool = False) -> dict[str, object]:
    return {"conversionDefinitionId": definition, "isOptimized": optimized}


def test_conversion_definitions_are_added_and_removed_in_one_call() -> None:
    """REMOVE what is no longer listed, ADD what is new or whose isOptimized changed; nothing else."""
    old = [link("1"), link("2", True), link("3")]
    new = [link("2"), link("3"), link("4", True)]
    change = Change(
        CAMPAIGN,
        Action.UPDATE,
        id="9",
        scope=SCOPE,
        fields=[FieldChange("conversionDefinitions", old, new)],
        desired={"conversionDefinitions": new, "state": "ACTIVE"},
    )
    [op] = provider().operations(change)
    assert op.verb.name == "set_conversions" and not op.verb.final
    assert op.payload["changes"] == [
        {"conversionDefinitionId": "1", "operation": "REMOVE"},
        {"conversionDefinitionId": "2", "operation": "ADD", "isOptimized": False},
        {"conversionDefinitionId": "4", "operation": "ADD", "isOptimized": True},
    ]


def test_a_new_campaigns_conversion_definitions_follow_its_create_and_precede_its_activation() -> None:
    desired = {"name": "Q1", "state": "ACTIVE", "flights": [FLIGHT_1], "conversionDefinitions": [link("7")]}
    ops = provider().operations(Change(CAMPAIGN, Action.CREATE, scope=SCOPE, desired=desired))
    assert [op.verb.name for op in ops] == ["create_campaign", "set_conversions", "activate_campaign"]
    assert ops[1].after == [ops[0].key] and ops[2].verb.final
    assert "conversionDefinitions" not in mapping.campaign_create_body(ops[0].payload, "1")
    assert ops[1].payload["changes"] == [
        {"conversionDefinitionId": "7", "operation": "ADD", "isOptimized": False}
    ]


def test_deleting_a_started_flight_is_a_plan_error() -> None:
    started = FLIGHT_1 | {"startDateTime": "2020-01-01T00:00:00Z"}
    change = Change(
        CAMPAIGN,
        Action.UPDATE,
        id="1",
        scope=SCOPE,
        fields=[FieldChange("flights", [started, FLIGHT_2], [FLIGHT_2])],
        desired={"flights": [FLIGHT_2]},
    )
    with pytest.raises(ValidationFailed) as failed:
        provider().operations(change)
    assert "2020-01-01T00:00:00Z has started" in str(failed.value.diagnostics[0])


def test_target_set_update_deletes_what_is_not_listed_and_posts_the_rest() -> None:
    live = [{"deviceType": d, "negative": False} for d in ("DESKTOP", "PHONE", "TABLET")]
    desired = [{"deviceType": "CONNECTED_TV", "negative": False}, {"deviceType": "PHONE", "negative": False}]
    change = Change(
        DEVICES,
        Action.UPDATE,
        id="9/DEVICE",
        parent=AD_GROUP,
        scope=SCOPE,
        fields=[FieldChange("targets", live, desired)],
        desired={"targets": desired},
    )
    [op] = provider().operations(change)
    assert op.verb.name == "replace_targets" and not op.verb.creates
    assert op.payload["delete"] == [live[0], live[2]]
    assert op.payload["add"] == [desired[0]]


def test_retirements_and_state_changes() -> None:
    p = provider()
    [retire] = p.operations(Change(AD_GROUP, Action.RETIRE, id="9", parent=CAMPAIGN))
    assert retire.verb.name == "retire_ad_group" and retire.verb.forgets
    [delete] = p.operations(Change(HERO, Action.RETIRE, id="9/123456789", parent=AD_GROUP))
    assert delete.verb.name == "delete_association" and delete.verb.forgets
    p.operations(
        Change(
            CAMPAIGN,
            Action.UPDATE,
            id="1",
            scope=SCOPE,
            desired={"name": "x"},
            fields=[FieldChange("name", "y", "x")],
        )
    )
    [retire_campaign] = p.operations(Change(CAMPAIGN, Action.RETIRE, id="1"))
    assert retire_campaign.payload["advertiserId"] == SCOPE["advertiserId"]
    ops = p.operations(
        Change(
            CAMPAIGN,
            Action.UPDATE,
            id="1",
            scope=SCOPE,
            desired={"state": "ACTIVE", "comments": "c"},
            fields=[FieldChange("comments", None, "c"), FieldChange("state", "INACTIVE", "ACTIVE")],
        )
    )
    assert [(op.verb.name, op.verb.final) for op in ops] == [
        ("patch_campaign", False),
        ("activate_campaign", True),
    ]
    assert ops[0].payload == {"comments": "c", "advertiserId": SCOPE["advertiserId"]}
