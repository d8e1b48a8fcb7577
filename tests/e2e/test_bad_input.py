"""Bad manifests: one clear error each with file:line and field, exit code 1, no traceback, no API call."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Result

MANIFEST = "campaigns/retargeting.yaml"


def _replace(old: str, new: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, 1)

    return edit


CASES = {
    "unknown field": (
        _replace("objective: conversions", "objective: conversions\n        bidamount: 3"),
        "bidamount",
    ),
    "wrong type": (_replace("maximumImpressions: 4", "maximumImpressions: lots"), "maximumImpressions"),
    "missing required field": (
        _replace("        trackingCode: utm_source=criteo&utm_medium=display&utm_campaign=summer-fr\n", ""),
        "trackingCode",
    ),
    "start after end": (
        _replace("endDate: 2027-08-31T23:59:59Z", "endDate: 2027-05-01T00:00:00Z"),
        "schedule",
    ),
    "empty geolocation values": (_replace("values: [FR]", "values: []"), "countries"),
    "duplicate key": (
        _replace("objective: conversions", "objective: conversions\n        objective: clicks"),
        "objective",
    ),
    "invalid yaml": (_replace("name: FR cart abandoners", "name: [FR cart abandoners"), ""),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_manifest_is_a_located_error_and_reaches_no_platform(
    case: str, example: Callable[[str], Path], cli: Callable[..., Result]
) -> None:
    project = example("criteo-retargeting")
    edit, field = CASES[case]
    manifest = project / MANIFEST
    manifest.write_text(edit(manifest.read_text()))
    for command in (
        ("validate", str(project)),
        ("plan", str(project)),
        ("apply", str(project), "--auto-approve"),
    ):
        result = cli(*command)
        assert result.exit_code == 1, (case, command, result.stdout)
        assert "Traceback" not in result.stderr
        assert re.search(rf"{re.escape(MANIFEST)}:\d+:\d+", result.stderr), result.stderr
        assert field in result.stderr, result.stderr
    assert not (project / ".reconciler" / "sandbox.sqlite").exists(), "a request reached the sandbox"
    assert not (project / "state" / "default.state.json").exists()


def test_all_errors_of_a_run_are_reported_together(
    example: Callable[[str], Path], cli: Callable[..., Result]
) -> None:
    project = example("criteo-retargeting")
    manifest = project / MANIFEST
    text = manifest.read_text()
    # A schema error in one ad set, and a rule error in another ad set of the same file...
    manifest.write_text(
        text.replace("maximumImpressions: 4", "maximumImpressions: lots").replace("[ES]", "[]")
    )
    # ...and two rule errors in a second file.
    second = text.replace("key: summer-retargeting", "key: winter-retargeting").replace(
        "values: [ES]", "values: []"
    )
    (project / "campaigns" / "winter.yaml").write_text(
        second.replace("objective: visits", "objective: videoViews")
    )
    result = cli("validate", str(project))
    assert result.exit_code == 1
    assert "4 error(s)" in result.stderr, result.stderr
    lines = result.stderr.splitlines()
    assert any(
        line.startswith("campaigns/retargeting.yaml:29:") and "maximumImpressions" in line for line in lines
    )
    assert any(line.startswith("campaigns/retargeting.yaml:88:") and "countries" in line for line in lines)
    assert any(line.startswith("campaigns/winter.yaml:88:") and "countries" in line for line in lines)
    assert any(line.startswith("campaigns/winter.yaml:") and "videoViews" in line for line in lines)


def test_a_rounded_bid_is_a_warning_not_an_error(
    example: Callable[[str], Path], cli: Callable[..., Result]
) -> None:
    project = example("criteo-retargeting")
    manifest = project / MANIFEST
    manifest.write_text(manifest.read_text().replace("bidAmount: 0.12", "bidAmount: 0.123456"))
    result = cli("validate", str(project))
    assert result.exit_code == 0, result.stderr
    assert "warning" in result.stderr and "0.1235" in result.stderr


def test_missing_credentials_name_the_variable_not_a_secret(
    example: Callable[[str], Path], cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    project = example("criteo-retargeting")
    config = project / "reconciler.yaml"
    config.write_text(config.read_text().replace("endpoint: sandbox", "endpoint: http://127.0.0.1:9/criteo"))
    monkeypatch.delenv("CRITEO_CLIENT_ID", raising=False)
    monkeypatch.setenv("CRITEO_CLIENT_SECRET", "s3cr3t-value")
    result = cli("plan", str(project))
    assert result.exit_code == 1
    assert "CRITEO_CLIENT_ID" in result.stderr
    assert "s3cr3t-value" not in result.stderr + result.stdout
    assert "Traceback" not in result.stderr
