"""What Criteo's rules are made of: `Quote`s of the seed documents (the ad set guide, a schema of the 2027-01
specification) and `RuleSet`, which declares each check as a kit `Rule` with its code and its source."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from reconciler.model import Severity
from reconciler.providers.kit.rules import ABSENT, Checker, Rule

GUIDE = "criteo-ad-sets.txt"
SPEC = "criteo-marketingsolutions-2027-01.openapi.json"
CAMPAIGN, AD_SET = ("campaign",), ("ad_set",)


class Quote(NamedTuple):
    """A short exact quote of a seed document: the guide, or a schema of the spec (`path` below
    `#/components/schemas/`, its text a substring of that node's descriptions or JSON)."""

    document: str
    text: str
    path: str = ""

    def __str__(self) -> str:
        where = f"{SPEC} #/components/schemas/{self.path}" if self.document == SPEC else self.document
        return f"{where}: “{self.text}”"


def guide(text: str) -> Quote:
    return Quote(GUIDE, text)


def spec(path: str, text: str) -> Quote:
    return Quote(SPEC, text, path)


Check = Callable[[Checker], None]


class RuleSet:
    """Rules declared with `@rules.rule(code, kinds, *quotes)` on their check; `quotes` keeps each code's
    quotes (none for an assumption) so a test can find every one in the documents."""

    def __init__(self) -> None:
        self.rules: list[Rule] = []
        self.quotes: dict[str, tuple[Quote, ...]] = {}

    def rule(
        self,
        code: str,
        kinds: tuple[str, ...],
        *quotes: Quote,
        assumption: str = "",
        severity: Severity = Severity.ERROR,
    ) -> Callable[[Check], Check]:
        """Declare the decorated check as the rule `code`, sourced by `quotes` or, with no vendor text, an
        `assumption` (the reason it still warns)."""

        def declare(check: Check) -> Check:
            source = "; ".join(str(q) for q in quotes) if quotes else f"assumption: {assumption}"
            self.quotes[code] = quotes
            self.rules.append(Rule(code, source, kinds, check, severity, assumption=not quotes))
            return check

        return declare


def lower(value: Any) -> Any:
    """Enum values compare case-insensitively (the manifest already gives the canonical spelling)."""
    return value.lower() if isinstance(value, str) else value


def given(value: Any) -> bool:
    """Set to something other than null."""
    return value is not ABSENT and value is not None


def must_be_null(c: Checker, path: str, message: str, hint: str) -> None:
    """Report the field at `path` when it is set to something other than null (`{value}` in `message`)."""
    value = c.get(path)
    if given(value):
        c.report(path, message.format(value=value), hint)
