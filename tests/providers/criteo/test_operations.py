"""The operations a change becomes (pure): verbs, batch limits, ordering, ids and payloads."""

from __future__ import annotations

from reconciler.model import Action, Change, FieldChange
from reconciler.providers.base import ProviderConfig
from reconciler.providers.criteo.provider import CriteoProvider
from tests.providers.criteo.helpers import AD_SET, CAMPAIGN, ad_set_attributes, campaign_attributes

PROVIDER = CriteoProvider(ProviderConfig(base_url=""))


def test_kinds() -> None:
    kinds = PROVIDER.kinds()
    assert kinds["campaign"].immutable == {"name", "goal"}
    assert "cannot be stopped or deleted" in kinds["campaign"].retire_note
    assert kinds["ad_set"].immutable == {
        "objective",
        "mediaType",
        "datasetId",
        "trackingCode",
        "bidding.costController",
    }
    assert kinds["ad_set"].write_only == {"trackingCode"}
    assert kinds["ad_set"].retire_note == "retire (stop: Criteo has no delete)"


def test_create_campaign() -> None:
    change = Change(CAMPAIGN, Action.CREATE, scope={"advertiserId": "12345"}, desired=campaign_attributes())
    [op] = PROVIDER.operations(change)
    assert (op.key, op.verb.name, op.verb.batch_limit, op.verb.creates) == (
        f"create_campaign:{CAMPAIGN}",
        "create_campaign",
        1,
        True,
    )
    assert op.payload == {**campaign_attributes(), "advertiserId": "12345"}


def test_create_ad_set_links_audience_then_starts() -> None:
    change = Change(AD_SET, Action.CREATE, parent=CAMPAIGN, desired=ad_set_attributes())
    create, link, start = PROVIDER.operations(change)
    assert (create.verb.name, create.verb.batch_limit, create.verb.creates, create.refs) == (
        "create_ad_set",
        1,
        True,
        {"campaignId": CAMPAIGN},
    )
    assert (link.verb.name, link.payload, link.after) == ("link_audience", {"audience": "9876"}, [create.key])
    assert (start.verb.name, start.verb.batch_limit, start.after) == (
        "start_ad_set",
        50,
        [create.key, link.key],
    )
    assert len({create.key, link.key, start.key}) == 3


def test_create_ad_set_in_existing_campaign_without_audience_or_activation() -> None:
    desired = {**ad_set_attributes(), "activation": "off", "audience": None}
    change = Change(AD_SET, Action.CREATE, scope={"campaignId": "358313"}, desired=desired)
    [create] = PROVIDER.operations(change)
    assert create.refs == {} and create.payload["campaignId"] == "358313"


def test_update_patches_changed_fields_and_switches_activation() -> None:
    desired = {**ad_set_attributes(), "activation": "off", "audience": "9877"}
    desired["bidding"]["bidAmount"] = 0.5
    change = Change(
        AD_SET,
        Action.UPDATE,
        id="1001",
        parent=CAMPAIGN,
        fields=[
            FieldChange("activation", "on", "off"),
            FieldChange("audience", "9876", "9877"),
            FieldChange("bidding.bidAmount", 0.12, 0.5),
        ],
        desired=desired,
    )
    patch, link, stop = PROVIDER.operations(change)
    assert (patch.verb.name, patch.id, patch.verb.batch_limit, patch.payload) == (
        "patch_ad_set",
        "1001",
        50,
        {"bidding": {"bidAmount": 0.5}},
    )
    assert (link.verb.name, link.id, link.payload) == ("link_audience", "1001", {"audience": "9877"})
    assert (stop.verb.name, stop.id, stop.verb.batch_limit, stop.after) == ("stop_ad_set", "1001", 50, [])


def test_update_activation_on_starts_after_patch() -> None:
    desired = ad_set_attributes()
    change = Change(
        AD_SET,
        Action.UPDATE,
        id="1001",
        fields=[FieldChange("activation", "off", "on"), FieldChange("name", "old", desired["name"])],
        desired=desired,
    )
    patch, start = PROVIDER.operations(change)
    assert patch.payload == {"name": "FR retargeting"}
    assert start.verb.name == "start_ad_set" and start.after == [patch.key]


def test_update_campaign() -> None:
    desired = campaign_attributes()
    change = Change(
        CAMPAIGN,
        Action.UPDATE,
        id="358313",
        fields=[FieldChange("spendLimit.spendLimitAmount", 10, 5000)],
        desired=desired,
    )
    [op] = PROVIDER.operations(change)
    assert (op.verb.name, op.id, op.verb.batch_limit) == ("patch_campaign", "358313", 50)
    assert op.payload == {"spendLimit": desired["spendLimit"]}


def test_retirements() -> None:
    [stop] = PROVIDER.operations(Change(AD_SET, Action.RETIRE, id="1001", parent=CAMPAIGN))
    assert (stop.verb.name, stop.id, stop.verb.forgets, stop.verb.batch_limit) == (
        "retire_ad_set",
        "1001",
        True,
        50,
    )
    [forget] = PROVIDER.operations(Change(CAMPAIGN, Action.RETIRE, id="358313"))
    assert (forget.verb.name, forget.id, forget.verb.forgets, forget.verb.creates) == (
        "forget_campaign",
        "358313",
        True,
        False,
    )
