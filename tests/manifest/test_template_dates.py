"""Dates printed by templates: ISO 8601 as manifests write them, so `reconciler render` shows what a
hand-written manifest would hold (issue 15: it printed `2030-03-01 00:00:00+00:00`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

from reconciler.manifest.templates import render_template
from tests.conftest import Result


def test_render_prints_the_global_rollout_dates_in_iso_form(
    cli: Callable[..., Result], example: Callable[[str], Path]
) -> None:
    rendered = cli("render", str(example("global-rollout")))
    assert rendered.exit_code == 0, rendered.stderr
    assert "startDateTime: 2030-03-01T00:00:00Z, endDateTime: 2030-05-31T23:59:59Z" in rendered.stdout
    assert "startDate: 2030-03-01T00:00:00Z" in rendered.stdout  # the Criteo ad sets
    assert "+00:00" not in rendered.stdout and "2030-03-01 00:00:00" not in rendered.stdout


def test_dates_of_every_form_print_as_iso_8601() -> None:
    values = {
        "utc": datetime(2030, 3, 1, tzinfo=UTC),
        "paris": datetime(2030, 3, 1, 9, 30, tzinfo=timezone(timedelta(hours=1))),
        "naive": datetime(2030, 3, 1, 12, 0),
        "day": date(2030, 3, 1),
    }
    [manifest], problems = render_template("{{ utc }} {{ paris }} {{ naive }} {{ day }} {{ 3 }}", "t", values)
    assert problems == []
    assert manifest.text == "2030-03-01T00:00:00Z 2030-03-01T09:30:00+01:00 2030-03-01T12:00:00 2030-03-01 3"
