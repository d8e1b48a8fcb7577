"""A project opened for a run: validated manifests (or, to apply a saved plan, only the inputs they were
validated from), its state backend, and (once opened) a provider per platform (the embedded sandbox
in-process for `endpoint: sandbox`), all built from the registry."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reconciler.errors import CredentialsError, ProjectError, ReconcilerError
from reconciler.manifest import Project, ProjectConfig, ProjectInputs, load_config, load_project, read_inputs
from reconciler.manifest.project_config import PlatformSettings
from reconciler.model import Diagnostic, KindSchema, Resource
from reconciler.providers.base import Provider, ProviderConfig
from reconciler.registry import PLATFORMS
from reconciler.state import LocalStateBackend, StateBackend

SANDBOX_DB = Path(".reconciler") / "sandbox.sqlite"


@dataclass
class Opened:
    """A project's inputs with its state backend and (once opened) its providers: what applying a plan
    needs."""

    project: ProjectInputs
    backend: StateBackend
    warnings: list[Diagnostic] = field(default_factory=list)
    providers: dict[str, Provider] = field(default_factory=dict)
    variables: dict[str, Any] = field(default_factory=dict)

    async def aclose(self) -> None:
        for provider in self.providers.values():
            await provider.aclose()


@dataclass
class Workspace(Opened):
    """A validated project (its manifests loaded) with its state backend and (once opened) its providers:
    what planning needs."""

    project: Project


def open_workspace(
    directory: Path, variables: Mapping[str, Any] | None = None, environment: str | None = None
) -> Workspace:
    """Load and validate the project (schema and every platform's offline rules). No API call is made.

    `variables` (from --var-file and --var) override the project's; `environment` picks one of
    `environments:` in reconciler.yaml."""
    project = load_project(directory, check=_platform_rules, variables=variables, environment=environment)
    workspace = Workspace(
        project, state_backend(project.root, project.config, environment), warnings=list(project.warnings)
    )
    workspace.variables = dict(variables or {})
    return workspace


def open_saved(
    directory: Path,
    digest: str,
    warned: bool,
    variables: Mapping[str, Any] | None = None,
    environment: str | None = None,
) -> Opened:
    """The project a saved plan was made in, to apply that plan. When reconciler.yaml, the manifest files
    and the variables still have the plan's `digest`, and the plan carries no warning (`warned`: the
    warnings of the manifests, which a plan carries, are shown again), the manifests are those the plan was
    made and validated from, and nothing the apply does reads them: they are neither parsed nor validated
    again. Otherwise the project is opened as for a plan (its errors are reported; the apply refuses it as
    stale). No API call is made."""
    if not warned:
        try:
            inputs = read_inputs(directory, variables, environment)
        except ReconcilerError:
            inputs = None
        if inputs is not None and inputs.digest == digest:
            backend = state_backend(inputs.root, inputs.config, environment)
            opened = Opened(inputs, backend, warnings=list(inputs.warnings))
            opened.variables = dict(variables or {})
            return opened
    return open_workspace(directory, variables, environment)


def open_state(directory: Path, environment: str | None = None) -> StateBackend:
    """The project's state backend, from reconciler.yaml alone (the manifests may be broken)."""
    return state_backend(Path(directory), load_config(Path(directory), environment), environment)


def state_backend(root: Path, config: ProjectConfig, environment: str | None = None) -> StateBackend:
    """The configured backend; in PostgreSQL each environment has its own row and lock (workspace), locally
    its own directory (`state/<env>` unless the environment sets `state.path`)."""
    settings = config.state
    if settings.backend == "postgres" and settings.dsn:
        dsn = os.environ.get(settings.dsn)
        if not dsn:
            raise CredentialsError(
                f"state: the environment variable {settings.dsn} (PostgreSQL connection) is not set"
            )
        from reconciler.state.postgres import PostgresStateBackend  # the driver loads only when used

        return PostgresStateBackend(
            dsn, config.project, environment or "default", f"${settings.dsn}", settings.sslmode
        )
    return LocalStateBackend(root / settings.path, config.project)


