"""Criteo's offline rules: each rule of docs/criteo-rules.md (`test_rule[<code>]`) finds its problem in a
manifest, located (file, line, field, address) and explained; an error stops `plan` before any request; and
the sandbox answers the same manifest as the doc says (`test_sandbox_answer[<code>]`)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from reconciler.errors import ValidationFailed
from reconciler.manifest import load_project
from reconciler.model import Diagnostic, Resource, Severity
from reconciler.providers.criteo import mapping, rules
from reconciler.providers.criteo.rules.cite import GUIDE, SPEC
from tests.conftest import Result, SandboxAPI
from tests.manifest.helpers import line_of, write_project
from tests.providers.criteo.rules_doc import rows

ERROR, WARNING = Severity.ERROR, Severity.WARNING
FILE = "campaigns/summer.yaml"
PLATFORMS = Path(__file__).resolve().parents[4] / "shared" / "platforms"
PROJECT = """\
project: rules
platforms:
  criteo:
    endpoint: sandbox
"""
VALID = """\
# yaml-language-server: $schema=../schemas/manifest.schema.json
platform: criteo
advertiserId: "12345"
campaigns:
  - key: summer
    name: Summer Sale 2027
    goal: acquisition
    spendLimit:
      spendLimitType: capped
      spendLimitRenewal: monthly
      spendLimitAmount: 30000
    adSets:
      - key: fr
        name: FR cart abandoners
        objective: conversions
        mediaType: display
        datasetId: "56789"
        trackingCode: utm_source=criteo&utm_medium=display
        schedule:
          startDate: 2027-06-01T00:00:00Z
          endDate: 2027-08-31T23:59:59Z
        activation: on
        bidding:
          costController: COS
          bidAmount: 0.12
        targeting:
          frequencyCapping: {frequency: daily, maximumImpressions: 4}
          geoLocation:
            countries: {operand: in, values: [FR]}
            subdivisions: {operand: notIn, values: [FR-2A]}
        budget:
          budgetStrategy: capped
          budgetRenewal: daily
          budgetDeliverySmoothing: accelerated
          budgetAmount: 400
        attributionConfiguration:
          attributionMethod: postClick
          lookbackWindow: 7D
        audience: "9876"
