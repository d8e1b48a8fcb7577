"""Located YAML loading: plain Python data plus the line and column of every mapping key and value.

The text is parsed by libyaml (`yaml.CSafeLoader`, whose marks keep line and column), or by PyYAML's
pure-Python parser where libyaml is missing, with YAML 1.2 core-schema scalars (`on`, `off`, `yes`,
`no` and country codes such as `NO` stay strings; `0123` stays a string instead of becoming an octal
number). With libyaml, a plain document is built straight from the parser's events (`yaml_events`);
one with anchors, aliases, merge keys or a problem is composed into nodes that `yaml_builder` turns into
data, finding what a manifest can never mean. Characters YAML does not allow and parser errors are
diagnostics located at their line and column. Positions are found by the data path
(`("campaigns", 0, "name")`), the same shape as a pydantic error `loc`.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import yaml
from yaml.nodes import MappingNode, ScalarNode

from reconciler.manifest.yaml_builder import (
    CORE,
    MAP,
    MERGE,
    SEQ,
    STR,
    Builder,
    Entry,
    PathKey,
    Position,
    YamlInt,
    bad_character,
    has_anchors,
    has_merges,
    position,
)
from reconciler.manifest.yaml_events import build_events
from reconciler.model import Diagnostic

T = TypeVar("T")

INVALID_YAML = "invalid YAML:"  # how a problem of the YAML syntax (not of a value) starts

__all__ = [
    "INVALID_YAML",
    "Entry",
    "LoadedYaml",
    "PathKey",
    "Position",
    "YamlInt",
    "bad_character",
    "entry_of",
    "load_yaml",
]


@dataclass
class LoadedYaml:
    """One YAML document: its data, and where each key and value was written (`marks`: the document's
    `Entry`, None when it is empty or unreadable)."""

    data: Any
    marks: Entry | None = None

    def position(self, path: PathKey, prefer_key: bool = False) -> Position:
        """The position of `path` (its key's with `prefer_key`, else its value's; the other when only
        one is written), else of its nearest written ancestor, else the file's start."""
        found: Entry | None = None  # the deepest entry written on the way
        entry = self.marks
        for part in path:
            if entry is None:
                break
            if entry[0] is not None or entry[1] is not None:
                found = entry
            items = entry[2]
            if isinstance(items, dict):  # entry_of, inlined: this runs for every resource's claim
                entry = items.get(part)
            elif isinstance(items, list) and isinstance(part, int) and 0 <= part < len(items):
                entry = items[part]
            else:
                entry = None
        if entry is not None and (entry[0] is not None or entry[1] is not None):
            found = entry
        if found is None:
            return Position(1, 1)
        first, second = (found[0], found[1]) if prefer_key else (found[1], found[0])
        return position(second if first is None else first)

    def written(self, path: PathKey) -> bool:
        """Whether a value is written at `path`."""
        entry = self.marks
        for part in path:
            entry = entry_of(entry[2], part) if entry is not None else None
        return entry is not None and entry[1] is not None


def entry_of(items: Any, part: str | int | None) -> Entry | None:
    """The entry of the item `part` of a mapping's or list's entries, if written."""
    if isinstance(items, dict):
        return items.get(part)
    if isinstance(items, list) and isinstance(part, int) and 0 <= part < len(items):
        return items[part]
    return None


