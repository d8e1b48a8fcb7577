"""AppLovin's error envelope as the sandbox answers it: `{"error": {"code", "message", "rule"}}` with the
HTTP status (public material documents none; FACTS.md records this choice). Codes: `invalid_request` (400),
`unauthorized` (401), `forbidden` (403, a missing scope), `not_found` (404), `unsupported_media_type`
(415), `rate_limited` (429, with `Retry-After`), and the OAuth codes `invalid_client`, `invalid_grant`,
`invalid_scope`, `unsupported_grant_type` of the token endpoint. `rule` names the rule the call broke, one
of `rules.RULES` (which says where each comes from)."""

from __future__ import annotations

from collections.abc import Mapping

from starlette.responses import JSONResponse, Response

from reconciler.sandbox.applovin.rules import RULES


class ApiError(Exception):
    """Ends a call with an HTTP status and AppLovin's error envelope."""

    def __init__(
        self, status: int, code: str, message: str, rule: str, headers: Mapping[str, str] | None = None
    ) -> None:
        if rule not in RULES:
            raise KeyError(f"{rule!r} is not in the AppLovin emulator's rules table (applovin/rules.py)")
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.rule = rule
        self.headers = dict(headers or {})

    def response(self) -> Response:
        body = {"error": {"code": self.code, "message": self.message, "rule": self.rule}}
        return JSONResponse(body, status_code=self.status, headers=self.headers)


def invalid(rule: str, message: str) -> ApiError:
    return ApiError(400, "invalid_request", message, rule)


def not_found(kind: str, object_id: str) -> ApiError:
    return ApiError(404, "not_found", f"no {kind} with id {object_id!r} in this account", "object-not-found")
