"""`reconciler.yaml`: the project file (project name, configured platforms, state backend)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema, model_validator
from pydantic_core import PydanticCustomError

from reconciler.manifest.endpoints import shown, url_problem
from reconciler.manifest.lifecycle import LifecycleRules
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
            "https://api.criteo.com (https://, or http:// to a loopback address only).",
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


# At run time a plain dict: credential key → environment variable name.
CriteoCredentials = Annotated[
    dict[str, EnvVarName],
    AfterValidator(_credential_keys("client_id", "client_secret")),
    WithJsonSchema(_credentials_schema("client_id", "client_secret")),
]


AmazonDspCredentials = Annotated[
    dict[str, EnvVarName],
    AfterValidator(_credential_keys("client_id", "client_secret", "refresh_token")),
    WithJsonSchema(_credentials_schema("client_id", "client_secret", "refresh_token")),
]

AppLovinCredentials = Annotated[
    dict[str, EnvVarName],
    AfterValidator(_credential_keys("client_id", "client_secret")),
    WithJsonSchema(_credentials_schema("client_id", "client_secret")),
]


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


class CriteoSettings(PlatformSettings):
    """Criteo Marketing Solutions API settings."""

    credentials: CriteoCredentials | None = Field(
        default=None,
        description="Environment variable names of `client_id` and `client_secret`; optional with `sandbox`.",
    )


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


AppLovinScope = Literal[
    "campaigns:read",
    "campaigns:write",
    "creatives:read",
    "creatives:write",
    "source_bids:read",
    "source_bids:write",
]
APPLOVIN_SCOPES: tuple[str, ...] = get_args(AppLovinScope)


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
    credentials: AppLovinCredentials | None = Field(
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
    redirect_uri: Annotated[str | None, BeforeValidator(_strip)] = Field(
        default=None,
        description="With `third_party`: the redirect URI registered for the OAuth app.",
    )
    token_file: Annotated[str | None, BeforeValidator(_strip), AfterValidator(_token_file)] = Field(
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


class PlatformsConfig(Strict):
    """The platforms this project manages; each entry is optional."""

    amazon_dsp: AmazonDspSettings | None = Field(default=None, description="Amazon DSP.")
    applovin: AppLovinSettings | None = Field(default=None, description="AppLovin AppDiscovery.")
    criteo: CriteoSettings | None = Field(default=None, description="Criteo Marketing Solutions.")

    def configured(self) -> Iterator[tuple[str, PlatformSettings]]:
        """The configured platforms, in declaration order of the model."""
        for name in type(self).model_fields:
            settings = getattr(self, name)
            if settings is not None:
                yield name, settings

    def names(self) -> list[str]:
        return [name for name, _ in self.configured()]


class StateConfig(Strict):
    """Where the state (address → platform id) is kept."""

    backend: Literal["local", "postgres"] = Field(
        default="local",
        description="`local`: JSON files in `path`; `postgres`: a PostgreSQL database shared by a team.",
    )
    path: str = Field(
        default="state", min_length=1, description="Directory of the local state, relative to the project."
    )
    dsn: EnvVarName | None = Field(
        default=None,
        description="With `postgres`: the NAME of the environment variable that holds the connection string.",
    )
    sslmode: Literal["disable", "allow", "prefer", "require", "verify-ca", "verify-full"] | None = Field(
        default=None,
        description="With `postgres`: libpq's sslmode. Default: `require` when the host is not this machine "
        "(unless the connection string sets it), else what the connection string says.",
    )

    @model_validator(mode="after")
    def _dsn_needed(self) -> StateConfig:
        if self.backend == "postgres" and self.dsn is None:
            raise PydanticCustomError(
                "dsn_required",
                "`dsn` is required with the postgres backend: name the environment variable that holds "
                "the connection string, e.g. `dsn: RECONCILER_STATE_DSN`",
            )
        return self


Enforcement = Literal["error", "warn"]
_ENFORCE = "`error` (the default) fails the plan; `warn` only shows a warning."


class BudgetIncreaseRule(Strict):
    """How much one object's budget may rise in one apply (a new object rises from 0)."""

    max_percent: float | None = Field(default=None, gt=0, description="Most a budget may rise, in percent.")
    max_amount: float | None = Field(
        default=None, gt=0, description="Most a budget may rise, in its currency."
    )
    enforce: Enforcement = Field(default="error", description=_ENFORCE)

    @model_validator(mode="after")
    def _a_limit(self) -> BudgetIncreaseRule:
        if self.max_percent is None and self.max_amount is None:
            raise PydanticCustomError("limit_required", "give `max_percent`, `max_amount` or both")
        return self


