"""The plumbing of one Criteo API call: the `Call` a handler receives (transaction, clock, parsed
body, trace id) and the wrapper that turns a handler into a Starlette endpoint with authentication,
rate limiting, rollback on failure and Criteo's JSON envelope."""

from __future__ import annotations

import json
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from reconciler.sandbox.criteo import auth
from reconciler.sandbox.criteo.problems import Problem, ProblemResponse, Rejected
from reconciler.sandbox.criteo.seed import PLATFORM
from reconciler.sandbox.criteo.settings import Settings
from reconciler.sandbox.settings import SandboxSettings
from reconciler.sandbox.store import Store, Tx


@dataclass
class Call:
    """What a handler needs to serve one authenticated call."""

    tx: Tx
    now: float
    client_id: str
    params: Mapping[str, str]
    query: Mapping[str, str]
    raw: bytes
    trace_id: str
    warnings: list[Problem] = field(default_factory=list)

    def json(self, empty: Any = None) -> Any:
        """The JSON body; `empty` when there is no body; a 400 problem when it is not JSON."""
        if not self.raw.strip():
            if empty is not None:
                return empty
            raise ProblemResponse(
                400, [Problem("validation", "invalid-body", "Missing body", "A JSON body is required.")]
            )
        try:
            return json.loads(self.raw)
        except (ValueError, UnicodeDecodeError) as error:
            raise ProblemResponse(
                400,
                [
                    Problem(
                        "validation",
                        "invalid-json",
                        "Malformed JSON",
                        f"The body is not valid JSON: {error}.",
                    )
                ],
            ) from None

    def envelope(self, data: Any, errors: list[Problem] | None = None, **extra: Any) -> dict[str, Any]:
        body: dict[str, Any] = {"data": data, **extra}
        body["errors"] = [problem.to_json(self.trace_id) for problem in errors or []]
        body["warnings"] = [problem.to_json(self.trace_id) for problem in self.warnings]
        return body


Handler = Callable[[Call], tuple[int, dict[str, Any]]]


def _json(status: int, body: Mapping[str, Any], headers: Mapping[str, str] | None = None) -> Response:
    return JSONResponse(dict(body), status_code=status, headers=dict(headers or {}))


def endpoint(
    handler: Handler, store: Store, settings: SandboxSettings
) -> Callable[[Request], Awaitable[Response]]:
    """Wrap a handler: bearer token → rate limit → handler in a savepoint → JSON with rate headers."""

    async def serve(request: Request) -> Response:
        raw = await request.body()
        trace_id = str(uuid.uuid4())
        with store.transaction() as tx:
            now = settings.clock()
            try:
                client_id = auth.authenticate(tx, request.headers.get("authorization"), now)
            except ProblemResponse as failure:
                return _json(failure.status, failure.body(trace_id))
            rate = auth.count_call(tx, client_id, now, settings.of(PLATFORM, Settings).rate_limit_per_minute)
            headers = rate.headers()
            if rate.exceeded:
                return _json(429, auth.too_many_requests(rate).body(trace_id), headers)
            params = {key.replace("_", "-"): str(value) for key, value in request.path_params.items()}
            call = Call(tx, now, client_id, params, request.query_params, raw, trace_id)
            try:
                with tx.savepoint():
                    status, body = handler(call)
            except ProblemResponse as failure:
                failure.warnings = [*call.warnings, *failure.warnings]
                return _json(failure.status, failure.body(trace_id), headers)
            except Rejected as rejected:
                refused = ProblemResponse(400, [rejected.problem], warnings=call.warnings)
                return _json(refused.status, refused.body(trace_id), headers)
            return _json(status, body, headers)

    return serve


def token_endpoint(store: Store, settings: SandboxSettings) -> Callable[[Request], Awaitable[Response]]:
    async def serve(request: Request) -> Response:
        raw = await request.body()
        trace_id = str(uuid.uuid4())
        with store.transaction() as tx:
            try:
                body = auth.issue_token(tx, raw, settings)
            except ProblemResponse as failure:
                return _json(failure.status, failure.body(trace_id))
        return _json(200, body)

    return serve
