"""AppLovin's offline rules: each rule of docs/applovin-rules.md, broken once in the applovin-ua example, is
reported located (file, line, field, address) with what to do, at its severity, before any request; the
rules doc lists every rule code and names only tests that exist."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from reconciler.errors import ValidationFailed
from reconciler.manifest import load_project
from reconciler.model import Diagnostic, Severity
from reconciler.providers.applovin import rules
from tests.conftest import Result
from tests.manifest.helpers import line_of

ERROR, WARNING = Severity.ERROR, Severity.WARNING
ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "examples" / "applovin-ua"
FILE = "campaigns/puzzle-ios.yaml"
VALID = (EXAMPLE / FILE).read_text(encoding="utf-8")
COUNTRIES = VALID[VALID.index("      countries:\n") : VALID.index("      device_types:")]
DE = "        de: {bid: 1.8, budget: 300}"
IOS = 'platform: ios\n    bundle_id: com.acme.puzzlequest\n    package_name: "1234567890"'
LAST_BID = "{app_id: 7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b, country: de, bid_value: 1.2}"

# rule → (edits applied to VALID in order, field, words of the message, severity, text on the reported line)
CASES: dict[str, tuple[list[tuple[str, str]], str, str, Severity, str]] = {
    "campaign-bundle-id-ios-only": (
        [(IOS, "platform: android\n    bundle_id: com.acme.puzzlequest\n    package_name: com.acme.puzzle")],
        "bundle_id",
        "iOS apps only",
        ERROR,
        "bundle_id: com.acme",
    ),
    "campaign-package-name-ios": (
        [('package_name: "1234567890"', "package_name: id1234567890")],
        "package_name",
        "numeric portion of the iTunes id",
        ERROR,
        "package_name: id1234567890",
    ),
    "targets-country-code": (
        [(DE, "        deu: {bid: 1.8, budget: 300}")],
        "countries.deu",
        "two-letter country code",
        ERROR,
        "deu:",
    ),
    "targets-default-or-each-country": (
        [(DE, "        DEFAULT: {bid: 1.8, budget: 300}")],
        "countries.us",
        "either in the DEFAULT object or in each country-specific object",
        ERROR,
        "        us:",
    ),
    "targets-budget-per-campaign-or-country": (
        [(DE, "        de: {bid: 1.8}")],
        "countries.de",
        "has no budget",
        ERROR,
        "de: {bid: 1.8}",
    ),
    "targets-bid-per-campaign-or-country": (
        [(DE, "        de: {budget: 300}")],
        "countries.de",
        "has no bid",
        ERROR,
        "de: {budget: 300}",
    ),
    "targets-device-types-ios-only": (
        [(IOS, "platform: android\n    package_name: com.acme.puzzlequest")],
        "device_types",
        "only supported on iOS",
        ERROR,
        "device_types:",
    ),
    "targets-countries-listed": (
        [(COUNTRIES, "      countries: {}\n")],
        "countries",
        "no countries are targeted",
        WARNING,
        "countries: {}",
    ),
    "targets-amount-not-negative": (
        [(DE, "        de: {bid: 1.8, budget: -300}")],
        "countries.de.budget",
        "budget is negative",
        WARNING,
        "de: {bid: 1.8, budget: -300}",
    ),
    "campaign-goal-period-not-negative": (
        [("bid_type: CPI", "bid_type: CPI\n    goal_period: -7")],
        "goal_period",
        "goal_period is negative",
        WARNING,
        "goal_period: -7",
    ),
    "targets-os-version-not-negative": (
        [("os_major_version_min: 14", "os_major_version_min: -1")],
        "os_major_version_min",
        "negative",
        WARNING,
        "os_major_version_min: -1",
    ),
    "creative-set-language": (
        [("languages: [en]", "languages: [en, xx]")],
        "languages",
        "unknown language code 'xx'",
        ERROR,
        "languages: [en, xx]",
    ),
    "creative-set-country-code": (
        [("countries: [us, gb]", "countries: [usa, gb]")],
        "countries",
        "'usa' is not a two-letter country code",
        ERROR,
        "countries: [usa, gb]",
    ),
    "creative-set-country-targeted": (
        [("countries: [us, gb]", "countries: [us, fr]")],
        "countries",
        "fr is not among the campaign's target countries",
        WARNING,
        "countries: [us, fr]",
    ),
    "creative-set-size": (
        [("sizes: {BANNER: true}", "sizes: {BANNER: true, VIDEO: true}")],
        "sizes.VIDEO",
        "unknown creative set size 'VIDEO'",
        ERROR,
        "sizes: {BANNER: true, VIDEO: true}",
    ),
    "asset-type": (
        [("TXT_TITLE: {text: Puzzle Quest}", "TXT_HEADLINE: {text: Puzzle Quest}")],
        "",
        "unknown asset type 'TXT_HEADLINE'",
        ERROR,
        "TXT_HEADLINE:",
    ),
    "asset-one-content": (
        [("TXT_TITLE: {text: Puzzle Quest}", "TXT_TITLE: {text: Puzzle Quest, url: https://x.example/t}")],
        "content",
        "exactly one of `text`, `url` or `file`",
        ERROR,
        "TXT_TITLE:",
    ),
    "asset-content-kind": (
        [('IMG_MREC: {url: "https://cdn.acme.example/puzzle/mrec_300x250.png"}', "IMG_MREC: {text: mrec}")],
        "content",
        "takes a `url` or a `file`",
        ERROR,
        "IMG_MREC: {text: mrec}",
    ),
    "asset-url": (
        [("https://cdn.acme.example/puzzle/banner_320x50.png", "cdn.acme.example/puzzle/banner_320x50.png")],
        "content",
        "not an http(s) URL",
        ERROR,
        "IMG_BANNER:",
    ),
    "asset-text-not-empty": (
        [("TXT_TITLE: {text: Puzzle Quest}", 'TXT_TITLE: {text: " "}')],
        "content",
        "TXT_TITLE text is empty",
        WARNING,
        "TXT_TITLE:",
    ),
    "asset-rating": (
        [('TXT_RATING: {text: "4.5"}', "TXT_RATING: {text: 4.3}")],
        "content",
        "increments of 0.5",
        ERROR,
        "TXT_RATING: {text: 4.3}",
    ),
    "ad-template": (
        [("template: Portrait — Under 15s", "template: Portrait Under 15s")],
        "template",
        "no template 'Portrait Under 15s' for size INTER",
        ERROR,
        "template: Portrait Under 15s",
    ),
    "ad-template-assets": (
        [("template: Portrait — Under 15s", "template: Portrait — Over 15s")],
        "template",
        "it lacks VID_LONG_P",
        ERROR,
        "template: Portrait — Over 15s",
    ),
    "source-bid-country-code": (
        [(LAST_BID, LAST_BID.replace("country: de", "country: deu"))],
        "overrides.7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b:deu",
        "'deu' is not a two-letter country code",
        ERROR,
        "country: deu",
    ),
    "source-bid-one-override": (
        [(LAST_BID, LAST_BID.replace("bid_value: 1.2", "bid_value: 1.2, bid_override_percentage: 5"))],
        "overrides.7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b:de",
        "at most one of them",
        ERROR,
        "bid_override_percentage: 5",
    ),
    "source-bid-not-a-clear": (
        [(LAST_BID, LAST_BID.replace("bid_value: 1.2", "bid_value: default"))],
        "overrides.7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b:de",
        "the same as leaving the entry out",
        WARNING,
        "bid_value: default",
    ),
    "source-bid-listed-once": (
        [(LAST_BID, f"{LAST_BID}\n      - {LAST_BID.replace('1.2', '1.3')}")],
        "overrides.7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b:de",
        "listed more than once",
        WARNING,
        "bid_value: 1.3",
    ),
}


def edited(edits: list[tuple[str, str]]) -> str:
    text = VALID
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def project_with(root: Path, text: str) -> Path:
    shutil.copytree(EXAMPLE, root)
    (root / FILE).write_text(text, encoding="utf-8")
    return root


def diagnostics_of(tmp_path: Path, text: str) -> list[Diagnostic]:
    """Load the project with the rules; every diagnostic (errors raised, warnings kept)."""
    root = project_with(tmp_path / "project", text)
    try:
        project = load_project(root, check=rules.validate)
    except ValidationFailed as failed:
        return [d for d in failed.diagnostics if isinstance(d, Diagnostic)]
    return project.warnings


def test_the_example_has_no_diagnostics(tmp_path: Path) -> None:
    assert diagnostics_of(tmp_path, VALID) == []


def test_every_rule_has_a_case_and_a_source() -> None:
    assert sorted(CASES) == sorted(rules.BOOK.codes())
    assert all(r.source.startswith(rules.GUIDE) or r.assumption for r in rules.RULES)
    assert all(r.level == WARNING for r in rules.RULES if r.assumption)


@pytest.mark.parametrize("rule", list(CASES))
def test_rule(rule: str, tmp_path: Path) -> None:
    edits, field, words, severity, at = CASES[rule]
    text = edited(edits)
    every = diagnostics_of(tmp_path, text)
    found = [d for d in every if d.rule == rule and d.field == field]
    assert len(found) == 1, "\n".join(str(d) for d in every)
    d = found[0]
    assert words in d.message, str(d)
    assert d.severity == severity
    assert d.file == FILE and d.line == line_of(text, at) and d.column > 0, str(d)
    assert d.hint and d.address.startswith("applovin.")


def test_per_country_values_and_a_shared_default_are_each_accepted(tmp_path: Path) -> None:
    """The guide's two shapes: a DEFAULT shared by every country, or each country with its own."""
    shared = edited(
        [
            (
                COUNTRIES,
                "      countries:\n        DEFAULT: {bid: 2, budget: 900}\n        us: {}\n        gb: {}\n",
            )
        ]
    )
    assert diagnostics_of(tmp_path / "shared", shared) == []
    assert diagnostics_of(tmp_path / "each", VALID) == []


