"""`load_project`: a project directory → validated canonical resources, or one ValidationFailed
with every error.

Reads `reconciler.yaml` (ProjectConfig, with the chosen environment merged in), finds the manifest files
(every `**/*.yaml` and `**/*.yaml.j2` template except the project file, hidden directories and the state
directory), renders the templates with the project's variables, validates each manifest with its
platform's model, builds the resources, checks that addresses are unique across the project, and computes
the digest of the manifests and variables.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from reconciler.errors import ProjectError, ValidationFailed
from reconciler.manifest.base import Claim, locate
from reconciler.manifest.diagnostics import describe, from_validation_error
from reconciler.manifest.project_config import ProjectConfig, StateConfig
from reconciler.manifest.registry import MANIFESTS
from reconciler.manifest.templates import Rendered, is_template, render_template
from reconciler.manifest.yaml_loader import LoadedYaml, load_yaml
from reconciler.model import Address, Diagnostic, Move, Resource, Severity

PROJECT_FILE = "reconciler.yaml"


@dataclass
class Project:
    """A loaded, valid project: its configuration and its desired resources in canonical form."""

    root: Path
    config: ProjectConfig
    files: list[Path] = field(default_factory=list)
    resources: list[Resource] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)
    digest: str = ""
    environment: str | None = None
    variables: dict[str, Any] = field(default_factory=dict)
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
    root = Path(root)
    project_file = _project_file(root)
    errors: list[Diagnostic] = []
    warnings: list[Diagnostic] = []

    config, raw_config, config_errors = _load_config(project_file, environment)
    if any(e.field == "environments" for e in config_errors):
        raise ValidationFailed(config_errors)  # without the environment, the manifests cannot be read
    errors.extend(config_errors)
    configured = _configured_platforms(config, raw_config)
    state_path = config.state.path if config else _raw_state_path(raw_config)

    var_paths = {root / name: name for name in (config.var_files if config else [])}
    not_manifests = {p.resolve() for p in var_paths}
    files = [f for f in find_manifest_files(root, state_path) if f.resolve() not in not_manifests]
    for extra in _ignored_yml(root, state_path):
        warnings.append(
            Diagnostic(
                "ignored: manifest files must end in `.yaml`",
                _rel(extra, root),
                severity=Severity.WARNING,
                hint=f"rename it to {extra.with_suffix('.yaml').name} to load it",
            )
        )
    if not files:
        warnings.append(
            Diagnostic(
                "no manifest files found",
                PROJECT_FILE,
                severity=Severity.WARNING,
                hint="add YAML manifests (for example campaigns/summer.yaml) next to reconciler.yaml",
            )
        )

    values: dict[str, Any] = {}
    for path, name in var_paths.items():
        loaded_vars, var_errors = read_var_file(path, name)
        values.update(loaded_vars)
        errors.extend(var_errors)
    values.update(config.vars if config else {})
    values.update(variables or {})
    resources: list[Resource] = []
    claims: list[Claim] = []
    rendered: list[Rendered] = []
    moves: list[Move] = []
    for path in files:
        texts, file_errors = _manifest_texts(path, _rel(path, root), values)
        errors.extend(file_errors)
        rendered.extend(texts)
        for text in texts:
            file_resources, file_claims, file_errors, file_warnings, file_moves = _load_manifest(
                text.text, text.label, configured
            )
            errors.extend(file_errors)
            warnings.extend(file_warnings)
            resources.extend(file_resources)
            claims.extend(file_claims)
            moves.extend(file_moves)
    errors.extend(_duplicate_claims(claims))
    errors.extend(_bad_moves(moves, {r.address for r in resources}))
    if check is not None:
        for found in check(resources):
            (errors if found.severity == Severity.ERROR else warnings).append(found)

    if errors:
        raise ValidationFailed(list(errors))
    assert config is not None
    return Project(
        root=root,
        config=config,
        files=files,
        resources=resources,
        warnings=warnings,
        digest=digest(root, [project_file, *files], values),  # var files count through `values`
        environment=environment,
        variables=values,
        rendered=rendered,
        moves=moves,
    )


def load_config(root: Path, environment: str | None = None) -> ProjectConfig:
    """Only the project file, for commands that do not need the manifests (`state list`)."""
    config, _, errors = _load_config(_project_file(Path(root)), environment)
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
    state directory."""
    found = [*root.rglob("*.yaml"), *root.rglob("*.yaml.j2")]
    return sorted(
        (p for p in found if p.is_file() and _is_manifest(p, root, state_path)),
        key=lambda p: _rel(p, root),
    )


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


