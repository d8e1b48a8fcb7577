"""Resource addresses: `platform.kind.key[/child-key...]`, stable across runs and built from manifest keys."""

from __future__ import annotations

import re
from dataclasses import dataclass

_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:\-]*$")


@dataclass(frozen=True, order=True)
class Address:
    """Where a resource lives in the project, for example `<platform>.ad_set.summer-sale/fr-retargeting`."""

    platform: str
    kind: str
    path: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.platform}.{self.kind}.{'/'.join(self.path)}"

    @classmethod
    def parse(cls, text: str) -> Address:
        parts = text.split(".", 2)
        if len(parts) != 3 or not all(parts):
            raise ValueError(f"not an address: {text!r} (expected platform.kind.key)")
        return cls(parts[0], parts[1], tuple(parts[2].split("/")))

    @staticmethod
    def valid_key(key: str) -> bool:
        """A key may hold letters, digits, `-`, `_`, `.` and `:`, and starts with a letter or digit."""
        return bool(_KEY.match(key))
