"""Located YAML loading: plain Python data plus the line and column of every mapping key and value.

The text is composed by libyaml (`yaml.CSafeLoader`, which keeps line and column marks), or by PyYAML's
pure-Python parser where libyaml is missing, with YAML 1.2 core-schema scalars (`on`, `off`, `yes`,
`no` and country codes such as `NO` stay strings; `0123` stays a string instead of becoming an octal
number). The node tree is then built into data here, which rejects duplicate keys (naming the key and
both lines) and whatever a manifest can never mean, each at its line and column: control characters,
explicit tags other than the core schema's and values they cannot read (`!!bool maybe`), impossible
dates, NaN and infinity, integers beyond 64 bits, nesting deeper than `MAX_DEPTH`, recursive aliases
and aliases that expand past `MAX_ALIAS_USES` uses or `MAX_ALIAS_VALUES` values (an alias bomb).
Positions are keyed by the data path (`("campaigns", 0, "name")`), the same shape as a pydantic error
`loc`.
"""

from __future__ import annotations

import gc
import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from reconciler.manifest.types import describe
from reconciler.model import Diagnostic

PathKey = tuple[str | int, ...]

MAX_DEPTH = 100  # nesting of mappings and lists; manifests need about 12
MAX_ALIAS_USES = 10_000  # times aliases (and merge keys) are expanded in one document
MAX_ALIAS_VALUES = 100_000  # values built through aliases in one document (the expanded size)
INT64 = (-(2**63), 2**63 - 1)  # the integers a JSON API (int64) can carry

_CORE = "tag:yaml.org,2002:"
_STR, _MAP, _SEQ, _MERGE = (_CORE + t for t in ("str", "map", "seq", "merge"))
_SCALAR_TAGS = {_CORE + t: t for t in ("str", "int", "float", "bool", "null", "timestamp")}
# YAML's printable set (YAML 1.1 §5.1, as PyYAML's reader checks it): anything else is refused.
BAD_CHARACTER = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_CONTROL_NAMES = {0: "NUL", 0x07: "BEL", 0x08: "BS", 0x0B: "VT", 0x0C: "FF", 0x1B: "ESC", 0x7F: "DEL"}


@dataclass(frozen=True)
class Position:
    """A 1-based line and column in a file."""

    line: int
    column: int


class YamlInt(int):
    """An int read from YAML that remembers how it was written (`id: 0123` stays `"0123"` as a string)."""

    source: str

    def __new__(cls, value: int, source: str) -> YamlInt:
        obj = super().__new__(cls, value)
        obj.source = source
        return obj


@dataclass
class LoadedYaml:
    """One YAML document: its data, and where each key and value was written."""

    data: Any
    keys: dict[PathKey, Position] = field(default_factory=dict)
    values: dict[PathKey, Position] = field(default_factory=dict)

    def position(self, path: PathKey, prefer_key: bool = False) -> Position:
        """The position of `path`, else of its nearest written ancestor, else the file's start."""
        first, second = (self.keys, self.values) if prefer_key else (self.values, self.keys)
        found = first.get(path) or second.get(path)
        if found is not None:
            return found
        current = tuple(path)
        while True:
            if current in first:
                return first[current]
            if current in second:
                return second[current]
            if not current:
                return Position(1, 1)
            current = current[:-1]


