"""Bad inputs give Diagnostics with the right file, line, column, field, a useful message and a hint."""

from __future__ import annotations

from pathlib import Path

import pytest

from reconciler.errors import ValidationFailed
from reconciler.manifest import load_project
from reconciler.model import Severity

from .helpers import VALID, errors_of, line_of, only, write_project

FILE = "campaigns/summer.yaml"
AD_SET = "campaigns.0.adSets.0"


def check(tmp_path: Path, text: str) -> list:
    return errors_of(write_project(tmp_path, {FILE: text}))


def test_unknown_field_suggests_the_close_match(tmp_path: Path) -> None:
    text = VALID.replace("bidAmount: 0.12345", "bidamount: 0.12345")
    d = only(check(tmp_path, text))
    assert (d.file, d.line, d.field) == (FILE, line_of(text, "bidamount"), f"{AD_SET}.bidding.bidamount")
    assert d.column == text.splitlines()[d.line - 1].index("bidamount") + 1
    assert d.message == "unknown field `bidamount`; did you mean `bidAmount`?"
    assert "allowed fields: costController, bidAmount" in d.hint
    assert d.severity == Severity.ERROR


def test_wrong_type(tmp_path: Path) -> None:
    text = VALID.replace("bidAmount: 0.12345", "bidAmount: abc")
    d = only(check(tmp_path, text))
    assert (d.line, d.field) == (line_of(text, "bidAmount: abc"), f"{AD_SET}.bidding.bidAmount")
    assert d.column == text.splitlines()[d.line - 1].index("abc") + 1
    assert d.message == "expected a number, got 'abc'"
    assert "number" in d.hint


def test_whole_number_and_string_types(tmp_path: Path) -> None:
    text = VALID.replace("maximumImpressions: 3", "maximumImpressions: 2.5").replace(
        "name: FR retargeting", "name: [a, b]"
    )
    found = {d.field: d for d in check(tmp_path, text)}
    assert found[f"{AD_SET}.targeting.frequencyCapping.maximumImpressions"].message == (
        "expected a whole number, got 2.5"
    )
    assert found[f"{AD_SET}.name"].message == "expected a string, got a list"


def test_missing_required_field(tmp_path: Path) -> None:
    text = VALID.replace("        trackingCode: utm_source=criteo\n", "")
    d = only(check(tmp_path, text))
    assert d.field == f"{AD_SET}.trackingCode"
    assert d.message == "required field `trackingCode` is missing"
    assert d.line == line_of(text, "key: fr-retargeting")  # the ad set that lacks it
    assert d.hint.startswith("add `trackingCode`")


def test_bad_enum_lists_the_allowed_values(tmp_path: Path) -> None:
    text = VALID.replace("objective: conversions", "objective: conversion")
    d = only(check(tmp_path, text))
    assert (d.line, d.field) == (line_of(text, "objective: conversion"), f"{AD_SET}.objective")
    assert d.message == "'conversion' is not an allowed value; did you mean `conversions`?"
    assert "customAction" in d.hint and "videoViews" in d.hint


def test_bad_enum_inside_a_set(tmp_path: Path) -> None:
    text = VALID.replace("devices: [tablet, desktop]", "devices: [tablet, phone]")
    d = only(check(tmp_path, text))
    assert d.field == f"{AD_SET}.targeting.deliveryLimitations.devices.1"
    assert d.line == line_of(text, "phone")
    assert "desktop, mobile, tablet, other" in d.hint


def test_a_value_listed_twice_in_a_criteo_set_counts_once(tmp_path: Path) -> None:
    """Criteo refuses no duplicate (docs/criteo-rules.md): no error, one value."""
    text = VALID.replace("values: [FR]", "values: [FR, fr]")
    project = load_project(write_project(tmp_path, {FILE: text}))
    ad_set = next(r for r in project.resources if r.address.kind == "ad_set")
    assert ad_set.attributes["targeting"]["geoLocation"]["countries"]["values"] == ["FR"]


def test_duplicate_key(tmp_path: Path) -> None:
    text = VALID.replace("        activation: on\n", "        activation: on\n        name: again\n")
    d = only(check(tmp_path, text))
    first, second = line_of(text, "name: FR retargeting"), line_of(text, "name: again")
    assert (d.file, d.line, d.field) == (FILE, second, f"{AD_SET}.name")
    assert d.message == f"duplicate key `name` (first written on line {first}, again on line {second})"
    assert d.hint


def test_invalid_yaml(tmp_path: Path) -> None:
    text = VALID.replace("values: [FR]}", "values: [FR}")
    d = only(check(tmp_path, text))
    assert d.file == FILE
    assert d.line == line_of(text, "values: [FR}")
    assert d.column > 1
    assert d.message.startswith("invalid YAML:")
    assert "syntax" in d.hint


def test_bad_indentation_is_invalid_yaml(tmp_path: Path) -> None:
    text = VALID.replace("    name: Summer Sale 2027", "     name: Summer Sale 2027")
    d = only(check(tmp_path, text))
    assert d.message.startswith("invalid YAML")
    assert d.line in (line_of(text, "key: summer-sale"), line_of(text, "name: Summer Sale 2027"))


