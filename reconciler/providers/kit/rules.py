"""The offline rule checker: each platform declares its rules as data (a code, the vendor sentence or
specification path it comes from, the kinds it applies to, and a check); `RuleBook.validate` runs them on
the manifests' resources with no I/O and returns located diagnostics that carry the rule's code.

A rule without a vendor source is an *assumption*: it can only warn. docs/<platform>-rules.md lists every
code (a test checks it), so each refusal can be traced to the sentence that justifies it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, TypeGuard

from reconciler.model import Address, Diagnostic, Resource, Severity
from reconciler.providers.base import located

ABSENT: Any = object()
"""What `Checker.get` returns for a field the manifest does not set."""


@dataclass(frozen=True)
class Rule:
    """One vendor rule. `source`: the document and a short quote, or the specification's schema path;
    `assumption`: no vendor text states it (the rule then only warns)."""

    code: str
    source: str
    kinds: tuple[str, ...]
    check: Callable[[Checker], None]
    severity: Severity = Severity.ERROR
    assumption: bool = False

    def __post_init__(self) -> None:
        if not self.source.strip():
            raise ValueError(f"rule {self.code} has no source")

    @property
    def level(self) -> Severity:
        return Severity.WARNING if self.assumption else self.severity


@dataclass
class Checker:
    """The view one rule has of one resource: its fields, its parent and siblings, and `report` (into
    `out`)."""

    resource: Resource
    rule: Rule
    by_address: Mapping[Address, Resource]
    children_of: Mapping[Address, Sequence[Resource]]
    out: list[Diagnostic]
    memo: dict[str, Any] = field(default_factory=dict)
    """Values derived from the resource once for all its rules (the resource does not change meanwhile)."""

    @property
    def attributes(self) -> dict[str, Any]:
        return self.resource.attributes

    def get(self, path: str, default: Any = ABSENT) -> Any:
        """The value at a dotted path (`budget.budgetAmount`, `flights.0.endDateTime`), else `default`."""
        node: Any = self.resource.attributes
        if "." not in path and path and isinstance(node, dict):  # one field, the common case
            return node.get(path, default)
        for part in _parts(path):
            if isinstance(node, dict):  # the common case first: a Mapping check costs an ABC lookup
                if part not in node:
                    return default
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            elif isinstance(node, Mapping) and part in node:
                node = node[part]
            else:
                return default
        return node

    def has(self, path: str) -> bool:
        return self.get(path) is not ABSENT

    def parent(self, kind: str | None = None) -> Resource | None:
        """The parent resource in the manifests (of `kind`, when given)."""
        found = self.by_address.get(self.resource.parent) if self.resource.parent else None
        return found if found is not None and (kind is None or found.address.kind == kind) else None

    def children(self, kind: str | None = None) -> list[Resource]:
        return [r for r in self.children_of.get(self.resource.address, ()) if kind in (None, r.address.kind)]

    def siblings(self, kind: str | None = None) -> list[Resource]:
        """The other resources under the same parent (of `kind`, when given)."""
        under = self.children_of.get(self.resource.parent, ()) if self.resource.parent else ()
        return [r for r in under if r is not self.resource and kind in (None, r.address.kind)]

    def report(self, path: str, message: str, hint: str, severity: Severity | None = None) -> None:
        """A problem with a field, located where the manifest wrote it (or its nearest parent)."""
        level = self.rule.level if severity is None or self.rule.assumption else severity
        self.out.append(located(self.resource, path, message, hint, level, self.rule.code))


Check = Callable[[Checker], None]


def number(value: Any) -> TypeGuard[float]:
    """A number as the manifest gives one (a boolean is not one)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def positive(path: str, message: str, hint: str) -> Check:
    """A check that the number at `path`, where one is set, is greater than 0 (`{value}` in `message`)."""

    def check(c: Checker) -> None:
        value = c.get(path)
        if number(value) and value <= 0:
            c.report(path, message.format(value=value), hint)

    return check


def matching(path: str, pattern: str, message: str, hint: str) -> Check:
    """A check that the text at `path`, where one is set, matches `pattern` (`{value}` in `message`)."""
    compiled = re.compile(pattern)

    def check(c: Checker) -> None:
        value = c.get(path)
        if isinstance(value, str) and not compiled.match(value):
            c.report(path, message.format(value=value), hint)

    return check


def each_matching(path: str, pattern: str, message: str, hint: str) -> Check:
    """A check that every item of the list at `path` matches `pattern` (`{wrong}` in `message`: the items
    that do not)."""
    compiled = re.compile(pattern)

    def check(c: Checker) -> None:
        values = c.get(path)
        wrong = [v for v in values if not compiled.match(str(v))] if isinstance(values, list) else []
        if wrong:
            c.report(path, message.format(wrong=", ".join(map(repr, wrong))), hint)

    return check


def not_blank(path: str, message: str, hint: str) -> Check:
    """A check that the text at `path`, where one is set, is not empty or blank."""

    def check(c: Checker) -> None:
        value = c.get(path)
        if isinstance(value, str) and not value.strip():
            c.report(path, message, hint)

    return check


class RuleBook:
    """A platform's offline rules."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        self.rules = list(rules)
        codes = [r.code for r in self.rules]
        duplicated = sorted({c for c in codes if codes.count(c) > 1})
        if duplicated:
            raise ValueError(f"rule codes declared twice: {', '.join(duplicated)}")

    def codes(self) -> set[str]:
        return {r.code for r in self.rules}

    def validate(self, resources: Sequence[Resource]) -> list[Diagnostic]:
        """Every rule on every resource of its kinds, in manifest order."""
        by_address = {r.address: r for r in resources}
        children: dict[Address, list[Resource]] = {}
        for resource in resources:
            if resource.parent is not None:
                children.setdefault(resource.parent, []).append(resource)
        by_kind: dict[str, list[Rule]] = {}
        for rule in self.rules:
            for kind in rule.kinds:
                by_kind.setdefault(kind, []).append(rule)
        out: list[Diagnostic] = []
        for resource in resources:
            rules = by_kind.get(resource.address.kind, ())
            if not rules:
                continue
            checker = Checker(resource, rules[0], by_address, children, out)
            for rule in rules:
                checker.rule = rule
                rule.check(checker)
        return out


@lru_cache(maxsize=1024)
def _parts(path: str) -> tuple[str, ...]:
    return tuple(path.split(".")) if path else ()
