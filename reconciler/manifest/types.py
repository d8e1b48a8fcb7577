"""Field types shared by every platform's manifest models: enums, date-times, ids, keys, sets of values.

Each type validates and normalises to the canonical form (docs/<platform>-resources.md) and describes
itself in JSON Schema so editors can help.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, time
from typing import Annotated, Any, TypeVar, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    WithJsonSchema,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

from reconciler.model import Address


def _title(name: str, *_: object) -> str:
    """`bidAmount` → `Bid amount`, `client_id` → `Client id`."""
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).replace("_", " ").split()
    text = " ".join(words).lower()
    return text[:1].upper() + text[1:]


class Strict(BaseModel):
    """Base of every manifest and project model: unknown fields are errors, titles are readable."""

    model_config = ConfigDict(
        extra="forbid",
        defer_build=True,
        field_title_generator=_title,
        model_title_generator=lambda cls: _title(cls.__name__),
    )


class Moved(Strict):
    """A rename: the object state knows at `from` is the one the manifests now declare at `to`; the plan
    moves it in state instead of retiring it and creating a new one."""

    model_config = ConfigDict(populate_by_name=True)

    source: str = Field(
        alias="from", description="The old address, platform.kind.key (e.g. a renamed campaign key)."
    )
    to: str = Field(description="The new address, declared by a manifest.")


class ManifestFile(Strict):
    """What every platform's manifest file may hold besides its own entries."""

    moved: list[Moved] = Field(
        default_factory=list,
        description="Renames of addresses since the last apply; keep them until every state has applied.",
    )


class CaseInsensitive:
    """Marks a `Literal[...]` enum as accepting any letter case and some old spellings.

    `Annotated[Literal["display", "video"], CaseInsensitive()]` accepts `Display` and `VIDEO` and
    gives `display` / `video`. `aliases` maps old spellings to canonical ones (`{"CPC": "maxCPC"}`).
    The JSON Schema enum lists the canonical values, then their capitalised and old spellings.
    """

    def __init__(self, aliases: Mapping[str, str] | None = None) -> None:
        self.aliases = dict(aliases or {})

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        values = [v for v in get_args(source) if isinstance(v, str)]
        lookup = {v.lower(): v for v in values}
        lookup.update({k.lower(): v for k, v in self.aliases.items()})

        def normalise(value: Any) -> Any:
            if isinstance(value, str):
                return lookup.get(value.strip().lower(), value)
            return value

        return core_schema.no_info_before_validator_function(normalise, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        result = handler(schema)
        values = list(result.get("enum", []))
        if "const" in result:
            values = [result.pop("const")]
        extra = [v[:1].upper() + v[1:] for v in values if isinstance(v, str)] + list(self.aliases)
        result["enum"] = list(dict.fromkeys([*values, *extra]))
        result["type"] = "string"
        note = "Any letter case is accepted; the canonical spelling is one of: " + ", ".join(
            str(v) for v in values
        )
        result["description"] = (
            f"{result['description']} {note}." if result.get("description") else note + "."
        )
        return result


def describe(value: Any) -> str:
    """A short, user-facing rendering of a YAML value for 'got ...' messages."""
    if value is None:
        return "null (an empty value)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        # long text is cut: a value pasted by mistake (a key, a whole file) is not echoed in full
        return repr(value) if len(value) <= 80 else f"{value[:40]!r}… ({len(value):,} characters)"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, datetime | date):
        return f"the date {value.isoformat()}"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    return repr(value)


# ---- date-times ------------------------------------------------------------------------------

_DATE_PATTERN = (
    r"^\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}(?::?\d{2})?)?)?$"
)