def _ignored_yml(root: Path, state_path: str) -> list[Path]:
    return sorted(p for p in root.rglob("*.yml") if p.is_file() and _is_manifest(p, root, state_path))


def _read(path: Path, file: str) -> tuple[str | None, list[Diagnostic]]:
    try:
        return path.read_bytes().decode("utf-8"), []
    except UnicodeDecodeError as exc:
        return None, [
            Diagnostic(
                f"not UTF-8 text ({exc.reason} at byte {exc.start})", file, 1, 1, "", "save the file as UTF-8"
            )
        ]
    except OSError as exc:
        return None, [Diagnostic(f"cannot read the file: {exc.strerror}", file, 1, 1, "", "check the file")]


def _load_config(path: Path, environment: str | None) -> tuple[ProjectConfig | None, Any, list[Diagnostic]]:
    text, errors = _read(path, PROJECT_FILE)
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
                f"expected a mapping of fields, got {describe(loaded.data)}",
                PROJECT_FILE,
                1,
                1,
                "",
                "write at least `project: NAME` and `platforms:` (see docs)",
            )
        )
        return None, loaded.data, errors
    try:
        config = ProjectConfig.model_validate(loaded.data)
    except ValidationError as exc:
        errors.extend(sorted(from_validation_error(exc, loaded, PROJECT_FILE, ProjectConfig), key=_order))
        return None, loaded.data, errors
    return (None if errors else config), loaded.data, errors


def _configured_platforms(config: ProjectConfig | None, raw: Any) -> set[str] | None:
    """The configured platform names; from the raw file when it did not validate; None when unknown."""
    if config is not None:
        return set(config.platforms.names())
    if isinstance(raw, Mapping) and isinstance(raw.get("platforms"), Mapping):
        return {str(k) for k in raw["platforms"]}
    return None


def _raw_state_path(raw: Any) -> str:
    if isinstance(raw, Mapping) and isinstance(raw.get("state"), Mapping):
        path = raw["state"].get("path")
        if isinstance(path, str) and path:
            return path
    return StateConfig().path


def _order(d: Diagnostic) -> tuple[int, int]:
    return (d.line, d.column)


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
    raw["vars"] = {**(raw.get("vars") or {}), **(chosen.get("vars") or {})}
    platforms = raw.setdefault("platforms", {})
    for name, settings in (chosen.get("platforms") or {}).items():
        platforms[name] = {**(platforms.get(name) or {}), **(settings or {})}
    if chosen.get("policy"):
        raw["policy"] = {**(raw.get("policy") or {}), **chosen["policy"]}
    state = dict(raw.get("state") or {})
    state.update(chosen.get("state") or {})
    if "path" not in (chosen.get("state") or {}):
        state["path"] = f"{state.get('path', StateConfig().path)}/{environment}"
    raw["state"] = state
    return None


def read_var_file(path: Path, file: str) -> tuple[dict[str, Any], list[Diagnostic]]:
    """The variables of a YAML var file (a mapping of names to values)."""
    text, errors = (
        _read(path, file)
        if path.is_file()
        else (
            None,
            [
                Diagnostic(
                    "var file not found", file, 0, 0, "", "check the path (relative to the project directory)"
                )
            ],
        )
    )
    if text is None:
        return {}, errors
    loaded, errors = load_yaml(text, file)
    if errors:
        return {}, errors
    if not isinstance(loaded.data, dict):
        return {}, [
            Diagnostic(
                f"a var file holds a mapping of variable names to values, got {describe(loaded.data)}",
                file,
                1,
                1,
                "",
                "write `name: value` lines",
            )
        ]
    return {str(k): v for k, v in loaded.data.items()}, []


