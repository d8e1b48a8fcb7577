"""The plumbing of one AppLovin call: the error envelope (`{"error": {"code", "message"}}` with the
HTTP status), the `Call` a handler receives (transaction, clock, path and query parameters, parsed
body), body parsing (JSON; form-encoded and multipart forms, parsed with the standard library), and the
wrapper that turns a handler into a Starlette endpoint: bearer token → scope → rate limit (429 with
`Retry-After`) → handler inside a savepoint (a failed call changes nothing)."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from reconciler.sandbox.applovin import oauth
from reconciler.sandbox.applovin.errors import ApiError, invalid
from reconciler.sandbox.applovin.seed import PLATFORM
from reconciler.sandbox.applovin.settings import Settings
from reconciler.sandbox.common import endpoints
from reconciler.sandbox.settings import SandboxSettings
from reconciler.sandbox.store import Store, Tx


@dataclass(frozen=True)
class Upload:
    """One file part of a multipart form."""

    filename: str
    content: bytes


@dataclass
class Call(endpoints.Call):
    """What a handler needs to serve one authenticated call."""

    settings: SandboxSettings
    content_type: str
    fields: dict[str, str] = field(default_factory=dict)
    files: dict[str, Upload] = field(default_factory=dict)

    def json(self) -> Any:
        """The JSON body, or a 400 when it is missing or malformed."""
        if not self.raw.strip():
            raise invalid("json-body", "a JSON body is required")
        try:
            return json.loads(self.raw)
        except (ValueError, UnicodeDecodeError) as error:
            raise invalid("json-body", f"the body is not valid JSON: {error}") from None

    def object(self) -> dict[str, Any]:
        body = self.json()
        if not isinstance(body, dict):
            raise invalid("json-body", "the body must be a JSON object")
        return body

    def form(self) -> None:
        """Parse a form body (multipart/form-data or application/x-www-form-urlencoded) into `fields` and
        `files`."""
        kind = self.content_type.split(";", 1)[0].strip().lower()
        if kind == "application/x-www-form-urlencoded":
            self.fields = dict(parse_qsl(self.raw.decode("utf-8", errors="replace"), keep_blank_values=True))
            return
        if kind != "multipart/form-data":
            raise ApiError(
                415,
                "unsupported_media_type",
                "send a multipart/form-data (or form-encoded) body",
                "form-body",
            )
        head = f"Content-Type: {self.content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
        message = BytesParser(policy=HTTP).parsebytes(head + self.raw)
        if not message.is_multipart():
            raise invalid("form-body", "the multipart body could not be read")
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if not isinstance(name, str):
                continue
            payload = part.get_payload(decode=True)
            data = payload if isinstance(payload, bytes) else b""
            filename = part.get_filename()
            if filename is not None:
                self.files[name] = Upload(filename, data)
            else:
                self.fields[name] = data.decode("utf-8", errors="replace")


Handler = Callable[[Call], tuple[int, Any]]

SCOPE_OF_RESOURCE = {
    "campaign": "campaigns",
    "campaigns": "campaigns",
    "campaign_targets": "campaigns",
    "creative_set": "creatives",
    "creative_sets": "creatives",
    "creative_set_assets": "creatives",
    "ad": "creatives",
    "ads": "creatives",
    "source_bids": "source_bids",
    "sources": "source_bids",
}
"""First path segment under `/campaign_management/v1` → the scope family that guards it."""


def _rate_limited(tx: Tx, client_id: str, now: float, limit: int) -> ApiError | None:
    window = int(now // 60) * 60
    used = tx.count_call(PLATFORM, client_id, window)
    if used <= limit:
        return None
    wait = max(1, math.ceil(window + 60 - now))
    return ApiError(
        429,
        "rate_limited",
        f"more than {limit} calls a minute for this client; retry after {wait} seconds",
        "rate-limited",
        {"Retry-After": str(wait)},
    )


def endpoint(
    handler: Handler, resource: str, store: Store, settings: SandboxSettings, form: bool = False
) -> endpoints.Endpoint:
    """Wrap a handler: bearer token → scope (`<family>:read` for GET, `:write` otherwise) → rate
    limit → handler in a savepoint → JSON."""
    family = SCOPE_OF_RESOURCE[resource]

    def answer(tx: Tx, request: Request, raw: bytes) -> Response:
        scope = f"{family}:{'read' if request.method == 'GET' else 'write'}"
        now = settings.clock()
        try:
            client_id = oauth.authenticate(tx, request.headers.get("authorization"), scope, now)
            throttled = _rate_limited(
                tx, client_id, now, settings.of(PLATFORM, Settings).rate_limit_per_minute
            )
            if throttled is not None:
                raise throttled
            call = Call(
                tx=tx,
                now=now,
                params=endpoints.path_params(request),
                query=request.query_params,
                raw=raw,
                settings=settings,
                content_type=request.headers.get("content-type", ""),
            )
            with tx.savepoint():
                if form:
                    call.form()
                status, body = handler(call)
        except ApiError as failure:
            return failure.response()
        return JSONResponse(body, status_code=status)

    return endpoints.transactional(store, answer)
