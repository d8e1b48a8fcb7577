"""AppLovin OAuth as the sandbox serves it under `/applovin/oauth/...`.

- `POST /oauth/v1/access_token` (form-encoded `client_id`, `client_secret`, `grant_type`, ...):
  - `client_credentials` (first-party apps): `scope` required, a subset of the app's scopes.
  - `authorization_code` (third-party apps): `code` from `/oauth/initialize` (single use, 10 minutes)
    and the same `redirect_uri`; `scope` is invalid here (the consented scopes are granted).
  - `refresh_token` (third-party apps): each refresh token works once (a used one is refused with
    `invalid_grant`), every refresh returns a new one, refresh tokens expire after 30 days; `scope`
    optional, a subset of the grant's scopes.
  The answer: `{"access_token", "token_type": "Bearer", "expires_in", "scope"}` plus `refresh_token`
  for the third-party grants. Access tokens live `applovin_token_ttl_seconds` (3600).
- `GET /oauth/initialize?client_id&redirect_uri&response_type=code&scope&state` (all required): a
  sandbox user consents at once: 302 to `redirect_uri?code=...&state=...`. The app must be a registered
  third-party app, `redirect_uri` must equal its registered one, `scope` must be a subset of its scopes.
- Calls carry `Authorization: Bearer <access_token>`; a write scope implies read.

Registered apps are in `seed.OAUTH_APPS`; an unregistered client id is a first-party app with every
scope and any non-empty secret (so `endpoint: sandbox` needs no setup), never a third-party one. The
client id `sandbox` (what reconciler sends to the embedded sandbox when a project names no credentials)
is `seed.SANDBOX_APP`: it takes both flows, with any redirect URI.
"""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import parse_qsl, urlencode

from reconciler.sandbox.applovin.errors import ApiError
from reconciler.sandbox.applovin.seed import PLATFORM, SANDBOX_APP, SCOPES
from reconciler.sandbox.applovin.settings import Settings
from reconciler.sandbox.settings import SandboxSettings
from reconciler.sandbox.store import Tx

REFRESH_TTL = 30 * 24 * 3600
CODE_TTL = 600


def _oauth_error(status: int, code: str, message: str, rule: str) -> ApiError:
    return ApiError(status, code, message, rule)


def _registered(tx: Tx, client_id: str) -> dict[str, Any] | None:
    if client_id == SANDBOX_APP["client_id"]:
        return dict(SANDBOX_APP)
    return tx.get(PLATFORM, "oauth_app", client_id)


def _app(tx: Tx, client_id: str) -> dict[str, Any]:
    registered = _registered(tx, client_id)
    if registered is not None:
        return registered
    return {"client_id": client_id, "client_secret": None, "kind": "first_party", "scopes": list(SCOPES)}


def _scopes(text: str, allowed: list[str], what: str) -> list[str]:
    asked = text.split()
    if not asked:
        raise _oauth_error(
            400, "invalid_scope", f"scope is required ({what}); separate scopes with spaces", "oauth-scope"
        )
    unknown = [s for s in asked if s not in SCOPES]
    if unknown:
        raise _oauth_error(
            400,
            "invalid_scope",
            f"unknown scope(s) {', '.join(unknown)}; supported: {' '.join(SCOPES)}",
            "oauth-scope",
        )
    beyond = [s for s in asked if s not in allowed]
    if beyond:
        raise _oauth_error(
            400, "invalid_scope", f"scope(s) {', '.join(beyond)} are not granted to {what}", "oauth-scope"
        )
    return sorted(set(asked), key=SCOPES.index)


def _prune(tx: Tx, now: float) -> None:
    """Forget tokens and codes that expired more than a day ago."""
    tx.conn.execute(
        "DELETE FROM objects WHERE platform = ? AND kind IN ('access_token', 'refresh_token', 'auth_code') "
        "AND json_extract(doc, '$.expires_at') < ?",
        (PLATFORM, now - 86400),
    )


def _issue(
    tx: Tx, settings: SandboxSettings, client_id: str, scopes: list[str], refresh: bool
) -> dict[str, Any]:
    now = settings.clock()
    _prune(tx, now)
    ttl = settings.of(PLATFORM, Settings).token_ttl_seconds
    access = secrets.token_hex(32)
    tx.put(
        PLATFORM,
        "access_token",
        access,
        {"client_id": client_id, "scopes": scopes, "issued_at": now, "expires_at": now + ttl},
    )
    answer: dict[str, Any] = {
        "access_token": access,
        "token_type": "Bearer",
        "expires_in": ttl,
        "scope": " ".join(scopes),
    }
    if refresh:
        token = secrets.token_hex(30)
        tx.put(
            PLATFORM,
            "refresh_token",
            token,
            {"client_id": client_id, "scopes": scopes, "expires_at": now + REFRESH_TTL, "used": False},
        )
        answer["refresh_token"] = token
        answer["refresh_token_expires_in"] = REFRESH_TTL
    return answer


def _refuse_parameter(form: dict[str, str], names: tuple[str, ...], message: str) -> None:
    """A grant that comes with a parameter it does not take is refused (400 `invalid_request`)."""
    if any(form.get(name) for name in names):
        raise _oauth_error(400, "invalid_request", message, "oauth-parameter")


def _stored(tx: Tx, kind: str, key: str) -> dict[str, Any] | None:
    """The stored authorization code or refresh token `key` (None when there is none or no key)."""
    return tx.get(PLATFORM, kind, key) if key else None