def test_invalid_key(tmp_path: Path) -> None:
    text = VALID.replace("key: fr-retargeting", "key: fr retargeting")
    d = only(check(tmp_path, text))
    assert (d.line, d.field) == (line_of(text, "fr retargeting"), f"{AD_SET}.key")
    assert "invalid key 'fr retargeting'" in d.message


def test_duplicate_address_names_both_places(tmp_path: Path) -> None:
    other = VALID.replace("key: existing", "key: other")  # same campaign summer-sale again
    errors = errors_of(write_project(tmp_path, {"a.yaml": VALID, "b.yaml": other}))
    messages = [d for d in errors if "duplicate address criteo.campaign.summer-sale" in d.message]
    d = only(messages)
    where = line_of(VALID, "key: summer-sale")
    assert d.file == "b.yaml" and d.line == where
    assert f"a.yaml:{where}:5" in d.message and f"b.yaml:{where}:5" in d.message
    assert d.address == "criteo.campaign.summer-sale"
    assert any("criteo.ad_set.summer-sale/fr-retargeting" in e.message for e in errors)


def test_duplicate_ad_set_key_in_one_campaign(tmp_path: Path) -> None:
    text = VALID.replace("key: de", "key: fr-retargeting").replace("key: existing", "key: summer-sale")
    errors = check(tmp_path, text)
    assert any(
        "duplicate address criteo.ad_set.summer-sale/fr-retargeting" in d.message
        and d.line == line_of(text, "key: fr-retargeting", 2)
        for d in errors
    )


def test_existing_campaign_referenced_with_two_different_ids(tmp_path: Path) -> None:
    other = """\
    platform: criteo
    advertiserId: "12345"
    campaigns:
      - {key: existing, campaignId: "1", adSets: []}
    """
    d = only(errors_of(write_project(tmp_path, {"a.yaml": VALID, "b.yaml": other})))
    assert d.file == "b.yaml" and d.line == 4 and "duplicate address criteo.campaign.existing" in d.message


def test_reference_entry_rejects_campaign_fields(tmp_path: Path) -> None:
    text = VALID.replace('    campaignId: "358313"\n', '    campaignId: "358313"\n    goal: retention\n')
    d = only(check(tmp_path, text))
    assert (d.line, d.field) == (line_of(text, "goal: retention"), "campaigns.1.goal")
    assert "existing campaign" in d.hint


def test_manifest_for_an_unconfigured_platform(tmp_path: Path) -> None:
    project = "project: p\nplatforms: {}\n"
    d = only(errors_of(write_project(tmp_path, {FILE: VALID}, project=project)))
    assert (d.file, d.line, d.column, d.field) == (FILE, line_of(VALID, "platform: criteo"), 11, "platform")
    assert d.message == "platform `criteo` is not configured in reconciler.yaml"
    assert "platforms" in d.hint


def test_unknown_and_missing_platform(tmp_path: Path) -> None:
    root = write_project(tmp_path, {"a.yaml": "platform: criteoo\n", "b.yaml": "advertiserId: '1'\n"})
    a, b = errors_of(root)
    assert (a.file, a.field, a.message) == ("a.yaml", "platform", "unknown platform 'criteoo'")
    assert "criteo" in a.hint
    assert (b.file, b.field, b.message) == ("b.yaml", "platform", "required field `platform` is missing")


def test_many_errors_in_two_files_are_reported_together(tmp_path: Path) -> None:
    first = VALID.replace("objective: conversions", "objective: nope").replace("goal: acquisition", "goal: 3")
    second = VALID.replace("key: summer-sale", "key: winter").replace("key: existing", "key: e2")
    second = second.replace("bidAmount: 0.12345", "bidAmount: high").replace(
        "mediaType: video", "mediaTyp: video"
    )
    root = write_project(tmp_path, {"a.yaml": first, "b.yaml": second}, project="project: p\nplatforms: 7\n")
    with pytest.raises(ValidationFailed) as caught:
        load_project(root)
    found = {(d.file, d.field) for d in caught.value.diagnostics}  # type: ignore[attr-defined]
    assert {
        ("reconciler.yaml", "platforms"),
        ("a.yaml", "campaigns.0.adSets.0.objective"),
        ("a.yaml", "campaigns.0.goal"),
        ("b.yaml", "campaigns.0.adSets.0.bidding.bidAmount"),
        ("b.yaml", "campaigns.1.adSets.0.mediaTyp"),
        ("b.yaml", "campaigns.1.adSets.0.mediaType"),
    } <= found
    assert "error(s)" in str(caught.value)


def test_every_diagnostic_is_fully_located(tmp_path: Path) -> None:
    text = VALID.replace("goal: acquisition", "goal: []").replace(
        'schedule: {startDate: "2027-06-01"}', "schedule: 5"
    )
    for d in check(tmp_path, text):
        assert d.file == FILE and d.line > 0 and d.column > 0 and d.field and d.message and d.hint
