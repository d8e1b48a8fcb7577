"""AppLovin's error envelope as the sandbox answers it: `{"error": {"code", "message"}}` with the HTTP
status (public material documents none; FACTS.md records this choice). Codes: `invalid_request` (400),
`unauthorized` (401), `forbidden` (403, a missing scope), `not_found` (404), `unsupported_media_type`
(415), `rate_limited` (429, with `Retry-After`), and the OAuth codes `invalid_client`, `invalid_grant`,
`invalid_scope`, `unsupported_grant_type` of the token endpoint."""

from __future__ import annotations

from collections.abc import Mapping

from starlette.responses import JSONResponse, Response


class ApiError(Exception):
    """Ends a call with an HTTP status and AppLovin's error envelope."""

    def __init__(
        self, status: int, code: str, message: str, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = dict(headers or {})

    def response(self) -> Response:
        body = {"error": {"code": self.code, "message": self.message}}
        return JSONResponse(body, status_code=self.status, headers=self.headers)


def invalid(message: str) -> ApiError:
    return ApiError(400, "invalid_request", message)


def not_found(kind: str, object_id: str) -> ApiError:
    return ApiError(404, "not_found", f"no {kind} with id {object_id!r} in this account")
