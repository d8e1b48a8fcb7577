"""What every platform's settings in `reconciler.yaml` share: the endpoint (the embedded `sandbox`, or an
https URL — http only to a loopback address), the authorization host, the names of the environment variables
that hold the credentials (never the secrets), and the account currency. Each platform's own settings model
(`reconciler.providers.<platform>.settings:SETTINGS`, found through the registry) extends `PlatformSettings`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, Any, ClassVar

from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema, model_validator
from pydantic_core import PydanticCustomError

from reconciler.manifest.endpoints import shown, url_problem
from reconciler.manifest.types import Strict

SANDBOX = "sandbox"
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _env_name(value: str) -> str:
    if not _ENV_NAME.match(value):  # the value is not repeated: it may be the secret itself
        raise PydanticCustomError(
            "env_var_name",
            "this is not the name of an environment variable (write the NAME of the variable that holds "
            "the secret, never the secret itself)",
        )
    return value


EnvVarName = Annotated[str, AfterValidator(_env_name)]


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _endpoint(value: str) -> str:
    if value.lower() == SANDBOX:
        return SANDBOX
    return _url(value)


def _url(value: str) -> str:
    problem = url_problem(value)
    if problem is not None:
        raise PydanticCustomError("endpoint", "{url} {problem}", {"url": shown(value), "problem": problem})
    return value


_URL_SCHEMA = {
    "type": "string",
    "pattern": "^https://[^/\\s@]+|^http://(localhost|127\\.[0-9.]+|\\[::1\\])[:/]?",
}
Endpoint = Annotated[
    str,
    BeforeValidator(_strip),
    AfterValidator(_endpoint),
    WithJsonSchema(
        {
            "anyOf": [{"const": SANDBOX}, _URL_SCHEMA],
            "title": "Endpoint",
            "description": "`sandbox` (the embedded emulator) or the API base URL, e.g. "
            "https://api.example.com (https://, or http:// to a loopback address only).",
        }
    ),
]
AuthEndpoint = Annotated[
    str,
    BeforeValidator(_strip),
    AfterValidator(_url),
    WithJsonSchema({**_URL_SCHEMA, "title": "AuthEndpoint"}),
]


def _credential_keys(*names: str) -> Callable[[dict[str, str]], dict[str, str]]:
    """A check that a `credentials` mapping has exactly these keys."""

    def check(value: dict[str, str]) -> dict[str, str]:
        unknown = [k for k in value if k not in names]
        if unknown:
            raise PydanticCustomError(
                "credentials_unknown",
                "unknown credential {unknown}; allowed: {allowed}",
                {"unknown": ", ".join(f"`{k}`" for k in unknown), "allowed": ", ".join(names)},
            )
        missing = [k for k in names if k not in value]
        if missing:
            raise PydanticCustomError(
                "credentials_missing",
                "missing credential {missing}",
                {"missing": ", ".join(f"`{k}`" for k in missing)},
            )
        return value

    return check


def _credentials_schema(*names: str) -> dict[str, Any]:
    return {
        "type": "object",
        "title": "Credentials",
        "description": "Names of the environment variables that hold the credentials (never the secrets).",
        "properties": {n: {"type": "string", "pattern": _ENV_NAME.pattern} for n in names},
        "required": list(names),
        "additionalProperties": False,
    }


credential_keys = _credential_keys
credentials_schema = _credentials_schema

ClientCredentials = Annotated[
    dict[str, EnvVarName],
    AfterValidator(_credential_keys("client_id", "client_secret")),
    WithJsonSchema(_credentials_schema("client_id", "client_secret")),
]
"""OAuth client credentials: `client_id` and `client_secret` → the environment variable that holds each."""


def strip(value: Any) -> Any:
    return _strip(value)


class PlatformSettings(Strict):
    """Settings every platform has: where its API is, and which environment variables hold the credentials."""

    endpoint: Endpoint
    auth_endpoint: AuthEndpoint | None = Field(
        default=None,
        description="Base URL of the authorization server if not the API host; unused with `sandbox`.",
    )
    credentials: dict[str, str] | None = Field(
        default=None,
        description="Environment variable names of the credentials; optional with the sandbox endpoint.",
    )
    currency: str | None = Field(
        default=None,
        pattern=r"^[A-Z]{3}$",
        description="The account's currency (ISO 4217, e.g. EUR), shown with the plan's budgets and bids.",
    )

    concurrency: ClassVar[int] = 8
    """Calls the provider keeps in flight (`ProviderConfig.concurrency`): not a setting of reconciler.yaml but
    what the platform's API allows; one whose documentation allows more raises it."""

    def options(self, project: str) -> dict[str, Any]:
        """Platform-specific settings for the provider (`ProviderConfig.options`); none by default."""
        return {}

    @model_validator(mode="after")
    def _credentials_needed(self) -> PlatformSettings:
        if self.endpoint != SANDBOX and self.credentials is None:
            raise PydanticCustomError(
                "credentials_required",
                "`credentials` is required when the endpoint is not `sandbox`",
            )
        return self
