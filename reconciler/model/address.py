"""Resource addresses: `platform.kind.key[/child-key...]`, stable across runs and built from manifest keys."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:\-]*$")


@dataclass(frozen=True, order=True, slots=True)
class Address:
    """Where a resource lives in the project, for example `<platform>.ad_set.summer-sale/fr-retargeting`.

    A plan looks addresses up in mappings many times per resource: the hash and the text are computed once.
    """

    platform: str
    kind: str
    path: tuple[str, ...]
    _hash: int = field(init=False, repr=False, compare=False)
    _text: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_hash", hash((self.platform, self.kind, self.path)))
        object.__setattr__(self, "_text", f"{self.platform}.{self.kind}.{'/'.join(self.path)}")

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if not isinstance(other, Address):
            return NotImplemented
        return (
            self._hash == other._hash
            and self.path == other.path
            and self.kind == other.kind
            and self.platform == other.platform
        )

    def __str__(self) -> str:
        return self._text

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
