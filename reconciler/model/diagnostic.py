"""Diagnostics: one problem in the input, located by file, line, column and field path."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Diagnostic:
    """What is wrong, where (file:line:column and field), and what to do."""

    message: str
    file: str = ""
    line: int = 0
    column: int = 0
    field: str = ""
    hint: str = ""
    severity: Severity = Severity.ERROR
    address: str = ""
    rule: str = ""
    """The code of the platform rule that found it (listed in docs/<platform>-rules.md), if any."""

    def __str__(self) -> str:
        where = self.file or "<project>"
        if self.line:
            where += f":{self.line}:{self.column}"
        parts = [f"{where}: {self.severity.value}"]
        if self.address:
            parts.append(f" {self.address}")
        if self.field:
            parts.append(f" field `{self.field}`")
        text = "".join(parts) + f": {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text
