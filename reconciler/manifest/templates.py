"""Jinja2 manifest templates: `*.yaml.j2` files rendered into manifests, once or once per `for_each` item.

A template may start with a header document, ended by a line `---`, that declares `for_each:`:

    for_each: markets                          # a variable holding a list (or a literal list)
    ---
    for_each: {market: markets, channel: [search, social]}   # a matrix: every combination
    ---

Each item is rendered with `each` in scope (the item; for a matrix, a mapping of the names) and, for a
matrix, each name on its own; `each_key` is the instance key. An item's key is its `key` field when it is
a mapping, else the item itself; a matrix instance's key joins its items' keys with `-`. Keys, not
positions, name instances, so adding or removing an item leaves the others' addresses alone as long as
the template builds its manifest keys from them. Undefined variables are errors (StrictUndefined), located
at the template's file and line with the variable's name; so is every other error of a rendering (`1 / 0`,
a macro calling itself, an include outside the project, a bound of `jinja_sandbox` passed).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import jinja2

from reconciler.manifest.jinja_sandbox import BoundedEnvironment, RenderLimit, located
from reconciler.manifest.rendered import Rendered
from reconciler.manifest.yaml_loader import load_yaml
from reconciler.model import Diagnostic

_HEADER_START = re.compile(r"(?:[ \t]*(?:#[^\n]*)?\n)*\s*for_each\s*:")  # comment lines may come first
_HEADER_END = re.compile(r"^---[ \t]*$", re.MULTILINE)
DEFINED = "`vars:` or a var file of reconciler.yaml, or a --var-file"
_UNDEFINED = re.compile(r"'([^']+)' is undefined|has no attribute '([^']+)'")


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


def render_template(
    text: str,
    file: str,
    variables: Mapping[str, Any],
    root: Path | None = None,
    origins: Mapping[str, str] | None = None,
) -> tuple[list[Rendered], list[Diagnostic]]:
    """The manifests a template renders to, or the diagnostics of why it cannot be rendered.

    `root` is the project directory, the only place includes and imports are loaded from; `origins` says
    where each variable is defined (`markets.yaml`), for the hint of an undefined field."""
    header, body, body_line = _split_header(text)
    items: list[tuple[str, dict[str, Any]]] = [("", {})]
    sources: dict[str, str] = {}
    if header is not None:
        items, header_problems, sources = _instances(header, file, variables)
        if header_problems:
            return [], header_problems
    environment = BoundedEnvironment(root, finalize=iso_dates)
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
            output = _render(environment, template, {**variables, **scope})
        except jinja2.UndefinedError as exc:
            problems.append(_undefined(exc, label, body, body_line, Item(key, sources, origins or {})))
            continue
        except Exception as exc:  # the template is the user's program: every error it raises is theirs
            problems.append(_failed(exc, file, label, body_line))
            if isinstance(exc, RenderLimit):
                break
            continue
        # Blank lines in place of the header: a rendered line has the number of its template line (as long as
        # the template's own tags do not add or remove lines), so diagnostics point into the template.
        padded = "\n" * (body_line - 1) + output
        rendered.append(Rendered(label, padded, file, key if header is not None else None))
    return rendered, problems


def _render(environment: BoundedEnvironment, template: jinja2.Template, scope: dict[str, Any]) -> str:
    chunks: list[str] = []
    for chunk in template.generate(scope):
        environment.count_output(chunk)
        chunks.append(chunk)
    return "".join(chunks)


def _failed(exc: Exception, file: str, label: str, body_line: int) -> Diagnostic:
    """A rendering error at its template file and line."""
    where, line = located(exc, body_line - 1)
    if isinstance(exc, RecursionError):
        message = "a macro, a recursive loop or an include calls itself without end"
    elif isinstance(exc, MemoryError):
        message = "rendering needs more memory than there is"
    elif isinstance(exc, jinja2.TemplateNotFound):
        message = exc.message or f"{exc.name!r} not found"
    elif isinstance(exc, jinja2.TemplateError):
        message = exc.message or type(exc).__name__
    else:
        message = f"{type(exc).__name__}: {exc}"
    instance = f" (rendering {label})" if label != file else ""
    return Diagnostic(
        f"template error: {message}",
        where or label,
        line or body_line,
        1,
        "",
        f"fix the template at this line{instance}",
    )


def _split_header(text: str) -> tuple[str | None, str, int]:
    """(header or None, body, line of the body's first line in the file)."""
    if not _HEADER_START.match(text):
        return None, text, 1
    end = _HEADER_END.search(text)
    if end is None:
        return text, "", 1
    body_line = text.count("\n", 0, end.end()) + 2
    return text[: end.start()], text[end.end() + 1 :], body_line


def _instances(
    header: str, file: str, variables: Mapping[str, Any]
) -> tuple[list[tuple[str, dict[str, Any]]], list[Diagnostic], dict[str, str]]:
    """The instances (key, scope), the problems of the header, and where each item name of the scope takes
    its items from (a variable's name, or `for_each` for a literal list)."""
    loaded, problems = load_yaml(header, file)
    if problems:
        return [], problems, {}
    data = loaded.data
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
                return [], [problem], {}
            lists.append(values)
        sources = {n: spec[n] if isinstance(spec[n], str) else f"for_each.{n}" for n in names}
        instances = []
        for combination in itertools.product(*lists):
            scope = dict(zip(names, combination, strict=True))
            key = "-".join(_item_key(v) for v in combination)
            instances.append((key, {**scope, "each": scope, "each_key": key}))
        return (*_unique(instances, file), sources)
    values, problem = _list_of(spec, file, variables, "for_each", hint)
    if problem:
        return [], [problem], {}
    instances = [(_item_key(v), {"each": v, "each_key": _item_key(v)}) for v in values]
    return (*_unique(instances, file), {"each": spec if isinstance(spec, str) else "for_each"})


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


@dataclass(frozen=True)
class Item:
    """The for_each instance being rendered: its key, and where each item name (`each`, or a matrix's
    names) takes its items from."""

    key: str
    sources: Mapping[str, str]
    origins: Mapping[str, str]

    def defined(self, variable: str) -> str:
        """Where a variable is defined, in words."""
        return (
            f"in {self.origins[variable]}" if variable in self.origins else f"where it is defined: {DEFINED}"
        )


def _undefined(exc: jinja2.UndefinedError, label: str, body: str, body_line: int, item: Item) -> Diagnostic:
    """An undefined variable or field, at `FILE[ITEM]:LINE:COL`, with the fix that works: a field of the
    for_each item belongs in that item (its list), a field of a variable in that variable, a variable in
    `vars:`, a var file or `--var`."""
    match = _UNDEFINED.search(str(exc))
    name = (match.group(1) or match.group(2)) if match else ""
    where, line = located(exc, body_line - 1)
    text = (
        body.splitlines()[line - body_line]
        if where is None and 0 <= line - body_line < len(body.splitlines())
        else ""
    )
    owner, column = _owner(text, name) if match and match.group(2) else ("", _column(text, name))
    if not name:
        message, hint = f"undefined value: {exc}", "fix the template at this line"
    elif owner in item.sources:
        source = item.sources[owner]
        what = f"the {owner} item" if owner != "each" else "the for_each item"
        message = f"{what} `{item.key}` has no field `{name}`"
        hint = (
            f"give the item `{item.key}` of `{source}` a `{name}` ({item.defined(source)}); "
            f"--var {name}=VALUE does not reach an item"
            if source != "for_each" and not source.startswith("for_each.")
            else f"give the item `{item.key}` of the template's `{source}` list a `{name}`"
        )
    elif owner:
        message = f"`{owner}` has no field `{name}`"
        hint = f"add `{name}` to `{owner}` ({item.defined(owner)})"
    else:
        message = f"undefined variable '{name}'"
        hint = f"define `{name}` in `vars:` of reconciler.yaml, a --var-file or --var {name}=VALUE"
    return Diagnostic(message, where or label, line or body_line, column, name, hint)


def _owner(text: str, name: str) -> tuple[str, int]:
    """The variable whose field `name` this line reads (`each` in `each.daily_budget`), and its column."""
    found = re.search(
        rf"([A-Za-z_][A-Za-z0-9_]*)\s*(?:\.\s*{re.escape(name)}\b|\[\s*['\"]{re.escape(name)}['\"]\s*\])",
        text,
    )
    return (found.group(1), found.start(1) + 1) if found else ("", 1)


def _column(text: str, name: str) -> int:
    found = re.search(rf"\b{re.escape(name)}\b", text) if name else None
    return found.start() + 1 if found else 1
