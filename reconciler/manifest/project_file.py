"""Reading `reconciler.yaml`: the YAML, the chosen environment merged in, the ProjectConfig model, and the
paths it names (state directory, var files) checked to stay inside the project directory."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from reconciler.manifest.diagnostics import describe_kind, from_validation_error
from reconciler.manifest.paths import CONFINED_HINT, outside_problem, read_text
from reconciler.manifest.project_config import ProjectConfig, StateConfig, config_model
from reconciler.manifest.types import describe
from reconciler.manifest.yaml_loader import LoadedYaml, PathKey, load_yaml
from reconciler.model import Diagnostic

PROJECT_FILE = "reconciler.yaml"


def order(d: Diagnostic) -> tuple[int, int]:
    return (d.line, d.column)


def read_project_file(
    root: Path, environment: str | None
) -> tuple[ProjectConfig | None, Any, list[Diagnostic]]:
    """(config or None when invalid, the raw data, the problems found)."""
    outside = outside_problem(root, PROJECT_FILE)
    if outside is not None:
        return None, None, [Diagnostic(f"this file {outside}", PROJECT_FILE, 1, 1, "", CONFINED_HINT)]
    text, errors = read_text(root / PROJECT_FILE, PROJECT_FILE)
    if text is None:
        return None, None, errors
    loaded, errors = load_yaml(text, PROJECT_FILE)
    if not errors and isinstance(loaded.data, dict):
        problem = with_environment(loaded.data, environment)
        if problem is not None:
            return None, loaded.data, [problem]
    if errors and loaded.data is None:
        return None, None, errors
    if not isinstance(loaded.data, dict):
        errors.append(
            Diagnostic(
                f"expected a mapping of fields, got {describe_kind(loaded.data)}",
                PROJECT_FILE,
                1,
                1,
                "",
                "write at least `project: NAME` and `platforms:` (see docs)",
            )
        )
        return None, loaded.data, errors
    model = config_model()
    try:
        config = model.model_validate(loaded.data)
    except ValidationError as exc:
        errors.extend(sorted(from_validation_error(exc, loaded, PROJECT_FILE, model), key=order))
        return None, loaded.data, errors
    errors.extend(_paths_outside(root, config, loaded, environment))
    if config.lifecycle:
        from reconciler.manifest.lifecycle_rules import default_problems  # the manifest models, when needed

        errors.extend(default_problems(config.lifecycle, loaded, PROJECT_FILE))
    return (None if errors else config), loaded.data, errors


def _paths_outside(
    root: Path, config: ProjectConfig, loaded: LoadedYaml, environment: str | None
) -> list[Diagnostic]:
    """The state path and var files that leave the project directory."""
    checks: list[tuple[PathKey, str, bool]] = [
        (("var_files", i), name, False) for i, name in enumerate(config.var_files)
    ]
    state_at: PathKey = ("state", "path")
    if environment is not None and loaded.written(("environments", environment, "state", "path")):
        state_at = ("environments", environment, "state", "path")
    checks.append((state_at, config.state.path, True))
    found: list[Diagnostic] = []
    for at, path, hidden_ok in checks:
        problem = outside_problem(root, path, hidden_ok=hidden_ok)
        if problem is None and not hidden_ok and not (root / path).is_file():
            problem = "does not exist"
        if problem is not None:
            where = loaded.position(at)
            found.append(
                Diagnostic(
                    f"the path {describe(path)} {problem}",
                    PROJECT_FILE,
                    where.line,
                    where.column,
                    ".".join(str(p) for p in at),
                    CONFINED_HINT,
                )
            )
    return found


def configured_platforms(config: ProjectConfig | None, raw: Any) -> set[str] | None:
    """The configured platform names; from the raw file when it did not validate; None when unknown."""
    if config is not None:
        return set(config.platforms.names())
    if isinstance(raw, Mapping) and isinstance(raw.get("platforms"), Mapping):
        return {str(k) for k in raw["platforms"]}
    return None


def raw_state_path(raw: Any) -> str:
    if isinstance(raw, Mapping) and isinstance(raw.get("state"), Mapping):
        path = raw["state"].get("path")
        if isinstance(path, str) and path:
            return path
    return StateConfig().path


def with_environment(raw: dict[str, Any], environment: str | None) -> Diagnostic | None:
    """Merge the chosen environment of `environments:` into the raw project file, in place: its `vars`,
    `platforms` settings and `policy` rules over the shared ones, its `state` (default: the shared state
    path + /NAME)."""
    environments = raw.get("environments")
    if not isinstance(environments, dict) or not environments:
        if environment is None:
            return None
        return Diagnostic(
            f"unknown environment {environment!r}: {PROJECT_FILE} defines no `environments:`",
            PROJECT_FILE,
            1,
            1,
            "environments",
            "remove --env, or define `environments: {NAME: {vars: ..., platforms: ..., state: ...}}`",
        )
    if environment is None or environment not in environments:
        names = ", ".join(sorted(str(n) for n in environments))
        what = "no environment chosen" if environment is None else f"unknown environment {environment!r}"
        return Diagnostic(
            f"{what}: {PROJECT_FILE} defines the environments {names}",
            PROJECT_FILE,
            1,
            1,
            "environments",
            f"pass --env with one of: {names}",
        )
    chosen = environments[environment] if isinstance(environments[environment], dict) else {}
    raw["vars"] = _merged(raw.get("vars"), chosen.get("vars"))
    platforms = raw.setdefault("platforms", {})
    if isinstance(platforms, dict) and isinstance(chosen.get("platforms"), dict):
        for name, settings in chosen["platforms"].items():
            platforms[name] = _merged(platforms.get(name), settings)
    if chosen.get("policy"):
        raw["policy"] = _merged(raw.get("policy"), chosen["policy"])
    state = _merged(raw.get("state"), chosen.get("state"))
    if isinstance(state, dict) and "path" not in _merged(None, chosen.get("state")):
        state["path"] = f"{state.get('path', StateConfig().path)}/{environment}"
    raw["state"] = state
    return None


def _merged(shared: Any, chosen: Any) -> Any:
    """`chosen` over `shared` when both are mappings (or absent); otherwise `shared` as it is, for the
    model to report what is wrong with it."""
    shared = {} if shared is None else shared
    chosen = {} if chosen is None else chosen
    if isinstance(shared, dict) and isinstance(chosen, dict):
        return {**shared, **chosen}
    return shared
