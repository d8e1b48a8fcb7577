"""The live progress of an apply: step lines in aligned columns as steps finish, heartbeats saying what the
apply waits for, the terminal's bars per platform, and the apply's report keeping its summary."""

from __future__ import annotations

import asyncio
import io
import re
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx
from rich.console import Console

from reconciler.apply import events
from reconciler.apply.events import StepOutcome
from reconciler.apply.executor import ApplyReport
from reconciler.model import Address, Operation, Verb
from reconciler.providers.kit.http import HttpSession, Timing
from reconciler.render import render_apply_report
from reconciler.render.live import LiveDisplay
from reconciler.render.progress import LinePrinter, apply_progress
from tests.conftest import Result

LONG = "create_creative_association_with_a_long_name"


def outcome(verb: str, address: str, ok: bool = True, elapsed: float = 0.5) -> StepOutcome:
    parsed = Address.parse(address)
    return StepOutcome(
        Operation(f"{verb}:{address}", parsed, Verb(verb, verb)), ok, "" if ok else "409 taken", elapsed
    )


class Lines:
    """Collects printed lines with the moment each arrived."""

    def __init__(self) -> None:
        self.lines: list[tuple[float, str]] = []
        self.lock = threading.Lock()

    def __call__(self, text: str) -> None:
        with self.lock:
            self.lines.append((time.monotonic(), text))

    def texts(self) -> list[str]:
        return [text for _, text in self.lines]


def address_column(lines: list[str]) -> set[int]:
    """Where the address starts on each step line."""
    return {m.start(1) for line in lines if (m := re.search(r" ((?:criteo|applovin|amazon_dsp)\.\S+)", line))}


def test_each_step_is_a_line_as_it_finishes_in_aligned_columns() -> None:
    lines = Lines()
    verbs = ["create_campaign", LONG, "patch_ad_set"]
    with LinePrinter(lines, verbs, heartbeat=60) as printer:
        printer.planned({"criteo": 2, "amazon_dsp": 1})
        printer.step(outcome("create_campaign", "criteo.campaign.summer", elapsed=0.25))
        printer.step(outcome(LONG, "amazon_dsp.creative_association.q1/display/hero", elapsed=1.5))
        printer.step(outcome("patch_ad_set", "criteo.ad_set.summer/fr", ok=False, elapsed=12.75))
    texts = lines.texts()
    assert texts[0] == "Applying 3 step(s): amazon_dsp 1, criteo 2."
    assert texts[1].startswith("    0.2s  ok     create_campaign ")
    assert texts[2].startswith(f"    1.5s  ok     {LONG} amazon_dsp.")
    assert texts[3].startswith("   12.8s  FAILED patch_ad_set ") and texts[3].endswith(": 409 taken")
    assert len(address_column(texts[1:])) == 1, texts


