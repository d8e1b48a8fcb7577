"""Criteo's official OpenAPI specification (2027-01) as the Criteo sandbox tests check against it: the
spec (a copy of `../shared/platforms/criteo-marketingsolutions-2027-01.openapi.json` under `data/`, so a
clean clone can run the suite), openapi-core's view of it, and `SpecCheck`, which validates an httpx
exchange with the sandbox (its `/criteo` prefix mapped to the spec's server https://api.criteo.com).

The spec documents only the success status of each operation; an error answer is checked against the
same response model (Criteo's `{"data", "errors", "warnings"}` envelope) and must carry errors."""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import httpx
from openapi_core import OpenAPI
from openapi_core.datatypes import RequestParameters
from werkzeug.datastructures import Headers, ImmutableMultiDict

SPEC_PATH = Path(__file__).resolve().parent / "data" / "criteo-marketingsolutions-2027-01.openapi.json"
SPEC_HOST = "https://api.criteo.com"
PREFIX = "/criteo"


@cache
def spec() -> dict[str, Any]:
    return dict(json.loads(SPEC_PATH.read_text(encoding="utf-8")))


@cache
def openapi() -> OpenAPI:
    return OpenAPI.from_dict(spec())


@dataclass
class SpecRequest:
    """An httpx request seen as a request to api.criteo.com (openapi-core's Request protocol)."""

    request: httpx.Request
    parameters: RequestParameters = field(init=False)

    def __post_init__(self) -> None:
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(list(self.request.url.params.multi_items())),
            header=Headers(list(self.request.headers.items())),
            cookie=ImmutableMultiDict(),
        )

    @property
    def host_url(self) -> str:
        return SPEC_HOST

    @property
    def path(self) -> str:
        return self.request.url.path.removeprefix(PREFIX)

    @property
    def method(self) -> str:
        return self.request.method.lower()

    @property
    def body(self) -> bytes | None:
        return self.request.content or None

    @property
    def content_type(self) -> str:
        return self.request.headers.get("content-type", "application/octet-stream")


@dataclass
class SpecResponse:
    response: httpx.Response
    status: int

    @property
    def status_code(self) -> int:
        return self.status

    @property
    def content_type(self) -> str:
        return self.response.headers.get("content-type", "")

    @property
    def headers(self) -> Headers:
        return Headers(list(self.response.headers.items()))

    @property
    def data(self) -> bytes:
        return self.response.content


def template(path: str) -> str:
    """The spec path (template) a concrete path belongs to; literal paths win over templates."""
    paths = spec()["paths"]
    if path in paths:
        return path
    actual = path.split("/")
    for candidate in paths:
        parts = candidate.split("/")
        if len(parts) == len(actual) and all(
            p == a or (p.startswith("{") and p.endswith("}")) for p, a in zip(parts, actual, strict=True)
        ):
            return str(candidate)
    raise AssertionError(f"{path} is not an operation of the specification")


def success_status(path_template: str, method: str) -> int:
    return min(int(code) for code in spec()["paths"][path_template][method.lower()]["responses"])


@dataclass
class SpecCheck:
    """Validates exchanges with the Criteo sandbox against the spec and records the operations seen."""

    seen: set[tuple[str, str]] = field(default_factory=set)

    def check(self, response: httpx.Response, request_too: bool) -> None:
        """The response always; the request when `request_too` (a request meant to be valid)."""
        request = SpecRequest(response.request)
        path_template = template(request.path)
        method = request.method
        self.seen.add((method.upper(), path_template))
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "Unsupported scheme type")
            if request_too:
                openapi().validate_request(request)
            status = response.status_code
            documented = spec()["paths"][path_template][method]["responses"]
            if str(status) not in documented:
                assert status >= 400, f"undocumented success status {status} for {method} {path_template}"
                assert response.json()["errors"], response.text
                status = success_status(path_template, method)
            openapi().validate_response(request, SpecResponse(response, status))
