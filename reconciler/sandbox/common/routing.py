"""Route tables of the emulators: each module that serves operations declares them above its handlers
(`@OPERATIONS.serves("POST", "/path")`), and an emulator's routes are its token endpoint, every operation of
its modules, and its own 404 for any other path and method."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, Generic, TypeVar

from starlette.routing import BaseRoute, Route

from reconciler.sandbox.common.endpoints import Endpoint

H = TypeVar("H", bound=Callable[..., Any])

ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


class Operations(Generic[H]):
    """The operations one module serves: (method, path, handler), in the order they are declared."""

    def __init__(self) -> None:
        self.served: list[tuple[str, str, H]] = []

    def serves(self, method: str, path: str) -> Callable[[H], H]:
        """Declare that the decorated handler serves `method path`."""

        def declare(handler: H) -> H:
            self.served.append((method, path, handler))
            return handler

        return declare


def served(*tables: Operations[H]) -> list[tuple[str, str, H]]:
    """Every operation of an emulator's modules."""
    return [operation for table in tables for operation in table.served]


def route_table(
    first: Sequence[BaseRoute],
    operations: Iterable[tuple[str, str, H]],
    route: Callable[[str, str, H], BaseRoute],
    not_found: Endpoint,
) -> list[BaseRoute]:
    """`first` (the token endpoints), a route per operation, then `not_found` for every other request."""
    return [
        *first,
        *(route(method, path, handler) for method, path, handler in operations),
        Route("/{rest:path}", not_found, methods=ALL_METHODS),
    ]
