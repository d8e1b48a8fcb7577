"""AppLovin changes → operations (pure): only what changed is sent, in the shapes the guide documents."""

from __future__ import annotations

from reconciler.model import Action, Address, Change, FieldChange, LiveObject, Resource, Severity
from reconciler.providers.applovin import mapping
from reconciler.providers.applovin.provider import AppLovinProvider
from reconciler.providers.base import ProviderConfig


class _NoTokens:
    async def token(self) -> str:
        raise AssertionError("no request expected")

    async def refreshed(self) -> str:
        raise AssertionError("no request expected")


def provider() -> AppLovinProvider:
    return AppLovinProvider(ProviderConfig(base_url="http://nowhere"), tokens=_NoTokens())


CAMPAIGN = Address("applovin", "campaign", ("ua",))


def row(country: str, bid: float | None = None, budget: float | None = None) -> dict[str, object]:
    return {"country": country, "bid": bid, "budget": budget, "click_url": None, "impression_url": None}


def test_a_removed_country_is_disabled_and_an_added_one_is_the_only_one_sent() -> None:
    old = [row("gb", 2.0, 100), row("us", 3.0, 500)]
    new = [row("fr", 1.0, 50), row("us", 3.0, 500)]
    change = Change(
        Address("applovin", "targets", ("ua",)),
        Action.UPDATE,
        id="c1",
        parent=CAMPAIGN,
        fields=[FieldChange("countries", old, new)],
        desired={"countries": new, "device_types": ["phone"]},
    )
    [op] = provider().operations(change)
    assert op.verb.name == "update_targets" and op.id == "c1"
    assert op.payload == {
        "countries": [{"country": "fr", "bid": 1.0, "budget": 50}, {"country": "gb", "disabled": True}]
    }


def test_a_changed_bid_sends_that_country_whole() -> None:
    old = [row("us", 3.0, 500)]
    new = [row("us", 3.5, 500)]
    change = Change(
        Address("applovin", "targets", ("ua",)),
        Action.UPDATE,
        id="c1",
        fields=[FieldChange("countries", old, new)],
        desired={"countries": new},
    )
    [op] = provider().operations(change)
    assert op.payload == {"countries": [{"country": "us", "bid": 3.5, "budget": 500}]}


def test_source_bids_send_changed_rows_and_clear_removed_ones_to_default() -> None:
    desired = {"overrides": {"a1:us": {"bid_value": 2.0}, "a2:gb": {"bid_override_percentage": 10}}}
    desired["keys"] = sorted(desired["overrides"])
    change = Change(
        Address("applovin", "source_bids", ("ua",)),
        Action.UPDATE,
        id="c1",
        fields=[
            FieldChange("keys", ["a1:us", "a2:gb", "a3:de"], ["a1:us", "a2:gb"]),
            FieldChange("overrides.a1:us.bid_value", 1.5, 2.0),
        ],
        desired=desired,
    )
    [op] = provider().operations(change)
    assert op.payload["rows"] == [
        {"app_id": "a1", "country": "us", "bid_value": 2.0, "bid_override_percentage": "default"},
        {"app_id": "a3", "country": "de", "bid_value": "default", "bid_override_percentage": "default"},
    ]


def test_source_bids_read_drops_cleared_rows() -> None:
    rows = [
        {"app_id": "a1", "country": "US", "bid_value": "1.5", "bid_override_percentage": "default"},
        {"app_id": "a2", "country": "gb", "bid_value": "default", "bid_override_percentage": "default"},
    ]
    assert mapping.source_bids_from_wire(rows) == {
        "overrides": {"a1:us": {"bid_value": 1.5}},
        "keys": ["a1:us"],
    }


def test_a_new_campaign_is_one_call_carrying_its_status() -> None:
    change = Change(CAMPAIGN, Action.CREATE, desired={"name": "UA", "platform": "ios", "status": True})
    [create] = provider().operations(change)
    assert create.verb.creates and create.verb.name == "create_campaign"
    assert create.payload == {"name": "UA", "platform": "ios", "status": True}


