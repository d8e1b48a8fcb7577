"""Helpers for manifest tests: write a small project into a temporary directory."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from reconciler.errors import ValidationFailed
from reconciler.manifest import load_project
from reconciler.model import Diagnostic

PROJECT = """\
project: summer-sale
platforms:
  criteo:
    endpoint: sandbox
"""

VALID = """\
# yaml-language-server: $schema=../schemas/manifest.schema.json
platform: criteo
advertiserId: "12345"
campaigns:
  - key: summer-sale
    name: Summer Sale 2027
    goal: acquisition
    spendLimit:
      spendLimitType: capped
      spendLimitRenewal: monthly
      spendLimitAmount: 30000
    adSets:
      - key: fr-retargeting
        name: FR retargeting
        objective: conversions
        mediaType: display
        datasetId: "56789"
        trackingCode: utm_source=criteo
        schedule:
          startDate: 2027-06-01T00:00:00Z
          endDate: 2027-08-31T23:59:59Z
        activation: on
        bidding: {costController: COS, bidAmount: 0.12345}
        targeting:
          frequencyCapping: {frequency: daily, maximumImpressions: 3}
          geoLocation:
            countries: {operand: in, values: [FR]}
            zipCodes: null
          deliveryLimitations:
            devices: [tablet, desktop]
        budget:
          budgetStrategy: capped
          budgetRenewal: daily
          budgetAmount: 400
        audience: "9876"
  - key: existing
    campaignId: "358313"
    adSets:
      - key: de
        name: DE
        objective: visits
        mediaType: video
        datasetId: 56789
        trackingCode: x
        schedule: {startDate: "2027-06-01"}
        bidding: {costController: maxCPC}
        targeting:
          frequencyCapping: {frequency: hourly, maximumImpressions: 2}
        budget: {budgetStrategy: uncapped}
"""


def write_project(root: Path, files: dict[str, str], project: str = PROJECT) -> Path:
    """Write reconciler.yaml and the given manifest files (relative path → text) under `root`."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "reconciler.yaml").write_text(textwrap.dedent(project), encoding="utf-8")
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def errors_of(root: Path) -> list[Diagnostic]:
    """The diagnostics of the ValidationFailed that loading `root` must raise."""
    with pytest.raises(ValidationFailed) as caught:
        load_project(root)
    diagnostics = caught.value.diagnostics
    assert all(isinstance(d, Diagnostic) for d in diagnostics)
    return [d for d in diagnostics if isinstance(d, Diagnostic)]


def only(diagnostics: list[Diagnostic]) -> Diagnostic:
    assert len(diagnostics) == 1, "\n".join(str(d) for d in diagnostics)
    return diagnostics[0]


def line_of(text: str, snippet: str, nth: int = 1) -> int:
    """1-based line of the `nth` line of `text` that contains `snippet`."""
    found = [i for i, line in enumerate(textwrap.dedent(text).splitlines(), 1) if snippet in line]
    return found[nth - 1]
