"""The plumbing every emulator's endpoints share: the `Call` fields every handler gets, the body read before
the request's transaction opens, JSON answers, and the token endpoint (a grant in, the token answer or the
emulator's own refusal out)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from reconciler.sandbox.settings import SandboxSettings
from reconciler.sandbox.store import Store, Tx

Endpoint = Callable[[Request], Awaitable[Response]]
Answer = Callable[[Tx, Request, bytes], Response]
"""Answers one request inside its transaction, given the request and its raw body."""
Refusal = TypeVar("Refusal", bound=Exception)


@dataclass
class Call:
    """What a handler of any emulator gets: the open transaction, the sandbox clock's now, the path and
    query parameters and the raw body (each emulator's `Call` adds its own)."""

    tx: Tx
    now: float
    params: Mapping[str, str]
    query: Mapping[str, str]
    raw: bytes


def json_response(status: int, body: Mapping[str, Any], headers: Mapping[str, str] | None = None) -> Response:
    return JSONResponse(dict(body), status_code=status, headers=dict(headers or {}))


def path_params(request: Request) -> dict[str, str]:
    return {key: str(value) for key, value in request.path_params.items()}


def transactional(store: Store, answer: Answer) -> Endpoint:
    """An endpoint that reads the body, then answers inside one transaction (committed when `answer`
    returns, also with a refusal: what it wrote outside a savepoint stays, such as a counted call)."""

    async def serve(request: Request) -> Response:
        raw = await request.body()
        with store.transaction() as tx:
            return answer(tx, request, raw)

    return serve


def token_endpoint(
    store: Store,
    settings: SandboxSettings,
    issue: Callable[[Tx, bytes, SandboxSettings], Mapping[str, Any]],
    refused: type[Refusal],
    refusal: Callable[[Refusal], Response],
) -> Endpoint:
    """The token endpoint: `issue` answers the grant in the raw body with the token (200), or raises the
    emulator's `refused` error, answered with `refusal`."""

    def answer(tx: Tx, request: Request, raw: bytes) -> Response:
        try:
            body = issue(tx, raw, settings)
        except refused as failure:
            return refusal(failure)
        return json_response(200, body)

    return transactional(store, answer)
