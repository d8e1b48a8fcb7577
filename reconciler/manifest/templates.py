"""Jinja2 manifest templates: `*.yaml.j2` files rendered into manifests, once or once per `for_each` item.

A template may start with a header document, ended by a line `---`, that declares `for_each:`:

    for_each: markets                          # a variable holding a list (or a literal list)
    ---
    for_each: {market: markets, platform: [criteo, applovin]}   # a matrix: every combination
    ---

Each item is rendered with `each` in scope (the item; for a matrix, a mapping of the names) and, for a
matrix, each name on its own; `each_key` is the instance key. An item's key is its `key` field when it is
a mapping, else the item itself; a matrix instance's key joins its items' keys with `-`. Keys, not
positions, name instances, so adding or removing an item leaves the others' addresses alone as long as
the template builds its manifest keys from them. Undefined variables are errors (StrictUndefined), located
at the template's file and line with the variable's name.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import jinja2
import jinja2.sandbox
import yaml

from reconciler.model import Diagnostic

TEMPLATE_SUFFIX = ".yaml.j2"
_HEADER_END = re.compile(r"^---[ \t]*$", re.MULTILINE)
_UNDEFINED = re.compile(r"'([^']+)' is undefined|has no attribute '([^']+)'")


@dataclass(frozen=True)
class Rendered:
    """One manifest rendered from a template: `label` names the template and the instance
    (`campaigns/launch.yaml.j2[us]`) and is the file name its diagnostics carry; their line numbers are
    the template's."""

    label: str
    text: str
    template: str
    instance: str | None = None


def iso_dates(value: Any) -> Any:
    """How a template prints a value: dates in ISO 8601 as manifests write them (`2030-03-01T00:00:00Z`,
    not Python's `2030-03-01 00:00:00+00:00`), anything else as Jinja2 does."""
    if isinstance(value, datetime):
        if value.utcoffset() == timedelta(0):
            return value.replace(tzinfo=None).isoformat() + "Z"
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def is_template(name: str) -> bool:
    return name.endswith(TEMPLATE_SUFFIX)


def render_template(
    text: str, file: str, variables: Mapping[str, Any]
) -> tuple[list[Rendered], list[Diagnostic]]:
    """The manifests a template renders to, or the diagnostics of why it cannot be rendered."""
    header, body, body_line = _split_header(text)
    items: list[tuple[str, dict[str, Any]]] = [("", {})]
    if header is not None:
        items, header_problems = _instances(header, file, variables)
        if header_problems:
            return [], header_problems
    environment = jinja2.sandbox.SandboxedEnvironment(
        undefined=jinja2.StrictUndefined, keep_trailing_newline=True, autoescape=False, finalize=iso_dates
    )
    try:
        template = environment.from_string(body)
    except jinja2.TemplateSyntaxError as exc:
        return [], [
            Diagnostic(
                f"template syntax error: {exc.message}",
                file,
                (exc.lineno or 1) + body_line - 1,
                1,
                "",
                "fix the Jinja2 syntax ({{ variable }}, {% for %} … {% endfor %})",
            )
        ]
    rendered: list[Rendered] = []
    problems: list[Diagnostic] = []
    for key, scope in items:
        label = f"{file}[{key}]" if header is not None else file
        try:
            output = template.render({**variables, **scope})
        except jinja2.UndefinedError as exc:
            problems.append(_undefined(exc, file, label, body_line))
            continue
        except jinja2.TemplateError as exc:
            problems.append(Diagnostic(f"template error: {exc}", label, 1, 1, "", "fix the template"))
            continue
        # Blank lines in place of the header: a rendered line has the number of its template line (as long as
        # the template's own tags do not add or remove lines), so diagnostics point into the template.
        padded = "\n" * (body_line - 1) + output
        rendered.append(Rendered(label, padded, file, key if header is not None else None))
    return rendered, problems


