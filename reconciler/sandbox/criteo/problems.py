"""Criteo's problem envelope: the `CommonProblem` object, the exception that carries problems out of a
handler, and the JSON bodies Criteo answers with (`{"data", "errors", "warnings"}`). Every problem's
code is one of `rules.RULES` (refusals) or `rules.WARNINGS`."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from starlette.responses import Response

from reconciler.sandbox.common.endpoints import json_response
from reconciler.sandbox.criteo.rules import RULES, WARNINGS


@dataclass
class Problem:
    """One Criteo `CommonProblem`."""

    type: str
    code: str
    title: str
    detail: str
    instance: str | None = None
    source: dict[str, str] | None = None

    def __post_init__(self) -> None:
        if self.code not in RULES and self.code not in WARNINGS:
            raise KeyError(f"{self.code!r} is not in the Criteo emulator's rules table (criteo/rules.py)")

    def at(self, instance: str) -> Problem:
        return Problem(self.type, self.code, self.title, self.detail, instance, self.source)

    def to_json(self, trace_id: str) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": self.type,
            "code": self.code,
            "title": self.title,
            "detail": self.detail,
            "traceIdentifier": trace_id,
            "traceId": trace_id,
        }
        if self.instance is not None:
            body["instance"] = self.instance
        if self.source is not None:
            body["source"] = dict(self.source)
        return body


def validation(code: str, title: str, detail: str, pointer: str | None = None) -> Problem:
    return Problem(
        "validation", code, title, detail, source=None if pointer is None else {"pointer": pointer}
    )


class Rejected(Exception):
    """One problem that stops the current item (or the whole request when nothing catches it)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.detail)
        self.problem = problem


@dataclass
class ProblemResponse(Exception):
    """Ends a request with an error status and a problem envelope."""

    status: int
    problems: list[Problem]
    data: Any = None
    has_data: bool = False
    warnings: list[Problem] = field(default_factory=list)

    def body(self, trace_id: str) -> dict[str, Any]:
        body: dict[str, Any] = {}
        if self.has_data:
            body["data"] = self.data
        body["errors"] = [problem.to_json(trace_id) for problem in self.problems]
        body["warnings"] = [problem.to_json(trace_id) for problem in self.warnings]
        return body

    def response(self, trace_id: str | None = None, headers: Mapping[str, str] | None = None) -> Response:
        """The answer (under a new trace id unless the call has one)."""
        return json_response(self.status, self.body(trace_id or str(uuid.uuid4())), headers)


def not_found(kind: str, object_id: str, instance: str | None = None) -> Problem:
    """The problem for an id that does not exist (`ad-set-not-found`, `campaign-not-found`, ...)."""
    words = kind.replace("-", " ")
    return Problem(
        "validation",
        f"{kind}-not-found",
        f"{words[0].upper()}{words[1:]} not found",
        f"There is no {words} with id {object_id!r} in your portfolio.",
        instance,
    )
