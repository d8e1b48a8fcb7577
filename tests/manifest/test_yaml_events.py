"""The libyaml event path gives exactly what the node tree gives (data, problems, every position), and
gives way to the node tree for whatever it does not handle itself."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reconciler.manifest.yaml_loader import (
    PathKey,
    PureYamlLoader,
    YamlLoader,
    from_events,
    from_nodes,
    load_yaml,
)

EXAMPLES = sorted(Path(__file__).resolve().parents[2].glob("examples/**/*.yaml"))
PLAIN = [
    "a:\n  b: [1, 2]\n  c: {d: x}\n",
    "- 1\n- [a, {b: c}]\n- {}\n- []\n- ''\n- ~\n-\n",
    "just a scalar\n",
    "---\nkey: value\n...\n",
    "1: one\n2027-06-01: day\ntrue: yes\n0123: octal-looking\n1.5: float\n",
    "text: |\n  two\n  lines\nfolded: >\n  one\n  line\nquoted: 'it''s'\ndq: \"tab\\there\"\n",
    "n: [on, off, yes, no, NO, true, False, 0123, 12, 1.5, 1e3, ~, 0x1F, 1:30, -0, +7, .5, null, Null]\n",
    "t: [2027-06-01, 2027-06-01T10:00:00Z, 2027-6-1 10:00:00 +02:00, !!str 12, ! 12, !!int '7']\n",
    "? complex key\n: value\nempty:\n'quoted key': 1\n\"\": empty key\n",
    "a: {b: {c: {d: {e: [[[[1]]]]}}}}\n",
    "url: https://x.test/?a=1&b=2\nstar: '*'\n",
    "same: [2027-06-01, 2027-06-01, 7, 7, 0.5, 0.5, true, true, name, name]\nname: {name: 7}\n",
]
REPORTED = [
    "a: !!bool maybe\n",
    "a: .nan\nb: 1e999\n",
    "a: 9223372036854775808\n",
    "a: !custom x\n",
    "a: 2027-02-30\n",
    "a: 2027-06-01\nb: [2027-02-30, 2027-02-30]\n",
    "a: <<\n",
    "a: [1, 9223372036854775808, 9223372036854775808]\n",
    'a: "x\\0"\n',
    "list:\n  - {x: 1, y: [ok, .inf]}\n  - {x: .nan}\nnested: {deep: {er: [1, {z: 2027-13-01}]}}\n",
    ".nan\n",
    "- 2027-02-30\n- 1\n",
]
FALLBACK = [
    "a: &x 1\nb: *x\n",
    "a: &x 1\nb: 2\n",
    "a: *x\n",
    "base: &b {x: 1}\nother:\n  <<: *b\n  y: 3\n",
    "a: 1\na: 2\n",
    "a: 1\n---\nb: 2\n",
    "a: !!set {x, y}\n",
    "2027-02-30: x\n",
    "a: .nan\n1e999: x\n",
    "[a]: 1\n",
    "!!binary aGk=: 1\n",
    "a: " + "[" * 150 + "]" * 150 + "\n",
    "a: 1\nb: 'open\n",
]


def paths(data: Any, path: PathKey = ()) -> Iterator[PathKey]:
    yield path
    yield (*path, "missing")
    yield (*path, 0)
    if isinstance(data, dict):
        for key, value in data.items():
            yield from paths(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from paths(value, (*path, i))


def summary(text: str, loaded: Any, problems: list[Any]) -> Any:
    found = [(p, loaded.position(p), loaded.position(p, prefer_key=True)) for p in paths(loaded.data)]
    return repr(loaded.data), problems, found


@pytest.mark.parametrize("text", PLAIN + [p.read_text() for p in EXAMPLES])
def test_plain_documents_are_built_from_events_as_the_nodes_would_build_them(text: str) -> None:
    events = from_events(text, "f.yaml", YamlLoader)
    assert events is not None, "the event path gave way"
    assert summary(text, *events) == summary(text, *from_nodes(text, "f.yaml", YamlLoader))
    assert summary(text, *events) == summary(text, *from_nodes(text, "f.yaml", PureYamlLoader))


@pytest.mark.parametrize("text", REPORTED)
def test_a_value_that_cannot_be_read_is_reported_from_the_events_as_from_the_nodes(text: str) -> None:
    """A bad value anywhere (the end of a 5 MB manifest included) costs one pass of the parser, not two."""
    events = from_events(text, "f.yaml", YamlLoader)
    assert events is not None, "the event path gave way"
    assert events[1], "no problem reported"
    assert summary(text, *events) == summary(text, *from_nodes(text, "f.yaml", YamlLoader))
    assert summary(text, *events) == summary(text, *from_nodes(text, "f.yaml", PureYamlLoader))


@pytest.mark.parametrize("text", FALLBACK)
def test_what_the_events_do_not_handle_is_read_from_the_nodes(text: str) -> None:
    events = from_events(text, "f.yaml", YamlLoader)
    nodes = from_nodes(text, "f.yaml", YamlLoader)
    if events is not None:  # only a problem of the parser itself is reported from the events
        assert events[1] and events[1][0].message.startswith("invalid YAML")
        assert summary(text, *events) == summary(text, *nodes)
    assert summary(text, *load_yaml(text, "f.yaml")) == summary(text, *nodes)


def test_written_tells_a_value_from_a_missing_one() -> None:
    loaded, _ = load_yaml("a:\n  b: 1\n  c:\n", "f")
    assert loaded.written(("a", "b")) and loaded.written(("a", "c")) and loaded.written(())
    assert not loaded.written(("a", "d")) and not loaded.written(("a", "b", 0))
