"""The located loader against hostile YAML, with libyaml and with the pure-Python fallback: every class the
fuzzing found (aliases, recursion, depth, control characters, bad tags, impossible dates, NaN, huge
integers) is one problem at its line and column, in bounded time."""

from __future__ import annotations

import time

import pytest
import yaml

from reconciler.manifest.yaml_builder import MAX_ALIAS_VALUES, MAX_DEPTH
from reconciler.manifest.yaml_loader import PureYamlLoader, YamlLoader, load_yaml

LOADERS = [pytest.param(YamlLoader, id="libyaml"), pytest.param(PureYamlLoader, id="pure-python")]


def test_libyaml_is_used_where_it_is_installed() -> None:
    assert yaml.__with_libyaml__ and issubclass(YamlLoader, yaml.CSafeLoader)


def one_problem(text: str, loader: type) -> tuple[int, int, str]:
    started = time.process_time()
    _, problems = load_yaml(text, "f.yaml", loader)
    assert time.process_time() - started < 2
    assert len(problems) >= 1, "no problem found"
    first = problems[0]
    assert first.file == "f.yaml"
    return first.line, first.column, first.message


def laughs(levels: int) -> str:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("loader", LOADERS)
def test_an_alias_bomb_stops_at_the_expansion_limit(loader: type) -> None:
    line, _, message = one_problem(laughs(9), loader)
    assert "aliases expand to more than" in message
    assert line <= 9


@pytest.mark.parametrize("loader", LOADERS)
def test_aliases_within_the_limits_still_work(loader: type) -> None:
    loaded, problems = load_yaml(laughs(4), "f.yaml", loader)  # 10,000 values
    assert problems == [] and len(loaded.data["a3"]) == 10 and MAX_ALIAS_VALUES >= 10_000


@pytest.mark.parametrize("loader", LOADERS)
@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("a: &x [1, *x]\n", 1, "recursive alias"),
        ("a:\n  b: &x\n    c: *x\n", 2, "recursive alias"),
        ("a: &m\n  k: 1\n  <<: *m\n", 1, "recursive merge"),
    ],
)
def test_recursive_aliases_are_refused(loader: type, text: str, line: int, words: str) -> None:
    found = one_problem(text, loader)
    assert found[0] >= line and words in found[2]


@pytest.mark.parametrize("loader", LOADERS)
def test_nesting_deeper_than_the_limit_is_refused(loader: type) -> None:
    flow = "a: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n"
    assert "nested more than" in one_problem(flow, loader)[2]
    very_deep = "a: " + "[" * 5000 + "]" * 5000 + "\n"
    assert "nested" in one_problem(very_deep, loader)[2]


@pytest.mark.parametrize("loader", LOADERS)
@pytest.mark.parametrize(
    ("text", "where", "words"),
    [
        ("a: 1\nb: x\x00y\n", (2, 5), "U+0000 (NUL) is not allowed"),
        ("a: \x1b[2J\n", (1, 4), "U+001B (ESC)"),
        ('a: 1\nb: "x\\0"\n', (2, 4), "U+0000 (NUL), which a manifest cannot carry"),
        ('b: "\\e[31m"\n', (1, 4), "U+001B (ESC), which a manifest cannot carry"),
    ],
)
def test_control_characters_are_located(loader: type, text: str, where: tuple[int, int], words: str) -> None:
    line, column, message = one_problem(text, loader)
    assert (line, column) == where and words in message


@pytest.mark.parametrize("loader", LOADERS)
@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("!!bool maybe", "'maybe' cannot be read as a bool"),
        ("!!int abc", "'abc' cannot be read as an int"),
        ("!!float x", "'x' cannot be read as a float"),
        ("!!timestamp garbage", "'garbage' is not a real calendar date"),
        ("!!binary aGk=", "unsupported tag `!!binary`"),
        ("!custom x", "unsupported tag `!custom`"),
        ("!!python/object/apply:os.system [ls]", "unsupported tag `!!python/object/apply:os.system`"),
        ("!!set {a, b}", "unsupported tag `!!set`"),
    ],
)
def test_explicit_tags_are_core_schema_tags_with_readable_values(
    loader: type, value: str, words: str
) -> None:
    line, column, message = one_problem(f"a: 1\nb: {value}\n", loader)
    assert (line, column) == (2, 4) and words in message


@pytest.mark.parametrize("loader", LOADERS)
@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("2027-02-30", "day is out of range for month"),
        ("2027-06-01T25:00:00Z", "hour must be in 0..23"),
        ("2027-13-01", "month must be in 1..12"),
    ],
)
def test_impossible_dates_are_located(loader: type, value: str, words: str) -> None:
    line, column, message = one_problem(f"a:\n  start: {value}\n", loader)
    assert (line, column) == (2, 10)
    assert "is not a real calendar date and time" in message and words in message


@pytest.mark.parametrize("loader", LOADERS)
@pytest.mark.parametrize("value", [".nan", ".NaN", ".inf", "-.inf", "+.INF", "1e999"])
def test_nan_and_infinity_are_refused(loader: type, value: str) -> None:
    assert "NaN and infinity are refused" in one_problem(f"bid: {value}\n", loader)[2]


@pytest.mark.parametrize("loader", LOADERS)
def test_integers_beyond_64_bits_are_refused(loader: type) -> None:
    assert "64 bits" in one_problem("a: 9223372036854775808\n", loader)[2]
    assert "64 bits" in one_problem("a: -9223372036854775809\n", loader)[2]
    assert "cannot be read as an int" in one_problem("a: !!int " + "9" * 5000 + "\n", loader)[2]
    loaded, problems = load_yaml("a: 9223372036854775807\n", "f", loader)
    assert problems == [] and loaded.data["a"] == 2**63 - 1


def test_a_large_document_loads_in_linear_time() -> None:
    """Composing with libyaml and no garbage collector walks: 20,000 entries well under a second."""
    text = "items:\n" + "".join(
        f"  - {{key: k{i}, name: Item {i}, bid: 0.5, on: true}}\n" for i in range(20_000)
    )
    started = time.process_time()
    loaded, problems = load_yaml(text, "f.yaml")
    assert problems == [] and len(loaded.data["items"]) == 20_000
    assert time.process_time() - started < 2
    assert loaded.position(("items", 19_999, "bid"), prefer_key=True).line == 20_001


@pytest.mark.parametrize("loader", LOADERS)
def test_aliases_are_found_wherever_the_anchor_is_written(loader: type) -> None:
    """After a byte order mark, in flow style, after a tag: the bookkeeping never misses an alias."""
    assert "recursive alias" in one_problem("\ufeffa: &a [*a]\n", loader)[2]
    assert "recursive alias" in one_problem("{a: &a [*a]}\n", loader)[2]
    assert "recursive alias" in one_problem("a: !!seq &a [*a]\n", loader)[2]
    bomb = "\ufeff" + laughs(9)
    assert "aliases expand" in one_problem(bomb, loader)[2]
