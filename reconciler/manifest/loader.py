"""`load_project`: a project directory → validated canonical resources, or one ValidationFailed
with every error.

Reads `reconciler.yaml` (ProjectConfig, with the chosen environment merged in), finds the manifest files
(every `**/*.yaml` and `**/*.yaml.j2` template except the project file, hidden directories and the state
directory; none may be a symlink leaving the project), renders the templates with the project's
variables, validates each manifest with its platform's model, builds the resources, checks that
addresses are unique across the project, and computes the digest of the manifests and variables. Values
of sensitive variables never appear in its errors.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reconciler.errors import ProjectError, ValidationFailed
from reconciler.manifest.paths import is_utf8_name, outside_problem, printable_name, read_text
from reconciler.manifest.project_config import ProjectConfig, StateConfig
from reconciler.manifest.project_file import (
    PROJECT_FILE,
    configured_platforms,
    raw_state_path,
    read_project_file,
)
from reconciler.manifest.rendered import Rendered, is_template
from reconciler.manifest.variables import read_var_file, sensitive_values
from reconciler.manifest.yaml_loader import paused_gc
from reconciler.model import Diagnostic, Move, Resource, Severity
from reconciler.model.redaction import redact_text

if TYPE_CHECKING:
    from reconciler.manifest.base import Claim

__all__ = [
    "PROJECT_FILE",
    "Project",
    "ProjectInputs",
    "digest",
    "find_manifest_files",
    "load_config",
    "load_project",
    "read_inputs",
]


@dataclass
class ProjectInputs:
    """What a project's digest covers, without the manifests read: its configuration (the environment merged
    in), the digest of reconciler.yaml, the manifest files and the variables, the variables, and the
    warnings found (with only the inputs read: the `.yml` files ignored).

    `sensitive` holds the values of the sensitive variables by name (see `manifest.variables`)."""

    root: Path
    config: ProjectConfig
    digest: str = ""
    environment: str | None = None
    variables: dict[str, Any] = field(default_factory=dict)
    sensitive: dict[str, Any] = field(default_factory=dict)
    warnings: list[Diagnostic] = field(default_factory=list)


@dataclass
class Project(ProjectInputs):
    """A loaded, valid project: its inputs and its desired resources in canonical form."""

    files: list[Path] = field(default_factory=list)
    resources: list[Resource] = field(default_factory=list)
    rendered: list[Rendered] = field(default_factory=list)
    moves: list[Move] = field(default_factory=list)


Check = Callable[[Sequence[Resource]], list[Diagnostic]]


def load_project(
    root: Path,
    check: Check | None = None,
    variables: Mapping[str, Any] | None = None,
    environment: str | None = None,
) -> Project:
    """Load and validate every file of the project. Raises ValidationFailed listing every error found.

    `check` adds further offline rules (the platforms' own); it sees the resources of every file that
    passed the schema, so one run reports schema errors and rule errors together. `variables` (from
    `--var-file` and `--var`) override the project's and the environment's `vars:` in templates.
    """
    with paused_gc():  # the loaded project is a large, acyclic structure
        return _load_project(Path(root), check, variables, environment)


def _load_project(
    root: Path, check: Check | None, variables: Mapping[str, Any] | None, environment: str | None
) -> Project:
    # the manifests' models load with the first project read in full (`read_inputs` needs none of them)
    from reconciler.manifest.manifest_file import bad_moves, duplicate_claims, load_manifest

    project_file = _project_file(root)
    errors: list[Diagnostic] = []
    warnings: list[Diagnostic] = []

    config, raw_config, config_errors = read_project_file(root, environment)
    if any(e.field == "environments" for e in config_errors):
        raise ValidationFailed(config_errors)  # without the environment, the manifests cannot be read
    errors.extend(config_errors)
    configured = configured_platforms(config, raw_config)
    state_path = config.state.path if config else raw_state_path(raw_config)

    files, file_problems = _manifests(root, config, state_path)
    errors.extend(file_problems)
    warnings.extend(_ignored_yml(root, state_path))
    if not files and not file_problems:
        warnings.append(
            Diagnostic(
                "no manifest files found",
                PROJECT_FILE,
                severity=Severity.WARNING,
                hint="add YAML manifests (for example campaigns/summer.yaml) next to reconciler.yaml",
            )
        )

    values, origins, value_errors = _values(root, config, variables)
    errors.extend(value_errors)
    sensitive, sensitive_errors = sensitive_values(
        values, config.sensitive_vars if config else [], PROJECT_FILE
    )
    errors.extend(sensitive_errors)
    resources: list[Resource] = []
    claims: list[Claim] = []
    rendered: list[Rendered] = []
    moves: list[Move] = []
    unsure: set[str] = set()  # keys of entries dropped for their errors
    for path in files:
        texts, file_errors = _manifest_texts(path, root, values, origins)
        errors.extend(file_errors)
        rendered.extend(texts)
        for text in texts:
            file_resources, file_claims, file_errors, file_warnings, file_moves, file_unsure = load_manifest(
                text.text, text.label, configured, config.lifecycle if config else {}
            )
            errors.extend(file_errors)
            warnings.extend(file_warnings)
            resources.extend(file_resources)
            claims.extend(file_claims)
            moves.extend(file_moves)
            unsure |= file_unsure
    errors.extend(duplicate_claims(claims))
    errors.extend(bad_moves(moves, {r.address for r in resources}, unsure))
    if check is not None:
        for found in check(resources):
            (errors if found.severity == Severity.ERROR else warnings).append(found)

    if errors:
        raise ValidationFailed([_redacted(e, sensitive) for e in errors])
    assert config is not None
    return Project(
        root=root,
        config=config,
        files=files,
        resources=resources,
        warnings=[_redacted(w, sensitive) for w in warnings],
        digest=digest(root, [project_file, *files], values),  # var files count through `values`
        environment=environment,
        variables=values,
        rendered=rendered,
        moves=moves,
        sensitive=sensitive,
    )


def read_inputs(
    root: Path, variables: Mapping[str, Any] | None = None, environment: str | None = None
) -> ProjectInputs:
    """reconciler.yaml, the variables and the project's digest (as `load_project` computes it over the
    manifest files' bytes), without reading a manifest. Raises ValidationFailed on a problem of these
    inputs (which `load_project` would report too)."""
    root = Path(root)
    project_file = _project_file(root)
    config = load_config(root, environment)
    files, errors = _manifests(root, config, config.state.path)
    values, _, value_errors = _values(root, config, variables)
    sensitive, sensitive_errors = sensitive_values(values, config.sensitive_vars, PROJECT_FILE)
    errors += value_errors + sensitive_errors
    if errors:
        raise ValidationFailed([_redacted(e, sensitive) for e in errors])
    return ProjectInputs(
        root=root,
        config=config,
        digest=digest(root, [project_file, *files], values),
        environment=environment,
        variables=values,
        sensitive=sensitive,
        warnings=[_redacted(w, sensitive) for w in _ignored_yml(root, config.state.path)],
    )


def load_config(root: Path, environment: str | None = None) -> ProjectConfig:
    """Only the project file, for commands that do not need the manifests (`state list`)."""
    root = Path(root)
    _project_file(root)
    config, _, errors = read_project_file(root, environment)
    if errors or config is None:
        raise ValidationFailed(errors)
    return config


def _project_file(root: Path) -> Path:
    if not root.is_dir():
        raise ProjectError(f"{root}: not a directory", hint="pass the directory that holds reconciler.yaml")
    project_file = root / PROJECT_FILE
    if not project_file.is_file():
        raise ProjectError(
            f"{root}: no {PROJECT_FILE} found",
            hint=f"create {PROJECT_FILE} (see docs) or pass the project directory",
        )
    return project_file


def find_manifest_files(root: Path, state_path: str = StateConfig().path) -> list[Path]:
    """Every `*.yaml` and `*.yaml.j2` below `root` except the project file, hidden directories and the
    state directory (and except the files `load_project` refuses: see `_manifest_files`)."""
    return _manifest_files(root, state_path)[0]


def _manifest_files(root: Path, state_path: str) -> tuple[list[Path], list[Diagnostic]]:
    """The manifest files, and the problems of those that cannot be read: a name that is not UTF-8, a
    symlink leaving the project."""
    found = [*root.rglob("*.yaml"), *root.rglob("*.yaml.j2")]
    files: list[Path] = []
    problems: list[Diagnostic] = []
    for path in found:
        if not is_utf8_name(path):
            problems.append(
                Diagnostic(
                    "the file name is not UTF-8",
                    printable_name(path.relative_to(root)),
                    1,
                    1,
                    "",
                    "rename the file with a UTF-8 name",
                )
            )
        elif path.is_file() and _is_manifest(path, root, state_path):
            problem = outside_problem(root, _rel(path, root))
            if problem is None:
                files.append(path)
            else:
                problems.append(Diagnostic(f"this file {problem}", _rel(path, root), 1, 1, "", "remove it"))
    return sorted(files, key=lambda p: _rel(p, root)), problems


def _manifests(
    root: Path, config: ProjectConfig | None, state_path: str
) -> tuple[list[Path], list[Diagnostic]]:
    """The manifest files (not the var files) and the problems of those that cannot be read."""
    var_files = {(root / name).resolve() for name in (config.var_files if config else [])}
    files, problems = _manifest_files(root, state_path)
    return [f for f in files if f.resolve() not in var_files], problems


def _values(
    root: Path, config: ProjectConfig | None, variables: Mapping[str, Any] | None
) -> tuple[dict[str, Any], dict[str, str], list[Diagnostic]]:
    """The variables (var files, then `vars:`, then those given; later wins), where each is defined (for
    the hints of template errors), and the problems of the var files."""
    values: dict[str, Any] = {}
    origins: dict[str, str] = {}
    errors: list[Diagnostic] = []
    for path, name in {root / name: name for name in (config.var_files if config else [])}.items():
        loaded_vars, var_errors = read_var_file(path, name)
        values.update(loaded_vars)
        origins.update(dict.fromkeys(loaded_vars, name))
        errors.extend(var_errors)
    values.update(config.vars if config else {})
    origins.update(dict.fromkeys(config.vars if config else {}, f"`vars:` of {PROJECT_FILE}"))
    values.update(variables or {})
    origins.update(dict.fromkeys(variables or {}, "--var or --var-file"))
    return values, origins, errors


def digest(root: Path, paths: list[Path], variables: Mapping[str, Any] | None = None) -> str:
    """sha256 (hex) over each file's relative path and bytes, in order of relative path, then the
    variables the templates were rendered with."""
    h = hashlib.sha256()
    if variables:
        h.update(json.dumps(variables, sort_keys=True, default=str).encode("utf-8") + b"\0")
    for path in sorted(paths, key=lambda p: _rel(p, root)):
        data = path.read_bytes()
        h.update(_rel(path, root).encode("utf-8") + b"\0")
        h.update(str(len(data)).encode("ascii") + b"\0")
        h.update(data)
    return h.hexdigest()


# ---- internals --------------------------------------------------------------------------------


def _rel(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def _is_manifest(path: Path, root: Path, state_path: str) -> bool:
    rel = path.relative_to(root)
    if rel.as_posix() == PROJECT_FILE:
        return False
    if any(part.startswith(".") for part in rel.parts):
        return False
    state_dir = (root / state_path).resolve()
    resolved = path.resolve()
    return not (resolved == state_dir or state_dir in resolved.parents)


def _ignored_yml(root: Path, state_path: str) -> list[Diagnostic]:
    """A warning for each `*.yml` file where a manifest would be loaded."""
    found = sorted(
        p
        for p in root.rglob("*.yml")
        if is_utf8_name(p) and p.is_file() and _is_manifest(p, root, state_path)
    )
    return [
        Diagnostic(
            "ignored: manifest files must end in `.yaml`",
            _rel(extra, root),
            severity=Severity.WARNING,
            hint=f"rename it to {extra.with_suffix('.yaml').name} to load it",
        )
        for extra in found
    ]


def _manifest_texts(
    path: Path, root: Path, variables: Mapping[str, Any], origins: Mapping[str, str]
) -> tuple[list[Rendered], list[Diagnostic]]:
    """The manifest text of a file: itself, or what a template renders to."""
    file = _rel(path, root)
    text, errors = read_text(path, file)
    if text is None:
        return [], errors
    if is_template(file):
        from reconciler.manifest.templates import render_template  # Jinja2 only for a template

        return render_template(text, file, variables, root, origins)
    return [Rendered(file, text, file)], []


def _redacted(diagnostic: Diagnostic, sensitive: Mapping[str, Any]) -> Diagnostic:
    if not sensitive:
        return diagnostic
    return replace(
        diagnostic,
        message=redact_text(diagnostic.message, sensitive),
        hint=redact_text(diagnostic.hint, sensitive),
    )
