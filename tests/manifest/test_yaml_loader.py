"""The located YAML loader: positions, duplicate keys, parser errors, YAML 1.2 scalars, anchors."""

from __future__ import annotations

from reconciler.manifest.yaml_loader import Position, load_yaml


def test_positions_of_keys_and_values() -> None:
    loaded, errors = load_yaml("a:\n  b: [1, 2]\n  c: {d: x}\n", "f.yaml")
    assert errors == []
    assert loaded.data == {"a": {"b": [1, 2], "c": {"d": "x"}}}
    assert loaded.position(("a", "b"), prefer_key=True) == Position(2, 3)
    assert loaded.position(("a", "b")) == Position(2, 6)
    assert loaded.position(("a", "b", 1)) == Position(2, 10)
    assert loaded.position(("a", "c", "d"), prefer_key=True) == Position(3, 7)
    # unknown paths fall back to the nearest ancestor
    assert loaded.position(("a", "c", "zzz")) == Position(3, 6)


def test_duplicate_keys_name_both_lines() -> None:
    loaded, errors = load_yaml("a: 1\nb: 2\na: 3\n", "f.yaml")
    assert len(errors) == 1
    d = errors[0]
    assert (d.file, d.line, d.column, d.field) == ("f.yaml", 3, 1, "a")
    assert "duplicate key `a`" in d.message and "line 1" in d.message and "line 3" in d.message
    assert loaded.data == {"a": 1, "b": 2}


def test_parser_errors_are_located() -> None:
    loaded, errors = load_yaml("a: 1\nb: 'open\n", "f.yaml")
    assert loaded.data is None
    assert len(errors) == 1 and errors[0].message.startswith("invalid YAML") and errors[0].line >= 2


def test_several_documents_are_an_error() -> None:
    _, errors = load_yaml("a: 1\n---\nb: 2\n", "f.yaml")
    assert errors and "several YAML documents" in errors[0].message and errors[0].line == 2


def test_empty_document() -> None:
    loaded, errors = load_yaml("# only a comment\n", "f.yaml")
    assert (loaded.data, errors) == (None, [])


def test_yaml_12_core_scalars() -> None:
    loaded, _ = load_yaml("a: [on, off, yes, no, NO, true, False, 0123, 12, 1.5, 1e3, ~, 0x1F, 1:30]\n", "f")
    assert loaded.data["a"] == [
        "on",
        "off",
        "yes",
        "no",
        "NO",
        True,
        False,
        "0123",
        12,
        1.5,
        1000.0,
        None,
        "0x1F",
        "1:30",
    ]


def test_anchors_and_merge_keys() -> None:
    text = "base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  y: 3\n"
    loaded, errors = load_yaml(text, "f")
    assert errors == []
    assert loaded.data["other"] == {"x": 1, "y": 3}
