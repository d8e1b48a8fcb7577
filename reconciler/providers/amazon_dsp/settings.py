"""Amazon DSP's settings in `reconciler.yaml` (`platforms.amazon_dsp`): the regional API host, the Login
with Amazon host and the refresh-token credentials."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field, WithJsonSchema

from reconciler.manifest.platform_settings import (
    AuthEndpoint,
    Endpoint,
    EnvVarName,
    PlatformSettings,
    credential_keys,
    credentials_schema,
)

AmazonDspCredentials = Annotated[
    dict[str, EnvVarName],
    AfterValidator(credential_keys("client_id", "client_secret", "refresh_token")),
    WithJsonSchema(credentials_schema("client_id", "client_secret", "refresh_token")),
]
"""Credential key → the name of the environment variable that holds it."""


class AmazonDspSettings(PlatformSettings):
    """Amazon DSP (Amazon Ads API) settings. Login with Amazon issues the tokens."""

    endpoint: Endpoint = Field(
        description="`sandbox` or the regional API host, e.g. https://advertising-api.amazon.com "
        "(-eu, -fe for the other regions)."
    )
    auth_endpoint: AuthEndpoint | None = Field(
        default="https://api.amazon.com", description="Login with Amazon host (unused with `sandbox`)."
    )
    credentials: AmazonDspCredentials | None = Field(
        default=None,
        description="Environment variable names of `client_id`, `client_secret` and `refresh_token`; "
        "optional with `sandbox`.",
    )


SETTINGS = AmazonDspSettings
