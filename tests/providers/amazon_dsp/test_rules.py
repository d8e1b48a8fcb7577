"""Amazon DSP's offline rules: each rule of docs/amazon-dsp-rules.md rejects a manifest located (file, line,
field, address), says what to do, and needs no request (the rules are pure functions of the resources)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from reconciler.errors import ValidationFailed
from reconciler.manifest import load_project
from reconciler.model import Diagnostic, Severity
from reconciler.providers.amazon_dsp import rules
from tests.conftest import Result
from tests.manifest.amazon_dsp_helpers import FILE, VALID, amazon_project
from tests.manifest.helpers import line_of

ERROR, WARNING = Severity.ERROR, Severity.WARNING
DOC = Path(__file__).resolve().parents[3] / "docs" / "amazon-dsp-rules.md"
DATA = Path(__file__).resolve().parent / "data"
NOW = datetime(2029, 6, 1, tzinfo=UTC)

FLIGHTS = """\
    flights:
      - startDateTime: 2030-04-01T00:00:00Z
        endDateTime: 2030-06-30T23:59:59Z
        budgetAmount: 1000
      - startDateTime: 2030-01-01T00:00:00Z
        endDateTime: 2030-03-31T23:59:59Z
        budgetAmount: 500
"""
AUDIENCES = """\
            - {audienceId: "365849257058325086", groupId: "1"}
            - {audienceId: "378970165887759667", groupId: 3, negative: true}
"""
DOMAIN = "            - domainTargetDetails: {domainName: {domainName: www.nytimes.com}}\n"
HERO = """\
            weight: 10
            state: ACTIVE
            startDate: 2030-01-02T00:00:00Z
            endDate: 2030-01-30T00:00:00Z