def test_a_new_creative_set_is_one_call_carrying_its_sizes_and_later_switches_use_sizes() -> None:
    address = Address("applovin", "creative_set", ("ua", "s"))
    desired = {"name": "Set", "languages": ["en"], "sizes": {"INTER": True, "BANNER": False}}
    [create] = provider().operations(Change(address, Action.CREATE, parent=CAMPAIGN, desired=desired))
    assert create.verb.name == "create_creative_set" and create.refs == {"campaign": CAMPAIGN}
    assert create.payload == {"name": "Set", "languages": ["en"], "sizes": {"INTER": True, "BANNER": False}}
    later = {**desired, "sizes": {"INTER": True, "BANNER": True}}
    change = Change(
        address, Action.UPDATE, id="c1/s1", desired=later, fields=[FieldChange("sizes.BANNER", False, True)]
    )
    [sizes] = provider().operations(change)
    assert sizes.verb.name == "post_sizes" and sizes.payload == {"BANNER": True}


def test_retiring_sets_status_false_or_disables_sizes() -> None:
    p = provider()
    [op] = p.operations(Change(CAMPAIGN, Action.RETIRE, id="c1"))
    assert op.verb.name == "retire_campaign" and op.verb.forgets
    [op] = p.operations(Change(Address("applovin", "creative_set", ("ua", "s")), Action.RETIRE, id="c1/s1"))
    assert op.verb.name == "retire_creative_set"
    [op] = p.operations(Change(Address("applovin", "targets", ("ua",)), Action.RETIRE, id="c1"))
    assert op.verb.name == "forget"


def test_a_changed_file_re_uploads_that_asset_with_update() -> None:
    address = Address("applovin", "asset", ("ua", "s", "IMG_INTER_P"))
    change = Change(
        address,
        Action.UPDATE,
        id="c1/s1/IMG_INTER_P",
        parent=Address("applovin", "creative_set", ("ua", "s")),
        scope={"type": "IMG_INTER_P", "file": "campaigns/p.png"},
        fields=[FieldChange("content", "sha256:aa", "sha256:bb")],
        desired={"content": "sha256:bb"},
    )
    [op] = provider().operations(change)
    assert op.verb.name == "replace_asset"
    assert op.payload == {
        "type": "IMG_INTER_P",
        "content": "sha256:bb",
        "file": "campaigns/p.png",
        "update": True,
    }


def test_natural_ids_of_platform_made_objects() -> None:
    p = provider()
    ad = Resource(Address("applovin", "ad", ("ua", "s", "a")), {"size": "INTER", "template": "Standard"})
    assert p.natural_id(ad, "c1/s1") == "c1/s1/INTER/Standard"
    targets = Resource(Address("applovin", "targets", ("ua",)), {"countries": []})
    assert p.natural_id(targets, "c1") == "c1"
    assert p.natural_id(targets, None) is None


def test_assets_in_error_are_plan_warnings() -> None:
    address = Address("applovin", "asset", ("ua", "s", "VID_SHORT_P"))
    live = {address: LiveObject(address, "c1/s1/VID_SHORT_P", {"status": "error", "message": "bad codec"})}
    [notice] = provider().notices(live)
    assert notice.severity == Severity.WARNING and "bad codec" in str(notice) and str(address) in str(notice)


def test_expected_templates_follow_the_guide_table() -> None:
    held = ["IMG_INTER_P", "IMG_INTER_L", "VID_SHORT_P"]
    assert mapping.expected_templates(held) == [("INTER", "Portrait — Under 15s"), ("INTER", "Standard")]


def test_moving_the_values_into_default_clears_each_country_s_own() -> None:
    """The guide: "the bid, budget, and URL values should either be in the DEFAULT object or in each
    country-specific object": moving them into DEFAULT sends each country's values cleared (null) in the
    same request, so the countries do not keep theirs (the targets POST keeps fields it is not sent)."""
    old = [row("gb", 2.0, 100), {**row("us", 3.0, 500), "click_url": "https://t.example/c"}]
    new = [row("DEFAULT", 2.5, 600), row("gb"), row("us")]
    change = Change(
        Address("applovin", "targets", ("ua",)),
        Action.UPDATE,
        id="c1",
        fields=[FieldChange("countries", old, new)],
        desired={"countries": new},
    )
    [op] = provider().operations(change)
    assert op.payload == {
        "countries": [
            {"country": "DEFAULT", "bid": 2.5, "budget": 600},
            {"country": "gb", "bid": None, "budget": None},
            {"country": "us", "bid": None, "budget": None, "click_url": None},
        ]
    }
