"""AppLovin's settings in `reconciler.yaml` (`platforms.applovin`): the OAuth host, first- or third-party
authorization, scopes, and where a third-party app's refresh token is kept (outside the project)."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from pydantic import AfterValidator, BeforeValidator, Field, model_validator
from pydantic_core import PydanticCustomError

from reconciler.manifest.platform_settings import (
    AuthEndpoint,
    ClientCredentials,
    Endpoint,
    PlatformSettings,
    strip,
)

AppLovinScope = Literal[
    "campaigns:read",
    "campaigns:write",
    "creatives:read",
    "creatives:write",
    "source_bids:read",
    "source_bids:write",
]
SCOPES: tuple[str, ...] = get_args(AppLovinScope)


def _token_file(value: str) -> str:
    if not (value.startswith("~/") or Path(value).is_absolute()):
        raise PydanticCustomError(
            "token_file",
            "{value} must be an absolute path or start with `~/`: the refresh token is a secret and belongs "
            "outside the project (for example ~/.config/reconciler/applovin.json)",
            {"value": repr(value)},
        )
    return value


class AppLovinSettings(PlatformSettings):
    """AppLovin AppDiscovery campaign management API settings."""

    endpoint: Endpoint = Field(description="`sandbox` or https://o.applovin.com.")
    auth_endpoint: AuthEndpoint | None = Field(
        default="https://oauth.applovin.com", description="AppLovin OAuth host (unused with `sandbox`)."
    )
    credentials: ClientCredentials | None = Field(
        default=None,
        description="Environment variable names of `client_id` and `client_secret`; optional with `sandbox`.",
    )
    currency: str | None = Field(
        default="USD", pattern=r"^[A-Z]{3}$", description="AppLovin budgets and bids are in USD."
    )
    auth: Literal["first_party", "third_party"] = Field(
        default="first_party",
        description="`first_party`: your own OAuth app (client credentials); `third_party`: an app acting "
        "for another company, authorized once with `reconciler auth applovin` (refresh token: `token_file`).",
    )
    scopes: list[AppLovinScope] = Field(
        default_factory=lambda: list(get_args(AppLovinScope)),
        min_length=1,
        description="OAuth scopes to request (a write scope implies read); default: all six.",
    )
    redirect_uri: Annotated[str | None, BeforeValidator(strip)] = Field(
        default=None,
        description="With `third_party`: the redirect URI registered for the OAuth app.",
    )
    token_file: Annotated[str | None, BeforeValidator(strip), AfterValidator(_token_file)] = Field(
        default=None,
        description="With `third_party`: where the refresh token is kept (mode 0600), outside the project; "
        "default ~/.config/reconciler/applovin-<project>.json.",
    )

    @model_validator(mode="after")
    def _third_party_fields(self) -> AppLovinSettings:
        if self.auth == "third_party" and not self.redirect_uri:
            raise PydanticCustomError(
                "redirect_uri_required",
                "`redirect_uri` is required with `auth: third_party` (the redirect URI registered for the "
                "OAuth app)",
            )
        if self.auth == "first_party" and (self.redirect_uri or self.token_file):
            raise PydanticCustomError(
                "third_party_only",
                "`redirect_uri` and `token_file` are only used with `auth: third_party`",
            )
        return self

    def options(self, project: str) -> dict[str, Any]:
        """The auth settings for the provider, with the default token file of this project filled in."""
        name = re.sub(r"[^A-Za-z0-9._-]+", "-", project).strip("-.") or "project"
        config_home = os.environ.get("XDG_CONFIG_HOME") or "~/.config"
        token_file = self.token_file or f"{config_home}/reconciler/applovin-{name}.json"
        return {
            "auth": self.auth,
            "scopes": list(self.scopes),
            "redirect_uri": self.redirect_uri,
            "token_file": str(Path(token_file).expanduser()),
        }


SETTINGS = AppLovinSettings
