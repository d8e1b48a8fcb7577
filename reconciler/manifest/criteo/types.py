"""Field types of the Criteo manifest that follow the 2027-01 specification's formats and nullability:
`int32` integers, finite `double` numbers, fields that may be left out but not written null, and sets of
values (a value listed twice counts once; a null delivery limitation is none)."""

from __future__ import annotations

from typing import Annotated, Any, TypeVar, get_args

from pydantic import AfterValidator, BeforeValidator, Field, GetCoreSchemaHandler, WithJsonSchema
from pydantic_core import PydanticCustomError, core_schema

T = TypeVar("T")

INT32 = (-(2**31), 2**31 - 1)


def _int32(value: int) -> int:
    if not INT32[0] <= value <= INT32[1]:
        raise PydanticCustomError(
            "int32",
            "{value} is outside the int32 range of Criteo's specification ({low} to {high})",
            {"value": value, "low": INT32[0], "high": INT32[1]},
        )
    return value


Int32 = Annotated[
    int,
    Field(strict=True),
    AfterValidator(_int32),
    WithJsonSchema({"type": "integer", "format": "int32", "minimum": INT32[0], "maximum": INT32[1]}),
]
"""An integer of the specification's `format: int32`."""
Double = Annotated[float, Field(strict=True), WithJsonSchema({"type": "number", "format": "double"})]
"""A number of the specification's `format: double` (the loader already refuses NaN and infinity)."""


def _as_set(values: list[Any]) -> list[Any]:
    """A list of values is a set: a value listed twice counts once (Criteo refuses no duplicate); the
    canonical order is sorted."""
    return sorted(set(values), key=str)


def _no_limitation(value: Any) -> Any:
    """A delivery limitation of null is no limitation, as an empty list is (AdSetDeliveryLimitationsV26Q1:
    "No limitation if the list is empty")."""
    return [] if value is None else value


def _present(value: Any) -> Any:
    if value is None:
        raise PydanticCustomError(
            "not_nullable",
            "null is not allowed here (the specification's create model does not take it): leave the field "
            "out instead",
        )
    return value


class NotNull:
    """Marks `X | None` as "may be left out, may not be null": the field validates (and describes itself in
    JSON Schema) as `X`, an explicit null is an error, and leaving it out leaves it unset."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        (inner,) = [arg for arg in get_args(source) if arg is not type(None)]
        return core_schema.no_info_before_validator_function(_present, handler.generate_schema(inner))


Omittable = Annotated[T | None, NotNull()]
"""A field that may be left out but not written as null (Criteo would read back another value than null,
so the plan could never reach it)."""

CodeSet = Annotated[list[T], AfterValidator(_as_set)]
LimitationSet = Annotated[CodeSet[T] | None, BeforeValidator(_no_limitation)]
"""A delivery limitation: a set of values, null read as the empty list."""
