"""The diff: owned fields only, normalised numbers, dates and sets, write-only and immutable fields."""

from __future__ import annotations

from reconciler.diff import compare, diff_resource, with_ignored, with_released
from reconciler.model import Address, FieldChange, KindSchema, LiveObject, Resource, SourceLocation

ADDRESS = Address("criteo", "ad_set", ("c", "a"))
SCHEMA = KindSchema(
    "ad_set",
    immutable=frozenset({"objective", "bidding.costController"}),
    write_only=frozenset({"trackingCode"}),
)


def test_only_owned_fields_are_compared() -> None:
    desired = {"bidding": {"bidAmount": 0.5}}
    live = {"bidding": {"bidAmount": 0.5, "costController": "COS"}, "deliveryStatus": "live"}
    assert compare(desired, live) == []


def test_numbers_compare_at_four_decimals_and_dates_as_instants() -> None:
    desired = {"bid": 0.123449, "start": "2027-06-01T02:00:00+02:00"}
    live = {"bid": 0.1234, "start": "2027-06-01T00:00:00Z"}
    assert compare(desired, live) == []
    assert compare({"bid": 0.1235}, {"bid": 0.1234}) == [FieldChange("bid", 0.1234, 0.1235)]


def test_lists_are_sets() -> None:
    assert compare({"values": ["DE", "AT"]}, {"values": ["AT", "DE"]}) == []
    assert compare({"values": ["DE"]}, {"values": ["AT", "DE"]}) == [
        FieldChange("values", ["AT", "DE"], ["DE"])
    ]


def test_null_against_a_value_is_a_change() -> None:
    assert compare(
        {"geo": {"zipCodes": None}}, {"geo": {"zipCodes": {"operand": "in", "values": ["1"]}}}
    ) == [FieldChange("geo.zipCodes", {"operand": "in", "values": ["1"]}, None)]


def test_write_only_fields_compare_with_the_last_applied_value() -> None:
    resource = Resource(ADDRESS, {"trackingCode": "b", "name": "n"})
    live = LiveObject(ADDRESS, "1", {"name": "n"})
    changes, _ = diff_resource(
        resource, live, {"trackingCode": "a"}, KindSchema("ad_set", write_only=frozenset({"trackingCode"}))
    )
    assert changes == [FieldChange("trackingCode", "a", "b")]
    unchanged, _ = diff_resource(resource, live, {"trackingCode": "b"}, SCHEMA)
    assert unchanged == []


def test_immutable_change_is_an_error_located_at_the_field() -> None:
    resource = Resource(
        ADDRESS,
        {"objective": "clicks", "bidding": {"costController": "CPM", "bidAmount": 1}},
        locations={"objective": SourceLocation("m.yaml", 7, 9), "": SourceLocation("m.yaml", 3, 5)},
    )
    live = LiveObject(
        ADDRESS, "1", {"objective": "conversions", "bidding": {"costController": "COS", "bidAmount": 1}}
    )
    changes, errors = diff_resource(resource, live, {}, SCHEMA)
    assert [c.path for c in changes] == ["bidding.costController", "objective"]
    assert [(e.field, e.line) for e in errors] == [("bidding.costController", 3), ("objective", 7)]
    assert "cannot be changed after creation" in errors[1].message


def test_released_fields_go_back_to_their_default_only_when_they_were_applied() -> None:
    schema = KindSchema("ad_set", released={"geo.zipCodes": None, "audience": None})
    desired = {"geo": {"countries": ["FR"]}}
    applied = {"geo": {"countries": ["FR"], "zipCodes": {"operand": "in", "values": ["1"]}}}
    assert with_released(desired, applied, schema) == {"geo": {"countries": ["FR"], "zipCodes": None}}
    assert desired == {"geo": {"countries": ["FR"]}}, "the resource's own attributes are not modified"
    assert with_released(desired, {"geo": {"countries": ["FR"]}}, schema) is desired


def test_ignored_fields_take_the_live_value_and_say_where_they_differ() -> None:
    desired = {"bidding": {"bidAmount": 0.15, "costController": "maxCPC"}, "name": "FR"}
    live = {"bidding": {"bidAmount": 0.12, "costController": "maxCPC"}, "name": "FR"}
    kept, differ = with_ignored(desired, live, ["bidding.bidAmount"])
    assert kept == live and compare(kept, live) == []
    assert differ == [FieldChange("bidding.bidAmount", 0.12, 0.15)]
    assert desired["bidding"]["bidAmount"] == 0.15, "the resource's own attributes are left as they are"
    assert with_ignored(desired, desired, ["bidding.bidAmount"]) == (desired, [])


def test_ignored_list_items_are_matched_by_their_first_field() -> None:
    desired = {
        "countries": [
            {"country": "gb", "bid": 2.1, "budget": 400},
            {"country": "us", "bid": 2.9, "budget": 1100},
            {"country": "fr", "bid": 1.0, "budget": 50},
        ]
    }
    live = {
        "countries": [
            {"country": "us", "bid": 3.3, "budget": 1000},
            {"country": "gb", "bid": 2.1, "budget": 400},
        ]
    }
    kept, differ = with_ignored(desired, live, ["countries.*.bid"])
    # the optimizer's bid stays, the budget edit goes through, a new country is created with its bid
    assert kept["countries"] == [
        {"country": "gb", "bid": 2.1, "budget": 400},
        {"country": "us", "bid": 3.3, "budget": 1100},
        {"country": "fr", "bid": 1.0, "budget": 50},
    ]
    assert differ == [FieldChange("countries.us.bid", 3.3, 2.9)]
    named, _ = with_ignored(desired, live, ["countries.US.bid"])
    assert named == kept


def test_an_ignored_field_the_platform_does_not_return_is_neither_compared_nor_sent() -> None:
    kept, differ = with_ignored(
        {"trackingCode": "x", "name": "FR"}, {"name": "FR"}, ["trackingCode", "nothing.here"]
    )
    assert (kept, differ) == ({"name": "FR"}, [])
    overrides = {"overrides": {"app:us": {"bid_value": 3.0}, "app:gb": {"bid_value": 1.0}}}
    kept, differ = with_ignored(overrides, {"overrides": {"app:us": {"bid_value": 4.0}}}, ["overrides.*"])
    assert kept == {"overrides": {"app:us": {"bid_value": 4.0}}}
    assert differ == [FieldChange("overrides.app:us", {"bid_value": 4.0}, {"bid_value": 3.0})]
