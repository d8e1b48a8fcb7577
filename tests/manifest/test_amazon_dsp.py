"""The Amazon DSP manifest: canonical resources, addresses, parents, scopes and locations of a valid file;
located schema errors (read-only fields, unsupported inventory types, enums, ids or names)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reconciler.manifest import load_project
from reconciler.manifest.schema_export import manifest_schema
from reconciler.model import Address, Resource
from tests.manifest.amazon_dsp_helpers import FILE, VALID, amazon_project, edit
from tests.manifest.helpers import errors_of, line_of, only


def resources(tmp_path: Path, text: str = VALID) -> dict[str, Resource]:
    return {str(r.address): r for r in load_project(amazon_project(tmp_path, text)).resources}


def test_addresses_parents_and_scope(tmp_path: Path) -> None:
    found = resources(tmp_path)
    assert list(found) == [
        "amazon_dsp.campaign.q1",
        "amazon_dsp.ad_group.q1/display",
        "amazon_dsp.targets.q1/display/domain",
        "amazon_dsp.targets.q1/display/location",
        "amazon_dsp.targets.q1/display/audience",
        "amazon_dsp.targets.q1/display/device",
        "amazon_dsp.targets.q1/display/dayPart",
        "amazon_dsp.creative_association.q1/display/hero",
        "amazon_dsp.creative_association.q1/display/banner",
    ]
    campaign = Address("amazon_dsp", "campaign", ("q1",))
    ad_group = Address("amazon_dsp", "ad_group", ("q1", "display"))
    assert found["amazon_dsp.campaign.q1"].parent is None
    assert found["amazon_dsp.ad_group.q1/display"].parent == campaign
    assert all(r.parent == ad_group for a, r in found.items() if a.count("/") == 2)
    assert {r.scope["advertiserId"] for r in found.values()} == {"520724305968518499"}


def test_campaign_is_canonical(tmp_path: Path) -> None:
    attributes = resources(tmp_path)["amazon_dsp.campaign.q1"].attributes
    assert attributes == {
        "name": "My Q1 Test Campaign",
        "optimization": {
            "bidStrategy": "SPEND_BUDGET_IN_FULL",
            "automateBudgetAllocation": False,
            "goalSetting": {"kpi": "CLICK_THROUGH_RATE", "targetKpi": 0.1},
        },
        # flights in order of start, whatever the order written
        "flights": [
            {
                "startDateTime": "2030-01-01T00:00:00Z",
                "endDateTime": "2030-03-31T23:59:59Z",
                "budgetAmount": 500,
            },
            {
                "startDateTime": "2030-04-01T00:00:00Z",
                "endDateTime": "2030-06-30T23:59:59Z",
                "budgetAmount": 1000,
            },
        ],
        "frequencies": [{"frequencyType": "UNCAPPED"}],
        "budgetCaps": [{"recurrenceTimePeriod": "DAILY", "amount": 100}],
        "fees": [{"feeType": "AGENCY", "feeValue": 10, "feeValueType": "PERCENTAGE"}],
        "purchaseOrderNumber": "PO-1",
        "comments": "launch",
        "state": "ACTIVE",
        "trackedProducts": [
            {"productId": "B003E1OUKS", "productAssociation": "FEATURED", "domain": "AMAZON_US"},
            {
                "productId": "B09D36CVP1",
                "productAssociation": "FEATURED_WITH_VARIATION",
                "domain": "AMAZON_US",
            },
        ],
    }


def test_ad_group_targets_and_creatives_are_canonical(tmp_path: Path) -> None:
    found = resources(tmp_path)
    ad_group = found["amazon_dsp.ad_group.q1/display"].attributes
    assert ad_group["inventoryType"] == "DISPLAY"  # any letter case in, upper case out
    assert ad_group["advertisedProductCategoryIds"] == ["304669741353807342", {"name": "Electronics"}]
    assert "targets" not in ad_group and "creatives" not in ad_group
    assert found["amazon_dsp.targets.q1/display/domain"].attributes == {
        "targets": [
            {
                "negative": True,
                "domainTargetDetails": {
                    "domainName": {"domainName": "www.nytimes.com", "domainTargetType": "DOMAIN_NAME"}
                },
            }
        ]
    }
    assert found["amazon_dsp.targets.q1/display/audience"].attributes["targets"] == [
        {"audienceId": "365849257058325086", "groupId": "1", "negative": False},
        {"audienceId": "378970165887759667", "groupId": "3", "negative": True},  # a number becomes text
    ]
    assert found["amazon_dsp.targets.q1/display/device"].attributes["targets"] == [
        {"deviceType": "DESKTOP", "negative": False},
        {"deviceType": "PHONE", "negative": False},
    ]
    assert found["amazon_dsp.targets.q1/display/location"].attributes["targets"][1] == {
        "geoLocation": {"name": "New York"},
        "negative": False,
    }
    assert found["amazon_dsp.creative_association.q1/display/hero"].attributes == {
        "creative": "123456789",
        "weight": 10,
        "state": "ACTIVE",
        "startDate": "2030-01-02T00:00:00Z",
        "endDate": "2030-01-30T00:00:00Z",
    }
    assert found["amazon_dsp.creative_association.q1/display/banner"].attributes == {
        "creative": {"name": "Spring banner"}
    }


def test_written_order_of_sets_does_not_matter(tmp_path: Path) -> None:
    swapped = edit(
        "            - deviceType: PHONE\n            - deviceType: desktop\n",
        "            - deviceType: desktop\n            - deviceType: PHONE\n",
    )
    first = resources(tmp_path / "a")
    second = resources(tmp_path / "b", swapped)
    assert [r.attributes for r in first.values()] == [r.attributes for r in second.values()]


def test_locations_follow_the_canonical_order(tmp_path: Path) -> None:
    found = resources(tmp_path)
    campaign = found["amazon_dsp.campaign.q1"]
    # the flight starting 2030-01-01 was written second, and is first in canonical order
    assert campaign.location("flights.0.endDateTime").line == line_of(VALID, "endDateTime: 2030-03-31")
    assert campaign.location("flights.1.budgetAmount").line == line_of(VALID, "budgetAmount: 1000")
    device = found["amazon_dsp.targets.q1/display/device"]
    assert device.location("").line == line_of(VALID, "device:")
    assert device.location("targets.0.deviceType").line == line_of(VALID, "deviceType: desktop")
    hero = found["amazon_dsp.creative_association.q1/display/hero"]
    assert hero.location("weight").line == line_of(VALID, "weight: 10")


def test_an_empty_target_list_owns_the_type(tmp_path: Path) -> None:
    text = edit(
        "          dayPart:\n            - {dayOfWeek: MONDAY, hourOfDay: 9}\n", "          dayPart: []\n"
    )
    assert resources(tmp_path, text)["amazon_dsp.targets.q1/display/dayPart"].attributes == {"targets": []}


@pytest.mark.parametrize(
    ("old", "new", "field", "words", "at"),
    [
        (
            "targetKpi: 0.1}",
            "targetKpi: 0.1, goal: CONSIDERATION}",
            "goalSetting.goal",
            "`goal` is read-only",
            "goal: CONSIDERATION",
        ),
        (
            "    name: My Q1 Test Campaign\n",
            "    name: My Q1 Test Campaign\n    goal: AWARENESS\n",
            "0.goal",
            "read-only",
            "goal: AWARENESS",
        ),
        (
            "automateBudgetAllocation: false}",
            "automateBudgetAllocation: false, automateBidAllocation: true}",
            "optimization.automateBidAllocation",
            "`automateBidAllocation` is read-only",
            "automateBidAllocation: true",
        ),
    ],
)
def test_read_only_fields_are_errors_that_say_so(
    tmp_path: Path, old: str, new: str, field: str, words: str, at: str
) -> None:
    text = edit(old, new)
    d = only(errors_of(amazon_project(tmp_path, text)))
    assert d.field.endswith(field) and words in d.message and "remove it" in d.message
    assert d.file == FILE and d.line == line_of(text, at)


@pytest.mark.parametrize("kind", ["AUDIO", "podcast", "DOOH"])
def test_unsupported_inventory_types(tmp_path: Path, kind: str) -> None:
    text = edit("inventoryType: display", f"inventoryType: {kind}")
    d = only(errors_of(amazon_project(tmp_path, text)))
    assert d.field.endswith("inventoryType") and "not supported by the Amazon DSP API" in d.message
    assert d.line == line_of(text, "inventoryType:")


def test_enum_values_are_checked_with_a_suggestion(tmp_path: Path) -> None:
    text = edit("kpi: CLICK_THROUGH_RATE", "kpi: CLICK_THRU_RATE")
    d = only(errors_of(amazon_project(tmp_path, text)))
    assert d.field.endswith("goalSetting.kpi") and "did you mean `CLICK_THROUGH_RATE`" in d.message
    assert "REACH" in d.hint


def test_unknown_target_type_names_the_allowed_ones(tmp_path: Path) -> None:
    text = edit("          dayPart:\n", "          daypart:\n")
    d = only(errors_of(amazon_project(tmp_path, text)))
    assert "unknown field `daypart`" in d.message and "did you mean `dayPart`" in d.message
    assert d.line == line_of(text, "daypart:")


def test_ids_or_names(tmp_path: Path) -> None:
    text = edit("creative: {name: Spring banner}", "creative: {title: Spring banner}")
    d = only(errors_of(amazon_project(tmp_path, text)))
    assert d.field.endswith("creatives.1.creative") and "`title`" in d.message
    assert d.line == line_of(text, "creative: {title")


def test_schema_errors_and_rules_of_other_entries_are_reported_together(tmp_path: Path) -> None:
    from reconciler.errors import ValidationFailed
    from reconciler.providers.amazon_dsp import rules

    text = edit("inventoryType: display", "inventoryType: AUDIO")
    second = VALID.replace("key: q1", "key: q2").replace("weight: 10", "weight: 0")
    root = amazon_project(tmp_path, text)
    (root / "campaigns" / "q2.yaml").write_text(second)
    with pytest.raises(ValidationFailed) as failed:
        load_project(root, check=rules.validate)
    messages = [str(d) for d in failed.value.diagnostics]
    assert any("AUDIO" in m and m.startswith(FILE) for m in messages)
    assert any("weight is 1 to 999" in m and m.startswith("campaigns/q2.yaml") for m in messages)


def test_json_schema_describes_the_amazon_manifest() -> None:
    schema = manifest_schema()
    text = str(schema)
    assert "amazon_dsp" in text
    defs = schema["$defs"]
    assert "CLICK_THROUGH_RATE" in str(defs["GoalSetting"])
    assert defs["AdGroupTargets"]["properties"]["audience"]["description"].startswith("Audience targets")
    assert "read-only" in str(defs["GoalSetting"]["properties"]["goal"])
