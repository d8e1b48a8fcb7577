"""Located YAML loading: plain Python data plus the line and column of every mapping key and value.

The loader is a `yaml.SafeLoader` with YAML 1.2 core-schema scalars (`on`, `off`, `yes`, `no` and
country codes such as `NO` stay strings; `0123` stays a string instead of becoming an octal number).
It rejects duplicate keys (naming the key and both lines) and turns parser errors into diagnostics
located at the parser's mark. Positions are keyed by the data path (`("campaigns", 0, "name")`),
the same shape as a pydantic error `loc`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from reconciler.model import Diagnostic

PathKey = tuple[str | int, ...]


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
        current = tuple(path)
        while True:
            first, second = (self.keys, self.values) if prefer_key else (self.values, self.keys)
            if current in first:
                return first[current]
            if current in second:
                return second[current]
            if not current:
                return Position(1, 1)
            current = current[:-1]


class YamlLoader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 core-schema implicit types (bool, int, float, null, timestamp)."""


YamlLoader.yaml_implicit_resolvers = {}
YamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
YamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789")
)
YamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^(?:[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|[-+]?[0-9]+[eE][-+]?[0-9]+"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)
YamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)
YamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:timestamp",
    re.compile(
        r"""^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
        |[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?
        (?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?
        (?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$""",
        re.X,
    ),
    list("0123456789"),
)
YamlLoader.add_implicit_resolver("tag:yaml.org,2002:merge", re.compile(r"^(?:<<)$"), ["<"])


def _pos(node: Node) -> Position:
    return Position(node.start_mark.line + 1, node.start_mark.column + 1)


class _Builder:
    """Turns a composed node tree into data and positions, collecting problems instead of stopping."""

    def __init__(self, loader: YamlLoader, file: str) -> None:
        self.loader = loader
        self.file = file
        self.result = LoadedYaml(None)
        self.errors: list[Diagnostic] = []

    def error(self, node: Node, path: PathKey, message: str, hint: str) -> None:
        at = _pos(node)
        self.errors.append(
            Diagnostic(message, self.file, at.line, at.column, ".".join(str(p) for p in path), hint)
        )

    def build(self, node: Node, path: PathKey) -> Any:
        self.result.values[path] = _pos(node)
        if isinstance(node, MappingNode):
            return self._mapping(node, path)
        if isinstance(node, SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        return self._scalar(node, path)

    def _scalar(self, node: Node, path: PathKey) -> Any:
        try:
            value = self.loader.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as exc:
            self.error(
                node, path, f"cannot read this value: {exc.problem}", "quote the value to make it a string"
            )
            return None
        if isinstance(value, int) and not isinstance(value, bool) and isinstance(node, ScalarNode):
            return YamlInt(value, str(node.value))
        return value

    def _mapping(self, node: MappingNode, path: PathKey) -> dict[Any, Any]:
        seen: dict[Any, Node] = {}
        own: list[tuple[Node, Node]] = []
        merged: list[tuple[Node, Node]] = []
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
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
            key = self._scalar(key_node, path)
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
            pairs.extend(source.value)
        return pairs


def load_yaml(text: str, file: str) -> tuple[LoadedYaml, list[Diagnostic]]:
    """Parse one YAML document. Returns the located data and the problems found (empty when valid).

    An empty document gives `data = None`. Several documents in one file are an error.
    """
    loader = YamlLoader(text)
    builder = _Builder(loader, file)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or "invalid YAML"
        context = str(exc.context or "")
        hint = "fix the YAML syntax here (indentation, a missing `:` or an unclosed quote or bracket)"
        if "single document" in context:
            problem = "several YAML documents in one file"
            hint = "keep one document per file (remove the `---` separator)"
        elif context:
            problem += f" ({context}"
            if exc.context_mark is not None and exc.context_mark is not mark:
                problem += (
                    f" started on line {exc.context_mark.line + 1}, column {exc.context_mark.column + 1}"
                )
            problem += ")"
        return LoadedYaml(None), [Diagnostic(f"invalid YAML: {problem}", file, line, column, "", hint)]
    except yaml.YAMLError as exc:
        return LoadedYaml(None), [Diagnostic(f"invalid YAML: {exc}", file, 1, 1, "", "fix the YAML syntax")]
    finally:
        loader.dispose()
    if node is None:
        return LoadedYaml(None), []
    builder.result.data = builder.build(node, ())
    return builder.result, builder.errors
