"""Pure data shared by every layer: addresses, resources, changes, operations and a small DAG."""

from __future__ import annotations

from reconciler.model.address import Address
from reconciler.model.change import Action, Change, FieldChange
from reconciler.model.diagnostic import Diagnostic, Severity
from reconciler.model.operation import ItemResult, Operation
from reconciler.model.resource import KindSchema, LiveObject, Resource, SourceLocation

__all__ = [
    "Action",
    "Address",
    "Change",
    "Diagnostic",
    "FieldChange",
    "ItemResult",
    "KindSchema",
    "LiveObject",
    "Operation",
    "Resource",
    "Severity",
    "SourceLocation",
]