"""


def monthly_flights(count: int, year: int) -> str:
    """`count` back-to-back flights of 2 days each, starting January 1st of `year`."""
    lines = ["    flights:\n"]
    for n in range(count):
        day = datetime(year, 1, 1, tzinfo=UTC).timestamp() + n * 2 * 86400
        start = datetime.fromtimestamp(day, UTC)
        end = datetime.fromtimestamp(day + 86400, UTC)
        lines.append(
            f"      - {{startDateTime: {start:%Y-%m-%dT%H:%M:%SZ}, endDateTime: {end:%Y-%m-%dT%H:%M:%SZ}, "
            "budgetAmount: 10}\n"
        )
    return "".join(lines)


def audiences(groups: dict[str, bool], per_group: int = 1) -> str:
    """Audience targets: `per_group` audiences in each group, negative as given."""
    lines = []
    for group, negative in groups.items():
        for n in range(per_group):
            lines.append(
                f'            - {{audienceId: "{group}{n:04d}", groupId: "{group}", negative: '
                f"{str(negative).lower()}}}\n"
            )
    return "".join(lines)


# id → (edits applied to VALID in order, field, words of the message, severity, text on the reported line
# or (text, n) for its n-th line)
CASES: dict[str, tuple[list[tuple[str, str]], str, str, Severity, str | tuple[str, int]]] = {
    "campaign-flights-required": (
        [(FLIGHTS, "    flights: []\n")],
        "flights",
        "at least one flight",
        ERROR,
        "flights:",
    ),
    "flight-end-after-start": (
        [("endDateTime: 2030-06-30T23:59:59Z", "endDateTime: 2030-03-01T00:00:00Z")],
        "flights.1.endDateTime",
        "must end after it starts",
        WARNING,
        "endDateTime: 2030-03-01",
    ),
    "flight-no-overlap": (
        [("startDateTime: 2030-04-01T00:00:00Z", "startDateTime: 2030-03-15T00:00:00Z")],
        "flights.1.startDateTime",
        "must not overlap",
        WARNING,
        "startDateTime: 2030-03-15",
    ),
    "flight-budget-positive": (
        [("budgetAmount: 500", "budgetAmount: 0")],
        "flights.0.budgetAmount",
        "greater than 0",
        WARNING,
        "budgetAmount: 0",
    ),
    "campaign-flights-max-12-current": (
        [(FLIGHTS, monthly_flights(13, 2030))],
        "flights",
        "at most 12 current and future flights",
        ERROR,
        "flights:",
    ),
    "campaign-flights-max-150-total": (
        [(FLIGHTS, monthly_flights(151, 2001))],
        "flights",
        "at most 150 flights",
        ERROR,
        "flights:",
    ),
    "target-kpi-positive": (
        [("targetKpi: 0.1", "targetKpi: -1")],
        "optimization.goalSetting.targetKpi",
        "greater than 0",
        WARNING,
        "targetKpi: -1",
    ),
    "target-kpi-rate-percent": (
        [("targetKpi: 0.1", "targetKpi: 150")],
        "optimization.goalSetting.targetKpi",
        "at most 100",
        WARNING,
        "targetKpi: 150",
    ),
    "kpi-needs-tracked-products": (
        [
            ("kpi: CLICK_THROUGH_RATE", "kpi: RETURN_ON_AD_SPEND"),
            ("    trackedProducts:\n", "    otherProducts:\n"),
            ("      - {productId: B09D36CVP1", "#"),
            ("      - {productId: B003E1OUKS", "#"),
            ("    otherProducts:\n", ""),
        ],
        "optimization.goalSetting.kpi",
        "must track the products",
        ERROR,
        "kpi: RETURN_ON_AD_SPEND",
    ),
    "kpi-needs-conversion-definitions": (
        [("kpi: CLICK_THROUGH_RATE", "kpi: COST_PER_ACTION")],
        "optimization.goalSetting.kpi",
        "you must associate conversion definitions to the campaign",
        ERROR,
        "kpi: COST_PER_ACTION",
    ),
    "tracked-product-once": (
        [
            (
                "{productId: B003E1OUKS, productAssociation: FEATURED",
                "{productId: B09D36CVP1, productAssociation: FEATURED",
            )
        ],
        "trackedProducts.1",
        "tracked twice",
        WARNING,
        "FEATURED_WITH_VARIATION",
    ),
    "frequency-uncapped-alone": (
        [
            (
                "      - frequencyType: UNCAPPED\n",
                "      - frequencyType: UNCAPPED\n      - {frequencyType: CAPPED, "
                "maxImpressions: 1, timeUnitCount: 1, timeUnit: DAYS}\n",
            )
        ],
        "frequencies",
        "cannot be combined",
        WARNING,
        "    frequencies:",
    ),
    "frequency-cap-fields": (
        [
            (
                "{frequencyType: CAPPED, maxImpressions: 3, timeUnitCount: 1, timeUnit: DAYS}",
                "{frequencyType: CAPPED}",
            )
        ],
        "frequencies.0",
        "needs maxImpressions, timeUnitCount, timeUnit",
        WARNING,
        "{frequencyType: CAPPED}",
    ),
    "frequency-uncapped-no-fields": (
        [("      - frequencyType: UNCAPPED\n", "      - {frequencyType: UNCAPPED, maxImpressions: 2}\n")],
        "frequencies.0",
        "takes no maxImpressions",
        WARNING,
        "frequencyType: UNCAPPED",
    ),
    "frequency-positive": (
        [("maxImpressions: 3", "maxImpressions: 0")],
        "frequencies.0.maxImpressions",
        "greater than 0",
        WARNING,
        "maxImpressions: 0",
    ),
    "budget-cap-positive": (
        [("amount: 100}", "amount: 0}")],
        "budgetCaps.0.amount",
        "greater than 0",
        WARNING,
        "amount: 0}",
    ),
    "budget-cap-once-per-period": (
        [
            (
                "      - {recurrenceTimePeriod: DAILY, amount: 100}\n",
                "      - {recurrenceTimePeriod: DAILY, amount: 100}\n"
                "      - {recurrenceTimePeriod: DAILY, amount: 50}\n",
            )
        ],
        "budgetCaps",
        "two budget caps for the DAILY period",
        WARNING,
        "budgetCaps:",
    ),
    "fee-percentage-max-100": (
        [("feeValue: 10,", "feeValue: 110,")],
        "fees.0.feeValue",
        "at most 100",
        WARNING,
        "feeValue: 110",
    ),
    "fee-not-negative": (
        [("feeValue: 10,", "feeValue: -1,")],
        "fees.0.feeValue",
        "cannot be negative",
        WARNING,
        "feeValue: -1",
    ),
    "ad-group-inventory-deprecated": (
        [("inventoryType: display", "inventoryType: STANDARD_DISPLAY")],
        "inventoryType",
        "STANDARD_DISPLAY is deprecated",
        WARNING,
        "inventoryType: STANDARD_DISPLAY",
    ),
    "ad-group-dates-order": (
        [("endDateTime: 2030-01-31T23:59:59Z", "endDateTime: 2029-12-31T00:00:00Z"), (HERO, "")],
        "endDateTime",
        "must end after it starts",
        WARNING,
        "endDateTime: 2029-12-31",
    ),
    "ad-group-product-category-required": (
        [
            (
                'advertisedProductCategoryIds: ["304669741353807342", {name: Electronics}]',
                "advertisedProductCategoryIds: []",
            )
        ],
        "advertisedProductCategoryIds",
        "at least one advertised product category",
        ERROR,
        "advertisedProductCategoryIds: []",
    ),
    "product-category-once": (
        [("{name: Electronics}]", '"304669741353807342"]')],
        "advertisedProductCategoryIds.1",
        "listed twice",
        WARNING,
        "advertisedProductCategoryIds:",
    ),
    "ad-group-budget-automated": (
        [
            ("automateBudgetAllocation: false\n", "automateBudgetAllocation: true\n"),
            ("automateBudgetAllocation: false}", "automateBudgetAllocation: true}"),
        ],
        "budgetAmount",
        "automateBudgetAllocation is true on both",
        ERROR,
        ("budgetAmount: 1", 2),
    ),
    "ad-group-budget-positive": (
        [("        budgetAmount: 1\n", "        budgetAmount: 0\n")],
        "budgetAmount",
        "greater than 0",
        WARNING,
        "budgetAmount: 0",
    ),
    "base-bid-positive": (
        [("bid: {baseBid: 3}", "bid: {baseBid: 0}")],
        "bid.baseBid",
        "greater than 0",
        WARNING,
        "baseBid: 0",
    ),
    "target-negative-types": (
        [("            - deviceType: PHONE\n", "            - {deviceType: PHONE, negative: true}\n")],
        "targets.1.negative",
        "device targets cannot be negative",
        ERROR,
        "deviceType: PHONE",
    ),
    "target-duplicate": (
        [("            - deviceType: desktop\n", "            - deviceType: phone\n")],
        "targets.1",
        "listed twice",
        WARNING,
        "deviceType: phone",
    ),
    "domain-not-on-aap-mobile-app": (
        [("inventoryType: display", "inventoryType: AAP_MOBILE_APP")],
        "targets",
        "do not support domain targeting",
        ERROR,
        "          domain:",
    ),
    "domain-details-exactly-one": (
        [
            (
                DOMAIN,
                "            - domainTargetDetails:\n"
                "                {domainName: {domainName: a.com}, advertiserDomainList: true}\n",
            )
        ],
        "targets.0.domainTargetDetails",
        "exactly one of",
        WARNING,
        "domainTargetDetails:",
    ),
    "advertiser-domain-list-true": (
        [(DOMAIN, "            - domainTargetDetails: {advertiserDomainList: false}\n")],
        "targets.0.domainTargetDetails.advertiserDomainList",
        "can only be true",
        WARNING,
        "advertiserDomainList: false",
    ),
    "audience-max-500": (
        [(AUDIENCES, audiences({"1": False, "2": False}, per_group=251))],
        "targets",
        "at most 500 audiences",
        ERROR,
        "audience:",
    ),
    "audience-group-id-1-11": (
        [('groupId: "1"}', 'groupId: "12"}')],
        "targets.0.groupId",
        '"1" to "11"',
        ERROR,
        'groupId: "12"',
    ),
    "audience-group-all-include-or-exclude": (
        [("groupId: 3, negative: true", "groupId: 1, negative: true")],
        "targets.0.groupId",
        "mixes included and excluded",
        ERROR,
        'groupId: "1"',
    ),
    "audience-max-10-inclusion-groups": (
        [(AUDIENCES, audiences({str(g): False for g in range(1, 12)}))],
        "targets",
        "at most 10 inclusion groups",
        ERROR,
        "audience:",
    ),
    "audience-max-1-exclusion-group": (
        [(AUDIENCES, audiences({"1": False, "2": True, "3": True}))],
        "targets",
        "at most 1 exclusion group",
        ERROR,
        "audience:",
    ),
    "day-part-hour-range": (
        [("hourOfDay: 9", "hourOfDay: 24")],
        "targets.0.hourOfDay",
        "0 to 23",
        WARNING,
        "hourOfDay: 24",
    ),
    "device-eligible": (
        [("            - deviceType: desktop\n", "            - deviceType: CONNECTED_TV\n")],
        "targets.0.deviceType",
        "CONNECTED_TV is only eligible",
        WARNING,
        "deviceType: CONNECTED_TV",
    ),
    "inventory-source-required": (
        [("          dayPart:\n", "          inventorySource: []\n          dayPart:\n")],
        "targets",
        "at least one deal or exchange",
        ERROR,
        "inventorySource: []",
    ),
    "streaming-tv-app-video-only": (
        [
            (
                "          dayPart:\n",
                "          streamingTvApp: [{streamingTvAppId: tv1}]\n          dayPart:\n",
            )
        ],
        "targets",
        "targets are for video ad groups",
        ERROR,
        "streamingTvApp:",
    ),
    "video-ad-format-video-only": (
        [
            (
                "          dayPart:\n",
                "          videoAdFormat: [{videoAdFormat: IN_STREAM}]\n          dayPart:\n",
            )
        ],
        "targets",
        "videoAdFormat targets are for video ad groups",
        WARNING,
        "videoAdFormat:",
    ),
    "assoc-weight-range": ([("weight: 10", "weight: 1000")], "weight", "1 to 999", ERROR, "weight: 1000"),
    "assoc-weight-not-random": (
        [("creativeRotationType: WEIGHTED", "creativeRotationType: RANDOM")],
        "weight",
        "RANDOM",
        ERROR,
        "weight: 10",
    ),
    "assoc-start-after-ad-group-start": (
        [("startDate: 2030-01-02T00:00:00Z", "startDate: 2029-12-01T00:00:00Z")],
        "startDate",
        "before the ad group starts",
        ERROR,
        "startDate: 2029-12-01",
    ),
    "assoc-end-before-ad-group-end": (
        [("endDate: 2030-01-30T00:00:00Z", "endDate: 2030-02-15T00:00:00Z")],
        "endDate",
        "after the ad group ends",
        ERROR,
        "endDate: 2030-02-15",
    ),
    "assoc-start-before-end": (
        [("endDate: 2030-01-30T00:00:00Z", "endDate: 2030-01-01T12:00:00Z")],
        "endDate",
        "must end after it starts",
        ERROR,
        "endDate: 2030-01-01",
    ),
    "assoc-duplicate": (
        [("creative: {name: Spring banner}", 'creative: "123456789"')],
        "creative",
        "associated with this ad group twice (also by `hero`)",
        ERROR,
        ('creative: "123456789"', 2),
    ),
}


def _assumed(code: str) -> bool:
    return next(r for r in rules.RULES.rules if r.code == code).assumption


def apply_edits(edits: list[tuple[str, str]]) -> str:
    text = VALID
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def diagnostics_of(tmp_path: Path, text: str) -> list[Diagnostic]:
    """Load the project with the rules; every diagnostic (errors raised, warnings kept)."""
    root = amazon_project(tmp_path / "project", text)
    try:
        project = load_project(root, check=lambda resources: rules.validate(resources, now=NOW))
    except ValidationFailed as failed:
        return [d for d in failed.diagnostics if isinstance(d, Diagnostic)]
    return project.warnings


def test_the_valid_manifest_has_no_diagnostics(tmp_path: Path) -> None:
    assert diagnostics_of(tmp_path, VALID) == []


@pytest.mark.parametrize("rule", list(CASES))
def test_rule(rule: str, tmp_path: Path) -> None:
    edits, field, words, severity, at = CASES[rule]
    text = apply_edits(edits)
    found = [d for d in diagnostics_of(tmp_path, text) if d.field == field and words in d.message]
    assert len(found) == 1, "\n".join(str(d) for d in diagnostics_of(tmp_path, text))
    d = found[0]
    assert d.severity == severity
    snippet, nth = at if isinstance(at, tuple) else (at, 1)
    assert d.file == FILE and d.line == line_of(text, snippet, nth) and d.column > 0, str(d)
    assert d.hint and d.address.startswith("amazon_dsp.") and d.rule == rule


def test_every_rule_has_a_case() -> None:
    """Each rule of the book has a case here, and each case is named in the rules doc."""
    assert set(CASES) == rules.RULES.codes()
    text = DOC.read_text(encoding="utf-8")
    missing = [rule for rule in CASES if f"test_rule[{rule}]" not in text]
    assert missing == []


def table() -> dict[str, list[str]]:
    """docs/amazon-dsp-rules.md's rows by id: source, local error, sandbox answer, local and sandbox test."""
    found = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 6 and re.fullmatch(r"[a-z][a-z0-9-]*", cells[0]) and cells[0] != "id":
            found[cells[0]] = cells[1:]
    return found