def _manifest_texts(
    path: Path, file: str, variables: Mapping[str, Any]
) -> tuple[list[Rendered], list[Diagnostic]]:
    """The manifest text of a file: itself, or what a template renders to."""
    text, errors = _read(path, file)
    if text is None:
        return [], errors
    if is_template(file):
        return render_template(text, file, variables)
    return [Rendered(file, text, file)], []


Loaded = tuple[list[Resource], list[Claim], list[Diagnostic], list[Diagnostic], list[Move]]


def _load_manifest(text: str, file: str, configured: set[str] | None) -> Loaded:
    loaded, errors = load_yaml(text, file)
    if loaded.data is None:
        if errors:
            return [], [], errors, [], []
        warning = Diagnostic(
            "empty manifest file", file, 1, 1, "", "add content or delete the file", severity=Severity.WARNING
        )
        return [], [], [], [warning], []
    data = loaded.data
    if not isinstance(data, dict):
        errors.append(
            Diagnostic(
                f"expected a mapping of fields, got {describe(data)}",
                file,
                1,
                1,
                "",
                "start the manifest with `platform: criteo`",
            )
        )
        return [], [], errors, [], []
    known = sorted(MANIFESTS)
    platform = data.get("platform")
    if "platform" not in data:
        errors.append(
            Diagnostic(
                "required field `platform` is missing",
                file,
                1,
                1,
                "platform",
                f"add `platform:` with one of: {', '.join(known)}",
            )
        )
        return [], [], sorted(errors, key=_order), [], []
    at = loaded.position(("platform",))
    spec = MANIFESTS.get(platform.strip().lower()) if isinstance(platform, str) else None
    if spec is None:
        errors.append(
            Diagnostic(
                f"unknown platform {describe(platform)}",
                file,
                at.line,
                at.column,
                "platform",
                f"use one of: {', '.join(known)}",
            )
        )
        return [], [], sorted(errors, key=_order), [], []
    data["platform"] = spec.platform
    if configured is not None and spec.platform not in configured:
        errors.append(
            Diagnostic(
                f"platform `{spec.platform}` is not configured in {PROJECT_FILE}",
                file,
                at.line,
                at.column,
                "platform",
                f"add `platforms: {{{spec.platform}: {{endpoint: ...}}}}` to {PROJECT_FILE}, "
                "or remove this file",
            )
        )
    try:
        manifest = spec.model.model_validate(data)
    except ValidationError as exc:
        errors.extend(from_validation_error(exc, loaded, file, spec.model, spec.tags, spec.notes))
        salvaged = _without_failed_entries(loaded, exc)
        if salvaged is None:
            return [], [], sorted(errors, key=_order), [], []
        try:
            manifest = spec.model.model_validate(salvaged.data)
        except ValidationError:
            return [], [], sorted(errors, key=_order), [], []
        loaded = salvaged
    built = spec.build(manifest, loaded, file)
    moves: list[Move] = []
    for i, moved in enumerate(getattr(manifest, "moved", [])):
        where = locate(loaded, file, ("moved", i))
        try:
            moves.append(Move(Address.parse(moved.source), Address.parse(moved.to), where))
        except ValueError as exc:
            errors.append(
                Diagnostic(
                    str(exc), file, where.line, where.column, "moved", "write addresses as platform.kind.key"
                )
            )
    return built.resources, built.claims, sorted(errors, key=_order), [], moves