def _split_header(text: str) -> tuple[str | None, str, int]:
    """(header or None, body, line of the body's first line in the file)."""
    if not re.match(r"\s*for_each\s*:", text):
        return None, text, 1
    end = _HEADER_END.search(text)
    if end is None:
        return text, "", 1
    body_line = text.count("\n", 0, end.end()) + 2
    return text[: end.start()], text[end.end() + 1 :], body_line


def _instances(
    header: str, file: str, variables: Mapping[str, Any]
) -> tuple[list[tuple[str, dict[str, Any]]], list[Diagnostic]]:
    try:
        data = yaml.safe_load(header)
    except yaml.YAMLError as exc:
        return [], [
            Diagnostic(f"the for_each header is not YAML: {exc}", file, 1, 1, "for_each", "fix the header")
        ]
    spec = data.get("for_each") if isinstance(data, dict) else None
    hint = (
        "write `for_each: VARIABLE`, a list, or a matrix `{name: VARIABLE or list, ...}`, then a line `---`"
    )
    if isinstance(spec, dict):
        names = list(spec)
        lists: list[list[Any]] = []
        for name in names:
            values, problem = _list_of(spec[name], file, variables, f"for_each.{name}", hint)
            if problem:
                return [], [problem]
            lists.append(values)
        instances = []
        for combination in itertools.product(*lists):
            scope = dict(zip(names, combination, strict=True))
            key = "-".join(_item_key(v) for v in combination)
            instances.append((key, {**scope, "each": scope, "each_key": key}))
        return _unique(instances, file)
    values, problem = _list_of(spec, file, variables, "for_each", hint)
    if problem:
        return [], [problem]
    return _unique([(_item_key(v), {"each": v, "each_key": _item_key(v)}) for v in values], file)


def _list_of(
    value: Any, file: str, variables: Mapping[str, Any], field: str, hint: str
) -> tuple[list[Any], Diagnostic | None]:
    if isinstance(value, str):
        if value not in variables:
            known = ", ".join(sorted(variables)) or "none"
            return [], Diagnostic(
                f"undefined variable '{value}' (variables: {known})", file, 1, 1, value, hint
            )
        value = variables[value]
    if not isinstance(value, list):
        return [], Diagnostic(
            f"`{field}` must be a list, got {type(value).__name__}", file, 1, 1, field, hint
        )
    return value, None


def _item_key(item: Any) -> str:
    if isinstance(item, Mapping) and "key" in item:
        return str(item["key"])
    if isinstance(item, Mapping):
        return "-".join(str(v) for v in item.values() if isinstance(v, str | int)) or "item"
    return str(item)


def _unique(
    instances: list[tuple[str, dict[str, Any]]], file: str
) -> tuple[list[tuple[str, dict[str, Any]]], list[Diagnostic]]:
    seen: set[str] = set()
    for key, _ in instances:
        if key in seen:
            return [], [
                Diagnostic(
                    f"two for_each items have the key {key!r}",
                    file,
                    1,
                    1,
                    "for_each",
                    "give every item a distinct `key` (instances are named by it)",
                )
            ]
        seen.add(key)
    return instances, []


def _undefined(exc: jinja2.UndefinedError, file: str, label: str, body_line: int) -> Diagnostic:
    match = _UNDEFINED.search(str(exc))
    name = (match.group(1) or match.group(2)) if match else ""
    line = 0
    traceback = exc.__traceback__
    while traceback is not None:
        if traceback.tb_frame.f_code.co_filename == "<template>":
            line = traceback.tb_lineno
        traceback = traceback.tb_next
    return Diagnostic(
        f"undefined variable '{name}'" if name else f"undefined value: {exc}",
        file,
        line + body_line - 1 if line else body_line,
        1,
        name,
        f"define `{name}` in `vars:` of reconciler.yaml, a --var-file or --var {name}=VALUE"
        + (f" (rendering {label})" if label != file else ""),
    )
