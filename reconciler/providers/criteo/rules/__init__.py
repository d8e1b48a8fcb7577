"""Criteo's offline rules (pure, no I/O) on the kit's `RuleBook`: each rule has a code, the sentence of the
ad set guide or the 2027-01 specification it comes from (`QUOTES`, checked word for word by a test), and a
check that reports located diagnostics saying what is wrong and what to do. docs/criteo-rules.md lists them.

Where the guide and the spec disagree the spec wins (/work/shared/platforms/FACTS.md). A rule no vendor text
states is an `assumption`: it only warns. Types, enums, required and nullable fields, the `int32` range and
finite numbers are the manifest model's (reconciler/manifest/criteo.py), not rules.
"""

from __future__ import annotations

from collections.abc import Sequence

from reconciler.model import Diagnostic, Resource
from reconciler.providers.criteo.rules import ad_set, budget, campaign
from reconciler.providers.criteo.rules.cite import Quote
from reconciler.providers.kit.rules import RuleBook

_SETS = (campaign.RULES, ad_set.RULES, budget.RULES)
BOOK = RuleBook(rule for rules in _SETS for rule in rules.rules)
QUOTES: dict[str, tuple[Quote, ...]] = {code: q for rules in _SETS for code, q in rules.quotes.items()}
"""Rule code → the quotes of the seed documents its source is made of (empty for an assumption)."""


def validate(resources: Sequence[Resource]) -> list[Diagnostic]:
    """Every offline rule on every Criteo campaign and ad set (the registry's entry point)."""
    return BOOK.validate(resources)
