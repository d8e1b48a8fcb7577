"""docs/criteo-rules.md read as data: its offline rules table (one row per `RuleBook` code) and its sandbox
codes table (one row per code of reconciler/sandbox/criteo/rules.py), for the tests that keep it true."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import NamedTuple

DOC = Path(__file__).resolve().parents[3] / "docs" / "criteo-rules.md"


class Row(NamedTuple):
    code: str
    source: str
    level: str
    offline: str
    sandbox_answer: str
    offline_test: str
    sandbox_test: str


def _tables() -> list[list[list[str]]]:
    """Every table of the doc: its rows (header and rule lines excluded) as lists of cells."""
    tables: list[list[list[str]]] = []
    current: list[list[str]] | None = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if not line.startswith("|"):
            current = None
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split(" | ")]
        if current is None:
            current = []
            tables.append(current)
        elif not set(cells[0]) <= {"-", " "}:
            current.append(cells)
    return tables


@cache
def rows() -> dict[str, Row]:
    """The offline rules table: code → row (the first table with 7 columns)."""
    table = next(t for t in _tables() if t and len(t[0]) == 7)
    return {cells[0].strip("`"): Row(cells[0].strip("`"), *cells[1:]) for cells in table}


@cache
def sandbox_rows() -> dict[str, list[str]]:
    """The sandbox codes table: code → [source, reconciler's side, offline test, sandbox test]."""
    table = next(t for t in _tables() if t and len(t[0]) == 5)
    return {cells[0].strip("`"): cells[1:] for cells in table}
