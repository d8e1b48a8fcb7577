"""Reading request items the way the Amazon DSP API validates them: required fields, types, enums,
numbers, date-times, unknown and read-only fields. Every failure is an `ItemError` naming the field path.
Also the date-time format the sandbox answers with."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

from reconciler.sandbox.amazon_dsp.errors import ItemError, invalid, missing


def obj(value: Any, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise invalid(path, "must be a JSON object.")
    return value


def objects(value: Any, path: str) -> Iterator[tuple[dict[str, Any], str]]:
    """The items of an array of JSON objects, each with its path, one after the other."""
    if not isinstance(value, list):
        raise invalid(path, "must be an array.")
    for i, raw in enumerate(value):
        where = f"{path}[{i}]"
        yield obj(raw, where), where


def check_keys(
    item: Mapping[str, Any], path: str, allowed: Collection[str], read_only: Collection[str] = ()
) -> None:
    """Refuse read-only fields (`READ_ONLY_FIELD`) and fields the API does not know (`UNKNOWN_FIELD`)."""
    for key in item:
        if key in read_only:
            raise ItemError("READ_ONLY_FIELD", f"{path}.{key} is read-only and cannot be written.")
    unknown = sorted(key for key in item if key not in allowed)
    if unknown:
        raise ItemError("UNKNOWN_FIELD", f"{path}.{unknown[0]} is not a field of this object; remove it.")


def present(item: Mapping[str, Any], key: str) -> bool:
    return item.get(key) is not None


def _given(item: Mapping[str, Any], key: str, path: str, required: bool) -> Any:
    """The value of `key`: None when it is absent or null (refused when `required`)."""
    value = item.get(key)
    if value is None and required:
        raise missing(f"{path}.{key}")
    return value


def string(item: Mapping[str, Any], key: str, path: str, required: bool = False) -> str | None:
    value = _given(item, key, path, required)
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise invalid(f"{path}.{key}", "must be a non-empty string.")
    return value


def enum(
    item: Mapping[str, Any], key: str, path: str, values: Collection[str], required: bool = False
) -> str | None:
    value = _given(item, key, path, required)
    if value is None:
        return None
    if value not in values:
        raise ItemError(
            "INVALID_ENUM_VALUE",
            f"{path}.{key} {value!r} is not valid; use one of {', '.join(sorted(values))}.",
        )
    return str(value)


def number(
    item: Mapping[str, Any],
    key: str,
    path: str,
    required: bool = False,
    code: str = "INVALID_FIELD_VALUE",
) -> float | None:
    value = _given(item, key, path, required)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ItemError(code, f"{path}.{key} must be a number.")
    return float(value)


def integer(item: Mapping[str, Any], key: str, path: str, required: bool = False) -> int | None:
    value = _given(item, key, path, required)
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise invalid(f"{path}.{key}", "must be an integer.")
    return value


def boolean(item: Mapping[str, Any], key: str, path: str) -> bool | None:
    value = _given(item, key, path, False)
    if value is not None and not isinstance(value, bool):
        raise invalid(f"{path}.{key}", "must be true or false.")
    return value


def array(item: Mapping[str, Any], key: str, path: str, required: bool = False) -> list[Any] | None:
    value = _given(item, key, path, required)
    if value is not None and not isinstance(value, list):
        raise invalid(f"{path}.{key}", "must be an array.")
    return value


def parse_time(value: Any, path: str) -> datetime:
    """An ISO 8601 date-time with a zone (`2024-01-01T00:00:00Z`), as an aware datetime."""
    if not isinstance(value, str):
        raise invalid(path, "must be an ISO 8601 date-time string such as 2027-01-01T00:00:00Z.")
    try:
        parsed = datetime.fromisoformat(value.strip().replace("z", "Z"))
    except ValueError:
        raise invalid(path, f"{value!r} is not an ISO 8601 date-time such as 2027-01-01T00:00:00Z.") from None
    if parsed.tzinfo is None:
        raise invalid(path, f"{value!r} needs a time zone (end it with Z for UTC).")
    return parsed.astimezone(UTC)


def date_time(item: Mapping[str, Any], key: str, path: str, required: bool = False) -> str | None:
    """A date-time field, returned in the sandbox's answer format."""
    value = _given(item, key, path, required)
    return None if value is None else render_time(parse_time(value, f"{path}.{key}"))


def render_time(moment: datetime) -> str:
    """`2027-01-01T00:00:00Z`, with milliseconds only when there are some."""
    moment = moment.astimezone(UTC)
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if moment.microsecond:
        text += f".{moment.microsecond // 1000:03d}"
    return text + "Z"


def to_time(text: str) -> datetime:
    """A stored date-time back as a datetime."""
    return datetime.fromisoformat(text)


def at(now: float) -> datetime:
    return datetime.fromtimestamp(now, UTC)