@pytest.mark.parametrize("countries", ["        us: {}\n        gb: {}\n", ""])
def test_a_shared_default_without_a_budget_is_reported_on_default(tmp_path: Path, countries: str) -> None:
    """The guide: "A campaign either has a total budget shared by all countries, or each country needs a
    specific budget": a DEFAULT carrying the values has the budget, with or without countries listed
    (the sandbox answers the same: tests/sandbox/applovin/test_campaigns.py)."""
    shared = edited([(COUNTRIES, "      countries:\n        DEFAULT: {bid: 2}\n" + countries)])
    [d] = diagnostics_of(tmp_path, shared)
    assert d.rule == "targets-budget-per-campaign-or-country" and d.field == "countries.DEFAULT"
    assert d.line == line_of(shared, "DEFAULT: {bid: 2}") and "add `budget` to DEFAULT" in d.hint


def test_an_ios_package_name_in_digits_passes_and_android_takes_any_name(tmp_path: Path) -> None:
    android = edited(
        [
            (IOS, "platform: android\n    package_name: com.acme.puzzle"),
            ("device_types: [phone, tablet]", "device_types: []"),
        ]
    )
    assert diagnostics_of(tmp_path / "android", android) == []


# The manifest schema's side of the guide's field tables: case → (edit, field, words of the message).
SCHEMA: dict[str, tuple[tuple[str, str], str, str]] = {
    "campaign-name": (
        ("    name: Puzzle Quest iOS UA 2027\n", ""),
        "campaigns.0.name",
        "required field `name`",
    ),
    "bid-type": (("bid_type: CPI", "bid_type: CPM"), "campaigns.0.bid_type", "'CPM' is not an allowed value"),
    "platform": (("platform: ios", "platform: web"), "campaigns.0.platform", "'web' is not an allowed value"),
    "tracking-method": (
        ("tracking_method: adjust", "tracking_method: adjustt"),
        "campaigns.0.tracking_method",
        "did you mean `adjust`",
    ),
    "device-type": (
        ("device_types: [phone, tablet]", "device_types: [phone, watch]"),
        "campaigns.0.targets.device_types.1",
        "'watch' is not an allowed value",
    ),
    "sizes-switch": (
        ("sizes: {INTER: true}", "sizes: {INTER: sometimes}"),
        "campaigns.0.creative_sets.0.sizes.INTER",
        "expected true or false, got 'sometimes'",
    ),
    "bid-value": (
        (LAST_BID, LAST_BID.replace("bid_value: 1.2", "bid_value: lots")),
        "campaigns.0.source_bids.3.bid_value",
        "expected a number or \"default\", got 'lots'",
    ),
    "status-null": (
        ("status: true", "status: ~"),
        "campaigns.0.status",
        "null is not a value of this field",
    ),
    "ad-size": (
        ("size: INTER", "size: VIDEO"),
        "campaigns.0.creative_sets.0.ads.0.size",
        "'VIDEO' is not an allowed value",
    ),
}


