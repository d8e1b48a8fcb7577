"""The field paths of a kind of resource, as `lifecycle.ignore_changes` names them: derived from the kind's
manifest model (nested models, `*` for the keys of a mapping or the items of a list of models), or listed
for a kind whose attributes are not one model's."""

from __future__ import annotations

import difflib
import types
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel

NOT_FIELDS = frozenset({"key", "lifecycle"})


@dataclass(frozen=True)
class KindFields:
    """The fields of one kind: `model`'s fields except `exclude` (those that are resources of their own,
    like a campaign's ad sets), or `paths` as listed."""

    model: type[BaseModel] | None = None
    exclude: frozenset[str] = frozenset()
    paths: tuple[str, ...] = ()

    def patterns(self) -> tuple[str, ...]:
        if self.model is None:
            return self.paths
        return _patterns(self.model, self.exclude | NOT_FIELDS)

    def problem(self, path: str) -> str | None:
        """Why `path` is not a field of this kind, with the fields it may have meant; None when it is."""
        parts = path.split(".")
        patterns = self.patterns()
        if any(_matches(parts, p.split(".")) for p in patterns):
            return _field_as_item(parts, patterns)
        same_name = [p for p in patterns if p.split(".")[-1] == parts[-1]]
        close = difflib.get_close_matches(path, patterns, n=3, cutoff=0.6)
        meant = list(dict.fromkeys([*same_name, *close]))[:3]
        if meant:
            return "did you mean " + " or ".join(f"`{m}`" for m in meant) + "?"
        top = [p for p in patterns if "." not in p] or list(patterns)
        return f"its fields: {', '.join(top)}"


def _field_as_item(parts: list[str], patterns: tuple[str, ...]) -> str | None:
    """A field name written where an item's name goes (`flights.budgetAmount`): what was meant."""
    for i in range(1, len(parts)):
        meant = ".".join([*parts[:i], "*", *parts[i:]])
        if parts[i] != "*" and meant in patterns:
            return (
                f"`{parts[i]}` stands for one item of `{'.'.join(parts[:i])}` there: did you mean `{meant}`?"
            )
    return None


def _matches(parts: list[str], pattern: list[str]) -> bool:
    return len(parts) == len(pattern) and all(p == q or q == "*" for p, q in zip(parts, pattern, strict=True))


@cache
def _patterns(model: type[BaseModel], exclude: frozenset[str]) -> tuple[str, ...]:
    return tuple(_walk(model, "", exclude))


def _walk(model: type[BaseModel], prefix: str, exclude: frozenset[str]) -> Iterator[str]:
    for name, info in model.model_fields.items():
        if name in exclude:
            continue
        here = prefix + name
        yield here
        inner, collection = _inner(info.annotation)
        if collection:
            if inner is not None or collection == "mapping":
                yield here + ".*"
            if inner is not None:
                yield from _walk(inner, here + ".*.", frozenset())
        elif inner is not None:
            yield from _walk(inner, here + ".", frozenset())


def _inner(annotation: Any) -> tuple[type[BaseModel] | None, str]:
    """(the model a field holds, '' | 'list' | 'mapping'): `X | None`, `list[X]`, `dict[str, X]`."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _inner(get_args(annotation)[0])
    if origin is Union or origin is types.UnionType:
        for arg in get_args(annotation):
            found = _inner(arg)
            if found != (None, ""):
                return found
        return None, ""
    if origin is list:
        return _model(get_args(annotation)[0]), "list"
    if origin is dict:
        return _model(get_args(annotation)[1]), "mapping"
    return _model(annotation), ""


def _model(annotation: Any) -> type[BaseModel] | None:
    origin = get_origin(annotation)
    if origin is Annotated:
        return _model(get_args(annotation)[0])
    if origin is Union or origin is types.UnionType:
        found = [m for m in (_model(a) for a in get_args(annotation)) if m is not None]
        return found[0] if found else None
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None
