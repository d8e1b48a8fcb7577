"""The Amazon DSP emulator's rules table (reconciler/sandbox/amazon_dsp/rules.py) lists exactly the codes
the emulator's source answers with, each with a source; an error with another code cannot be built."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from reconciler.sandbox.amazon_dsp.errors import ItemError
from reconciler.sandbox.amazon_dsp.rules import RULES

EMULATOR = Path(__file__).resolve().parents[3] / "reconciler" / "sandbox" / "amazon_dsp"
ERRORS = ("ItemError", "ApiError", "bad_request", "LwaError")


def codes_in_source() -> set[str]:
    """First string argument of every error the emulator builds (after an HTTP status), and the `code` of
    bodies it writes by hand."""
    found: set[str] = set()
    for path in EMULATOR.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ERRORS:
                args = [
                    a for a in node.args if not (isinstance(a, ast.Constant) and isinstance(a.value, int))
                ]
                if args and isinstance(args[0], ast.Constant) and isinstance(args[0].value, str):
                    found.add(args[0].value)
            if isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values, strict=True):
                    if (
                        isinstance(key, ast.Constant)
                        and key.value == "code"
                        and isinstance(value, ast.Constant)
                    ):
                        found.add(str(value.value))
    return found


def test_the_table_lists_exactly_the_codes_of_the_source() -> None:
    assert codes_in_source() == set(RULES)
    assert all(rule.source and rule.message for rule in RULES.values())


def test_an_error_outside_the_table_cannot_be_built() -> None:
    with pytest.raises(KeyError, match="rules table"):
        ItemError("SOMETHING_INVENTED", "no vendor says so")