@pytest.mark.parametrize("case", list(SCHEMA))
def test_schema_rule(case: str, tmp_path: Path) -> None:
    (old, new), field, words = SCHEMA[case]
    [d] = diagnostics_of(tmp_path, edited([(old, new)]))
    assert d.field == field and words in d.message and d.severity == ERROR and d.line > 0, str(d)


@pytest.mark.parametrize("rule", [rule for rule, case in CASES.items() if case[3] == ERROR])
def test_cli_rejects_before_any_request(rule: str, tmp_path: Path, cli: Callable[..., Result]) -> None:
    """`validate` and `plan` stop at the rule with a located error: the sandbox is never created."""
    edits, field, words, _, _ = CASES[rule]
    root = project_with(tmp_path / "project", edited(edits))
    for command in ("validate", "plan"):
        result = cli(command, str(root))
        assert result.exit_code == 1, (rule, command, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr
        assert re.search(rf"{re.escape(FILE)}:\d+:\d+: error .*{re.escape(field)}", result.stderr), (
            result.stderr
        )
        assert words in result.stderr
    assert not (root / ".reconciler" / "sandbox.sqlite").exists(), "a request reached the sandbox"


def test_the_rules_doc_lists_every_rule_code() -> None:
    text = (ROOT / "docs" / "applovin-rules.md").read_text(encoding="utf-8")
    listed = {cells[0] for cells in _rows(text)}
    assert sorted(rules.CODES - listed) == []


def test_the_rules_doc_lists_every_code_the_sandbox_answers() -> None:
    from reconciler.sandbox.applovin.rules import RULES as SANDBOX_RULES

    text = (ROOT / "docs" / "applovin-rules.md").read_text(encoding="utf-8")
    answered = {code for cells in _rows(text) for code in re.findall(r"`([a-z0-9-]+)`", cells[4])}
    assert sorted(set(SANDBOX_RULES) - answered) == []


def test_every_test_the_rules_doc_names_exists() -> None:
    """The doc's test columns name tests that exist: `path::name` functions, and `test_rule[<code>]` cases
    (the offline ones here, the sandbox's in tests/sandbox/applovin/test_rules.py)."""
    from tests.sandbox.applovin.test_rules import TRIGGERS as SANDBOX_CASES

    text = (ROOT / "docs" / "applovin-rules.md").read_text(encoding="utf-8")
    for path, name in re.findall(r"(tests/[\w/]+\.py)::(\w+)", text):
        assert f"def {name}(" in (ROOT / path).read_text(encoding="utf-8"), f"{path}::{name}"
    for cells in _rows(text):
        local, sandbox = cells[5], cells[6]
        assert local and sandbox, cells[0]
        for case in re.findall(r"(?<![:\w])test_rule\[([a-z0-9-]+)\]", local):
            assert case in CASES, case
        for case in re.findall(r"(?<![\w/.:])test_rule\[([a-z0-9-]+)\]", sandbox):
            assert case in SANDBOX_CASES, case


def _rows(text: str) -> list[list[str]]:
    """The cells of the rules table's rows: code, source, rule, local error, sandbox, local test, sandbox
    test."""
    rows = []
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) == 7 and cells[0] not in ("code", "---"):
            rows.append([c.strip("`") if i == 0 else c for i, c in enumerate(cells)])
    return rows


def test_a_rule_both_sides_check_quotes_the_same_guide_sentences() -> None:
    """Where the offline rules and the sandbox check the same rule they share its code, and the sandbox's
    source quotes every sentence the offline rule quotes: one reading of the guide on both sides."""
    from reconciler.sandbox.applovin.rules import RULES as SANDBOX_RULES

    offline = {r.code: r for r in (*rules.RULES, *rules.FILE_RULES)}
    shared = sorted(set(offline) & set(SANDBOX_RULES))
    assert len(shared) >= 18, shared
    for code in shared:
        quotes = re.findall(r"'([^']+)'", offline[code].source)
        assert quotes, code
        assert [q for q in quotes if q not in SANDBOX_RULES[code].source] == [], code
