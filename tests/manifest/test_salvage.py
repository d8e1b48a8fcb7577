"""Entries that pass the schema still reach the platform rules when a sibling entry fails it."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from reconciler.errors import ValidationFailed
from reconciler.manifest import load_project
from reconciler.model import Diagnostic, Resource
from tests.manifest.helpers import VALID, line_of, write_project


def test_rules_see_the_valid_entries_of_a_file_with_schema_errors_at_their_own_lines(tmp_path: Path) -> None:
    broken = VALID.replace("objective: conversions", "objective: conversion")
    seen: list[Resource] = []

    def check(resources: Sequence[Resource]) -> list[Diagnostic]:
        seen.extend(resources)
        return [Diagnostic("rule says no", field="name", address=str(r.address)) for r in resources]

    root = write_project(tmp_path, {"m.yaml": broken})
    with pytest.raises(ValidationFailed) as caught:
        load_project(root, check=check)
    messages = [(d.field, d.address, d.message) for d in caught.value.diagnostics]
    assert messages[0][0] == "campaigns.0.adSets.0.objective"
    assert [str(r.address) for r in seen] == ["criteo.campaign.summer-sale", "criteo.ad_set.existing/de"]
    de = seen[1]
    assert de.location("name").line == line_of(broken, "name: DE")
    assert de.location("").line == line_of(broken, "- key: de")
    assert ("name", "criteo.ad_set.existing/de", "rule says no") in messages


def test_nothing_is_salvaged_when_the_file_itself_is_wrong(tmp_path: Path) -> None:
    seen: list[Resource] = []

    def check(resources: Sequence[Resource]) -> list[Diagnostic]:
        seen.extend(resources)
        return []

    root = write_project(tmp_path, {"m.yaml": VALID.replace('advertiserId: "12345"', "advertiserId: abc")})
    with pytest.raises(ValidationFailed):
        load_project(root, check=check)
    assert seen == []