def test_every_rule_code_has_a_row_with_its_source() -> None:
    """The offline checker's codes are rows of the doc, each with the rule's own source; an assumption's row
    says so and its local error is a warning."""
    rows = table()
    assert sorted(rules.RULES.codes() - set(rows)) == []
    for rule in rules.RULES.rules:
        source, local = rows[rule.code][0], rows[rule.code][1]
        if rule.assumption:
            assert source == f"assumption: {rule.source}" and local.startswith("warning (assumption)"), (
                rule.code
            )
        else:
            assert source == rule.source, rule.code


def normalised(text: str) -> str:
    """Text without markdown escapes and code marks, its spaces collapsed."""
    return " ".join(text.replace("\\", "").replace("`", "").split())


def test_every_quoted_source_is_in_its_document() -> None:
    """Every row's source (and every offline rule's) names a seed document, and quotes it exactly, unless the
    rule is an assumption."""
    sources = [row[0] for row in table().values()] + [r.source for r in rules.RULES.rules]
    for source in sources:
        if source.startswith(("assumption:", "no vendor sentence")):
            continue
        assert re.match(r"(" + "|".join(map(re.escape, rules.DOCUMENTS)) + r"): ", source), source
        for document, quote in re.findall(r'([\w.-]+\.md): "([^"]+)"', source):
            assert normalised(quote) in normalised((DATA / document).read_text(encoding="utf-8")), quote
    quoted = [r for r in rules.RULES.rules if not r.assumption]
    assert all(re.fullmatch(r'[\w.-]+\.md: "[^"]+"', r.source) for r in quoted)


