"""Amazon DSP's error shapes in the sandbox: `ApiError` ends a whole request (`{"code", "message",
"requestId"}` with its HTTP status), `ItemError` fails one item of a batch write (reported in the 207
`error` array), and the codes both use (rules.py says where each comes from; docs/amazon-dsp-rules.md lists
which rule answers which)."""

from __future__ import annotations

from dataclasses import dataclass

from reconciler.sandbox.amazon_dsp.rules import RULES


def known(code: str) -> None:
    """Every code the emulator answers with is in its rules table (rules.py)."""
    if code not in RULES:
        raise KeyError(f"{code!r} is not in the Amazon DSP emulator's rules table (amazon_dsp/rules.py)")


@dataclass
class ApiError(Exception):
    """Ends a request: HTTP `status` with `{"code", "message", "requestId"}`."""

    status: int
    code: str
    message: str
    headers: dict[str, str] | None = None

    def __post_init__(self) -> None:
        known(self.code)

    def body(self, request_id: str) -> dict[str, str]:
        return {"code": self.code, "message": self.message, "requestId": request_id}


@dataclass
class ItemError(Exception):
    """Fails one item of a batch write with an error code and a message."""

    code: str
    message: str

    def __post_init__(self) -> None:
        known(self.code)


def bad_request(code: str, message: str) -> ApiError:
    return ApiError(400, code, message)


def missing(path: str) -> ItemError:
    return ItemError("MISSING_REQUIRED_FIELD", f"{path} is required.")


def invalid(path: str, why: str) -> ItemError:
    return ItemError("INVALID_FIELD_VALUE", f"{path} {why}")
