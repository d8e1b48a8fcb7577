"""The live progress of an apply: what the operator sees while the steps run.

Two displays hear the same events (`reconciler.apply.events`): the executor's totals and each step as it
finishes, the waits logged on the `reconciler.waiting` logger (throttling, asynchronous processing), and
the platforms' notes after the steps (`note`):
- `LinePrinter`, when the output is not a terminal (CI logs): one line per step as it finishes, with the
  seconds since the apply started, in aligned columns; and a heartbeat line while no step finished for a
  few seconds, saying what the apply waits for;
- `reconciler.render.live.LiveDisplay` on a terminal: bars per platform (done, failed, remaining, elapsed,
  rate, ETA) that update as steps finish, built on `rich` (imported only then, so other commands start
  fast).
Use one as a context manager around `engine.apply_plan(..., progress=display, note=display.note)`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from types import TracebackType

from reconciler.apply.events import WAITING, StepOutcome
from reconciler.render.text import step_line, step_width

HEARTBEAT = 4.0
"""Seconds without a finished step before the first heartbeat; later ones come at twice the last gap."""
HEARTBEAT_MAX = 30.0


class _Waits(logging.Handler):
    """Passes the `reconciler.waiting` records (with their `platform` and `what`) to a display."""

    def __init__(self, hear: Callable[[str, str], None]) -> None:
        super().__init__(logging.INFO)
        self.hear = hear

    def emit(self, record: logging.LogRecord) -> None:
        self.hear(str(getattr(record, "platform", "")), str(getattr(record, "what", record.getMessage())))


class ApplyWatcher:
    """What both displays share: counts per platform, the latest waits, and a heartbeat thread that calls
    `beat` when nothing finished for a while. Subclasses say how to show a step, a beat and the end."""

    def __init__(
        self,
        verbs: Iterable[str] = (),
        heartbeat: float = HEARTBEAT,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.width = step_width(verbs)
        self.heartbeat = heartbeat
        self.clock = clock
        self.started = self.last_step = clock()
        self.totals: dict[str, int] = {}
        self.done: dict[str, int] = {}
        self.failed: dict[str, int] = {}
        self.waits: dict[str, str] = {}
        """The latest wait per platform ("" for a note) since the last line shown."""
        self.lock = threading.RLock()
        self._quiet_since = self.started
        self._gap = heartbeat
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._handler = _Waits(self.waiting)
        self._level = WAITING.level

    # -- the ApplyProgress protocol ---------------------------------------------------------------------

    def planned(self, totals: Mapping[str, int]) -> None:
        with self.lock:
            self.started = self._quiet_since = self.last_step = self.clock()
            self.totals = dict(totals)
            self.done = dict.fromkeys(totals, 0)
            self.failed = dict.fromkeys(totals, 0)
            self.show_plan()

    def step(self, outcome: StepOutcome) -> None:
        with self.lock:
            platform = outcome.platform
            self.done[platform] = self.done.get(platform, 0) + 1
            if not outcome.ok:
                self.failed[platform] = self.failed.get(platform, 0) + 1
            self.waits.clear()
            self._quiet_since = self.last_step = self.clock()
            self._gap = self.heartbeat
            self.show_step(outcome)

    # -- waits ------------------------------------------------------------------------------------------

    def waiting(self, platform: str, what: str) -> None:
        """A platform's work waits (a `reconciler.waiting` record)."""
        with self.lock:
            self.waits[platform] = what
            self.show_wait()

    def note(self, text: str) -> None:
        """A note of a platform after the steps (`Provider.settle`, e.g. assets still processing)."""
        self.waiting("", text)

    def remaining(self) -> dict[str, int]:
        return {p: n - self.done.get(p, 0) for p, n in self.totals.items() if n > self.done.get(p, 0)}

    def waiting_for(self) -> str:
        """What the apply waits for, in words: the latest waits, else the platforms with steps left."""
        if self.waits:
            return "; ".join(f"{p}: {w}" if p else w for p, w in sorted(self.waits.items()))
        left = self.remaining()
        if not left:
            return "waiting for the platforms to finish processing"
        return "; ".join(
            f"waiting for {p} ({n} of {self.totals[p]} step(s) left)" for p, n in sorted(left.items())
        )

    def elapsed(self) -> float:
        return self.clock() - self.started

    # -- the heartbeat thread ---------------------------------------------------------------------------

    def __enter__(self) -> ApplyWatcher:
        WAITING.addHandler(self._handler)
        if not WAITING.isEnabledFor(logging.INFO):
            WAITING.setLevel(logging.INFO)
        self._thread = threading.Thread(target=self._beat_loop, name="reconciler-heartbeat", daemon=True)
        self._thread.start()
        self.open()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        WAITING.removeHandler(self._handler)
        WAITING.setLevel(self._level)
        self.close()

    def _beat_loop(self) -> None:
        while not self._stop.wait(min(0.25, self.heartbeat / 4)):
            with self.lock:
                if self.clock() - self._quiet_since < self._gap:
                    continue
                self.beat()
                self.waits.clear()
                self._quiet_since = self.clock()
                self._gap = min(HEARTBEAT_MAX, self._gap * 2)

    # -- what a display does (overridden) ---------------------------------------------------------------

    def open(self) -> None:
        """The display starts."""

    def close(self) -> None:
        """The display ends (after the last step and the platforms' processing)."""

    def show_plan(self) -> None:
        """The totals are known."""

    def show_step(self, outcome: StepOutcome) -> None:
        """A step finished."""

    def show_wait(self) -> None:
        """A wait was heard."""

    def beat(self) -> None:
        """Nothing finished for a while."""


class LinePrinter(ApplyWatcher):
    """For logs (not a terminal): one line per finished step and a heartbeat line while waiting."""

    def __init__(
        self,
        write: Callable[[str], None],
        verbs: Iterable[str] = (),
        heartbeat: float = HEARTBEAT,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(verbs, heartbeat, clock)
        self.write = write

    def show_plan(self) -> None:
        count = sum(self.totals.values())
        each = ", ".join(f"{p} {n}" for p, n in sorted(self.totals.items()))
        if count:  # a plan of state records only (moves, lifecycle rules) has no step to announce
            self.write(f"Applying {count} step(s): {each}.")

    def show_step(self, outcome: StepOutcome) -> None:
        self.write(f"{outcome.elapsed:7.1f}s{step_line(outcome, self.width)}")

    def beat(self) -> None:
        self.write(f"{self.elapsed():7.1f}s  {'wait':6} {self.waiting_for()}")


def apply_progress(
    verbs: Iterable[str],
    write: Callable[[str], None],
    terminal: bool,
    color: bool = True,
    heartbeat: float = HEARTBEAT,
) -> ApplyWatcher:
    """The live display on a terminal (plain with `color` false), else the line printer (`write` prints
    one line)."""
    if terminal:
        from rich.console import Console

        from reconciler.render.live import LiveDisplay

        return LiveDisplay(verbs, heartbeat, console=Console(no_color=not color))
    return LinePrinter(write, verbs, heartbeat)
