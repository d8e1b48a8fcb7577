"""Reading Criteo request bodies the way the platform does: property names match case-insensitively,
unknown properties are ignored (and reported as warnings), enum values match case-insensitively with
the guide's older spellings as aliases, dates are ISO-8601, bid amounts keep 4 decimals."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from reconciler.sandbox.criteo.problems import Problem, Rejected, validation

ABSENT: Any = object()
"""Marker for a property that is not in the body at all (different from an explicit null)."""


class Obj:
    """A JSON object of a request body, read with case-insensitive property names."""

    def __init__(self, raw: Mapping[str, Any], pointer: str, unknown: list[str]) -> None:
        self.pointer = pointer
        self._values = {str(key).lower(): (str(key), value) for key, value in raw.items()}
        self._used: set[str] = set()
        self.unknown = unknown
        """Where the pointers of the properties nobody read go."""

    def has(self, name: str) -> bool:
        return name.lower() in self._values

    def get(self, name: str) -> Any:
        """The value of a property, `ABSENT` if the body does not have it."""
        key = name.lower()
        self._used.add(key)
        if key not in self._values:
            return ABSENT
        return self._values[key][1]

    def path(self, name: str) -> str:
        return f"{self.pointer}/{name}"

    def obj(self, name: str, code: str, required: bool = False) -> Obj | None:
        """A nested object; None when absent or null (an error instead when required)."""
        value = self.get(name)
        if value is ABSENT or value is None:
            if required:
                raise missing(code, self.path(name))
            return None
        if not isinstance(value, Mapping):
            raise Rejected(
                validation(code, "Invalid value", f"{self.path(name)} must be an object.", self.path(name))
            )
        return Obj(value, self.path(name), self.unknown)

    def finish(self) -> None:
        """Record the properties nobody read as unknown (Criteo ignores them)."""
        for key, (original, _value) in self._values.items():
            if key not in self._used:
                self.unknown.append(f"{self.pointer}/{original}")


def root(body: Any, unknown: list[str], pointer: str = "") -> Obj:
    if not isinstance(body, Mapping):
        raise Rejected(validation("invalid-body", "Invalid body", "The request body must be a JSON object."))
    return Obj(body, pointer, unknown)


def unknown_warnings(unknown: Iterable[str], instance: str | None = None) -> list[Problem]:
    return [
        Problem(
            "validation",
            "unknown-field",
            "Unknown field ignored",
            f"The field {name!r} is not part of this model and was ignored.",
            instance,
            {"pointer": name},
        )
        for name in unknown
    ]


def missing(code: str, pointer: str) -> Rejected:
    name = pointer.rsplit("/", 1)[-1]
    return Rejected(
        validation(code, "Missing required field", f"The field {name!r} ({pointer}) is required.", pointer)
    )


def item_id(entry: Obj, code: str) -> str:
    """The `id` of a write item (`{"id", "type", ...}`), required and non-empty; `type` is accepted."""
    value = entry.get("id")
    entry.get("type")
    if not isinstance(value, str | int) or isinstance(value, bool) or not str(value).strip():
        raise missing(code, entry.path("id"))
    return str(value)


def invalid(code: str, pointer: str, detail: str, title: str = "Invalid value") -> Rejected:
    return Rejected(validation(code, title, detail, pointer))


def present(value: Any) -> bool:
    return value is not ABSENT and value is not None


def string(obj: Obj, name: str, code: str, required: bool = False, non_empty: bool = False) -> str | None:
    value = obj.get(name)
    if not present(value):
        if required:
            raise missing(code, obj.path(name))
        return None
    if not isinstance(value, str):
        raise invalid(code, obj.path(name), f"{obj.path(name)} must be a string.")
    if non_empty and not value.strip():
        raise invalid(code, obj.path(name), f"{obj.path(name)} must not be empty.")
    return value


def enum_value(
    value: Any, allowed: Iterable[str], pointer: str, code: str, aliases: Mapping[str, str] | None = None
) -> str:
    """Match an enum value case-insensitively (and the older aliases); return the read-model spelling."""
    options = {item.lower(): item for item in allowed}
    for alias, target in (aliases or {}).items():
        options.setdefault(alias.lower(), target)
    if isinstance(value, str) and value.lower() in options:
        return options[value.lower()]
    shown = ", ".join(sorted(set(options.values())))
    raise invalid(code, pointer, f"{pointer} is {value!r}; expected one of: {shown}.")


def enum(
    obj: Obj,
    name: str,
    allowed: Iterable[str],
    code: str,
    required: bool = False,
    aliases: Mapping[str, str] | None = None,
) -> str | None:
    value = obj.get(name)
    if not present(value):
        if required:
            raise missing(code, obj.path(name))
        return None
    return enum_value(value, allowed, obj.path(name), code, aliases)


def enum_list(obj: Obj, name: str, allowed: Iterable[str], code: str) -> list[str] | None:
    value = obj.get(name)
    if not present(value):
        return None
    if not isinstance(value, list):
        raise invalid(code, obj.path(name), f"{obj.path(name)} must be a list.")
    allowed = list(allowed)
    return [enum_value(item, allowed, f"{obj.path(name)}/{i}", code) for i, item in enumerate(value)]


def number(value: Any, pointer: str, code: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise invalid(code, pointer, f"{pointer} must be a number.")
    return float(value)


INT32 = (-(2**31), 2**31 - 1)


def int32(value: Any, pointer: str, code: str) -> int:
    """An integer of the spec's `format: int32`."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise invalid(code, pointer, f"{pointer} must be an integer.")
    if not INT32[0] <= value <= INT32[1]:
        raise invalid(code, pointer, f"{pointer} is {value}, outside the int32 range of the specification.")
    return value


