"""Fake time for the providers' tests: a monotonic (and wall) clock that only sleeping moves forward."""

from __future__ import annotations


class Clock:
    """Reads as `now`; `await clock.sleep(s)` moves it `s` seconds on at once."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds
