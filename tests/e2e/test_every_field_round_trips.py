"""No perpetual diffs: each owned field, edited in a manifest, plans one update, applies, plans clean."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.conftest import Result

# (what the edit is, text before, text after): applied one after the other, each to its first occurrence.
EDITS = [
    ("ad set name", "name: FR cart abandoners", "name: FR cart abandoners (summer)"),
    ("end date", "endDate: 2027-08-31T23:59:59Z", "endDate: 2027-09-15T00:00:00+02:00"),
    ("start date as a bare date", "startDate: 2027-07-01T00:00:00Z", "startDate: 2027-07-02"),
    ("no end date to an end date", "endDate: null", "endDate: 2027-12-31T00:00:00Z"),
    ("bid", "bidAmount: 1.75", "bidAmount: 1.8"),
    ("bid with more than 4 decimals", "bidAmount: 0.85", "bidAmount: 0.912345"),
    ("frequency", "{frequency: hourly, maximumImpressions: 2}", "{frequency: daily, maximumImpressions: 6}"),
    ("country set", "values: [DE, AT]", "values: [AT, DE, CH]"),
    ("subdivision operand", "subdivisions: {operand: notIn", "subdivisions: {operand: in"),
    ("zip codes from null", "zipCodes: null", "zipCodes: {operand: in, values: ['28001', '28002']}"),
    ("devices", "devices: [desktop, mobile, tablet]", "devices: [mobile]"),
    ("operating systems", "operatingSystems: [android, ios]", "operatingSystems: [ios]"),
    ("budget amount", "budgetAmount: 400", "budgetAmount: 450.5"),
    (
        "budget strategy",
        "budgetStrategy: uncapped",
        "budgetStrategy: capped\n          budgetRenewal: monthly\n"
        "          budgetDeliverySmoothing: standard\n          pacingBehavior: targetAverageDailyBudget\n"
        "          budgetAmount: 9000",
    ),
    ("lookback window", "lookbackWindow: 7D", "lookbackWindow: 30D"),
    ("audience", 'audience: "9877"', 'audience: "9876"'),
    (
        "stop a running ad set",
        "activation: on\n        bidding:\n          costController: COS",
        "activation: off\n        bidding:\n          costController: COS",
    ),
    (
        "start a stopped ad set",
        "activation: off\n        bidding:\n          costController: CPM",
        "activation: on\n        bidding:\n          costController: CPM",
    ),
    ("campaign spend limit", "spendLimitAmount: 30000", "spendLimitAmount: 42000"),
]


def test_each_edit_applies_and_leaves_no_diff(
    example: Callable[[str], Path], cli: Callable[..., Result]
) -> None:
    project = example("criteo-retargeting")
    manifest = project / "campaigns" / "retargeting.yaml"
    assert cli("apply", str(project), "--auto-approve").exit_code == 0
    for what, before, after in EDITS:
        text = manifest.read_text()
        assert before in text, what
        manifest.write_text(text.replace(before, after, 1))
        plan = cli("plan", str(project), "--detailed-exitcode")
        assert plan.exit_code == 2, f"{what}: {plan.stdout}{plan.stderr}"
        assert "0 to create, 1 to update, 0 to retire" in plan.stdout, f"{what}: {plan.stdout}"
        applied = cli("apply", str(project), "--auto-approve")
        assert applied.exit_code == 0, f"{what}: {applied.stdout}{applied.stderr}"
        again = cli("plan", str(project), "--detailed-exitcode")
        assert again.exit_code == 0, f"{what} left a diff: {again.stdout}{again.stderr}"
