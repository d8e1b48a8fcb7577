"""The terminal display of an apply (see `reconciler.render.progress`): one `rich` progress bar per platform
with its done, failed and remaining steps, elapsed time, rate and ETA; finished steps scroll above the bars,
and a status line under them says what the apply waits for. Imported only when stdout is a terminal.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.console import Console, RenderableType
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from reconciler.apply.events import StepOutcome
from reconciler.render.progress import HEARTBEAT, ApplyWatcher
from reconciler.render.text import step_line


class _Counts(ProgressColumn):
    """`12 done · 1 failed · 30 left`, numbers as wide as the largest platform's total."""

    width = 1

    def render(self, task: Task) -> Text:
        failed = int(task.fields.get("failed", 0))
        width = self.width
        text = Text(f"{int(task.completed):>{width}} done · ")
        text.append(f"{failed:>{width}} failed", style="bold red" if failed else "dim")
        text.append(f" · {int(task.remaining or 0):>{width}} left")
        return text


class _Rate(ProgressColumn):
    """Steps a second over the last 30 seconds."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:.1f} steps/s" if speed else "– steps/s", style="cyan")


class _Bars(Progress):
    """The platforms' bars with the status line under them."""

    status = ""

    def get_renderables(self) -> Iterable[RenderableType]:
        yield from super().get_renderables()
        if self.status:
            yield Text(f"⏳ {self.status}", style="yellow")


class LiveDisplay(ApplyWatcher):
    """Live bars per platform on a terminal, with each finished step printed above them."""

    def __init__(
        self, verbs: Iterable[str] = (), heartbeat: float = HEARTBEAT, console: Console | None = None
    ) -> None:
        super().__init__(verbs, heartbeat)
        self.counts = _Counts()
        self.bars = _Bars(
            TextColumn("[bold]{task.description:<12}"),
            BarColumn(bar_width=30),
            self.counts,
            TimeElapsedColumn(),
            _Rate(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=console or Console(),
        )
        self.tasks: dict[str, Any] = {}

    def open(self) -> None:
        self.bars.start()

    def close(self) -> None:
        self.bars.status = ""
        self.bars.stop()

    def show_plan(self) -> None:
        self.counts.width = len(str(max(self.totals.values(), default=0)))
        for platform, total in sorted(self.totals.items()):
            self.tasks[platform] = self.bars.add_task(platform, total=total, failed=0)

    def show_step(self, outcome: StepOutcome) -> None:
        line = Text(step_line(outcome, self.width), style="" if outcome.ok else "bold red")
        self.bars.console.print(line, highlight=False)
        task = self.tasks.get(outcome.platform)
        if task is not None:
            self.bars.update(task, advance=1, failed=self.failed.get(outcome.platform, 0))
        self.bars.status = ""

    def show_wait(self) -> None:
        self.bars.status = self.waiting_for()

    def beat(self) -> None:
        quiet = self.clock() - self.last_step
        self.bars.status = f"{self.waiting_for()} · no step finished for {quiet:.0f}s"
