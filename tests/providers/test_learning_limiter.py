"""The kit's learning rate limiter: a platform that announces no limit is followed from its 429s, for
every provider at once (each session has one unless given a documented limit)."""

from __future__ import annotations

import asyncio
import heapq
import math
from collections.abc import Awaitable
from typing import TypeVar

import httpx

from reconciler.providers.kit.http import HttpSession, RateLimiter, Timing
from tests.providers.fake_time import Clock

T = TypeVar("T")


class PerWindow:
    """A server that answers `limit` calls a calendar window of `window` seconds, then 429 with Retry-After
    until the window ends (like the sandbox's AppLovin and Amazon DSP)."""

    def __init__(self, clock: Clock, limit: int, window: float) -> None:
        self.clock, self.limit, self.window = clock, limit, window
        self.counts: dict[int, int] = {}
        self.refused = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        slot = math.floor(self.clock.now / self.window)
        self.counts[slot] = self.counts.get(slot, 0) + 1
        if self.counts[slot] > self.limit:
            self.refused += 1
            wait = math.ceil((slot + 1) * self.window - self.clock.now)
            return httpx.Response(429, headers={"Retry-After": str(max(1, wait))}, json={})
        return httpx.Response(200, json={})


def session(clock: Clock, server: PerWindow, concurrency: int = 4) -> HttpSession:
    return HttpSession(
        "http://x",
        transport=httpx.MockTransport(server),
        concurrency=concurrency,
        timing=Timing(clock, clock, clock.sleep),
    )


def test_a_platform_that_counts_per_second_refuses_once_then_never_again() -> None:
    clock = Clock()
    server = PerWindow(clock, limit=10, window=1.0)
    client = session(clock, server)

    async def main() -> list[int]:
        answers = [await client.send("GET", "/") for _ in range(100)]
        return [a.status_code for a in answers]

    assert asyncio.run(main()) == [200] * 100
    assert server.refused == 1
    assert max(server.counts.values()) == 11  # the one refused call included


def test_a_platform_that_counts_per_minute_is_learned_too() -> None:
    clock = Clock()
    server = PerWindow(clock, limit=50, window=60.0)
    client = session(clock, server)

    async def main() -> None:
        for _ in range(300):
            assert (await client.send("GET", "/")).status_code == 200

    asyncio.run(main())
    assert server.refused <= 2
    assert clock.now - 1000.0 < 60 * 9  # about the 6 minutes 300 calls need at 50 a minute, not much more


def test_a_documented_limit_is_kept_after_a_429_which_only_pauses() -> None:
    clock = Clock()
    limiter = RateLimiter.per_minute(250, clock=clock, sleep=clock.sleep)
    limiter.throttled(5.0)
    assert limiter.limit == 240 and limiter.window == 60.0
    asyncio.run(limiter.acquire())
    assert clock.now >= 1005.0


def test_a_learning_limiter_never_waits_before_a_refusal() -> None:
    clock = Clock()
    limiter = RateLimiter.learning(clock=clock, sleep=clock.sleep)

    async def main() -> None:
        for _ in range(5000):
            await limiter.acquire()

    asyncio.run(main())
    assert clock.now == 1000.0 and limiter.limit is None


async def _started(limiter: RateLimiter, calls: int) -> None:
    """`calls` calls started one after the other through `limiter`."""
    for _ in range(calls):
        await limiter.acquire()


def test_a_limit_learned_per_second_lets_the_next_second_run_at_it() -> None:
    clock = Clock()
    limiter = RateLimiter.learning(clock=clock, sleep=clock.sleep)

    asyncio.run(_started(limiter, 21))
    limiter.throttled(1.0)  # 21 calls started this second: 18 a second from now on
    assert (limiter.limit, limiter.window) == (18, 1.0)
    starts: list[float] = []

    async def timed() -> None:
        for _ in range(54):
            await limiter.acquire()
            starts.append(clock.now)

    asyncio.run(timed())
    assert starts[0] >= 1001.0 and starts == sorted(starts)
    assert all(sum(1 for t in starts if s <= t < s + 1.0) <= 18 for s in starts)
    assert starts[-1] - starts[0] < 3.0  # and at that pace, not slower


def test_the_refusals_of_a_burst_are_taken_off_the_calls_that_got_through() -> None:
    clock = Clock()
    limiter = RateLimiter.learning(clock=clock, sleep=clock.sleep)

    asyncio.run(_started(limiter, 21))
    for _ in range(3):  # three of the 21 calls refused: 18 got through, 16 a second from now on
        limiter.throttled(1.0)
    assert (limiter.limit, limiter.window) == (16, 1.0)
    asyncio.run(_started(limiter, 1))  # after the pause
    limiter.follow(None, 0, 2.0, reserve=0)  # a pause the server announced
    limiter.throttled(1.0)  # a 429 within it only extends it
    assert limiter.limit == 16


class VirtualTime:
    """A clock for concurrent callers: `sleep` waits until the clock reaches its deadline, and the clock
    jumps to the earliest deadline once every task is waiting (`run` drives it)."""

    def __init__(self) -> None:
        self.now = 1000.0
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._count = 0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._count += 1
        heapq.heappush(self._sleepers, (self.now + max(0.0, seconds), self._count, future))
        await future

    async def run(self, work: Awaitable[T]) -> T:
        task = asyncio.ensure_future(work)
        while not task.done():
            for _ in range(50):  # let every runnable task reach its next sleep
                await asyncio.sleep(0)
            if self._sleepers and not task.done():
                deadline, _, future = heapq.heappop(self._sleepers)
                self.now = max(self.now, deadline)
                future.set_result(None)
        return task.result()


class SlowPerSecond:
    """A server taking `latency` seconds an answer, answering `limit` calls a calendar second, else 429."""

    def __init__(self, clock: VirtualTime, limit: int, latency: float) -> None:
        self.clock, self.limit, self.latency = clock, limit, latency
        self.counts: dict[int, int] = {}
        self.refused = 0

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        await self.clock.sleep(self.latency)
        second = math.floor(self.clock.now)
        self.counts[second] = self.counts.get(second, 0) + 1
        if self.counts[second] > self.limit:
            self.refused += 1
            return httpx.Response(429, headers={"Retry-After": "1"}, json={})
        return httpx.Response(200, json={})


def test_calls_queued_for_a_slot_do_not_count_as_started_when_a_limit_is_learned() -> None:
    clock = VirtualTime()
    server = SlowPerSecond(clock, limit=100, latency=0.05)
    client = HttpSession(
        "http://x",
        transport=httpx.MockTransport(server),
        concurrency=8,
        timing=Timing(clock, clock, clock.sleep),
    )

    async def main() -> list[int]:
        answers = await asyncio.gather(*(client.send("GET", "/") for _ in range(800)))
        return [a.status_code for a in answers]

    assert asyncio.run(clock.run(main())) == [200] * 800
    limiter = client._limiter
    # learned from the calls that got through (the refused ones of the burst taken off): 90% of 100
    assert limiter.window == 1.0 and limiter.limit is not None and 80 <= limiter.limit <= 90
    assert server.refused <= 8  # one burst of refusals (the calls in flight), then none
    assert clock.now - 1000.0 < 12.0  # 800 calls at about 90 a second, not one a second
