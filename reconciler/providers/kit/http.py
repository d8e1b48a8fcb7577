"""The kit's HTTP layer: secrets that never print, self-throttling, retries, bounded concurrency.

Owns: `Secret` and `redact`; `RateLimiter`, a sliding-window limiter that keeps a client under a
per-minute limit and follows what the server announces (`RateHeaders`: the limit, the calls remaining
and when the window resets), or, for a platform that announces nothing, learns its limit from the 429s it
answers; and `HttpSession`, an `httpx.AsyncClient` wrapper with bounded concurrency,
throttling and retries. Retries: 429 always, after the platform's advertised delay (the call was not
processed); 5xx and timeouts only for idempotent calls (reads, and writes that set a value), with
exponential backoff and jitter, since a create or a batch write retried after a lost answer could be
carried out twice. Every wait is logged on `reconciler.waiting` (see `waiting`) for progress displays.
"""

from __future__ import annotations

import asyncio
import bisect
import functools
import logging
import math
import random
import ssl
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from reconciler.errors import PlatformError
from reconciler.providers.base import waiting

log = logging.getLogger("reconciler.providers.kit.http")

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True)
class Timing:
    """The clocks a client reads (monotonic for intervals, wall for the platforms' reset times) and how it
    waits: the real ones, or a test's fake time."""

    clock: Clock = time.monotonic
    wall: Clock = time.time
    sleep: Sleep = asyncio.sleep


REAL_TIME = Timing()

REDACTED = "***"
PAUSE_MARGIN = 0.05
"""Seconds added to a wait the platform asked for, so the next call lands after the window turned."""