class ApplyBudgetIncreaseRule(Strict):
    """How much the budgets of one kind (daily, lifetime, ...) may rise in total in one apply, per platform
    and currency."""

    max_amount: float = Field(gt=0, description="Most the total may rise, in the platform's currency.")
    enforce: Enforcement = Field(default="error", description=_ENFORCE)


class RetireRule(Strict):
    """Retirements only when the command says `--allow-retire`."""

    require_flag: bool = Field(default=True, description="Retiring needs `--allow-retire` on plan and apply.")
    enforce: Enforcement = Field(default="error", description=_ENFORCE)


class EndDateRule(Strict):
    """Every active object that can have an end date has one (Criteo ad sets, Amazon DSP campaigns and ad
    groups)."""

    enforce: Enforcement = Field(default="error", description=_ENFORCE)


class MaxBidRule(Strict):
    """The highest bid allowed for each cost model, named as the platform names it (CPM, maxCPC, CPI...)."""

    per_cost_model: dict[str, Annotated[float, Field(gt=0)]] = Field(
        min_length=1, description="Cost model → highest bid, e.g. {CPM: 20, maxCPC: 2.5, CPI: 4}."
    )
    enforce: Enforcement = Field(default="error", description=_ENFORCE)


class PolicyConfig(Strict):
    """Guardrails every plan is checked against; a broken rule fails `plan` and `apply` (exit 1)."""

    budget_increase: BudgetIncreaseRule | None = Field(default=None, description="Per object.")
    apply_budget_increase: ApplyBudgetIncreaseRule | None = Field(default=None, description="Per apply.")
    retire: RetireRule | None = Field(default=None, description="Retirements need --allow-retire.")
    end_date: EndDateRule | None = Field(default=None, description="Active objects need an end date.")
    max_bid: MaxBidRule | None = Field(default=None, description="Highest bid per cost model.")


class EnvironmentConfig(Strict):
    """One environment (`--env NAME`): what it changes of the shared settings."""

    vars: dict[str, Any] = Field(default_factory=dict, description="Template variables of this environment.")
    platforms: dict[str, dict[str, Any]] = Field(
        default_factory=dict,
        description="Per platform, the settings this environment overrides (endpoint, credentials, ...).",
    )
    state: dict[str, Any] = Field(
        default_factory=dict,
        description="State settings of this environment; by default the shared state path + /NAME.",
    )
    policy: dict[str, Any] = Field(
        default_factory=dict,
        description="Guardrails of this environment, rule by rule over the shared `policy:`.",
    )


class ProjectConfig(Strict):
    """The project file `reconciler.yaml`."""

    project: str = Field(min_length=1, description="Name of the project (recorded in state and plans).")
    platforms: PlatformsConfig = Field(description="Platforms this project manages.")
    state: StateConfig = Field(
        default_factory=lambda: StateConfig(), description="State backend (default: local files)."
    )
    vars: dict[str, Any] = Field(
        default_factory=dict, description="Variables of the `*.yaml.j2` manifest templates."
    )
    var_files: list[str] = Field(
        default_factory=list,
        description="YAML files of template variables, relative to the project (not manifests themselves).",
    )
    sensitive_vars: list[str] = Field(
        default_factory=list,
        description="Names of template variables whose values plans, plan files and errors show as "
        "***NAME*** (every variable named secret_* is sensitive too).",
    )
    policy: PolicyConfig = Field(
        default_factory=lambda: PolicyConfig(), description="Guardrails for every plan (none by default)."
    )
    environments: dict[str, EnvironmentConfig] = Field(
        default_factory=dict,
        description="Named environments (e.g. staging, prod), each with its own variables, endpoints, "
        "credentials and state; pick one with --env NAME.",
    )
    lifecycle: dict[str, LifecycleRules] = Field(
        default_factory=dict,
        description="Lifecycle rules by kind (platform.kind, e.g. criteo.ad_set), under each resource's own "
        "`lifecycle:`: ignore_changes, prevent_retire.",
    )
    recreate_missing: bool = Field(
        default=False,
        description="Create again, without asking, a managed object the platform no longer has (by default "
        "the plan is an error naming it, and `--replace ADDRESS` creates it again).",
    )

    def configured_platforms(self) -> list[tuple[str, PlatformSettings]]:
        """(platform name, settings) of every configured platform."""
        return list(self.platforms.configured())
