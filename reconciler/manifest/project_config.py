"""`reconciler.yaml`: the project file (project name, configured platforms, state backend, policy...).

The `platforms` section is built from the registry: one optional entry per registered platform, validated by
that platform's own settings model (`config_model()`), so adding a platform adds its settings here.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Annotated, Any, Literal

from pydantic import Field, create_model, model_validator
from pydantic_core import PydanticCustomError

from reconciler.manifest.lifecycle import LifecycleRules
from reconciler.manifest.platform_settings import EnvVarName, PlatformSettings
from reconciler.manifest.types import Strict
from reconciler.registry import PLATFORMS


class PlatformsConfig(Strict):
    """The platforms this project manages; one optional entry per registered platform (`config_model`)."""

    def configured(self) -> Iterator[tuple[str, PlatformSettings]]:
        """The configured platforms, in the registry's order."""
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
    """Every active object that can have an end date has one (ad sets, campaigns and ad groups with
    dates)."""

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
        description="Lifecycle rules by kind (PLATFORM.KIND), under each resource's own "
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


@cache
def _model_for(names: tuple[str, ...]) -> type[ProjectConfig]:
    fields: dict[str, Any] = {}
    for name in names:
        platform = PLATFORMS[name]
        fields[name] = (platform.part("settings") | None, Field(default=None, description=platform.title))
    platforms = create_model(
        "PlatformsConfig",
        __base__=PlatformsConfig,
        __doc__="The platforms this project manages; each entry is optional.",
        **fields,
    )
    return create_model(
        "ProjectConfig",
        __base__=ProjectConfig,
        platforms=(platforms, Field(description="Platforms this project manages.")),
    )


def config_model() -> type[ProjectConfig]:
    """The model of `reconciler.yaml` for the platforms registered now."""
    return _model_for(tuple(PLATFORMS))