def _platform_rules(resources: Sequence[Resource]) -> list[Diagnostic]:
    by_platform: dict[str, list[Resource]] = {}
    for resource in resources:
        by_platform.setdefault(resource.address.platform, []).append(resource)
    found: list[Diagnostic] = []
    for platform, group in by_platform.items():
        found.extend(PLATFORMS[platform].part("rules")(group))
    return found


def open_providers(workspace: Opened) -> None:
    """Build a provider per configured platform; a `sandbox` endpoint runs the emulator in-process."""
    root = workspace.project.root
    for platform, settings in workspace.project.config.configured_platforms():
        config = provider_config(root, workspace.project.config.project, platform, settings)
        workspace.providers[platform] = PLATFORMS[platform].part("provider")(config)


def provider_config(root: Path, project: str, platform: str, settings: PlatformSettings) -> ProviderConfig:
    """How to reach one platform: the embedded sandbox (in-process) or the configured endpoint."""
    if settings.endpoint == "sandbox":
        import httpx

        from reconciler.sandbox import create_app  # the emulator loads only when a project runs on it

        return ProviderConfig(
            base_url=f"http://sandbox{PLATFORMS[platform].prefix}",
            credentials=_credentials(platform, settings.credentials, sandbox=True),
            transport=httpx.ASGITransport(
                app=create_app(root / SANDBOX_DB, mounted=[p.emulator for p in PLATFORMS.values()])
            ),
            concurrency=settings.concurrency,
            options={**settings.options(project), "project_dir": str(root)},
        )
    return ProviderConfig(
        base_url=settings.endpoint.rstrip("/"),
        credentials=_credentials(platform, settings.credentials, sandbox=False),
        auth_url=settings.auth_endpoint.rstrip("/") if settings.auth_endpoint else None,
        concurrency=settings.concurrency,
        options={**settings.options(project), "project_dir": str(root)},
    )


def login(directory: Path, platform: str) -> Any:
    """The interactive authorization of a platform (`reconciler auth PLATFORM`), from reconciler.yaml
    alone: the platform's `LOGIN`, built like its provider."""
    known = PLATFORMS.get(platform)
    make = known.part("login") if known else None
    if make is None:
        able = ", ".join(sorted(n for n, p in PLATFORMS.items() if p.part("login")))
        raise ProjectError(
            f"`{platform}` has no interactive authorization", hint=f"platforms that have one: {able}"
        )
    config = load_config(Path(directory))
    settings = dict(config.configured_platforms()).get(platform)
    if settings is None:
        raise ProjectError(
            f"{directory}: reconciler.yaml configures no `{platform}` platform",
            hint=f"add `platforms: {{{platform}: {{endpoint: ...}}}}` to reconciler.yaml",
        )
    return make(provider_config(Path(directory), config.project, platform, settings))


def _credentials(platform: str, names: Mapping[str, str] | None, sandbox: bool) -> dict[str, str]:
    values: dict[str, str] = {}
    missing: list[str] = []
    for key, variable in (names or {}).items():
        value = os.environ.get(variable)
        if value:
            values[key] = value
        else:
            missing.append(variable)
    if sandbox:
        values.setdefault("client_id", "sandbox")
        values.setdefault("client_secret", "sandbox")
        return values
    if missing or not names:
        listed = ", ".join(missing) or "(none named)"
        raise CredentialsError(f"{platform}: credentials environment variables not set: {listed}")
    return values


def schemas(workspace: Opened) -> dict[tuple[str, str], KindSchema]:
    """What every opened provider says about each of its kinds, by (platform, kind)."""
    return {
        (platform, kind): schema
        for platform, provider in workspace.providers.items()
        for kind, schema in provider.kinds().items()
    }