def test_the_seed_documents_are_copies_of_the_shared_ones() -> None:
    shared = Path(__file__).resolve().parents[4] / "shared" / "platforms"
    if not shared.is_dir():
        pytest.skip("../shared/platforms is not next to this clone")
    for document in rules.DOCUMENTS:
        assert (DATA / document).read_bytes() == (shared / document).read_bytes(), document


def test_an_inactive_campaign_without_tracked_products_is_only_warned(tmp_path: Path) -> None:
    """Amazon refuses to activate such a campaign (TRACKED_PRODUCTS_REQUIRED); an INACTIVE one may wait."""
    edits = CASES["kpi-needs-tracked-products"][0]
    text = apply_edits([*edits, ("    state: active\n", "    state: inactive\n")])
    found = [d for d in diagnostics_of(tmp_path, text) if "must track the products" in d.message]
    assert [d.severity for d in found] == [WARNING]


def test_conversion_definitions_answer_the_rule_and_an_inactive_campaign_is_only_warned(
    tmp_path: Path,
) -> None:
    """Amazon refuses to activate a COST_PER_ACTION campaign without conversion definitions
    (CONVERSION_DEFINITIONS_REQUIRED); listing one answers the rule, an INACTIVE campaign may wait."""
    cpa = ("kpi: CLICK_THROUGH_RATE", "kpi: COST_PER_ACTION")
    listed = apply_edits(
        [cpa, ("    adGroups:\n", "    conversionDefinitions: [{name: Website purchase}]\n    adGroups:\n")]
    )
    assert [d for d in diagnostics_of(tmp_path / "a", listed) if "conversion" in d.message] == []
    inactive = apply_edits([cpa, ("    state: active\n", "    state: inactive\n")])
    found = [d for d in diagnostics_of(tmp_path / "b", inactive) if "conversion definitions" in d.message]
    assert [d.severity for d in found] == [WARNING]


