"""The plumbing of one Criteo API call: the `Call` a handler receives (transaction, clock, parsed
body, trace id) and the wrapper that turns a handler into a Starlette endpoint with authentication,
rate limiting, rollback on failure and Criteo's JSON envelope."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from reconciler.sandbox.common import endpoints
from reconciler.sandbox.criteo import auth
from reconciler.sandbox.criteo.problems import Problem, ProblemResponse, Rejected
from reconciler.sandbox.criteo.seed import PLATFORM
from reconciler.sandbox.criteo.settings import Settings
from reconciler.sandbox.settings import SandboxSettings
from reconciler.sandbox.store import Store, Tx


@dataclass
class Call(endpoints.Call):
    """What a handler needs to serve one authenticated call."""

    client_id: str
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


def endpoint(handler: Handler, store: Store, settings: SandboxSettings) -> endpoints.Endpoint:
    """Wrap a handler: bearer token → rate limit → handler in a savepoint → JSON with rate headers."""

    def answer(tx: Tx, request: Request, raw: bytes) -> Response:
        trace_id = str(uuid.uuid4())
        now = settings.clock()
        try:
            client_id = auth.authenticate(tx, request.headers.get("authorization"), now)
        except ProblemResponse as failure:
            return failure.response(trace_id)
        rate = auth.count_call(tx, client_id, now, settings.of(PLATFORM, Settings).rate_limit_per_minute)
        headers = rate.headers()
        if rate.exceeded:
            return auth.too_many_requests(rate).response(trace_id, headers)
        call = Call(
            tx=tx,
            now=now,
            params={key.replace("_", "-"): value for key, value in endpoints.path_params(request).items()},
            query=request.query_params,
            raw=raw,
            client_id=client_id,
            trace_id=trace_id,
        )
        try:
            with tx.savepoint():
                status, body = handler(call)
        except ProblemResponse as failure:
            failure.warnings = [*call.warnings, *failure.warnings]
            return failure.response(trace_id, headers)
        except Rejected as rejected:
            return ProblemResponse(400, [rejected.problem], warnings=call.warnings).response(
                trace_id, headers
            )
        return endpoints.json_response(status, body, headers)

    return endpoints.transactional(store, answer)
