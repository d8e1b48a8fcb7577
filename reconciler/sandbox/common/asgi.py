"""The status an ASGI response went out with, for the sandbox's middlewares that log requests."""

from __future__ import annotations

from starlette.types import Message, Send


class StatusWatch:
    """A `send` that passes every message on and remembers the response's status (500 until one starts,
    so a request that raised is logged as the server error it becomes)."""

    def __init__(self, send: Send) -> None:
        self.send = send
        self.status = 500

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = int(message["status"])
        await self.send(message)
