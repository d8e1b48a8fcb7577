"""A composed YAML node tree → plain data and the position of every key and value, with every problem a
manifest can hold located at its line and column: duplicate keys, control characters, unsupported tags
and values their tag cannot read, impossible dates, NaN and infinity, integers beyond 64 bits, nesting
deeper than `MAX_DEPTH`, recursive aliases, and aliases expanding past `MAX_ALIAS_USES` copies or
`MAX_ALIAS_VALUES` values (an alias bomb).

Aliases are only possible in a document with `&` and `*`, merge keys only in one with `<<`: in one
without (`has_anchors`, `has_merges`), the bookkeeping they need is skipped. Positions are kept as the
parser's marks (0-based) in a tree of `Entry`s beside the data, and turned into `Position`s (1-based) when
asked for: most never are.
"""

from __future__ import annotations

import math
import re
from typing import Any, NamedTuple

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from reconciler.manifest.types import describe
from reconciler.model import Diagnostic

PathKey = tuple[str | int, ...]
Entry = list[Any] | tuple[Any, ...]
"""Where one value is written: (the mark of its key or None, its own mark or None, the entries of its
items: a dict by key for a mapping, a list for a list, else None)."""

MAX_DEPTH = 100  # nesting of mappings and lists; manifests need about 12
MAX_ALIAS_USES = 10_000  # copies of anchored mappings and lists (merge keys included) in one document
MAX_ALIAS_VALUES = 100_000  # values built through aliases in one document (the expanded size)
INT64 = (-(2**63), 2**63 - 1)  # the integers a JSON API (int64) can carry

CORE = "tag:yaml.org,2002:"
STR, MAP, SEQ, MERGE = (CORE + t for t in ("str", "map", "seq", "merge"))
_SCALAR_TAGS = {CORE + t: t for t in ("str", "int", "float", "bool", "null", "timestamp")}
# YAML's printable set (YAML 1.1 §5.1, as PyYAML's reader checks it): anything else is refused.
BAD_CHARACTER = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_CONTROL_NAMES = {0: "NUL", 0x07: "BEL", 0x08: "BS", 0x0B: "VT", 0x0C: "FF", 0x1B: "ESC", 0x7F: "DEL"}


class Position(NamedTuple):
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


def bad_character(text: str) -> tuple[int, str] | None:
    """(offset, name) of the first character YAML does not allow (a control character, a lone surrogate)."""
    if text.isprintable():
        return None
    found = BAD_CHARACTER.search(text)
    if found is None:
        return None
    code = ord(found.group())
    name = _CONTROL_NAMES.get(code, "a control character" if code < 0xD800 else "not a character")
    return found.start(), f"U+{code:04X} ({name})"


def has_anchors(text: str) -> bool:
    """Whether the text may hold an alias: one needs an anchor (`&name`) and a reference (`*name`)."""
    return "&" in text and "*" in text


def has_merges(text: str) -> bool:
    return "<<" in text


def position(where: Position | yaml.Mark) -> Position:
    """A kept position as a Position (a parser's mark is 0-based)."""
    return where if isinstance(where, Position) else Position(where.line + 1, where.column + 1)


def _pos(node: Node) -> Position:
    return Position(node.start_mark.line + 1, node.start_mark.column + 1)


