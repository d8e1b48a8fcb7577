"""The shared HTTP helpers the Criteo client is built on: throttling, bounded concurrency, redaction."""

from __future__ import annotations

import asyncio
import ssl

import httpx

from reconciler.providers.kit.http import (
    HttpSession,
    RateLimiter,
    Secret,
    delay_from_reset_header,
    redact,
    tls_context,
)
from tests.providers.criteo.helpers import run
from tests.providers.fake_time import Clock


def test_limiter_allows_the_whole_budget_at_once_but_never_the_limit_in_any_minute() -> None:
    clock = Clock()
    limiter = RateLimiter.per_minute(250, clock=clock, sleep=clock.sleep)
    starts: list[float] = []

    async def main() -> None:
        for _ in range(1000):
            await limiter.acquire()
            starts.append(clock.now)

    run(main())
    assert starts[: limiter.limit] == [1000.0] * limiter.limit  # a run below the limit never waits
    for i, start in enumerate(starts):
        in_window = sum(1 for s in starts[i:] if s < start + 60)
        assert in_window < 250
    assert len(starts) / (starts[-1] - starts[0]) * 60 > 200  # and not much slower than the limit


def test_pause_until_stops_every_caller() -> None:
    clock = Clock()
    limiter = RateLimiter.per_minute(250, clock=clock, sleep=clock.sleep)
    limiter.pause_until(1030.0)
    run(limiter.acquire())
    assert clock.now >= 1030.0


def test_concurrency_is_bounded() -> None:
    in_flight = 0
    peak = 0

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.01)
        in_flight -= 1
        return httpx.Response(200, json={})

    async def main() -> None:
        session = HttpSession("http://x", transport=httpx.MockTransport(handler), concurrency=3)
        await asyncio.gather(*(session.send("GET", "/") for _ in range(12)))
        await session.aclose()

    run(main())
    assert peak == 3


def test_secret_and_redaction() -> None:
    secret = Secret("hunter2-long-secret")
    assert "hunter2" not in repr(secret) and "hunter2" not in str(secret) and "hunter2" not in f"{secret}"
    assert secret.reveal() == "hunter2-long-secret"
    assert redact("token hunter2-long-secret here", [secret, None, ""]) == "token *** here"


def test_reset_header_delay() -> None:
    delay = delay_from_reset_header("x-ratelimit-reset")
    response = httpx.Response(429, headers={"x-ratelimit-reset": "1060"})
    assert delay(response, lambda: 1000.0) == 60.0
    in_ms = httpx.Response(429, headers={"x-ratelimit-reset": "1800000060000"})
    assert delay(in_ms, lambda: 1_800_000_000.0) == 60.0
    assert delay(httpx.Response(429), lambda: 1000.0) is None


def test_every_session_verifies_tls_with_one_shared_context() -> None:
    """Making a verifying TLS context reads the CA bundle: the sessions of a run share one (a session with an
    in-process transport needs none)."""

    async def main() -> None:
        first, second = HttpSession("https://a.example"), HttpSession("https://b.example")
        in_process = HttpSession("http://x", transport=httpx.MockTransport(lambda r: httpx.Response(200)))
        contexts = [s._http()._transport._pool._ssl_context for s in (first, second)]  # type: ignore[attr-defined]
        assert contexts[0] is contexts[1] is tls_context()
        assert contexts[0].verify_mode == ssl.CERT_REQUIRED and contexts[0].check_hostname
        assert (await in_process.send("GET", "/")).status_code == 200
        plain = HttpSession("http://127.0.0.1:9")._http()._transport._pool._ssl_context  # type: ignore[attr-defined]
        assert plain is not tls_context() and plain.verify_mode == ssl.CERT_REQUIRED and plain.check_hostname
        assert plain.cert_store_stats()["x509_ca"] == 0  # trusts nothing: no CA bundle read for plain HTTP
        for session in (first, second, in_process):
            await session.aclose()

    run(main())
