"""Template variables: var files, `--var NAME=VALUE`, and which variables are sensitive.

A variable is sensitive when its name starts with `secret_` or is listed in `sensitive_vars:` of
reconciler.yaml. Its value (text or a number) is shown as `***NAME***` in plans, plan files, rendered
manifests and errors (`reconciler.model.redaction`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

from reconciler.manifest.diagnostics import describe_kind
from reconciler.manifest.paths import read_text
from reconciler.manifest.yaml_loader import INVALID_YAML, load_yaml
from reconciler.model import Diagnostic

SENSITIVE_PREFIX = "secret_"


def read_var_file(path: Path, file: str) -> tuple[dict[str, Any], list[Diagnostic]]:
    """The variables of a YAML var file (a mapping of names to values)."""
    if not path.is_file():
        return {}, [
            Diagnostic(
                "var file not found", file, 1, 1, "", "check the path (relative to the project directory)"
            )
        ]
    text, errors = read_text(path, file)
    if text is None:
        return {}, errors
    loaded, errors = load_yaml(text, file)
    if errors:
        return {}, errors
    if not isinstance(loaded.data, dict):  # its content is not repeated: it may be any file
        return {}, [
            Diagnostic(
                f"a var file holds a mapping of variable names to values, got {describe_kind(loaded.data)}",
                file,
                1,
                1,
                "",
                "write `name: value` lines",
            )
        ]
    return {str(k): v for k, v in loaded.data.items()}, []


def parse_var(text: str) -> tuple[str, Any]:
    """(NAME, VALUE text) of `--var NAME=VALUE`; ValueError when it is not written so."""
    name, equals, value = text.partition("=")
    if not equals or not name.strip():
        raise ValueError(f"{text!r}: write NAME=VALUE")
    return name.strip(), value


def read_var(name: str, value: str) -> tuple[Any, list[Diagnostic]]:
    """The value of `--var NAME=VALUE` read as YAML (100 is a number), or as text when it is not YAML;
    its problems (an impossible date, NaN, an alias bomb) are located as `--var NAME`."""
    if not value:
        return "", []
    label = f"--var {name}"
    loaded, problems = load_yaml(value, label)
    if problems and all(p.message.startswith(INVALID_YAML) for p in problems):
        return value, []  # not YAML: the text as it is
    return loaded.data, problems


def is_sensitive(name: str, listed: Collection[str]) -> bool:
    return name.startswith(SENSITIVE_PREFIX) or name in listed


def sensitive_values(
    values: Mapping[str, Any], listed: Collection[str], file: str
) -> tuple[dict[str, Any], list[Diagnostic]]:
    """The sensitive variables among `values`, and the problems of those that are not text or a number."""
    found: dict[str, Any] = {}
    problems: list[Diagnostic] = []
    for name, value in values.items():
        if not is_sensitive(name, listed):
            continue
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            problems.append(
                Diagnostic(
                    f"the sensitive variable `{name}` holds {describe_kind(value)}: a sensitive variable "
                    "holds text or a number",
                    file,
                    1,
                    1,
                    "sensitive_vars",
                    "give it a text value, or do not mark it sensitive",
                )
            )
            continue
        found[name] = value
    return found, problems