class Clock:
    """A clock the test moves; the heartbeat thread reads it."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def beats_after(lines: Lines, clock: Clock, moment: float, expected: int) -> list[str]:
    """Move the clock, give the heartbeat thread time to look, and return the beats so far."""
    clock.now = moment
    deadline = time.monotonic() + 5
    while True:
        beats = [text for text in lines.texts() if "  wait   " in text]
        if len(beats) >= expected or time.monotonic() > deadline:
            time.sleep(0.3)  # and no more than expected
            return [text for text in lines.texts() if "  wait   " in text]
        time.sleep(0.02)


def test_a_heartbeat_says_what_the_apply_waits_for_while_no_step_finishes() -> None:
    lines, clock = Lines(), Clock()
    with LinePrinter(lines, ["upload_asset"], heartbeat=4.0, clock=clock) as printer:
        printer.planned({"applovin": 3, "criteo": 2})
        printer.step(outcome("upload_asset", "applovin.asset.c/s/IMG"))
        events.waiting("applovin", "2 asset(s) processing")
        assert beats_after(lines, clock, 3.9, 0) == []
        assert beats_after(lines, clock, 4.1, 1) == ["    4.1s  wait   applovin: 2 asset(s) processing"]
        # Beats back off (4 s, then 8 s, 16 s ... of silence); with no new wait, they name what is left.
        assert len(beats_after(lines, clock, 12.0, 1)) == 1
        assert beats_after(lines, clock, 12.2, 2)[1] == (
            "   12.2s  wait   waiting for applovin (2 of 3 step(s) left); "
            "waiting for criteo (2 of 2 step(s) left)"
        )
        printer.note("AppLovin: waiting, 1 asset(s) processing")
        assert (
            beats_after(lines, clock, 28.3, 3)[2]
            == "   28.3s  wait   AppLovin: waiting, 1 asset(s) processing"
        )
        # A finished step starts the count again.
        printer.step(outcome("upload_asset", "applovin.asset.c/s/TXT", elapsed=29.0))
        assert len(beats_after(lines, clock, 32.2, 3)) == 3
        assert len(beats_after(lines, clock, 32.4, 4)) == 4
    assert not events.WAITING.handlers  # the display let go of the waiting logger


def test_a_finished_step_resets_the_heartbeat() -> None:
    lines = Lines()
    with LinePrinter(lines, heartbeat=0.3) as printer:
        printer.planned({"criteo": 6})
        for n in range(6):
            printer.step(outcome("patch_ad_set", f"criteo.ad_set.c/{n}"))
            time.sleep(0.1)
    assert not [text for text in lines.texts() if "wait" in text]


def test_the_terminal_display_draws_a_bar_per_platform_with_counts_rate_and_eta() -> None:
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=140, color_system=None)
    display = LiveDisplay(["create_campaign", LONG], heartbeat=60, console=console)
    with display:
        display.planned({"criteo": 2, "amazon_dsp": 3})
        display.step(outcome("create_campaign", "criteo.campaign.summer"))
        display.step(outcome(LONG, "amazon_dsp.creative_association.q1/display/hero", ok=False))
        events.waiting("amazon_dsp", "throttled (429), retrying in 2.0s")
        assert display.bars.status == "amazon_dsp: throttled (429), retrying in 2.0s"
        display.bars.refresh()
    shown = screen.getvalue()
    assert re.search(r"criteo\s+━+\S*\s+1 done · 0 failed · 1 left", shown), shown
    assert re.search(r"amazon_dsp\s+\S+\s+1 done · 1 failed · 2 left", shown), shown
    assert "steps/s" in shown and "ETA" in shown
    assert f"FAILED {LONG} amazon_dsp.creative_association.q1/display/hero: 409 taken" in shown
    assert "⏳ amazon_dsp: throttled (429), retrying in 2.0s" in shown


def test_the_terminal_display_is_chosen_only_for_a_terminal() -> None:
    assert isinstance(apply_progress([], print, terminal=True), LiveDisplay)
    assert isinstance(apply_progress([], print, terminal=False), LinePrinter)


def test_apply_step_columns_stay_aligned_with_long_step_names(
    cli: Callable[..., Result], example: Callable[[str], Path]
) -> None:
    """Issue 15: `create_creative_set` (19 characters) pushed its address out of line."""
    result = cli("apply", str(example("applovin-ua")), "--auto-approve")
    assert result.exit_code == 0, result.stderr
    steps = [line for line in result.stdout.splitlines() if re.match(r"\s+\d+\.\ds  (ok|FAILED) ", line)]
    assert len(steps) == 13 and any("create_creative_set applovin." in s for s in steps)
    assert len(address_column(steps)) == 1, "\n".join(steps)
    assert result.stdout.rstrip().endswith("Apply complete: 13 step(s) done.")
    assert result.stdout.count("applovin.campaign.puzzle-ios") == 2  # the plan, the create: once each


def test_the_report_aligns_its_step_lines_when_no_display_printed_them() -> None:
    report = ApplyReport(
        outcomes=[
            outcome("create_campaign", "criteo.campaign.summer"),
            outcome(LONG, "amazon_dsp.creative_association.q1/display/hero"),
        ]
    )
    text = render_apply_report(report)
    assert len(address_column(text.splitlines())) == 1, text
    assert render_apply_report(report, steps=False) == "\nApply complete: 2 step(s) done.\n"


def test_a_throttled_call_is_heard_as_a_wait() -> None:
    """`HttpSession` says it waits when the platform answers 429; the display hears it."""
    answers = iter([httpx.Response(429, headers={"retry-after": "1"}), httpx.Response(200, json={})])
    slept: list[float] = []

    async def sleep(seconds: float) -> None:  # fake time: a sleep moves the clock on
        slept.append(seconds)

    def clock() -> float:
        return sum(slept)

    session = HttpSession(
        "http://platform.test",
        transport=httpx.MockTransport(lambda r: next(answers)),
        label="Criteo",
        timing=Timing(clock=clock, wall=clock, sleep=sleep),
    )
    with LinePrinter(Lines(), heartbeat=60) as printer:
        response = asyncio.run(session.send("GET", "/ad-sets"))
        assert response.status_code == 200 and slept == [1.05]
        assert printer.waits == {"Criteo": "throttled (429), retrying in 1.1s"}
