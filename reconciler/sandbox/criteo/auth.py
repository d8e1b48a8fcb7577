"""Criteo authentication and throttling: the OAuth2 client-credentials token endpoint, bearer-token
checks (401 with an `authentication` problem), and the per-application rate limit (calls per
calendar minute per client_id, counted in SQLite; 429 with a `quota` problem)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from urllib.parse import parse_qsl

from reconciler.sandbox.criteo.problems import Problem, ProblemResponse
from reconciler.sandbox.criteo.seed import PLATFORM
from reconciler.sandbox.criteo.settings import Settings
from reconciler.sandbox.settings import SandboxSettings
from reconciler.sandbox.store import Token, Tx


@dataclass(frozen=True)
class RateState:
    limit: int
    used: int
    reset_at: int

    @property
    def exceeded(self) -> bool:
        return self.used > self.limit

    def headers(self) -> dict[str, str]:
        return {
            "x-ratelimit-limit": str(self.limit),
            "x-ratelimit-remaining": str(max(0, self.limit - self.used)),
            "x-ratelimit-reset": str(self.reset_at),
        }


def issue_token(tx: Tx, form_body: bytes, settings: SandboxSettings) -> dict[str, object]:
    """`POST /oauth2/token` (form-encoded client_credentials) → the token response."""
    form = dict(parse_qsl(form_body.decode("utf-8", errors="replace"), keep_blank_values=True))
    grant_type = form.get("grant_type", "")
    if grant_type != "client_credentials":
        raise ProblemResponse(
            400,
            [
                Problem(
                    "validation",
                    "unsupported-grant-type",
                    "Unsupported grant type",
                    f"grant_type {grant_type!r} is not supported; use client_credentials.",
                )
            ],
        )
    client_id = form.get("client_id", "").strip()
    client_secret = form.get("client_secret", "").strip()
    if not client_id or not client_secret:
        raise ProblemResponse(
            401,
            [
                Problem(
                    "authentication",
                    "invalid-client-credentials",
                    "Invalid client credentials",
                    "client_id and client_secret are required.",
                )
            ],
        )
    now = settings.clock()
    token = Token(
        secrets.token_urlsafe(32),
        PLATFORM,
        client_id,
        now,
        now + settings.of(PLATFORM, Settings).token_ttl_seconds,
    )
    tx.add_token(token)
    return {
        "access_token": token.token,
        "token_type": "Bearer",
        "expires_in": settings.of(PLATFORM, Settings).token_ttl_seconds,
        "refresh_token": None,
    }


def _unauthenticated(code: str, title: str, detail: str) -> ProblemResponse:
    return ProblemResponse(401, [Problem("authentication", code, title, detail)])


def authenticate(tx: Tx, authorization: str | None, now: float) -> str:
    """The client_id behind a bearer token, or a 401."""
    if not authorization:
        raise _unauthenticated(
            "authorization-token-missing", "Missing token", "Send an Authorization: Bearer <token> header."
        )
    scheme, _, value = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise _unauthenticated(
            "authorization-token-invalid",
            "Invalid token",
            "The Authorization header must be 'Bearer <token>'.",
        )
    token = tx.token(PLATFORM, value.strip())
    if token is None:
        raise _unauthenticated(
            "authorization-token-invalid", "Invalid token", "The access token is not valid."
        )
    if now >= token.expires_at:
        raise _unauthenticated(
            "authorization-token-expired", "Expired token", "The access token has expired; request a new one."
        )
    return token.client_id


def count_call(tx: Tx, client_id: str, now: float, limit: int) -> RateState:
    """Count one authenticated call of a client in the current calendar minute."""
    window = int(now // 60) * 60
    used = tx.count_call(PLATFORM, client_id, window)
    return RateState(limit, used, window + 60)


def too_many_requests(state: RateState) -> ProblemResponse:
    return ProblemResponse(
        429,
        [
            Problem(
                "quota",
                "too-many-requests",
                "Too many requests",
                f"The rate limit of {state.limit} calls per minute for this application is exceeded; "
                f"it resets at {state.reset_at} (Unix time).",
            )
        ],
    )
