"""Pydantic validation errors → Diagnostics located in the YAML file, with a message and a hint."""

from __future__ import annotations

import difflib
import types
from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from reconciler.manifest.types import describe
from reconciler.manifest.yaml_loader import LoadedYaml, PathKey
from reconciler.model import Diagnostic

_HINTS = {
    "string_type": "write text here; quote it if it looks like a number or a date",
    "string_too_short": "write a non-empty value",
    "int_type": "write a whole number without quotes",
    "int_parsing": "write a whole number without quotes",
    "int_from_float": "write a whole number without quotes",
    "float_type": "write a number without quotes, e.g. 0.12",
    "float_parsing": "write a number without quotes, e.g. 0.12",
    "bool_type": "write true or false",
    "bool_parsing": "write true or false",
    "greater_than": "write a larger number",
    "list_type": "write a list: `[a, b]` or one `- value` line per item",
    "dict_type": "write `field: value` lines indented under it",
    "model_type": "write `field: value` lines indented under it",
    "model_attributes_type": "write `field: value` lines indented under it",
    "datetime_type": "write a date-time such as 2027-06-01T00:00:00Z or a date such as 2027-06-01",
    "datetime_invalid": "write a real calendar date and time",
    "duplicate_values": "this list is a set: remove the repeated values",
    "invalid_key": "rename the key, e.g. `summer-sale-fr`",
    "id_not_integer": 'write the numeric id, e.g. "12345"',
    "empty_id": "write the id",
    "env_var_name": "write the name of an environment variable, e.g. ADS_CLIENT_ID",
    "endpoint": "write `sandbox` or the API's https:// base URL",
    "credentials_unknown": "remove the unknown entries",
    "credentials_missing": "name an environment variable for each credential",
    "credentials_required": (
        "add `credentials: {client_id: ENV_NAME, client_secret: ENV_NAME}` or use `endpoint: sandbox`"
    ),
}


# Fields whose values may be secrets pasted by mistake: errors there name the kind of value, never the value.
SECRET_FIELDS = frozenset({"credentials", "dsn"})


def describe_kind(value: Any) -> str:
    """The kind of a value without the value itself (for fields that may hold a secret)."""
    if isinstance(value, str):
        return "a text value"
    if isinstance(value, bool) or value is None:
        return describe(value)
    if isinstance(value, int | float):
        return "a number"
    return describe(value) if isinstance(value, Mapping | list | tuple) else "a value"


def _unwrap(tp: Any) -> Any:
    while get_origin(tp) is Annotated:
        tp = get_args(tp)[0]
    if get_origin(tp) in (Union, types.UnionType):
        members = [a for a in get_args(tp) if a is not type(None)]
        if len(members) == 1:
            return _unwrap(members[0])
    return tp


def _step(tp: Any, elem: str | int, tags: Mapping[str, type[BaseModel]]) -> Any:
    """The type found one location step below `tp`, or None when unknown."""
    tp = _unwrap(tp)
    if isinstance(elem, str) and elem in tags and get_origin(tp) in (Union, types.UnionType):
        return tags[elem]
    if isinstance(elem, int) and get_origin(tp) is list:
        return get_args(tp)[0]
    if isinstance(elem, str) and isinstance(tp, type) and issubclass(tp, BaseModel):
        field = tp.model_fields.get(elem)
        if field is None:
            return None
        return field.annotation
    return None


def _literal_values(tp: Any) -> list[str]:
    tp = _unwrap(tp)
    if get_origin(tp) is list:
        tp = _unwrap(get_args(tp)[0])
    if get_origin(tp) is Literal:
        return [str(v) for v in get_args(tp)]
    return []


def _close(word: str, candidates: Sequence[str]) -> str | None:
    by_lower = {c.lower(): c for c in candidates}
    found = difflib.get_close_matches(word.lower(), list(by_lower), n=1, cutoff=0.6)
    return by_lower[found[0]] if found else None