def _core_schema(loader: type[yaml.SafeLoader] | type[yaml.CSafeLoader]) -> None:
    """YAML 1.2 core-schema implicit types (bool, int, float, null) plus timestamps and merge keys."""
    loader.yaml_implicit_resolvers = {}
    loader.add_implicit_resolver(
        CORE + "bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
    )
    loader.add_implicit_resolver(CORE + "int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789"))
    loader.add_implicit_resolver(
        CORE + "float",
        re.compile(
            r"^(?:[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|[-+]?[0-9]+[eE][-+]?[0-9]+"
            r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
        ),
        list("-+0123456789."),
    )
    loader.add_implicit_resolver(CORE + "null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])
    loader.add_implicit_resolver(
        CORE + "timestamp",
        re.compile(
            r"""^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
            |[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?
            (?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?
            (?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$""",
            re.X,
        ),
        list("0123456789"),
    )
    loader.add_implicit_resolver(MERGE, re.compile(r"^(?:<<)$"), ["<"])


class _CoreResolver:
    """The tag of a node, from the implicit resolvers only (no path resolvers): the parser asks for every
    node, so this is on the hot path."""

    yaml_implicit_resolvers: dict[str | None, list[tuple[str, re.Pattern[str]]]]

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode:
            if implicit[0]:
                for tag, pattern in self.yaml_implicit_resolvers.get(value[:1], ()):
                    if pattern.match(value):
                        return tag
            return STR
        return MAP if kind is MappingNode else SEQ


class PureYamlLoader(_CoreResolver, yaml.SafeLoader):
    """PyYAML's pure-Python parser with the core schema: the fallback where libyaml is missing."""


_core_schema(PureYamlLoader)
YamlLoader: type[yaml.SafeLoader] | type[yaml.CSafeLoader] = PureYamlLoader
if yaml.__with_libyaml__:

    class CYamlLoader(_CoreResolver, yaml.CSafeLoader):
        """libyaml's parser (C) with the core schema; marks keep line and column."""

    _core_schema(CYamlLoader)
    YamlLoader = CYamlLoader


def _parser_error(exc: yaml.MarkedYAMLError, file: str) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = exc.problem or "invalid YAML"
    context = str(exc.context or "")
    hint = "fix the YAML syntax here (indentation, a missing `:` or an unclosed quote or bracket)"
    if "single document" in context:
        problem = "several YAML documents in one file"
        hint = "keep one document per file (remove the `---` separator)"
    elif "nesting depth" in problem:
        problem = "nested too deeply"
        hint = "manifests need far fewer levels: flatten this value"
    elif context:
        problem += f" ({context}"
        if exc.context_mark is not None and exc.context_mark is not mark:
            problem += f" started on line {exc.context_mark.line + 1}, column {exc.context_mark.column + 1}"
        problem += ")"
    return Diagnostic(f"{INVALID_YAML} {problem}", file, line, column, "", hint)


def _text_error(text: str, file: str) -> Diagnostic | None:
    bad = bad_character(text)
    if bad is None:
        return None
    offset, name = bad
    line = text.count("\n", 0, offset) + 1
    column = offset - text.rfind("\n", 0, offset)
    return Diagnostic(
        f"the character {name} is not allowed in YAML", file, line, column, "", "remove the character"
    )


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection while a large, acyclic tree is built: CPython's collector otherwise
    walks the growing tree again and again (composing a 2 MB manifest took 2.4 s instead of 0.4 s).

    At the end, what was built joins the oldest generation without being walked (`freeze` then
    `unfreeze`), as a collection would have moved it there."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.freeze()
            gc.unfreeze()
            gc.enable()


def load_yaml(
    text: str, file: str, loader: type[yaml.SafeLoader] | type[yaml.CSafeLoader] | None = None
) -> tuple[LoadedYaml, list[Diagnostic]]:
    """Parse one YAML document. Returns the located data and the problems found (empty when valid).

    An empty document gives `data = None`. Several documents in one file are an error. `loader` is
    `YamlLoader` (libyaml when present) unless a test asks for the pure-Python one.
    """
    problem = _text_error(text, file)
    if problem is not None:
        return LoadedYaml(None), [problem]
    with paused_gc():
        return _load(text, file, loader or YamlLoader)


def _load(
    text: str, file: str, loader: type[yaml.SafeLoader] | type[yaml.CSafeLoader]
) -> tuple[LoadedYaml, list[Diagnostic]]:
    if loader is not PureYamlLoader:
        found = from_events(text, file, loader)
        if found is not None:
            return found
    return from_nodes(text, file, loader)


def from_events(
    text: str, file: str, loader: type[yaml.SafeLoader] | type[yaml.CSafeLoader]
) -> tuple[LoadedYaml, list[Diagnostic]] | None:
    """The document built straight from the parser's events (`yaml_events`) with the values it could not
    read, or None when it needs the node tree (anchors, aliases, merge keys, several documents, keys that
    are not plain text)."""
    parser = loader(text)
    builder = Builder(parser, file, anchors=False, merges=False)
    try:
        built = _parsed(lambda: build_events(parser, builder, loader.yaml_implicit_resolvers), file)
    finally:
        parser.dispose()
    if isinstance(built, list):
        return LoadedYaml(None), built
    return None if built is None else (LoadedYaml(*built), builder.errors)


def from_nodes(
    text: str, file: str, loader: type[yaml.SafeLoader] | type[yaml.CSafeLoader]
) -> tuple[LoadedYaml, list[Diagnostic]]:
    """The document composed into a node tree, then built by `Builder`: what any document can be read by."""
    parser = loader(text)
    try:
        node = _parsed(parser.get_single_node, file)
    finally:
        parser.dispose()
    if isinstance(node, list):
        return LoadedYaml(None), node
    if node is None:
        return LoadedYaml(None), []
    builder = Builder(parser, file, anchors=has_anchors(text), merges=has_merges(text))
    root: list[Any] = [None, None, None]
    data = builder.build(node, (), root)
    return LoadedYaml(data, root), builder.errors


def _parsed(parse: Callable[[], T], file: str) -> T | list[Diagnostic]:
    """What `parse` returns, or the problem that stopped the parser."""
    try:
        return parse()
    except yaml.MarkedYAMLError as exc:
        return [_parser_error(exc, file)]
    except yaml.YAMLError as exc:
        return [Diagnostic(f"{INVALID_YAML} {exc}", file, 1, 1, "", "fix the YAML syntax")]
    except RecursionError:  # the pure-Python composer recurses once per level
        return [Diagnostic(f"{INVALID_YAML} nested too deeply", file, 1, 1, "", "flatten the nested values")]
