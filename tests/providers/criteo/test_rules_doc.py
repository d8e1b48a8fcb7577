"""docs/criteo-rules.md stays true: a row for every code the offline `RuleBook` raises and for every code of
the sandbox's rules table, each error-level rule with its vendor quotes, and every test it names existing."""

from __future__ import annotations

import re
from pathlib import Path

from reconciler.model import Severity
from reconciler.providers.criteo import rules
from reconciler.sandbox.criteo.rules import RULES, WARNINGS
from tests.providers.criteo.rules_doc import DOC, rows, sandbox_rows

REPO = Path(__file__).resolve().parents[3]


def test_every_offline_rule_code_has_a_row() -> None:
    assert set(rows()) == rules.BOOK.codes()


def test_every_sandbox_code_has_a_row() -> None:
    assert set(sandbox_rows()) == set(RULES) | set(WARNINGS)


def test_each_row_gives_the_rule_s_level_and_its_quotes() -> None:
    """No error-level rule without a source: an error has vendor quotes, and the row shows them; an
    assumption is a warning and the row says so."""
    for rule in rules.BOOK.rules:
        row = rows()[rule.code]
        quotes = rules.QUOTES[rule.code]
        if rule.level == Severity.ERROR:
            assert quotes, f"{rule.code}: an error without a vendor source"
            assert row.level.startswith("error"), rule.code
        else:
            assert "warning" in row.level, rule.code
        assert ("assumption" in row.level) == rule.assumption, rule.code
        if rule.assumption:
            assert row.source.startswith("assumption: "), rule.code
        for quote in quotes:
            assert quote.text in row.source, (rule.code, quote.text)


def test_every_test_the_doc_names_exists() -> None:
    """`path::name` names a test function of that file; `name[<id>]` an id of its parametrization."""
    from tests.providers.criteo.test_rules import CASES
    from tests.sandbox.test_criteo_rules import TRIGGERS

    ids = {
        ("tests/providers/criteo/test_rules.py", name): set(CASES)
        for name in ("test_rule", "test_sandbox_answer", "test_plan_stops_before_any_request")
    }
    ids["tests/sandbox/test_criteo_rules.py", "test_rule"] = set(TRIGGERS)
    text = DOC.read_text(encoding="utf-8")
    named = re.findall(r"(tests/[\w/]+\.py)::(\w+)(?:\[([^\]]+)\])?", text)
    assert len(named) > 2 * len(rows())
    for path, name, case in named:
        assert f"def {name}(" in (REPO / path).read_text(encoding="utf-8"), f"{path}::{name}"
        if case:
            assert case in ids[path, name], f"{path}::{name}[{case}]"
    for row in rows().values():
        assert f"test_rule[{row.code}]" in row.offline_test and f"[{row.code}]" in row.sandbox_test, row.code
    for code, (_, _, offline_test, sandbox_test) in sandbox_rows().items():
        assert "::" in offline_test and sandbox_test.endswith(f"test_rule[{code}]"), code