def _core_schema(loader: type[yaml.SafeLoader] | type[yaml.CSafeLoader]) -> None:
    """YAML 1.2 core-schema implicit types (bool, int, float, null) plus timestamps and merge keys."""
    loader.yaml_implicit_resolvers = {}
    loader.add_implicit_resolver(
        _CORE + "bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
    )
    loader.add_implicit_resolver(_CORE + "int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789"))
    loader.add_implicit_resolver(
        _CORE + "float",
        re.compile(
            r"^(?:[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|[-+]?[0-9]+[eE][-+]?[0-9]+"
            r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
        ),
        list("-+0123456789."),
    )
    loader.add_implicit_resolver(_CORE + "null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])
    loader.add_implicit_resolver(
        _CORE + "timestamp",
        re.compile(
            r"""^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
            |[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?
            (?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?
            (?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$""",
            re.X,
        ),
        list("0123456789"),
    )
    loader.add_implicit_resolver(_MERGE, re.compile(r"^(?:<<)$"), ["<"])


class PureYamlLoader(yaml.SafeLoader):
    """PyYAML's pure-Python parser with the core schema: the fallback where libyaml is missing."""


_core_schema(PureYamlLoader)
YamlLoader: type[yaml.SafeLoader] | type[yaml.CSafeLoader] = PureYamlLoader
if yaml.__with_libyaml__:

    class CYamlLoader(yaml.CSafeLoader):
        """libyaml's parser (C) with the core schema; marks keep line and column."""

    _core_schema(CYamlLoader)
    YamlLoader = CYamlLoader


def _pos(node: Node) -> Position:
    return Position(node.start_mark.line + 1, node.start_mark.column + 1)


def bad_character(text: str) -> tuple[int, str] | None:
    """(offset, name) of the first character YAML does not allow (a control character, a lone surrogate)."""
    found = BAD_CHARACTER.search(text)
    if found is None:
        return None
    code = ord(found.group())
    name = _CONTROL_NAMES.get(code, "a control character" if code < 0xD800 else "not a character")
    return found.start(), f"U+{code:04X} ({name})"


class _Builder:
    """Turns a composed node tree into data and positions, collecting problems instead of stopping."""

    def __init__(self, loader: Any, file: str) -> None:
        self.loader = loader
        self.file = file
        self.result = LoadedYaml(None)
        self.errors: list[Diagnostic] = []
        self.built: set[int] = set()  # nodes built once: building one again expands an alias
        self.open: set[int] = set()  # collections being built: meeting one again is a recursive alias
        self.alias_uses = 0
        self.alias_values = 0
        self.expanding = 0  # how many alias expansions enclose the node being built
        self.stopped = False  # a size limit was hit: nothing more is built

    def error(self, node: Node, path: PathKey, message: str, hint: str) -> None:
        at = _pos(node)
        self.errors.append(
            Diagnostic(message, self.file, at.line, at.column, ".".join(str(p) for p in path), hint)
        )

    def build(self, node: Node, path: PathKey) -> Any:
        if self.stopped:
            return None
        key = id(node)
        if key in self.open:
            self.error(
                node,
                path,
                "recursive alias: this anchored value contains an alias of itself",
                "an alias must refer to a value that is complete before it; remove the alias",
            )
            return None
        if len(path) > MAX_DEPTH:
            self.error(
                node,
                path,
                f"nested more than {MAX_DEPTH} levels deep",
                "manifests need far fewer levels: flatten this value",
            )
            self.stopped = True
            return None
        alias = key in self.built
        if alias:
            self.alias_uses += 1
            self.expanding += 1
        else:
            self.built.add(key)
        try:
            if self.expanding and not self._within_alias_limits(node, path):
                return None
            self.result.values[path] = _pos(node)
            if isinstance(node, ScalarNode):
                return self._scalar(node, path)
            if node.tag not in (_MAP, _SEQ):
                self.error(
                    node,
                    path,
                    f"unsupported tag `{node.tag.replace(_CORE, '!!')}`",
                    "remove the tag: a manifest holds plain mappings, lists and values",
                )
                return None
            self.open.add(key)
            try:
                if isinstance(node, MappingNode):
                    return self._mapping(node, path)
                assert isinstance(node, SequenceNode)
                return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
            finally:
                self.open.discard(key)
        finally:
            if alias:
                self.expanding -= 1

    def _within_alias_limits(self, node: Node, path: PathKey) -> bool:
        self.alias_values += 1
        if self.alias_uses <= MAX_ALIAS_USES and self.alias_values <= MAX_ALIAS_VALUES:
            return True
        self.error(
            node,
            path,
            f"aliases expand to more than {MAX_ALIAS_USES:,} copies or {MAX_ALIAS_VALUES:,} values "
            f"(the anchored value is at line {_pos(node).line})",
            "write the values out, or use fewer and smaller aliases",
        )
        self.stopped = True
        return False

    def _scalar(self, node: ScalarNode, path: PathKey) -> Any:
        tag = node.tag
        if tag == _STR:
            value: Any = node.value
        elif tag not in _SCALAR_TAGS:
            self.error(
                node,
                path,
                f"unsupported tag `{tag.replace(_CORE, '!!')}`",
                "remove the tag; quote the value to make it a string",
            )
            return None
        else:
            try:
                value = self.loader.construct_object(node, deep=True)
            except (yaml.YAMLError, ValueError, KeyError, AttributeError, TypeError, OverflowError) as exc:
                self._unreadable(node, path, _SCALAR_TAGS[tag], exc)
                return None
        if isinstance(value, str):
            bad = bad_character(value)
            if bad is not None:
                self.error(
                    node,
                    path,
                    f"the value holds the character {bad[1]}, which a manifest cannot carry",
                    "remove the character (escape sequences such as \\0 or \\x1b included)",
                )
                return None
            return value
        if isinstance(value, float) and not math.isfinite(value):
            self.error(
                node,
                path,
                f"{node.value} is not a number a platform accepts (NaN and infinity are refused)",
                "write a finite number, e.g. 0.5",
            )
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            if not INT64[0] <= value <= INT64[1]:
                self.error(
                    node,
                    path,
                    f"the number {node.value[:30]} is beyond the range a platform API can carry (64 bits)",
                    "write a smaller number; quote an id to keep it text",
                )
                return None
            return YamlInt(value, str(node.value))
        return value

    def _unreadable(self, node: ScalarNode, path: PathKey, kind: str, exc: Exception) -> None:
        shown = describe(node.value)
        if kind == "timestamp":
            problem = str(exc) if isinstance(exc, ValueError) else "not a date"
            self.error(
                node,
                path,
                f"{shown} is not a real calendar date and time ({problem})",
                "write a real date such as 2027-06-01 or 2027-06-01T00:00:00Z; quote it to keep it text",
            )
            return
        self.error(
            node,
            path,
            f"{shown} cannot be read as {'an' if kind == 'int' else 'a'} {kind}",
            f"write a valid {kind}, or drop the `!!{kind}` tag and quote the value to make it a string",
        )

    def _mapping(self, node: MappingNode, path: PathKey) -> dict[Any, Any]:
        seen: dict[Any, Node] = {}
        own: list[tuple[Node, Node]] = []
        merged: list[tuple[Node, Node]] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                merged.extend(self._merge_pairs(value_node, path))
                continue
            own.append((key_node, value_node))
        data: dict[Any, Any] = {}
        for key_node, value_node, is_own in [(k, v, False) for k, v in merged] + [
            (k, v, True) for k, v in own
        ]:
            if not isinstance(key_node, ScalarNode):
                self.error(
                    key_node, path, "a mapping key must be a plain value", "write the key as a plain word"
                )
                continue
            key = key_node.value if key_node.tag == _STR else self._scalar(key_node, path)
            if isinstance(key, YamlInt):
                key = key.source
            if not isinstance(key, str):
                key = str(key_node.value)
            if is_own and key in seen:
                first = _pos(seen[key])
                self.error(
                    key_node,
                    (*path, key),
                    f"duplicate key `{key}` (first written on line {first.line}, "
                    f"again on line {_pos(key_node).line})",
                    "keep one of the two entries",
                )
                continue
            if is_own:
                seen[key] = key_node
            self.result.keys[(*path, key)] = _pos(key_node)
            data[key] = self.build(value_node, (*path, key))
        return data

    def _merge_pairs(self, node: Node, path: PathKey) -> list[tuple[Node, Node]]:
        sources = node.value if isinstance(node, SequenceNode) else [node]
        pairs: list[tuple[Node, Node]] = []
        for source in sources:
            if not isinstance(source, MappingNode):
                self.error(
                    source, path, "a merge key `<<` needs a mapping", "merge an anchored mapping: `<<: *name`"
                )
                continue
            if id(source) in self.open:
                self.error(
                    source,
                    path,
                    "recursive merge: a mapping merges itself",
                    "merge another anchored mapping",
                )
                continue
            self.alias_uses += 1
            pairs.extend(source.value)
        return pairs


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
    return Diagnostic(f"invalid YAML: {problem}", file, line, column, "", hint)


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
    walks the growing tree again and again (composing a 2 MB manifest took 2.4 s instead of 0.4 s)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
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
    parser = loader(text)
    builder = _Builder(parser, file)
    try:
        node = parser.get_single_node()
    except yaml.MarkedYAMLError as exc:
        return LoadedYaml(None), [_parser_error(exc, file)]
    except yaml.YAMLError as exc:
        return LoadedYaml(None), [Diagnostic(f"invalid YAML: {exc}", file, 1, 1, "", "fix the YAML syntax")]
    except RecursionError:  # the pure-Python composer recurses once per level
        return LoadedYaml(None), [
            Diagnostic("invalid YAML: nested too deeply", file, 1, 1, "", "flatten the nested values")
        ]
    finally:
        parser.dispose()
    if node is None:
        return LoadedYaml(None), []
    builder.result.data = builder.build(node, ())
    return builder.result, builder.errors
