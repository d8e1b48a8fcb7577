"""AppLovin manifests that break the guide's rules: one located error each, exit 1, no request made."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Result

MANIFEST = "campaigns/puzzle-ios.yaml"


def _replace(old: str, new: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, 1)

    return edit


CASES = {
    "DEFAULT mixed with per-country values": (
        _replace("        de: {bid: 1.8, budget: 300}", "        DEFAULT: {bid: 1.8, budget: 300}"),
        "countries.us",
        "DEFAULT",
    ),
    "both bid_value and bid_override_percentage": (
        _replace("country: us, bid_value: 3.5}", "country: us, bid_value: 3.5, bid_override_percentage: 10}"),
        "overrides.",
        "at most one",
    ),
    "unknown language code": (_replace("languages: [en]", "languages: [en, xx]"), "languages", "'xx'"),
    "unknown asset type": (
        _replace("TXT_TITLE: {text: Puzzle Quest}", "TXT_HEADLINE: {text: Puzzle Quest}"),
        "TXT_HEADLINE",
        "unknown asset type",
    ),
    "device_types on Android": (
        _replace(
            'platform: ios\n    bundle_id: com.acme.puzzlequest\n    package_name: "1234567890"',
            "platform: android\n    package_name: com.acme.puzzlequest",
        ),
        "device_types",
        "only supported on iOS",
    ),
    "rating above 5": (_replace('TXT_RATING: {text: "4.5"}', "TXT_RATING: {text: 5.5}"), "content", "0.5"),
    "rating not a multiple of 0.5": (
        _replace('TXT_RATING: {text: "4.5"}', "TXT_RATING: {text: 4.3}"),
        "content",
        "increments of 0.5",
    ),
    "template that needs a missing asset": (
        _replace("template: Portrait — Under 15s", "template: Portrait — Over 15s"),
        "template",
        "VID_LONG_P",
    ),
    "per-country entry without a budget": (
        _replace("        de: {bid: 1.8, budget: 300}", "        de: {bid: 1.8}"),
        "countries.de",
        "budget",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_applovin_manifest_is_a_located_error_and_reaches_no_platform(
    case: str, example: Callable[[str], Path], cli: Callable[..., Result]
) -> None:
    project = example("applovin-ua")
    edit, field, words = CASES[case]
    manifest = project / MANIFEST
    manifest.write_text(edit(manifest.read_text()))
    for command in (
        ("validate", str(project)),
        ("plan", str(project)),
        ("apply", str(project), "--auto-approve"),
    ):
        result = cli(*command)
        assert result.exit_code == 1, (case, command, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr
        located = [
            line for line in result.stderr.splitlines() if re.search(rf"{re.escape(MANIFEST)}:\d+:\d+", line)
        ]
        assert any(field in line and words in line for line in located), result.stderr
    assert not (project / ".reconciler" / "sandbox.sqlite").exists(), "a request reached the sandbox"
    assert not (project / "state" / "default.state.json").exists()


def test_the_example_is_valid(example: Callable[[str], Path], cli: Callable[..., Result]) -> None:
    result = cli("validate", str(example("applovin-ua")))
    assert result.exit_code == 0, result.stderr
    assert "13 resource(s)" in result.stdout + result.stderr
