"""The fake platform's one offline rule."""

from __future__ import annotations

from collections.abc import Sequence

from reconciler.model import Diagnostic, Resource
from reconciler.providers.kit.rules import Checker, Rule, RuleBook


def _size_at_most_ten(c: Checker) -> None:
    size = c.get("size")
    if isinstance(size, int) and size > 10:
        c.report("size", f"a thing's size is at most 10 (got {size})", "make it 10 or less")


BOOK = RuleBook(
    [Rule("thing-size-max-10", "Fake Ads guide: 'a size of at most 10'", ("thing",), _size_at_most_ten)]
)


def validate(resources: Sequence[Resource]) -> list[Diagnostic]:
    return BOOK.validate(resources)