class Secret:
    """A credential value whose repr and str never show it; `reveal()` is the only way to read it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __repr__(self) -> str:
        return f"Secret({REDACTED!r})"

    __str__ = __repr__


def redact(text: str, secrets: Iterable[str | Secret | None]) -> str:
    """`text` with every occurrence of every secret replaced by `***`."""
    for secret in secrets:
        value = secret.reveal() if isinstance(secret, Secret) else secret
        if value:
            text = text.replace(value, REDACTED)
    return text


class RateLimiter:
    """Self-throttling over a sliding window: at most `limit` calls start in any `window` seconds.

    A run that needs fewer calls than the limit never waits; a larger one spreads out exactly as much as
    the limit requires. `pause_until` stops every caller until a deadline (used when the platform says
    the limit is reached anyway, for example because another process shares the same credentials).

    A `learning` limiter starts with no limit (`limit` None), for platforms whose limits are unpublished or
    dynamic (every session without a documented limit gets one; FACTS.md says which platforms). Each 429
    (`throttled`) stops every caller for the delay the platform asked for, and sets the limit `headroom`
    below the calls that got through within the window it counts over: a second when it asked for a second
    or less, else a minute (platforms count per second or per minute; the longest window seen is kept), so
    the calls after the pause stay under what got through before the refusal. A call starts when it is
    sent (`HttpSession` acquires inside its concurrency slot). The first refusal of a burst sets the limit
    from the calls started in the window; each further 429 of calls sent before the pause extends the
    pause and takes one more call off what got through.
    """

    LEARNING_HORIZON = 60.0
    """The longest window a learning limiter assumes: starts are remembered that long."""

    def __init__(
        self,
        limit: int | None,
        window: float = 60.0,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        if (limit is not None and limit < 1) or window <= 0:
            raise ValueError("a rate limiter needs limit >= 1 (or None, to learn it) and window > 0")
        self.limit = limit
        self.headroom = 1.0
        self.window = window
        self._learned_window = 0.0
        self._burst = (0, 0)
        """The calls started in the window when the latest burst of refusals began, and those refused."""
        self._burst_until = 0.0
        self._clock = clock
        self._sleep = sleep
        self._starts: deque[float] = deque()
        self._paused_until = 0.0
        self._lock = asyncio.Lock()
        self.on_wait: Callable[[float], None] | None = None
        """Told of every wait of a second or more (progress displays show it)."""

    @classmethod
    def per_minute(
        cls, limit: int, headroom: float = 0.96, clock: Clock = time.monotonic, sleep: Sleep = asyncio.sleep
    ) -> RateLimiter:
        """A limiter that keeps `headroom` below a documented per-minute limit."""
        limiter = cls(max(1, math.floor(limit * headroom)), 60.0, clock=clock, sleep=sleep)
        limiter.headroom = headroom
        return limiter

    @classmethod
    def learning(
        cls, headroom: float = 0.9, clock: Clock = time.monotonic, sleep: Sleep = asyncio.sleep
    ) -> RateLimiter:
        """A limiter with no limit until the platform refuses a call with 429 (see `throttled`)."""
        limiter = cls(None, cls.LEARNING_HORIZON, clock=clock, sleep=sleep)
        limiter.headroom = headroom
        return limiter

    def describe(self) -> str:
        return "no known limit" if self.limit is None else f"{self.limit} calls in {self.window:g}s"

    def pause_until(self, deadline: float) -> None:
        """No call starts before `deadline` (a time of this limiter's clock)."""
        self._paused_until = max(self._paused_until, deadline)

    def throttled(self, delay: float) -> None:
        """The platform refused a call (429) and asked for `delay` seconds: every caller pauses that long,
        and a limiter without an announced limit learns one (see the class)."""
        now = self._clock()
        in_burst = now < self._burst_until  # a call sent before the pause of this burst, refused too
        answered_in_pause = now < self._paused_until
        self.pause_until(now + delay + PAUSE_MARGIN)
        if self._learned_window == 0.0 and self.limit is not None:
            return  # the limit is documented or announced: follow it
        if in_burst:
            started, refused = self._burst
        elif answered_in_pause:
            return  # a pause the server announced: this 429 only extends it
        else:
            window = 1.0 if delay <= 1.0 else self.LEARNING_HORIZON
            self._learned_window = max(self._learned_window, window)
            self.window = self._learned_window
            started, refused = sum(1 for t in self._starts if t >= now - self._learned_window), 0
        self._burst, self._burst_until = (started, refused + 1), self._paused_until
        self.limit = max(1, math.floor((started - refused - 1) * self.headroom))

    def follow(self, limit: int | None, remaining: int | None, reset_in: float | None, reserve: int) -> None:
        """Follow what the server announced on an answer: its limit a window (kept `headroom` below),
        and, when no more than `reserve` calls remain (calls already under way may take them), a pause
        until the window resets."""
        if limit is not None and limit >= 1:
            self.limit = max(1, math.floor(limit * self.headroom))
            self._learned_window = 0.0
        if remaining is not None and reset_in is not None and remaining <= reserve:
            self.pause_until(self._clock() + reset_in + PAUSE_MARGIN)

    async def acquire(self) -> None:
        async with self._lock:
            while True:
                now = self._clock()
                if now < self._paused_until:
                    await self._wait(self._paused_until - now)
                    continue
                horizon = self.LEARNING_HORIZON if self.limit is None or self._learned_window else self.window
                while self._starts and self._starts[0] <= now - horizon:
                    self._starts.popleft()
                recent = len(self._starts) - bisect.bisect_right(self._starts, now - self.window)
                if self.limit is None or recent < self.limit:
                    self._starts.append(now)
                    return
                await self._wait(self._starts[-self.limit] + self.window - now)

    async def _wait(self, seconds: float) -> None:
        if self.on_wait is not None and seconds >= 1.0:
            self.on_wait(seconds)
        await self._sleep(seconds)


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry. 429 is always retried (the call was not processed)."""

    attempts: int = 4
    throttle_attempts: int = 6
    base_delay: float = 0.5
    max_delay: float = 30.0
    max_throttle_wait: float = 120.0

    def backoff(self, retry: int) -> float:
        """Exponential backoff with jitter for the `retry`-th retry (0-based)."""
        delay = min(self.max_delay, self.base_delay * (2**retry))
        return delay * (0.5 + random.random() / 2)


def delay_from_retry_after(response: httpx.Response, wall: Clock = time.time) -> float | None:
    """Seconds to wait from a `Retry-After` header (seconds or an HTTP date), if there is one."""
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - wall())
    except (TypeError, ValueError):
        return None


def delay_from_reset_header(header: str) -> Callable[[httpx.Response, Clock], float | None]:
    """A delay function reading a Unix-timestamp reset header (seconds, or milliseconds if that large)."""

    def delay(response: httpx.Response, wall: Clock = time.time) -> float | None:
        value = response.headers.get(header)
        if not value:
            return None
        try:
            reset = float(value)
        except ValueError:
            return None
        if reset > 1e11:
            reset /= 1000.0
        return max(0.0, reset - wall())

    return delay


ThrottleDelay = Callable[[httpx.Response, Clock], float | None]


@dataclass(frozen=True)
class RateHeaders:
    """The headers in which a server announces its rate limit: calls a window, calls remaining, and the
    window's reset as a Unix timestamp (seconds, or milliseconds when that large)."""

    limit: str
    remaining: str
    reset: str

    def read(self, response: httpx.Response, wall: Clock) -> tuple[int | None, int | None, float | None]:
        """(limit, remaining, seconds until reset) as announced; None where a header is absent or bad."""
        reset = delay_from_reset_header(self.reset)(response, wall)
        return _integer(response, self.limit), _integer(response, self.remaining), reset


def _integer(response: httpx.Response, header: str) -> int | None:
    try:
        return int(response.headers[header])
    except (KeyError, ValueError):
        return None


class TransportFailure(PlatformError):
    """The request could not be completed (network error or timeout), even after retries."""

    def __init__(self, message: str, *, sent: bool) -> None:
        super().__init__(message)
        self.sent = sent
        self.may_have_changed = sent


@functools.cache
def tls_context() -> ssl.SSLContext:
    """The verifying TLS context httpx makes by default, made once and shared by every client of the
    process (making one reads the CA bundle: about 25 ms per client otherwise)."""
    return httpx.create_ssl_context()


@functools.cache
def no_trust_context() -> ssl.SSLContext:
    """A verifying TLS context that trusts no certificate, for a plain-HTTP base URL (only loopback
    endpoints may be plain HTTP), made once: the CA bundle is not read, and a TLS connection could never be
    trusted."""
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
_RETRY_STATUSES = frozenset({500, 502, 503, 504})


class HttpSession:
    """One platform's HTTP client: bounded concurrency, a rate limiter, retries, no secret in any message.

    `send` returns the final response (which may still be an error status) or raises `TransportFailure`.
    The underlying `httpx.AsyncClient` is created on first use, so a session made only for offline
    work opens nothing.
    """

    def __init__(
        self,
        base_url: str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        concurrency: int = 8,
        limiter: RateLimiter | None = None,
        policy: RetryPolicy | None = None,
        throttle_delay: ThrottleDelay | None = None,
        rate_headers: RateHeaders | None = None,
        timeout: float = 30.0,
        secrets: Callable[[], Iterable[str | Secret | None]] = tuple,
        label: str = "platform",
        timing: Timing = REAL_TIME,
    ) -> None:
        self.base_url = base_url
        self.label = label
        self._transport = transport
        self._gate = asyncio.Semaphore(max(1, concurrency))
        self.throttled = 0
        self._limiter = limiter = limiter or RateLimiter.learning(clock=timing.clock, sleep=timing.sleep)
        limiter.on_wait = lambda seconds: waiting(
            label, f"keeping under the rate limit ({limiter.describe()}), {seconds:.0f}s"
        )
        self._policy = policy or RetryPolicy()
        self._throttle_delay = throttle_delay or (lambda r, w: delay_from_retry_after(r, w))
        self._rate_headers = rate_headers
        self._concurrency = max(1, concurrency)
        self._timeout = timeout
        self._secrets = secrets
        self._wall = timing.wall
        self._sleep = timing.sleep
        self._client: httpx.AsyncClient | None = None
        self.calls = 0

    def __repr__(self) -> str:
        return f"HttpSession(base_url={self.base_url!r}, label={self.label!r})"

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(
                base_url=self.base_url,
                transport=self._transport,
                timeout=self._timeout,
                verify=self._verify(),
            )
        return self._client

    def _verify(self) -> ssl.SSLContext | bool:
        if self._transport is not None:
            return True
        return tls_context() if self.base_url.startswith("https:") else no_trust_context()

    def redact(self, text: str) -> str:
        return redact(text, self._secrets())

    async def send(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        json: Any = None,
        data: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        files: Mapping[str, tuple[str, bytes, str]] | None = None,
        idempotent: bool = False,
    ) -> httpx.Response:
        """One call with retries; `data` with `files` is sent as a multipart form."""
        failures = 0
        throttled = 0
        while True:
            try:
                async with self._gate:
                    # A call counts as started when it is sent, not while it queues for a slot: a limit
                    # learned from a 429 counts the calls sent within its window.
                    await self._limiter.acquire()
                    self.calls += 1
                    response = await self._http().request(
                        method, url, headers=headers, json=json, data=data, params=params, files=files
                    )
            except httpx.TransportError as exc:
                sent = not isinstance(exc, _NOT_SENT)
                kind = "timed out" if isinstance(exc, httpx.TimeoutException) else "failed"
                if (idempotent or not sent) and failures + 1 < self._policy.attempts:
                    delay = self._policy.backoff(failures)
                    failures += 1
                    log.info("%s %s %s %s; retry in %.1fs", self.label, method, url, kind, delay)
                    await self._sleep(delay)
                    continue
                detail = self.redact(type(exc).__name__)
                outcome = "" if not sent else " (the platform may have carried it out)"
                raise TransportFailure(
                    f"{self.label}: {method} {url} {kind} ({detail}){outcome}", sent=sent
                ) from None
            log.debug("%s %s %s -> %s", self.label, method, url, response.status_code)
            if self._rate_headers is not None:
                self._limiter.follow(
                    *self._rate_headers.read(response, self._wall), reserve=self._concurrency
                )
            if response.status_code == 429:
                self.throttled += 1
            if response.status_code == 429 and throttled + 1 < self._policy.throttle_attempts:
                advertised = self._throttle_delay(response, self._wall)
                if advertised is None:
                    advertised = self._policy.backoff(throttled)
                advertised = min(advertised, self._policy.max_throttle_wait)
                delay = advertised + PAUSE_MARGIN
                throttled += 1
                self._limiter.throttled(advertised)
                log.info("%s %s %s throttled (429); retry in %.1fs", self.label, method, url, delay)
                waiting(self.label, f"throttled (429), retrying in {delay:.1f}s")
                await self._sleep(delay)
                continue
            if (
                response.status_code in _RETRY_STATUSES
                and idempotent
                and failures + 1 < self._policy.attempts
            ):
                delay = self._policy.backoff(failures)
                failures += 1
                log.info(
                    "%s %s %s -> %s; retry in %.1fs", self.label, method, url, response.status_code, delay
                )
                await self._sleep(delay)
                continue
            return response

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None
