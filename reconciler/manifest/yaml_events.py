"""libyaml's event stream → plain data and the position of every key and value, without a node tree.

The fast path for what nearly every manifest is: no anchors or aliases, one document, nothing a manifest
can never mean. Values are built as the parser reports them, with the same scalar rules as `yaml_builder`
(whose `Builder` reads the few scalars that are not plain text, and reports a value it cannot read — NaN,
a number beyond 64 bits, an impossible date, a forbidden character — at its path, as it would from the node
tree). Anything else gives up (`None`): an anchor, an alias, a merge key, a second document, a duplicate
key, a key that is not plain text, a tag that is not plain, nesting deeper than `MAX_DEPTH`. The document
is then composed into a node tree and built by `Builder`, which reports each of those as it always has.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from yaml.events import (
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import ScalarNode

from reconciler.manifest.yaml_builder import (
    BAD_CHARACTER,
    CORE,
    INT64,
    MAP,
    MAX_DEPTH,
    MERGE,
    SEQ,
    STR,
    Builder,
    Entry,
    YamlInt,
)

Resolvers = dict[str | None, list[tuple[str, re.Pattern[str]]]]
UNREAD: Any = object()
"""Stands for a value not read here: the builder reads it, or reports why it cannot be read (a number out
of range, NaN, infinity, an impossible date)."""


def _int(text: str) -> Any:
    number = int(text)  # what PyYAML reads from a decimal the core schema's int pattern matched
    return YamlInt(number, text) if INT64[0] <= number <= INT64[1] else UNREAD


def _float(text: str) -> Any:
    try:
        number = float(text)  # likewise for its float pattern, but for `.inf` and `.nan`
    except ValueError:
        return UNREAD
    return number if math.isfinite(number) else UNREAD


_PLAIN: dict[str, Callable[[str], Any]] = {
    CORE + "int": _int,
    CORE + "float": _float,
    CORE + "bool": lambda text: text.lower() == "true",
    CORE + "null": lambda text: None,
}
"""How the scalars the implicit resolvers typed are read, as PyYAML's safe constructor reads them (dates
are left to it)."""


def _typed(text: str, mark: Any, resolvers: Resolvers, builder: Builder, typed: dict[str, Any]) -> Any:
    """The tag the implicit resolvers give a plain scalar and its value (or UNREAD), remembered in `typed`:
    dates and numbers repeat."""
    tag, value = STR, text
    for resolved, pattern in resolvers[text[:1]]:
        if pattern.match(text):
            tag = resolved
            read = _PLAIN.get(tag)
            if read is not None:
                value = read(text)
            else:
                reported = len(builder.errors)
                value = builder.scalar(ScalarNode(tag, text, mark, None), ())
                if len(builder.errors) > reported:  # reported where it is used, at its path
                    del builder.errors[reported:]
                    value = UNREAD
            break
    typed[text] = tag, value
    return tag, value


def build_events(parser: Any, builder: Builder, resolvers: Resolvers) -> tuple[Any, Entry | None] | None:
    """The document's data and its `Entry`, or None when the event stream holds anything but plain, valid
    values (see the module's docstring).

    `parser` is a fresh libyaml parser, `builder` reads the scalars that are not plain text, `resolvers`
    are the implicit resolvers by first character."""
    get = parser.get_event
    get()  # the stream's start
    if type(get()) is StreamEndEvent:  # else the document's start
        return None, None
    stack: list[tuple[Any, Any, bool, Any, Any]] = []
    path: list[Any] = []  # where `container` is in the document (keys and indexes)
    container: Any = None  # the mapping or list being filled (None: the document's own node comes next)
    marks: Any = None  # the entries of its items
    mapping = False  # whether `container` is a mapping
    key: Any = None  # in a mapping: the key whose value comes next, else None (a key comes next)
    key_mark: Any = None
    root: tuple[Any, Entry | None] = (None, None)
    typed: dict[str, tuple[str, Any]] = {}  # plain scalars the resolvers may type: their tag and value
    while True:
        event = get()
        kind = type(event)
        if kind is ScalarEvent:
            if event.anchor is not None:
                return None
            value = event.value
            tag = event.tag
            built: Any = value
            if tag is None or tag == "!":
                tag = STR
                if event.implicit[0] and value[:1] in resolvers:
                    known = typed.get(value) or _typed(value, event.start_mark, resolvers, builder, typed)
                    tag, built = known
            elif tag != STR:
                built = UNREAD
            if mapping and key is None:
                if tag != STR:
                    if tag == MERGE:
                        return None
                    reported = len(builder.errors)
                    value = builder.key(ScalarNode(tag, value, event.start_mark, None), ())
                    if len(builder.errors) > reported or value is None:
                        return None
                if value in container:
                    return None
                key, key_mark = value, event.start_mark
                continue
            if built is UNREAD or (
                tag == STR and not value.isprintable() and BAD_CHARACTER.search(value) is not None
            ):  # the builder reads it, or reports why it cannot, at its path
                here = (*path, key if mapping else len(container)) if container is not None else ()
                built = builder.scalar(ScalarNode(tag, value, event.start_mark, None), here)
            value = built
            if mapping:
                container[key] = value
                marks[key] = (key_mark, event.start_mark, None)
                key = None
            elif container is not None:
                container.append(value)
                marks.append((None, event.start_mark, None))
            else:
                root = value, (None, event.start_mark, None)
                break
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            if event.anchor is not None or len(stack) >= MAX_DEPTH:
                return None
            is_mapping = kind is MappingStartEvent
            tag = event.tag
            if tag is not None and tag != "!" and tag != (MAP if is_mapping else SEQ):
                return None
            new: Any = {} if is_mapping else []
            inner: Any = {} if is_mapping else []
            if mapping:
                if key is None:  # a mapping or list as a key
                    return None
                container[key] = new
                marks[key] = (key_mark, event.start_mark, inner)
                path.append(key)
            elif container is not None:
                container.append(new)
                marks.append((None, event.start_mark, inner))
                path.append(len(container) - 1)
            else:
                root = new, (None, event.start_mark, inner)
            stack.append((container, marks, mapping, key, key_mark))
            container, marks, mapping, key = new, inner, is_mapping, None
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            container, marks, mapping, key, key_mark = stack.pop()
            key = None
            if not stack:
                break
            path.pop()
        else:  # an alias
            return None
    get()  # the document's end
    if type(get()) is not StreamEndEvent:  # a second document
        return None
    return root
