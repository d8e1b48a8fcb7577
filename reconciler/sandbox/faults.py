"""Fault injection for tests and benchmarks: latency, refused calls, and answers lost after the commit.

A lost answer is the hard case for a client: the platform made the change, the caller only saw a
gateway timeout. Faults apply to platform calls whose `METHOD path` matches `only` (all by default).
"""

from __future__ import annotations

import asyncio
import json
import random
import re
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send


@dataclass
class Faults:
    latency: float = 0.0
    """Seconds added before every matching call."""
    fail_share: float = 0.0
    """Share of matching calls refused with 503 before anything is done."""
    lose_share: float = 0.0
    """Share of matching calls carried out and committed, whose answer is replaced by a 504."""
    only: str = ""
    """Regular expression searched in `METHOD path`; empty matches every platform call."""
    seed: int = 0

    @property
    def active(self) -> bool:
        return bool(self.latency or self.fail_share or self.lose_share)


class FaultInjector:
    """ASGI middleware in front of the emulated platforms (not the `/_sandbox` endpoints)."""

    def __init__(self, app: ASGIApp, faults: Faults, prefixes: tuple[str, ...]) -> None:
        self.app = app
        self.faults = faults
        self.prefixes = prefixes
        self.pattern = re.compile(faults.only) if faults.only else None
        self.random = random.Random(faults.seed)

    def _matches(self, scope: Scope) -> bool:
        if scope["type"] != "http" or not self.faults.active:
            return False
        path = str(scope.get("path", ""))
        if not any(path == p or path.startswith(p + "/") for p in self.prefixes):
            return False
        return self.pattern is None or bool(self.pattern.search(f"{scope['method']} {path}"))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._matches(scope):
            await self.app(scope, receive, send)
            return
        if self.faults.latency:
            await asyncio.sleep(self.faults.latency)
        if self.random.random() < self.faults.fail_share:
            await _answer(send, 503, "the service is unavailable (injected fault); nothing was done")
            return
        if self.random.random() < self.faults.lose_share:

            async def swallow(message: Message) -> None:
                return None

            await self.app(scope, receive, swallow)
            await _answer(send, 504, "gateway timeout (injected fault); the call may have been carried out")
            return
        await self.app(scope, receive, send)


async def _answer(send: Send, status: int, message: str) -> None:
    body = json.dumps({"message": message}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})