def _bad_moves(moves: list[Move], declared: set[Address]) -> list[Diagnostic]:
    """`moved:` entries that cannot be carried out: the new address must be declared, the old one not, and
    both must name the same platform and kind; an address moves once."""
    errors: list[Diagnostic] = []
    seen: set[Address] = set()
    for move in moves:
        problem, hint = "", ""
        if (move.source.platform, move.source.kind) != (move.target.platform, move.target.kind):
            problem, hint = (
                "a move keeps the platform and kind",
                "only the key (after platform.kind.) changes",
            )
        elif move.target not in declared:
            problem = f"`{move.target}` is not declared by any manifest"
            hint = "write the new address exactly as `reconciler state list` will show it"
        elif move.source in declared:
            problem = f"`{move.source}` is still declared by a manifest"
            hint = "remove the old entry, or drop this `moved:` entry"
        elif move.source in seen:
            problem, hint = f"`{move.source}` is moved twice", "keep one `moved:` entry per old address"
        seen.add(move.source)
        if problem:
            at = move.location
            errors.append(Diagnostic(f"moved: {problem}", at.file, at.line, at.column, "moved", hint))
    return errors


def _without_failed_entries(loaded: LoadedYaml, exc: ValidationError) -> LoadedYaml | None:
    """The document without the list entries (campaigns, ad sets) that failed, positions kept.

    The resources of the entries that passed still go through the platform's rules, so one run
    reports schema errors and rule errors of the same file together. None when the failure is
    outside list entries (the file's own fields): nothing can be salvaged then.
    """
    failed: set[tuple[Any, ...]] = set()
    for error in exc.errors():
        entry = _innermost_entry(loaded.data, error["loc"])
        if entry is None:
            return None
        failed.add(entry)
    renamed: dict[tuple[Any, ...], tuple[Any, ...]] = {}

    def prune(value: Any, path: tuple[Any, ...], new_path: tuple[Any, ...]) -> Any:
        renamed[path] = new_path
        if isinstance(value, dict):
            return {k: prune(v, (*path, k), (*new_path, k)) for k, v in value.items()}
        if isinstance(value, list):
            kept = [i for i in range(len(value)) if (*path, i) not in failed]
            return [prune(value[i], (*path, i), (*new_path, n)) for n, i in enumerate(kept)]
        return value

    data = prune(loaded.data, (), ())
    return LoadedYaml(
        data,
        keys={renamed[p]: at for p, at in loaded.keys.items() if p in renamed},
        values={renamed[p]: at for p, at in loaded.values.items() if p in renamed},
    )


def _innermost_entry(data: Any, loc: tuple[Any, ...]) -> tuple[Any, ...] | None:
    """The path of the innermost list entry an error location points into (union tags skipped)."""
    node = data
    path: tuple[Any, ...] = ()
    entry: tuple[Any, ...] | None = None
    for part in loc:
        if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node, path = node[part], (*path, part)
            entry = path
        elif isinstance(node, dict) and part in node:
            node, path = node[part], (*path, part)
        elif not isinstance(node, dict | list) or isinstance(part, int):
            break
    return entry


def _duplicate_claims(claims: list[Claim]) -> list[Diagnostic]:
    """An address may be created once; references to an existing object must agree on which object."""
    by_address: dict[str, list[Claim]] = {}
    for claim in claims:
        by_address.setdefault(str(claim.address), []).append(claim)
    errors: list[Diagnostic] = []
    for address, group in by_address.items():
        if len(group) < 2:
            continue
        created = [c for c in group if c.reference is None]
        references = {c.reference for c in group if c.reference is not None}
        if not created and len(references) == 1:
            continue
        first = group[0]
        for other in group[1:]:
            if not created and other.reference == first.reference:
                continue
            where = f"{first.location.file}:{first.location.line}:{first.location.column}"
            again = f"{other.location.file}:{other.location.line}:{other.location.column}"
            errors.append(
                Diagnostic(
                    f"duplicate address {address}: defined at {where} and again at {again}",
                    other.location.file,
                    other.location.line,
                    other.location.column,
                    "key",
                    "give one of the two entries another `key` (keys are unique across the whole project)",
                    address=address,
                )
            )
    return errors