class Builder:
    """Builds one document's data, with each value's position in its `Entry` and the problems in `errors`."""

    def __init__(self, loader: Any, file: str, anchors: bool, merges: bool) -> None:
        self.loader = loader
        self.file = file
        self.errors: list[Diagnostic] = []
        self.anchors = anchors  # only then can a node be met twice
        self.merges = merges  # only then can a mapping hold a merge key
        self.child = self.build if anchors else self._node  # what builds the values inside a collection
        self.built: set[int] = set()  # nodes built once: building one again expands an alias
        self.open: set[int] = set()  # collections being built: meeting one again is a recursive alias
        self.alias_uses = 0
        self.alias_values = 0
        self.expanding = 0  # how many alias expansions enclose the node being built
        self.stopped = False  # a limit was hit: nothing more is built

    def error(self, node: Node, path: PathKey, message: str, hint: str) -> None:
        at = _pos(node)
        self.errors.append(
            Diagnostic(message, self.file, at.line, at.column, ".".join(str(p) for p in path), hint)
        )

    def build(self, node: Node, path: PathKey, entry: list[Any]) -> Any:
        """The value of `node`, written at `path` (its marks into `entry`); an alias met again counts
        towards the limits."""
        if self.stopped:
            return None
        if not self.anchors:
            return self._node(node, path, entry)
        key = id(node)
        if key in self.open:
            self.error(
                node,
                path,
                "recursive alias: this anchored value contains an alias of itself",
                "an alias must refer to a value that is complete before it; remove the alias",
            )
            return None
        alias = key in self.built
        if alias:
            self.alias_uses += not isinstance(node, ScalarNode)  # a copy of an anchored mapping or list
            self.expanding += 1
        else:
            self.built.add(key)
        try:
            if self.expanding and not self._within_alias_limits(node, path):
                return None
            self.open.add(key)
            try:
                return self._node(node, path, entry)
            finally:
                self.open.discard(key)
        finally:
            if alias:
                self.expanding -= 1

    def _node(self, node: Node, path: PathKey, entry: list[Any]) -> Any:
        entry[1] = node.start_mark
        if isinstance(node, ScalarNode):
            if node.tag == STR:
                value = node.value
                if value.isprintable() or BAD_CHARACTER.search(value) is None:
                    return value
            return self.scalar(node, path)
        if self.stopped:
            return None
        if len(path) >= MAX_DEPTH:
            self.error(node, path, f"nested more than {MAX_DEPTH} levels deep", "flatten this value")
            self.stopped = True
            return None
        if isinstance(node, MappingNode) and node.tag == MAP:
            build = self._merged_mapping if self.merges else self._mapping
            return build(node, path, entry)
        if isinstance(node, SequenceNode) and node.tag == SEQ:
            child = self.child
            items: list[list[Any]] = [[None, None, None] for _ in node.value]
            entry[2] = items
            return [child(item, (*path, i), items[i]) for i, item in enumerate(node.value)]
        self.error(
            node,
            path,
            f"unsupported tag `{node.tag.replace(CORE, '!!')}`",
            "remove the tag: a manifest holds plain mappings, lists and values",
        )
        return None

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

    def scalar(self, node: ScalarNode, path: PathKey) -> Any:
        """The value of a scalar, or None with the problem reported."""
        tag = node.tag
        if tag == STR:
            value: Any = node.value
        elif tag not in _SCALAR_TAGS:
            self.error(
                node,
                path,
                f"unsupported tag `{tag.replace(CORE, '!!')}`",
                "remove the tag; quote the value to make it a string",
            )
            return None
        else:
            try:
                value = self.loader.yaml_constructors[tag](self.loader, node)  # no bookkeeping for a scalar
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

    def _mapping(self, node: MappingNode, path: PathKey, entry: list[Any]) -> dict[Any, Any]:
        """A mapping of a document without merge keys."""
        data: dict[Any, Any] = {}
        marks: dict[Any, list[Any]] = {}
        entry[2] = marks
        child = self.child
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode) and key_node.tag == STR:
                key = key_node.value
            else:
                key = self.key(key_node, path)
                if key is None:
                    continue
            inner = (*path, key)
            if key in data:
                self._duplicate(key_node, inner, marks[key][0])
                continue
            marks[key] = found = [key_node.start_mark, None, None]
            data[key] = child(value_node, inner, found)
        return data

    def _merged_mapping(self, node: MappingNode, path: PathKey, entry: list[Any]) -> dict[Any, Any]:
        """A mapping that may hold merge keys: the merged pairs first, its own pairs over them."""
        pairs: list[tuple[Node, Node, bool]] = []
        merged: list[tuple[Node, Node, bool]] = []
        for key_node, value_node in node.value:
            if key_node.tag == MERGE:
                merged.extend((k, v, False) for k, v in self._merge_pairs(value_node, path))
            else:
                pairs.append((key_node, value_node, True))
        own: set[Any] = set()
        data: dict[Any, Any] = {}
        marks: dict[Any, list[Any]] = {}
        entry[2] = marks
        for key_node, value_node, is_own in merged + pairs:
            key = self.key(key_node, path)
            if key is None:
                continue
            inner = (*path, key)
            if is_own:
                if key in own:
                    self._duplicate(key_node, inner, marks[key][0])
                    continue
                own.add(key)
            marks[key] = found = [key_node.start_mark, None, None]
            data[key] = self.child(value_node, inner, found)
        return data

    def _duplicate(self, key_node: Node, path: PathKey, first_mark: yaml.Mark) -> None:
        first, again = position(first_mark), _pos(key_node)
        self.error(
            key_node,
            path,
            f"duplicate key `{path[-1]}` (first written on line {first.line}, again on line {again.line})",
            "keep one of the two entries",
        )

    def key(self, node: Node, path: PathKey) -> str | None:
        """A mapping key as text, or None with the problem reported."""
        if not isinstance(node, ScalarNode):
            self.error(node, path, "a mapping key must be a plain value", "write the key as a plain word")
            return None
        if node.tag == STR:
            return str(node.value)
        key = self.scalar(node, path)
        if isinstance(key, YamlInt):
            return key.source
        return key if isinstance(key, str) else str(node.value)

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
                self.error(source, path, "recursive merge: a mapping merges itself", "merge another mapping")
                continue
            self.alias_uses += 1
            pairs.extend(source.value)
        return pairs