def _strip_tags(loc: Sequence[str | int], data: Any, tags: Mapping[str, type[BaseModel]]) -> PathKey:
    """The error location as a data path: discriminator tags are dropped."""
    path: list[str | int] = []
    cursor = data
    for elem in loc:
        if isinstance(elem, str) and elem in tags and not (isinstance(cursor, Mapping) and elem in cursor):
            continue
        path.append(elem)
        if isinstance(cursor, Mapping):
            cursor = cursor.get(elem)
        elif isinstance(cursor, list) and isinstance(elem, int) and 0 <= elem < len(cursor):
            cursor = cursor[elem]
        else:
            cursor = None
    return tuple(path)


def from_validation_error(
    error: ValidationError,
    loaded: LoadedYaml,
    file: str,
    model: type[BaseModel],
    tags: Mapping[str, type[BaseModel]] | None = None,
    notes: Mapping[type[BaseModel], str] | None = None,
    prefix: PathKey = (),
) -> list[Diagnostic]:
    """One Diagnostic per pydantic error, at the YAML position of the field (or of its parent mapping)."""
    tags = tags or {}
    notes = notes or {}
    found: list[Diagnostic] = []
    for err in error.errors(include_url=False):
        loc = tuple(err["loc"])
        # the type at the error location and at its parent
        parent_type: Any = model
        current: Any = model
        for elem in loc:
            parent_type, current = current, _step(current, elem, tags) if current is not None else None
        path = (*prefix, *_strip_tags(loc, loaded.data if not prefix else _get(loaded.data, prefix), tags))
        name = str(path[-1]) if path else ""
        kind = err["type"]
        value = err.get("input")
        show = describe_kind if SECRET_FIELDS.intersection(str(p) for p in path) else describe
        hint = _HINTS.get(kind, "")
        message = str(err["msg"])
        at = loaded.position(path)
        if kind == "extra_forbidden":
            at = loaded.position(path, prefer_key=True)
            message = f"unknown field `{name}`"
            allowed = list(parent_type.model_fields) if _is_model(parent_type) else []
            close = _close(name, allowed)
            if close:
                message += f"; did you mean `{close}`?"
            hint = f"allowed fields: {', '.join(allowed)}" if allowed else "remove this field"
            note = notes.get(parent_type) if _is_model(parent_type) else None
            if note:
                hint = f"{note}; {hint}"
        elif kind == "missing":
            at = loaded.position(path[:-1])
            message = f"required field `{name}` is missing"
            description = ""
            if _is_model(parent_type) and name in parent_type.model_fields:
                description = parent_type.model_fields[name].description or ""
            hint = f"add `{name}`" + (f": {description.rstrip('.')}" if description else "")
        elif kind == "literal_error":
            allowed = _literal_values(current) or [
                v.strip("' ") for v in str(err.get("ctx", {}).get("expected", "")).split(",")
            ]
            message = f"{show(value)} is not an allowed value"
            close = _close(str(value), allowed) if isinstance(value, str) else None
            if close:
                message += f"; did you mean `{close}`?"
            hint = f"use one of: {', '.join(allowed)}"
        elif kind in ("string_type",):
            message = f"expected a string, got {show(value)}"
        elif kind in ("int_type", "int_parsing", "int_from_float"):
            message = f"expected a whole number, got {show(value)}"
        elif kind in ("float_type", "float_parsing"):
            message = f"expected a number, got {show(value)}"
        elif kind in ("bool_type", "bool_parsing"):
            message = f"expected true or false, got {show(value)}"
        elif kind in ("dict_type", "model_type", "model_attributes_type"):
            message = f"expected a mapping of fields, got {show(value)}"
            if _is_model(current):
                hint = f"{hint}; fields: {', '.join(current.model_fields)}"
        elif kind == "list_type":
            message = f"expected a list, got {show(value)}"
        elif kind == "greater_than":
            message = f"must be greater than {err.get('ctx', {}).get('gt')}, got {show(value)}"
        elif kind == "string_too_short":
            message = "must not be empty"
        found.append(
            Diagnostic(
                message=message,
                file=file,
                line=at.line,
                column=at.column,
                field=".".join(str(p) for p in path),
                hint=hint or "fix this value",
            )
        )
    return found


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _get(data: Any, path: PathKey) -> Any:
    for elem in path:
        if isinstance(data, Mapping):
            data = data.get(elem)
        elif isinstance(data, list) and isinstance(elem, int) and 0 <= elem < len(data):
            data = data[elem]
        else:
            return None
    return data