"""
AUTOMATION = "      spendLimitAmount: 30000\n"
AUTOMATED = AUTOMATION + "    budgetAutomation: {enabled: true, budgetConfiguration: {adSetObjectives: visits}}\n"

# code → (edits applied to VALID in order, field, words of the message, severity, text of the reported line)
CASES: dict[str, tuple[list[tuple[str, str]], str, str, Severity, str]] = {
    "campaign-name-not-empty": (
        [("name: Summer Sale 2027", 'name: " "')],
        "name",
        "campaign name is empty",
        WARNING,
        'name: " "',
    ),
    "spend-limit-capped": (
        [(AUTOMATION, "")],
        "spendLimit.spendLimitAmount",
        "capped spend limit needs a spendLimitAmount",
        ERROR,
        "spendLimit:",
    ),
    "spend-limit-uncapped": (
        [("spendLimitType: capped", "spendLimitType: uncapped")],
        "spendLimit.spendLimitAmount",
        "uncapped spend limit must have spendLimitAmount null",
        ERROR,
        "spendLimitAmount: 30000",
    ),
    "spend-limit-amount-positive": (
        [("spendLimitAmount: 30000", "spendLimitAmount: 0")],
        "spendLimit.spendLimitAmount",
        "could spend nothing",
        WARNING,
        "spendLimitAmount: 0",
    ),
    "budget-automation-needs-configuration": (
        [(AUTOMATION, AUTOMATION + "    budgetAutomation: {enabled: true}\n")],
        "budgetAutomation.budgetConfiguration",
        "needs a budgetConfiguration",
        ERROR,
        "budgetAutomation:",
    ),
    "budget-configuration-ignored-when-disabled": (
        [(AUTOMATION, AUTOMATED.replace("enabled: true", "enabled: false"))],
        "budgetAutomation.budgetConfiguration",
        "ignores budgetConfiguration",
        WARNING,
        "budgetAutomation:",
    ),
    "ad-set-name-not-empty": (
        [("name: FR cart abandoners", 'name: " "')],
        "name",
        "cannot have an empty name",
        ERROR,
        'name: " "',
    ),
    "dataset-id-integer": (
        [('datasetId: "56789"', "datasetId: ds-56789")],
        "datasetId",
        "not a string-encoded integer",
        WARNING,
        "datasetId:",
    ),
    "audience-id-integer": (
        [('audience: "9876"', "audience: segment-9876")],
        "audience",
        "not an audience id",
        WARNING,
        "audience:",
    ),
    "tracking-code-not-empty": (
        [("trackingCode: utm_source=criteo&utm_medium=display", 'trackingCode: " "')],
        "trackingCode",
        "trackingCode is empty",
        WARNING,
        "trackingCode:",
    ),
    "tracking-code-without-question-mark": (
        [("trackingCode: utm_source=criteo&utm_medium=display", 'trackingCode: "?utm_source=criteo"')],
        "trackingCode",
        "without the leading `?`",
        ERROR,
        "trackingCode:",
    ),
    "video-views-needs-video": (
        [("objective: conversions", "objective: videoViews")],
        "objective",
        "only allowed when mediaType is video",
        ERROR,
        "objective:",
    ),
    "schedule-start-before-end": (
        [("endDate: 2027-08-31T23:59:59Z", "endDate: 2027-06-01T02:00:00+02:00")],
        "schedule.endDate",
        "start date must be before the end date",
        ERROR,
        "endDate:",
    ),
    "bid-amount-not-negative": (
        [("bidAmount: 0.12", "bidAmount: -2")],
        "bidding.bidAmount",
        "cannot be negative",
        ERROR,
        "bidAmount:",
    ),
    "bid-amount-four-decimals": (
        [("bidAmount: 0.12", "bidAmount: 0.12345")],
        "bidding.bidAmount",
        "will be rounded to 0.1235",
        WARNING,
        "bidAmount:",
    ),
    "bid-amount-null-for-adaptive": (
        [("costController: COS", "costController: dailyBudget")],
        "bidding.bidAmount",
        "adaptive cost controller",
        WARNING,
        "bidAmount:",
    ),
    "start-needs-cost-controller-amount": (
        [("          bidAmount: 0.12\n", "")],
        "bidding.bidAmount",
        "refuses to start an ad set without a cost controller",
        ERROR,
        "bidding:",
    ),
    "frequency-not-advanced": (
        [("frequency: daily", "frequency: advanced")],
        "targeting.frequencyCapping.frequency",
        "cannot be set",
        ERROR,
        "frequencyCapping:",
    ),
    "maximum-impressions-positive": (
        [("maximumImpressions: 4", "maximumImpressions: 0")],
        "targeting.frequencyCapping.maximumImpressions",
        "could show no impression",
        WARNING,
        "frequencyCapping:",
    ),
    "geolocation-values-not-empty": (
        [("values: [FR]", "values: []")],
        "targeting.geoLocation.countries.values",
        "needs a non-empty list",
        ERROR,
        "countries:",
    ),
    "country-codes-iso-3166": (
        [("values: [FR]", "values: [FRA]")],
        "targeting.geoLocation.countries.values",
        "ISO-3166 alpha-2 (not 'FRA')",
        ERROR,
        "countries:",
    ),
    "subdivision-codes-iso-3166": (
        [("values: [FR-2A]", "values: [Corsica]")],
        "targeting.geoLocation.subdivisions.values",
        "ISO-3166-2 codes (not 'CORSICA')",
        ERROR,
        "subdivisions:",
    ),
    "budget-omitted-under-automation": (
        [(AUTOMATION, AUTOMATED)],
        "budget",
        "cannot have a budget of its own",
        ERROR,
        "budget:",
    ),
    "budget-capped-fields": (
        [("          budgetDeliverySmoothing: accelerated\n", "")],
        "budget.budgetDeliverySmoothing",
        "capped budget needs a budgetDeliverySmoothing",
        ERROR,
        "budget:",
    ),
    "budget-amount-positive": (
        [("budgetAmount: 400", "budgetAmount: 0")],
        "budget.budgetAmount",
        "must be greater than 0",
        ERROR,
        "budgetAmount: 0",
    ),
    "budget-uncapped-fields": (
        [("budgetStrategy: capped", "budgetStrategy: uncapped")],
        "budget.budgetAmount",
        "uncapped budget must have budgetAmount null",
        ERROR,
        "budgetAmount: 400",
    ),
    "budget-delivery-week": (
        [("budgetAmount: 400", "budgetAmount: 400\n          budgetDeliveryWeek: mondayToSunday")],
        "budget.budgetDeliveryWeek",
        "only applies to capped budgets with budgetRenewal weekly",
        ERROR,
        "budgetDeliveryWeek:",
    ),
    "budget-pacing-behavior": (
        [("budgetAmount: 400", "budgetAmount: 400\n          pacingBehavior: targetFullBudget")],
        "budget.pacingBehavior",
        "needs budgetDeliverySmoothing standard",
        ERROR,
        "pacingBehavior:",
    ),
    "lookback-window-method": (
        [("attributionMethod: postClick", "attributionMethod: criteoAttribution")],
        "attributionConfiguration.lookbackWindow",
        "only used with attributionMethod lastClick or postClick",
        ERROR,
        "lookbackWindow:",
    ),
}


def apply_edits(edits: list[tuple[str, str]], text: str = VALID) -> str:
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def project(root: Path, text: str) -> Path:
    return write_project(root, {FILE: text}, PROJECT)


def diagnostics_of(tmp_path: Path, text: str) -> list[Diagnostic]:
    """Load the project with the rules: every diagnostic (errors raised, warnings kept)."""
    try:
        loaded = load_project(project(tmp_path / "project", text), check=rules.validate)
    except ValidationFailed as failed:
        return [d for d in failed.diagnostics if isinstance(d, Diagnostic)]
    return loaded.warnings


def test_the_valid_manifest_has_no_diagnostics(tmp_path: Path) -> None:
    assert diagnostics_of(tmp_path, VALID) == []


def test_every_rule_has_a_case() -> None:
    assert set(CASES) == rules.BOOK.codes()


@pytest.mark.parametrize("code", list(CASES))
def test_rule(code: str, tmp_path: Path) -> None:
    edits, field, words, severity, at = CASES[code]
    text = apply_edits(edits)
    found = [d for d in diagnostics_of(tmp_path, text) if d.rule == code]
    assert len(found) >= 1, "\n".join(str(d) for d in diagnostics_of(tmp_path, text))
    d = next(d for d in found if d.field == field)
    assert words in d.message and d.severity == severity, str(d)
    assert d.file == FILE and d.line == line_of(text, at) and d.column > 0, str(d)
    assert d.hint and d.address.startswith("criteo.")


@pytest.mark.parametrize("code", [c for c, case in CASES.items() if case[3] == ERROR])
def test_plan_stops_before_any_request(code: str, tmp_path: Path, cli: Callable[..., Result]) -> None:
    edits, field, words, _, _ = CASES[code]
    root = project(tmp_path / "project", apply_edits(edits))
    result = cli("plan", str(root))
    assert result.exit_code == 1 and "Traceback" not in result.stderr, result.stderr
    assert re.search(rf"{re.escape(FILE)}:\d+:\d+: error .*{re.escape(field)}", result.stderr), result.stderr
    assert words in result.stderr
    assert not (root / ".reconciler" / "sandbox.sqlite").exists(), "a request reached the sandbox"


def test_a_stopped_ad_set_without_a_bid_is_only_warned(tmp_path: Path) -> None:
    """Criteo refuses to *start* an ad set without a cost controller amount: `activation: off` (or no
    activation, off at creation) may wait for one, `activation: on` cannot (test_rule above)."""
    no_bid = CASES["start-needs-cost-controller-amount"][0]
    for activation in ("        activation: off\n", ""):
        text = apply_edits([*no_bid, ("        activation: on\n", activation)])
        found = [d for d in diagnostics_of(tmp_path, text) if d.rule == "start-needs-cost-controller-amount"]
        assert [d.severity for d in found] == [WARNING], found
        assert "will refuse to start" in found[0].message and "before `activation: on`" in found[0].hint
    daily = apply_edits([*no_bid, ("costController: COS", "costController: dailyBudget")])
    assert diagnostics_of(tmp_path, daily) == []


def test_spec_types_are_manifest_schema_errors(tmp_path: Path) -> None:
    """What the spec's create models say of types is the manifest model's, each a located error: required
    fields, non-nullable ones, enums (a geolocation operand is `in` or `notIn`), int32 and finite doubles."""
    text = apply_edits(
        [
            ("    goal: acquisition\n", ""),
            ("spendLimitRenewal: monthly", "spendLimitRenewal: null"),
            ("        name: FR cart abandoners\n", ""),
            ("startDate: 2027-06-01T00:00:00Z", "startDate: null"),
            ("bidAmount: 0.12", "bidAmount: .inf"),
            ("maximumImpressions: 4", "maximumImpressions: 2147483648"),
            ("{operand: in, values: [FR]}", "{operand: undefined, values: [FR]}"),
            ("lookbackWindow: 7D", "lookbackWindow: 1Y"),
        ]
    )
    found = {d.field.removeprefix("campaigns.0."): d for d in diagnostics_of(tmp_path, text)}
    assert set(found) == {
        "goal",
        "spendLimit.spendLimitRenewal",
        "adSets.0.name",
        "adSets.0.schedule.startDate",
        "adSets.0.bidding.bidAmount",
        "adSets.0.targeting.frequencyCapping.maximumImpressions",
        "adSets.0.targeting.geoLocation.countries.operand",
        "adSets.0.attributionConfiguration.lookbackWindow",
    }
    assert all(d.severity == ERROR and d.file == FILE and d.line > 0 for d in found.values())
    assert "int32" in found["adSets.0.targeting.frequencyCapping.maximumImpressions"].message
    assert "finite double" in found["adSets.0.bidding.bidAmount"].message
    assert "in, notIn" in found["adSets.0.targeting.geoLocation.countries.operand"].hint


def test_lists_of_values_are_sets_and_null_limitations_are_none(tmp_path: Path) -> None:
    """Criteo refuses no duplicate: a value listed twice counts once; `deliveryLimitations: null` and a null
    list are no limitation; a frequency capping with nothing set is none."""
    text = apply_edits(
        [
            ("values: [FR]", "values: [fr, FR, DE]"),
            ("{frequency: daily, maximumImpressions: 4}", "{frequency: null}"),
            ("    geoLocation:\n", "    deliveryLimitations: null\n          geoLocation:\n"),
        ]
    )
    project_root = project(tmp_path / "project", text)
    ad_set = next(r for r in load_project(project_root).resources if r.address.kind == "ad_set")
    targeting = ad_set.attributes["targeting"]
    assert targeting["geoLocation"]["countries"]["values"] == ["DE", "FR"]
    assert targeting["frequencyCapping"] is None
    assert targeting["deliveryLimitations"] == {"devices": [], "operatingSystems": [], "environments": []}
    assert diagnostics_of(tmp_path / "again", text) == []


def test_every_quote_is_in_its_document() -> None:
    """A source is the vendor's words: each quote is found verbatim (spaces aside) in the guide, or in the
    descriptions or JSON of the spec schema it names; a rule with no quote is an assumption and warns."""
    guide = _spaces((PLATFORMS / GUIDE).read_text(encoding="utf-8"))
    schemas = json.loads((PLATFORMS / SPEC).read_text(encoding="utf-8"))["components"]["schemas"]
    for code, quotes in rules.QUOTES.items():
        for quote in quotes:
            if quote.document == GUIDE:
                assert _spaces(quote.text) in guide, (code, quote.text)
                continue
            node = schemas
            for part in quote.path.split("/"):
                node = node[part]
            texts = [_spaces(s) for s in _strings(node)] + [json.dumps(node)]
            assert any(_spaces(quote.text) in t for t in texts), (code, quote.path, quote.text)
    for rule in rules.BOOK.rules:
        assert rule.assumption == (not rules.QUOTES[rule.code]), rule.code
        if rule.assumption:
            assert rule.level == WARNING and rule.source.startswith("assumption: "), rule.code


def _spaces(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _strings(node: object) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for value in node.values() for s in _strings(value)]
    if isinstance(node, list):
        return [s for value in node for s in _strings(value)]
    return []


# -- what the sandbox answers to the same manifests ---------------------------------------------------


def sandbox_answer(root: Path, resources: list[Resource]) -> list[str]:
    """Send the manifest's campaign and ad set to the in-process sandbox as the provider would (create,
    link the audience, start): the codes of what it refused, [] when it carried everything out."""
    api = SandboxAPI(root / "sandbox.sqlite")
    campaign = next(r for r in resources if r.address.kind == "campaign")
    body = mapping.campaign_create_body(campaign.attributes, campaign.scope["advertiserId"])
    answer = api.call("POST", "/campaigns", {"data": {"type": "Campaign", "attributes": body}})
    if answer.status_code >= 400:
        return _codes(answer.json())
    campaign_id = answer.json()["data"]["id"]
    ad_set = next(r for r in resources if r.address.kind == "ad_set")
    body = mapping.ad_set_create_body(ad_set.attributes, campaign_id)
    answer = api.call("POST", "/ad-sets", {"data": {"type": "AdSet", "attributes": body}})
    if answer.status_code >= 400:
        return _codes(answer.json())
    ad_set_id = answer.json()["data"]["id"]
    refused: list[str] = []
    if ad_set.attributes.get("audience"):
        link = {"data": {"type": "AdSetAudience", "attributes": {"audienceId": ad_set.attributes["audience"]}}}
        refused += _codes(api.call("PUT", f"/ad-sets/{ad_set_id}/audience", link).json())
    if ad_set.attributes.get("activation") == "on":
        item = {"type": "AdSetId", "id": ad_set_id}
        refused += _codes(api.call("POST", "/ad-sets/start", {"data": [item]}).json())
    return refused


def _codes(body: dict[str, object]) -> list[str]:
    errors = body.get("errors")
    return [str(e["code"]) for e in errors if isinstance(e, dict)] if isinstance(errors, list) else []


@pytest.mark.parametrize("code", list(CASES))
def test_sandbox_answer(code: str, tmp_path: Path) -> None:
    """The doc's "sandbox answer" for the rule is what the sandbox does with the same manifest: a refusal
    with one of the codes it names, or the request carried out."""
    from reconciler.sandbox.criteo.rules import RULES

    loaded = load_project(project(tmp_path / "project", apply_edits(CASES[code][0])))
    answer = sandbox_answer(tmp_path, loaded.resources)
    cell = rows()[code].sandbox_answer
    expected = {c for c in re.findall(r"`([a-z-]+)`", cell) if c in RULES}
    if expected:
        assert set(answer) & expected, (answer, cell)
    else:
        assert cell.startswith("accepted") and answer == [], (answer, cell)
