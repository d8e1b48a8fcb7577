"""Criteo's offline rules: each rule of docs/criteo-rules.md (`test_rule[<code>]`) finds its problem in a
manifest, located (file, line, field, address) and explained; an error stops `plan` before any request; and
the sandbox answers the same manifest as the doc says (`test_sandbox_answer[<code>]`)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from reconciler.manifest import load_project
from reconciler.model import Resource
from reconciler.providers.criteo import mapping, rules
from reconciler.providers.criteo.rules.cite import GUIDE, SPEC
from reconciler.sandbox.criteo.rules import RULES
from tests.conftest import Result, SandboxAPI
from tests.manifest.helpers import line_of
from tests.providers.criteo.rules_cases import (
    CASES,
    ERROR,
    FILE,
    VALID,
    WARNING,
    apply_edits,
    diagnostics_of,
    project,
)
from tests.providers.criteo.rules_doc import rows

PLATFORMS = Path(__file__).resolve().parents[4] / "shared" / "platforms"


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
    fields, non-nullable ones, enums (a geolocation operand is `in` or `notIn`), int32 and finite numbers.
    A value YAML cannot carry (infinity) is reported first, alone; the fields are checked once it is fixed."""
    infinite = apply_edits([("    goal: acquisition\n", ""), ("bidAmount: 0.12", "bidAmount: .inf")])
    found = {d.field.removeprefix("campaigns.0."): d for d in diagnostics_of(tmp_path, infinite)}
    assert set(found) == {"adSets.0.bidding.bidAmount"}
    assert "infinity are refused" in found["adSets.0.bidding.bidAmount"].message
    assert found["adSets.0.bidding.bidAmount"].line > 0
    text = apply_edits(
        [
            ("    goal: acquisition\n", ""),
            ("spendLimitRenewal: monthly", "spendLimitRenewal: null"),
            ("        name: FR cart abandoners\n", ""),
            ("startDate: 2027-06-01T00:00:00Z", "startDate: null"),
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
        "adSets.0.targeting.frequencyCapping.maximumImpressions",
        "adSets.0.targeting.geoLocation.countries.operand",
        "adSets.0.attributionConfiguration.lookbackWindow",
    }
    assert all(d.severity == ERROR and d.file == FILE and d.line > 0 for d in found.values())
    assert "int32" in found["adSets.0.targeting.frequencyCapping.maximumImpressions"].message
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
        audience = {"audienceId": ad_set.attributes["audience"]}
        link = {"data": {"type": "AdSetAudience", "attributes": audience}}
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
    loaded = load_project(project(tmp_path / "project", apply_edits(CASES[code][0])))
    answer = sandbox_answer(tmp_path, loaded.resources)
    cell = rows()[code].sandbox_answer
    expected = {c for c in re.findall(r"`([a-z-]+)`", cell) if c in RULES}
    if expected:
        assert set(answer) & expected, (answer, cell)
    else:
        assert cell.startswith("accepted") and answer == [], (answer, cell)
