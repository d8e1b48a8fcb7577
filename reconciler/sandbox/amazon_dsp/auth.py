"""Login with Amazon and the request headers of the Amazon Ads API: the refresh-token grant at
`/auth/o2/token` (LwA-style errors), the bearer token, `Amazon-Advertising-API-ClientId` and
`Amazon-Ads-AccountId` checks, and the per-client throttle (429 with `Retry-After`)."""

from __future__ import annotations

import math
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl

from starlette.responses import Response

from reconciler.sandbox.amazon_dsp.errors import ApiError, known
from reconciler.sandbox.amazon_dsp.seed import PLATFORM
from reconciler.sandbox.amazon_dsp.settings import Settings
from reconciler.sandbox.common.endpoints import json_response
from reconciler.sandbox.settings import SandboxSettings
from reconciler.sandbox.store import Token, Tx

CLIENT_ID_HEADER = "Amazon-Advertising-API-ClientId"
ACCOUNT_HEADER = "Amazon-Ads-AccountId"


@dataclass
class LwaError(Exception):
    """A Login with Amazon failure: `{"error", "error_description"}` with its HTTP status."""

    status: int
    error: str
    description: str

    def __post_init__(self) -> None:
        known(self.error)

    def body(self) -> dict[str, str]:
        return {"error": self.error, "error_description": self.description}

    def response(self) -> Response:
        return json_response(self.status, self.body())


def issue_token(tx: Tx, form_body: bytes, settings: SandboxSettings) -> dict[str, object]:
    """`POST /auth/o2/token` with `grant_type=refresh_token` → a bearer access token."""
    form = dict(parse_qsl(form_body.decode("utf-8", errors="replace"), keep_blank_values=True))
    grant_type = form.get("grant_type", "").strip()
    if not grant_type:
        raise LwaError(400, "invalid_request", "The request is missing a required parameter: grant_type.")
    if grant_type != "refresh_token":
        raise LwaError(
            400, "unsupported_grant_type", f"grant_type {grant_type!r} is not supported; use refresh_token."
        )
    refresh_token = form.get("refresh_token", "").strip()
    if not refresh_token:
        raise LwaError(400, "invalid_request", "The request is missing a required parameter: refresh_token.")
    client_id = form.get("client_id", "").strip()
    client_secret = form.get("client_secret", "").strip()
    for name, value in (("client_id", client_id), ("client_secret", client_secret)):
        if not value:
            raise LwaError(401, "invalid_client", f"Client authentication failed: {name} is missing.")
    now = settings.clock()
    ttl = settings.of(PLATFORM, Settings).token_ttl_seconds
    token = Token("Atza|" + secrets.token_urlsafe(32), PLATFORM, client_id, now, now + ttl)
    tx.add_token(token)
    return {
        "access_token": token.token,
        "refresh_token": refresh_token,
        "token_type": "bearer",
        "expires_in": ttl,
    }


def _unauthorized(message: str) -> ApiError:
    return ApiError(401, "UNAUTHORIZED", message)


def authenticate(tx: Tx, headers: Mapping[str, str], now: float) -> tuple[str, str]:
    """The (client id, advertiser id) of a request, or a 401/400/403 naming what is wrong."""
    authorization = headers.get("authorization", "").strip()
    if not authorization:
        raise _unauthorized("The Authorization header is missing; send Authorization: Bearer <access token>.")
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise _unauthorized("The Authorization header must be 'Bearer <access token>'.")
    token = tx.token(PLATFORM, value.strip())
    if token is None:
        raise _unauthorized("The access token is not valid; request a new one from /auth/o2/token.")
    if now >= token.expires_at:
        raise _unauthorized("The access token has expired; request a new one from /auth/o2/token.")
    client_id = headers.get(CLIENT_ID_HEADER.lower(), "").strip()
    if not client_id:
        raise ApiError(400, "MISSING_HEADER", f"The {CLIENT_ID_HEADER} header is missing.")
    if client_id != token.client_id:
        raise _unauthorized(
            f"The {CLIENT_ID_HEADER} header does not match the client the access token was issued to."
        )
    account_id = headers.get(ACCOUNT_HEADER.lower(), "").strip()
    if not account_id:
        raise ApiError(
            400, "MISSING_HEADER", f"The {ACCOUNT_HEADER} header is missing; send the DSP advertiser id."
        )
    if tx.get(PLATFORM, "advertiser", account_id) is None:
        raise ApiError(
            403,
            "FORBIDDEN",
            f"The {ACCOUNT_HEADER} {account_id!r} is not an advertiser this client can access.",
        )
    return client_id, account_id


def throttle(tx: Tx, client_id: str, now: float, per_second: int) -> None:
    """Count one call of a client in its one-second window; 429 with `Retry-After` beyond the limit."""
    window = int(now)
    used = tx.count_call(PLATFORM, client_id, window)
    if used > per_second:
        wait = max(1, math.ceil(window + 1 - now))
        raise ApiError(
            429,
            "THROTTLED",
            f"Too many requests: more than {per_second} calls a second for this client; retry later.",
            headers={"Retry-After": str(wait)},
        )