def round4(value: float) -> float:
    """Bid amounts keep at most 4 decimal digits."""
    return round(value + 0.0, 4)


def date_time(value: Any, pointer: str, code: str) -> str:
    """Parse an ISO-8601 date-time (or a date: midnight UTC); return it as `YYYY-MM-DDTHH:MM:SSZ` UTC."""
    if not isinstance(value, str) or not value.strip():
        raise invalid(code, pointer, f"{pointer} must be an ISO-8601 date-time string.")
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise invalid(code, pointer, f"{pointer} is {value!r}, not an ISO-8601 date-time.") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return format_time(parsed)


def format_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def timestamp(text: str) -> float:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC).timestamp()


def amount(obj: Obj, name: str, code: str, wrapped: bool) -> Any:
    """An amount, bare on a create (absent is null) or in a `{"value"}` wrapper on a patch (ABSENT: leave it
    unchanged): None or the value, to check with `number` once the object is read."""
    if wrapped:
        return wrapper(obj, name, code)
    value = obj.get(name)
    return None if value is ABSENT else value


def wrapper(obj: Obj, name: str, code: str) -> Any:
    """A patch value wrapped as `{"value": ...}`: ABSENT when the wrapper is absent or null (leave
    unchanged), else the inner value (None clears)."""
    inner = obj.obj(name, code)
    if inner is None:
        return ABSENT
    value = inner.get("value")
    inner.finish()
    return None if value is ABSENT else value


def id_list(obj: Obj, name: str, code: str, empty_is_absent: bool = False) -> list[str] | None:
    """An optional list of string ids (a filter). With `empty_is_absent`, an empty list is no filter, as the
    ad set and campaign searches say: "If no filter is provided (both arrays are null or empty), the search
    returns all" (spec, AdSetSearchFilterV26Q1 and CampaignSearchFiltersV23Q1)."""
    value = obj.get(name)
    if not present(value):
        return None
    if not isinstance(value, list) or not all(isinstance(item, str | int) for item in value):
        raise invalid(code, obj.path(name), f"{obj.path(name)} must be a list of string ids.")
    if not value and empty_is_absent:
        return None
    return [str(item) for item in value]