def to_utc_string(value: Any) -> str:
    """Any accepted date-time (ISO text, `Z`, offsets, a bare date, datetime/date objects)
    → `YYYY-MM-DDTHH:MM:SSZ` in UTC."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time(0, 0))
    elif isinstance(value, str) and re.match(_DATE_PATTERN, value.strip()):
        text = value.strip()
        if text[-1:] in "zZ":
            text = text[:-1] + "+00:00"
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise PydanticCustomError(
                "datetime_invalid", "{value} is not a real date-time", {"value": describe(value)}
            ) from None
    else:
        raise PydanticCustomError(
            "datetime_type",
            "expected a date-time such as 2027-06-01T00:00:00Z or a date such as 2027-06-01, got {value}",
            {"value": describe(value)},
        )
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


DateTime = Annotated[
    str,
    BeforeValidator(to_utc_string),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": _DATE_PATTERN,
            "description": "ISO 8601 date-time (`2027-06-01T00:00:00Z`, with `Z` or an offset) or a date "
            "(`2027-06-01`, midnight UTC). Normalised to UTC.",
        }
    ),
]


# ---- identifiers and keys --------------------------------------------------------------------


def _id_text(value: Any) -> Any:
    """Ids may be written as numbers: keep the digits exactly as written."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return getattr(value, "source", str(value))
    if isinstance(value, str):
        return value.strip()
    return value


def _non_empty(value: str) -> str:
    if not value:
        raise PydanticCustomError("empty_id", "an id cannot be empty")
    return value


def _digits(value: str) -> str:
    if not value.isdigit():
        raise PydanticCustomError(
            "id_not_integer", "expected a string-encoded integer id, got {value}", {"value": describe(value)}
        )
    return value


IdStr = Annotated[
    str,
    BeforeValidator(_id_text),
    AfterValidator(_non_empty),
    WithJsonSchema({"type": ["string", "integer"], "minLength": 1}),
]
IntegerId = Annotated[
    str,
    BeforeValidator(_id_text),
    AfterValidator(_digits),
    WithJsonSchema({"type": ["string", "integer"], "pattern": r"^[0-9]+$", "minimum": 0}),
]
# A value in a targeting rule (country, subdivision, zip code): a number-like zip code keeps its text.
Code = Annotated[
    str,
    BeforeValidator(_id_text),
    AfterValidator(_non_empty),
    WithJsonSchema({"type": ["string", "integer"]}),
]


def _upper(value: Any) -> Any:
    return value.strip().upper() if isinstance(value, str) else value


UPPER = BeforeValidator(_upper)
"""Text written in any letter case, read in upper case (`fr-75` → `FR-75`)."""


def _valid_key(value: str) -> str:
    if not Address.valid_key(value):
        raise PydanticCustomError(
            "invalid_key",
            "invalid key {value}: use letters, digits, `-`, `_`, `.` and `:`, "
            "starting with a letter or digit",
            {"value": describe(value)},
        )
    return value


Key = Annotated[
    str,
    BeforeValidator(_id_text),
    AfterValidator(_valid_key),
    Field(
        description="Stable key of this entry, part of its address (letters, digits, `-`, `_`, `.`, `:`). "
        "Renaming a key creates a new object and retires the old one.",
        json_schema_extra={"pattern": r"^[A-Za-z0-9][A-Za-z0-9_.:\-]*$"},
    ),
]

# ---- sets of values ---------------------------------------------------------------------------

T = TypeVar("T")


def _as_set(values: list[Any]) -> list[Any]:
    """A list of values is a set: duplicates are errors; the canonical order is sorted."""
    seen: set[Any] = set()
    duplicates: list[Any] = []
    for value in values:
        if value in seen and value not in duplicates:
            duplicates.append(value)
        seen.add(value)
    if duplicates:
        raise PydanticCustomError(
            "duplicate_values",
            "duplicate value(s) in a set: {duplicates}",
            {"duplicates": ", ".join(str(d) for d in duplicates)},
        )
    return sorted(values, key=str)


ValueSet = Annotated[list[T], AfterValidator(_as_set), Field(json_schema_extra={"uniqueItems": True})]

Number = Annotated[float, Field(strict=True)]
Integer = Annotated[int, Field(strict=True)]


def _on_off(value: Any) -> Any:
    """`true`/`false` are read as on/off for an activation switch."""
    if value is True:
        return "on"
    if value is False:
        return "off"
    return value


OnOffBool: Callable[[Any], Any] = _on_off