def test_current_flights_count_from_now(tmp_path: Path) -> None:
    """Flights that ended before now do not count towards the 12 current and future ones."""
    text = apply_edits([(FLIGHTS, monthly_flights(13, 2029))])
    later = [d for d in diagnostics_of(tmp_path, text) if "current and future" in d.message]
    assert later == []  # NOW is 2029-06-01: the 13 flights of January 2029 have all ended


def test_rules_see_every_problem_of_a_resource_at_once(tmp_path: Path) -> None:
    text = apply_edits(
        [("weight: 10", "weight: 0"), ("endDate: 2030-01-30T00:00:00Z", "endDate: 2030-03-01T00:00:00Z")]
    )
    fields = sorted(d.field for d in diagnostics_of(tmp_path, text))
    assert fields == ["endDate", "weight"]


@pytest.mark.parametrize("rule", [rule for rule, case in CASES.items() if case[3] == ERROR])
def test_cli_rejects_before_any_request(rule: str, tmp_path: Path, cli: Callable[..., Result]) -> None:
    """`validate` and `plan` stop at the rule with a located error: the sandbox is never created."""
    edits, field, words, _, _ = CASES[rule]
    root = amazon_project(tmp_path / "project", apply_edits(edits))
    for command in ("validate", "plan"):
        result = cli(command, str(root))
        assert result.exit_code == 1, (rule, command, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr
        assert re.search(rf"{re.escape(FILE)}:\d+:\d+: error .*{re.escape(field)}", result.stderr), (
            result.stderr
        )
        assert words in result.stderr
    assert not (root / ".reconciler" / "sandbox.sqlite").exists(), "a request reached the sandbox"
    assert not (root / "state").exists() or not any((root / "state").iterdir())


@pytest.mark.parametrize(
    "rule", [rule for rule, case in CASES.items() if rules.RULES.codes() and _assumed(rule)]
)
def test_assumptions_only_warn(rule: str, tmp_path: Path, cli: Callable[..., Result]) -> None:
    """A rule no vendor sentence states never stops `validate`: it exits 0 and prints the warning."""
    edits, field, words, _, _ = CASES[rule]
    result = cli("validate", str(amazon_project(tmp_path / "project", apply_edits(edits))))
    assert result.exit_code == 0, result.stdout + result.stderr
    output = result.stdout + result.stderr
    assert re.search(rf"{re.escape(FILE)}:\d+:\d+: warning .*{re.escape(field)}", output), output
    assert words in output


@pytest.mark.parametrize(
    ("edits", "field", "words"),
    [
        (
            [("startDate: 2030-01-02T00:00:00Z", "startDate: 2030-01-01T00:00:00Z")],
            "startDate",
            "at or before",
        ),
        ([("endDate: 2030-01-30T00:00:00Z", "endDate: 2030-01-31T23:59:59Z")], "endDate", "at or after"),
    ],
)
def test_association_dates_are_strictly_inside_the_ad_groups(
    edits: list[tuple[str, str]], field: str, words: str, tmp_path: Path
) -> None:
    """The guide: startDate "needs to be later then adGroup's startDate", endDate "earlier then adGroup's
    endDate": the ad group's own bounds are refused."""
    found = [d for d in diagnostics_of(tmp_path, apply_edits(edits)) if d.field == field]
    assert [(d.severity, words in d.message) for d in found] == [(ERROR, True)]


def test_every_test_the_rules_doc_names_exists() -> None:
    """The doc's test columns name tests that exist: `path::name` functions, and `test_rule[<id>]` cases."""
    from tests.sandbox.amazon_dsp.test_rules import CASES as SANDBOX_CASES

    root = Path(__file__).resolve().parents[3]
    text = DOC.read_text(encoding="utf-8")
    for path, name in re.findall(r"(tests/[\w/]+\.py)::(\w+)", text):
        assert f"def {name}(" in (root / path).read_text(encoding="utf-8"), f"{path}::{name}"
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 6 or cells[0] in ("id", "---"):
            continue
        local, sandbox = cells[4], cells[5]
        assert local and sandbox and "—" not in (local, sandbox), cells[0]
        for case in re.findall(r"(?<![:\w])test_rule\[([a-z0-9-]+)\]", local):
            assert case in CASES, case
        for case in re.findall(r"(?<![\w/.:])test_rule\[([a-z0-9-]+)\]", sandbox):
            assert case in SANDBOX_CASES, case
