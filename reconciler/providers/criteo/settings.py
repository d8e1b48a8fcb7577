"""Criteo's settings in `reconciler.yaml` (`platforms.criteo`): OAuth client credentials."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field, WithJsonSchema

from reconciler.manifest.platform_settings import (
    EnvVarName,
    PlatformSettings,
    credential_keys,
    credentials_schema,
)

CriteoCredentials = Annotated[
    dict[str, EnvVarName],
    AfterValidator(credential_keys("client_id", "client_secret")),
    WithJsonSchema(credentials_schema("client_id", "client_secret")),
]
"""Credential key → the name of the environment variable that holds it."""


class CriteoSettings(PlatformSettings):
    """Criteo Marketing Solutions API settings."""

    credentials: CriteoCredentials | None = Field(
        default=None,
        description="Environment variable names of `client_id` and `client_secret`; optional with `sandbox`.",
    )


SETTINGS = CriteoSettings
