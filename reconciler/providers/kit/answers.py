"""Answer checks: an answer means something only when it has the status, content type and envelope its
call expects. A redirect, an HTML page, a body that is not JSON, or JSON without the expected envelope is
an `UnreadableAnswer` (a `PlatformError` that stops the plan), never an empty result: a plan must not
create an object because an answer could not be read.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from reconciler.errors import PlatformError


class UnreadableAnswer(PlatformError):
    """The platform answered, but not with what the call expects."""

    hint = (
        "check `endpoint` in reconciler.yaml (the platform's API base URL, no proxy or login page in "
        "between); nothing was concluded from this answer"
    )


@dataclass(frozen=True)
class Expect:
    """What a successful answer to one call looks like: its statuses, and a check of its JSON envelope
    described in words (`what`) for the error message. `empty` allows an answer with no body (204)."""

    what: str = "a JSON object"
    shape: Callable[[Any], bool] = lambda body: isinstance(body, dict)
    statuses: frozenset[int] = frozenset({200, 201})
    empty: bool = False


OBJECT = Expect()
"""Any JSON object."""

NOTHING = Expect(what="an empty answer or a JSON object", empty=True, statuses=frozenset({200, 201, 204}))
"""A write whose answer carries nothing the caller needs."""


def member(key: str, kind: type = list, statuses: frozenset[int] = frozenset({200, 201})) -> Expect:
    """A JSON object whose `key` is a list (or another JSON type), e.g. `member("data")`."""
    names: dict[type, str] = {list: "list", dict: "object", str: "string"}
    name = names.get(kind, kind.__name__)
    return Expect(
        what=f"a JSON object with a `{key}` {name}",
        shape=lambda body: isinstance(body, dict) and isinstance(body.get(key), kind),
        statuses=statuses,
    )


def listing(statuses: frozenset[int] = frozenset({200})) -> Expect:
    """A JSON list (a bare array)."""
    return Expect(what="a JSON list", shape=lambda body: isinstance(body, list), statuses=statuses)


def is_json(response: httpx.Response) -> bool:
    kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
    return kind == "application/json" or kind.endswith("+json")


def body_of(response: httpx.Response) -> Any:
    """The JSON body of an answer, or None when it has none or it is not JSON (for error answers, whose
    body is only read for the platform's message)."""
    if not response.content or not is_json(response):
        return None
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None


def checked(response: httpx.Response, expect: Expect, label: str, method: str, path: str) -> Any:
    """The JSON body of a successful answer, checked against `expect`; else `UnreadableAnswer`."""
    status = response.status_code
    call = f"{label} {method} {path}"
    if 300 <= status < 400:
        raise UnreadableAnswer(f"{call} answered with a redirect (HTTP {status}) instead of {expect.what}")
    if status not in expect.statuses:
        raise UnreadableAnswer(f"{call} answered HTTP {status}, where {expect.what} was expected")
    if not response.content:
        if expect.empty:
            return {}
        raise UnreadableAnswer(f"{call} answered with an empty body instead of {expect.what}")
    if not is_json(response):
        kind = response.headers.get("content-type", "no content type").split(";")[0] or "no content type"
        raise UnreadableAnswer(f"{call} answered with {_describe(kind)} instead of {expect.what}")
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise UnreadableAnswer(f"{call} answered with a body that is not valid JSON") from None
    if not expect.shape(body):
        raise UnreadableAnswer(f"{call} answered with JSON that is not {expect.what}")
    return body


def _describe(content_type: str) -> str:
    if "html" in content_type:
        return "an HTML page"
    return f"`{content_type}`"


def strings_redacted(value: Any, redact: Callable[[str], str]) -> Any:
    """A JSON value with every string passed through `redact` (for error bodies that may echo secrets)."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, Mapping):
        return {k: strings_redacted(v, redact) for k, v in value.items()}
    if isinstance(value, list):
        return [strings_redacted(v, redact) for v in value]
    return value
