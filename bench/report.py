"""The benchmark's table: one row per figure with its measured value, the bound it is compared with, the
ratio, the acceptance rule and PASS / FAIL (or `-` for a figure shown for information)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TextIO


@dataclass
class Row:
    figure: str
    value: float | None
    unit: str = ""
    bound: float | None = None
    """The lower bound the value is compared with (ratio = value / bound), if any."""
    accept: str = ""
    """The acceptance rule in words, e.g. `≤ 1.05× bound` or `≤ 4 s`."""
    ok: bool | None = None
    """Whether the rule holds; None for a figure shown for information."""

    @property
    def ratio(self) -> float | None:
        if self.value is None or not self.bound:
            return None
        return self.value / self.bound


@dataclass
class Section:
    title: str
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, row: Row) -> Row:
        self.rows.append(row)
        return row


def at_most(value: float | None, limit: float) -> bool | None:
    return None if value is None else value <= limit


def at_least(value: float | None, limit: float) -> bool | None:
    return None if value is None else value >= limit


def _number(value: float | None, unit: str) -> str:
    if value is None:
        return "n/a"
    if unit == "bool":
        return "yes" if value else "no"
    if float(value).is_integer() or abs(value) >= 100:
        text = f"{value:,.0f}"
    elif abs(value) >= 1:
        text = f"{value:.2f}"
    else:
        text = f"{value:.3f}"
    return f"{text} {unit}".rstrip()


def render(sections: list[Section], out: TextIO) -> None:
    """Print every section as an aligned text table, then a PASS/FAIL count."""
    header = ("figure", "measured", "bound", "ratio", "acceptance", "verdict")
    lines: list[tuple[str, ...] | str] = []
    for section in sections:
        lines.append(f"== {section.title}")
        for row in section.rows:
            verdict = "-" if row.ok is None else ("PASS" if row.ok else "FAIL")
            ratio = "" if row.ratio is None else f"{row.ratio:.2f}x"
            bound = "" if row.bound is None else _number(row.bound, row.unit)
            lines.append((row.figure, _number(row.value, row.unit), bound, ratio, row.accept, verdict))
        lines.extend(f"   note: {note}" for note in section.notes)
    cells = [line for line in lines if isinstance(line, tuple)]
    widths = [max(len(str(c[i])) for c in [header, *cells]) for i in range(len(header))]

    def fmt(cells: tuple[str, ...]) -> str:
        left = [cells[0].ljust(widths[0])]
        right = [cells[i].rjust(widths[i]) for i in (1, 2, 3)]
        return "  ".join([*left, *right, cells[4].ljust(widths[4]), cells[5]])

    out.write(fmt(header) + "\n")
    for line in lines:
        out.write((line if isinstance(line, str) else fmt(line)) + "\n")
    verdicts = [r.ok for s in sections for r in s.rows if r.ok is not None]
    out.write(f"\n{verdicts.count(True)} PASS, {verdicts.count(False)} FAIL\n")
    out.flush()


def save(sections: list[Section], path: Path) -> None:
    """The table as JSON (for comparing runs)."""
    data = [{"title": s.title, "notes": s.notes, "rows": [asdict(r) for r in s.rows]} for s in sections]
    path.write_text(json.dumps(data, indent=1) + "\n")
