"""The HTML plan report: one self-contained file (nothing fetched) with the summary, the money, the flight
timeline and the changes; checked as text and, as a browser shows it, in headless Chromium."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import yaml

from reconciler.plan.file import PlanFile
from reconciler.render import render_html
from tests.conftest import REPO, Result
from tests.render.big_plan import big_plan
from tests.render.chromium import chromium

US_FLIGHT = "amazon_dsp.campaign.aurora-us"


def moved_and_raised(cli: Callable[..., Result], project: Path) -> PlanFile:
    """global-rollout applied, then the US flight moved two weeks later (start and end) and the US Amazon
    budget raised from 9,000 to 12,000; the plan saved to plan.json and returned."""
    assert cli("apply", str(project), "--auto-approve").exit_code == 0
    markets = project / "markets.yaml"
    markets.write_text(markets.read_text().replace("amazon_budget: 9000 ", "amazon_budget: 12000 "))
    template = project / "campaigns" / "amazon-dsp.yaml.j2"
    text = template.read_text()
    dates = "{startDateTime: {{ launch_start }}, endDateTime: {{ launch_end }}"
    assert dates in text
    template.write_text(
        text.replace(
            dates,
            "{startDateTime: {{ '2030-03-15T00:00:00Z' if each.key == 'us' else launch_start }}, "
            "endDateTime: {{ '2030-06-15T23:59:59Z' if each.key == 'us' else launch_end }}",
        )
    )
    planned = cli("plan", str(project), "-o", str(project / "plan.json"))
    assert planned.exit_code == 0, planned.stderr
    return PlanFile.model_validate_json((project / "plan.json").read_text())


def test_plan_writes_a_self_contained_report_with_summary_money_and_causes(
    cli: Callable[..., Result], example: Callable[[str], Path]
) -> None:
    project = example("global-rollout")
    plan = moved_and_raised(cli, project)
    written = cli("plan", str(project), "--format", "html", "-o", str(project / "plan.html"))
    assert written.exit_code == 0, written.stderr
    assert written.stdout == "" and "Wrote the html plan to" in written.stderr
    page = (project / "plan.html").read_text()
    assert page.startswith("<!DOCTYPE html>")
    assert "Plan: 0 to create, 2 to update, 0 to retire." in page
    # Money per platform and currency: the flight budget total rises by 3,000 USD.
    assert re.search(
        r"<td>amazon_dsp</td><td>USD</td><td>total flight budget</td><td>9,000</td><td>12,000</td>", page
    )
    assert "<td>+3,000</td>" in page
    # Changes per platform with their causes.
    assert 'data-platform="amazon_dsp"' in page and f'data-address="{US_FLIGHT}"' in page
    assert '<span class="cause manifest">manifest edit</span>' in page
    assert f'class="row head" data-address="{US_FLIGHT}"' in page
    assert len(re.findall(r'class="bar span ', page)) == sum(len(e.spans) for e in plan.timeline)
    # Nothing is fetched: no external script, style sheet, image, font or frame.
    assert not re.search(r"<(script|img|iframe|link)[^>]+(src|href)=\"(?!data:)", page)
    assert "@import" not in page and "url(" not in page
    assert not re.search(r"(src|href)=\"https?:", page)


def test_show_renders_a_saved_plan_to_stdout_or_a_file(
    cli: Callable[..., Result], example: Callable[[str], Path]
) -> None:
    project = example("global-rollout")
    assert cli("plan", str(project), "-o", str(project / "plan.json")).exit_code == 0
    printed = cli("show", str(project / "plan.json"), "--format", "html")
    assert printed.exit_code == 0 and printed.stdout.startswith("<!DOCTYPE html>")
    saved = cli("show", str(project / "plan.json"), "--format", "html", "-o", str(project / "report.html"))
    assert saved.exit_code == 0 and saved.stdout == ""
    assert (project / "report.html").read_text() == printed.stdout


def test_a_plan_with_no_dates_says_so(cli: Callable[..., Result], example: Callable[[str], Path]) -> None:
    page = cli("plan", str(example("applovin-ua")), "--format", "html").stdout
    assert "No object of this plan has dates." in page and "Plan: 13 to create" in page


def test_report_in_headless_chromium_shows_the_moved_flight_before_and_after(
    cli: Callable[..., Result], example: Callable[[str], Path], tmp_path: Path
) -> None:
    project = example("global-rollout")
    plan = moved_and_raised(cli, project)
    report = tmp_path / "plan.html"
    assert cli("show", str(project / "plan.json"), "--format", "html", "-o", str(report)).exit_code == 0
    with chromium() as page:
        page.load(report)
        page.settle()
        # One row per dated object, one bar per span of it.
        rows = page.evaluate(
            "Object.fromEntries([...document.querySelectorAll('.row[data-address]')].map("
            "r => [r.dataset.address, r.querySelectorAll('.bar.span').length]))"
        )
        assert rows == {e.address: len(e.spans) for e in plan.timeline}
        assert len(rows) == 9
        # The moved US flight: a dashed bar where it was, a changed bar where it goes, to the right.
        moved = page.evaluate(
            f"[...document.querySelectorAll('.row[data-address=\"{US_FLIGHT}\"] .bar')].map(b => "
            "({cls: b.className, side: b.dataset.side, text: b.textContent, "
            "left: b.getBoundingClientRect().left, width: b.getBoundingClientRect().width}))"
        )
        assert [(b["cls"], b["side"]) for b in moved] == [
            ("bar ghost", "before"),
            ("bar span change", "after"),
        ]
        ghost, bar = moved
        assert bar["left"] > ghost["left"] + 10 and bar["text"] == "9,000 → 12,000"
        # The other markets are unchanged; the US ad group's budget rises with its dates kept.
        states = page.evaluate(
            "Object.fromEntries([...document.querySelectorAll('.row[data-address]')].map("
            "r => [r.dataset.address, r.querySelector('.bar.span').className]))"
        )
        assert states["amazon_dsp.campaign.aurora-gb"] == "bar span same"
        assert states["amazon_dsp.ad_group.aurora-us/display"] == "bar span change"
        # Hovering the moved flight shows its details before → after.
        x, y = page.evaluate(
            f"(r => [r.left + r.width / 2, r.top + r.height / 2])(document.querySelector("
            f"'.row[data-address=\"{US_FLIGHT}\"] .bar.span').getBoundingClientRect())"
        )
        page.hover(x, y)
        tip = page.evaluate(
            "[document.getElementById('tip').hidden, document.getElementById('tip').textContent]"
        )
        assert tip[0] is False
        assert "start: 2030-03-01T00:00:00Z → 2030-03-15T00:00:00Z" in tip[1]
        assert "budget: 9,000 USD → 12,000 USD (flight budget)" in tip[1]
        # Today's line: drawn when today is inside the timeline, else a note says where today is.
        today = page.evaluate(
            "[document.getElementById('today').hidden, document.getElementById('today-note').textContent]"
        )
        assert (
            today[0] is False or "is before this timeline" in today[1] or "is after this timeline" in today[1]
        )
        page.screenshot(tmp_path / "plan.png")
        assert page.errors() == []
        assert page.requests() == [report.resolve().as_uri()]
    assert (tmp_path / "plan.png").read_bytes().startswith(b"\x89PNG")


def test_a_report_of_two_thousand_objects_is_grouped_and_collapsed_by_campaign(tmp_path: Path) -> None:
    """Structure at scale; the 2-second load bound is measured in bench/bench_html_report.py."""
    plan = big_plan(400)
    assert len(plan.timeline) == 2000
    report = tmp_path / "big.html"
    report.write_text(render_html(plan))
    with chromium() as page:
        seconds = page.load(report)
        page.settle()
        shape = page.evaluate(
            "({rows: document.querySelectorAll('.row[data-address]').length,"
            " bars: document.querySelectorAll('.bar.span').length,"
            " groups: document.querySelectorAll('details.group').length,"
            " open: document.querySelectorAll('details.group[open]').length,"
            " shown: [...document.querySelectorAll('.row[data-address]')].filter(r => r.checkVisibility())"
            ".length})"
        )
        assert shape["rows"] == 2000 and shape["groups"] == 400
        assert shape["bars"] == sum(len(e.spans) for e in plan.timeline)
        # Too many changed campaigns to open them all: every group starts closed, showing its own row only.
        assert shape["open"] == 0 and shape["shown"] == 200  # the Amazon campaigns' rows (their flights)
        page.evaluate("document.querySelector('button[data-do=open]').click()")
        assert page.evaluate("document.querySelectorAll('details.group[open]').length") == 400
        page.evaluate("document.getElementById('only-changes').click()")
        unchanged = "document.querySelector('details.group[data-changed=\"0\"]').checkVisibility()"
        assert page.evaluate(unchanged) is False
        assert page.errors() == [] and page.requests() == [report.resolve().as_uri()]
    assert seconds < 15, f"the 2,000-object report took {seconds:.1f}s to load (bench: under 2 s)"


def test_a_small_report_opens_its_changed_campaigns() -> None:
    page = render_html(big_plan(1))  # one new Amazon campaign: a flight, two ad groups, two creatives
    assert page.count('<details class="group"') == 1 and '" open><summary>' in page
    assert page.count('class="bar span create"') == 5


def test_the_ci_workflow_uploads_the_report_and_links_it_from_the_comment() -> None:
    workflow = yaml.safe_load((REPO / "examples" / "ci" / "reconciler.yml").read_text())
    steps = workflow["jobs"]["plan"]["steps"]
    names = [s.get("name", "") for s in steps]
    render = next(s for s in steps if "--format html" in s.get("run", ""))
    assert render["run"].strip() == "reconciler show plan.json --format html -o plan.html"
    upload = next(s for s in steps if s.get("with", {}).get("path") == "plan.html")
    assert upload["uses"].startswith("actions/upload-artifact") and upload["id"] == "report"
    comment = next(s for s in steps if "gh pr comment" in s.get("run", ""))
    assert "steps.report.outputs.artifact-url" in comment["run"]
    assert names.index(render["name"]) < names.index(upload["name"]) < names.index(comment["name"])
