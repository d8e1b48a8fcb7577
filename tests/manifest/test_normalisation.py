"""Enums, date-times, ids, numbers and sets normalise to the canonical form (docs/criteo-resources.md)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from reconciler.manifest import load_project
from reconciler.manifest.criteo import AdSet, Bidding, Schedule
from reconciler.manifest.types import to_utc_string

from .helpers import VALID, write_project


def ad_set_attributes(tmp_path: Path, text: str) -> dict[str, Any]:
    project = load_project(write_project(tmp_path, {"m.yaml": text}))
    return project.resources[1].attributes


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("CPC", "maxCPC"),
        ("cpc", "maxCPC"),
        ("MAXCPC", "maxCPC"),
        ("maxCpc", "maxCPC"),
        ("dailybudget", "dailyBudget"),
        ("cos", "COS"),
        ("targetCPM", "targetCPM"),
    ],
)
def test_cost_controller_spellings(written: str, canonical: str) -> None:
    assert Bidding.model_validate({"costController": written}).costController == canonical


def test_enums_accept_any_case_and_old_spellings(tmp_path: Path) -> None:
    text = (
        VALID.replace("mediaType: display", "mediaType: Display")
        .replace("operand: in,", "operand: NotIn,")
        .replace("budgetStrategy: capped", "budgetStrategy: Capped")
        .replace("objective: conversions", "objective: CONVERSIONS")
        .replace("activation: on", "activation: On")
        .replace("devices: [tablet, desktop]", "devices: [Tablet, DESKTOP]")
        .replace("frequency: daily", "frequency: Daily")
    )
    attributes = ad_set_attributes(tmp_path, text)
    assert attributes["mediaType"] == "display"
    assert attributes["objective"] == "conversions"
    assert attributes["activation"] == "on"
    assert attributes["targeting"]["geoLocation"]["countries"]["operand"] == "notIn"
    assert attributes["targeting"]["deliveryLimitations"]["devices"] == ["desktop", "tablet"]
    assert attributes["targeting"]["frequencyCapping"]["frequency"] == "daily"
    assert attributes["budget"]["budgetStrategy"] == "capped"


def test_campaign_enums(tmp_path: Path) -> None:
    text = VALID.replace("goal: acquisition", "goal: Acquisition").replace(
        "spendLimitType: capped", "spendLimitType: CAPPED"
    )
    campaign = load_project(write_project(tmp_path, {"m.yaml": text})).resources[0]
    assert campaign.attributes["goal"] == "acquisition"
    assert campaign.attributes["spendLimit"]["spendLimitType"] == "capped"


def test_lookback_window_and_media_type_video() -> None:
    data = {"attributionMethod": "POSTCLICK", "lookbackWindow": "7d"}
    ad_set = AdSet.model_validate(
        {
            "key": "k",
            "name": "n",
            "objective": "videoviews",
            "mediaType": "Video",
            "datasetId": "1",
            "trackingCode": "t",
            "schedule": {"startDate": "2027-01-01"},
            "bidding": {"costController": "CPV"},
            "targeting": {"frequencyCapping": {"frequency": "advanced", "maximumImpressions": 1}},
            "budget": {"budgetStrategy": "uncapped"},
            "attributionConfiguration": data,
        }
    )
    dumped = ad_set.model_dump(exclude_unset=True)
    assert dumped["attributionConfiguration"] == {"attributionMethod": "postClick", "lookbackWindow": "7D"}
    assert (dumped["objective"], dumped["mediaType"]) == ("videoViews", "video")
    # semantic rules (advanced frequency, videoViews only for video...) are the provider's, not the schema's
    assert dumped["targeting"]["frequencyCapping"]["frequency"] == "advanced"


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("2027-06-01T00:00:00Z", "2027-06-01T00:00:00Z"),
        ("2027-06-01T00:00:00.6354Z", "2027-06-01T00:00:00Z"),
        ("2027-06-01T02:30:00+02:00", "2027-06-01T00:30:00Z"),
        ("2027-06-01T16:21:06.3537890+02:00", "2027-06-01T14:21:06Z"),
        ("2027-06-01", "2027-06-01T00:00:00Z"),
        ("2027-06-01T08:00:00", "2027-06-01T08:00:00Z"),
        ("2027-06-01 08:00:00z", "2027-06-01T08:00:00Z"),
        (date(2027, 6, 1), "2027-06-01T00:00:00Z"),
        (datetime(2027, 6, 1, 12, 0, tzinfo=timezone(timedelta(hours=-5))), "2027-06-01T17:00:00Z"),
        (datetime(2027, 6, 1, 12, 0, 5, 999, tzinfo=UTC), "2027-06-01T12:00:05Z"),
        (datetime(2027, 6, 1, 12, 0), "2027-06-01T12:00:00Z"),
    ],
)
def test_date_times(written: object, canonical: str) -> None:
    assert to_utc_string(written) == canonical


def test_unquoted_yaml_timestamps_and_dates(tmp_path: Path) -> None:
    text = VALID.replace("startDate: 2027-06-01T00:00:00Z", "startDate: 2027-06-01T02:00:00+02:00").replace(
        "endDate: 2027-08-31T23:59:59Z", "endDate: 2027-08-31"
    )
    schedule = ad_set_attributes(tmp_path, text)["schedule"]
    assert schedule == {"startDate": "2027-06-01T00:00:00Z", "endDate": "2027-08-31T00:00:00Z"}


@pytest.mark.parametrize("bad", ["tomorrow", "2027-13-01", "2027-02-30T00:00:00Z", 20270601])
def test_bad_dates(bad: object) -> None:
    with pytest.raises(ValidationError):
        Schedule.model_validate({"startDate": bad})


def test_end_date_null_is_kept(tmp_path: Path) -> None:
    text = VALID.replace("endDate: 2027-08-31T23:59:59Z", "endDate: null")
    assert ad_set_attributes(tmp_path, text)["schedule"]["endDate"] is None


def test_numbers_keep_their_exact_value(tmp_path: Path) -> None:
    text = VALID.replace("bidAmount: 0.12345", "bidAmount: 0.123456789")
    assert ad_set_attributes(tmp_path, text)["bidding"]["bidAmount"] == 0.123456789


def test_ids_written_as_numbers_become_strings(tmp_path: Path) -> None:
    text = VALID.replace('advertiserId: "12345"', "advertiserId: 12345").replace(
        'audience: "9876"', "audience: 9876"
    )
    project = load_project(write_project(tmp_path, {"m.yaml": text}))
    assert project.resources[0].scope == {"advertiserId": "12345"}
    assert project.resources[1].attributes["audience"] == "9876"


def test_yaml_12_scalars_keep_codes_as_text(tmp_path: Path) -> None:
    # `NO` (Norway) is not a boolean, a zip code 01000 keeps its leading zero, `off` stays a word
    text = (
        VALID.replace("values: [FR]", "values: [fr, NO]")
        .replace("zipCodes: null", "zipCodes: {operand: in, values: [01000, 75001]}")
        .replace("activation: on", "activation: off")
    )
    attributes = ad_set_attributes(tmp_path, text)
    geo = attributes["targeting"]["geoLocation"]
    assert geo["countries"]["values"] == ["FR", "NO"]
    assert geo["zipCodes"]["values"] == ["01000", "75001"]
    assert attributes["activation"] == "off"


def test_activation_booleans(tmp_path: Path) -> None:
    assert (
        ad_set_attributes(tmp_path, VALID.replace("activation: on", "activation: true"))["activation"] == "on"
    )