def issue_token(tx: Tx, body: bytes, settings: SandboxSettings) -> dict[str, Any]:
    """`POST /oauth/v1/access_token` → the token answer, or an ApiError."""
    form = dict(parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True))
    client_id = form.get("client_id", "").strip()
    secret = form.get("client_secret", "").strip()
    if not client_id or not secret:
        raise _oauth_error(401, "invalid_client", "client_id and client_secret are required", "oauth-client")
    app = _app(tx, client_id)
    if app["client_secret"] is not None and secret != app["client_secret"]:
        raise _oauth_error(
            401, "invalid_client", "the client secret does not match the client id", "oauth-client"
        )
    grant = form.get("grant_type", "")
    now = settings.clock()
    if grant == "client_credentials":
        if app["kind"] not in ("first_party", "sandbox"):
            raise _oauth_error(
                400,
                "unauthorized_client",
                "client_credentials is for first-party apps; use authorization_code",
                "oauth-grant-type",
            )
        for name in ("code", "redirect_uri", "refresh_token"):
            _refuse_parameter(form, (name,), f"{name} is invalid with grant_type=client_credentials")
        return _issue(
            tx, settings, client_id, _scopes(form.get("scope", ""), app["scopes"], client_id), False
        )
    if grant == "authorization_code":
        _refuse_parameter(form, ("scope",), "scope is invalid with grant_type=authorization_code")
        code = form.get("code", "")
        stored = _stored(tx, "auth_code", code)
        if (
            stored is None
            or stored["client_id"] != client_id
            or stored["used"]
            or now >= stored["expires_at"]
        ):
            raise _oauth_error(
                400, "invalid_grant", "the authorization code is unknown, used or expired", "oauth-code"
            )
        if form.get("redirect_uri", "") != stored["redirect_uri"]:
            raise _oauth_error(
                400,
                "invalid_grant",
                "redirect_uri does not match the one of the authorization request",
                "oauth-code",
            )
        tx.put(PLATFORM, "auth_code", code, {**stored, "used": True})
        return _issue(tx, settings, client_id, list(stored["scopes"]), True)
    if grant == "refresh_token":
        _refuse_parameter(
            form, ("code", "redirect_uri"), "code and redirect_uri are invalid with refresh_token"
        )
        token = form.get("refresh_token", "")
        stored = _stored(tx, "refresh_token", token)
        if stored is None or stored["client_id"] != client_id:
            raise _oauth_error(400, "invalid_grant", "the refresh token is unknown", "oauth-refresh-token")
        if stored["used"]:
            raise _oauth_error(
                400,
                "invalid_grant",
                "the refresh token was already used (each one works once)",
                "oauth-refresh-token",
            )
        if now >= stored["expires_at"]:
            raise _oauth_error(
                400, "invalid_grant", "the refresh token expired (they last 30 days)", "oauth-refresh-token"
            )
        scopes = list(stored["scopes"])
        if form.get("scope", "").strip():
            scopes = _scopes(form["scope"], scopes, "this grant")
        tx.put(PLATFORM, "refresh_token", token, {**stored, "used": True})
        return _issue(tx, settings, client_id, scopes, True)
    raise _oauth_error(
        400,
        "unsupported_grant_type",
        f"grant_type {grant!r} is not supported; use client_credentials, authorization_code or refresh_token",
        "oauth-grant-type",
    )


def authorize(tx: Tx, query: dict[str, str], now: float) -> str:
    """`GET /oauth/initialize`: the consent is given at once; the URL to redirect to."""
    missing = [
        n for n in ("client_id", "redirect_uri", "response_type", "scope", "state") if not query.get(n)
    ]
    if missing:
        raise _oauth_error(
            400, "invalid_request", f"missing query parameter(s): {', '.join(missing)}", "oauth-authorize"
        )
    if query["response_type"] != "code":
        raise _oauth_error(400, "unsupported_response_type", "response_type must be code", "oauth-authorize")
    app = _registered(tx, query["client_id"])
    if app is None or app["kind"] not in ("third_party", "sandbox"):
        raise _oauth_error(
            400,
            "invalid_client",
            f"{query['client_id']!r} is not a registered third-party OAuth app",
            "oauth-client",
        )
    redirect_uri = app["redirect_uri"] or query["redirect_uri"]
    if query["redirect_uri"] != redirect_uri:
        raise _oauth_error(
            400,
            "invalid_request",
            "redirect_uri does not match the one registered for this app",
            "oauth-authorize",
        )
    scopes = _scopes(query["scope"], app["scopes"], "this app")
    code = secrets.token_hex(22)
    tx.put(
        PLATFORM,
        "auth_code",
        code,
        {
            "client_id": app["client_id"],
            "redirect_uri": redirect_uri,
            "scopes": scopes,
            "expires_at": now + CODE_TTL,
            "used": False,
        },
    )
    separator = "&" if "?" in redirect_uri else "?"
    return redirect_uri + separator + urlencode({"code": code, "state": query["state"]})


def authenticate(tx: Tx, authorization: str | None, scope: str, now: float) -> str:
    """The client id behind a bearer token holding `scope` (a write scope implies read), or an ApiError."""
    scheme, _, value = (authorization or "").strip().partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise ApiError(
            401, "unauthorized", "send an Authorization: Bearer <access_token> header", "token-required"
        )
    token = tx.get(PLATFORM, "access_token", value.strip())
    if token is None:
        raise ApiError(401, "unauthorized", "the access token is not valid", "token-required")
    if now >= token["expires_at"]:
        raise ApiError(
            401,
            "unauthorized",
            "the access token expired (they last 60 minutes); get a new one",
            "token-required",
        )
    held = set(token["scopes"])
    family, _, level = scope.partition(":")
    if scope not in held and not (level == "read" and f"{family}:write" in held):
        raise ApiError(403, "forbidden", f"the access token lacks the {scope} scope", "scope-required")
    return str(token["client_id"])
