"""Pure data shared by every layer: addresses, resources, changes, operations and a small DAG."""

from __future__ import annotations

from reconciler.model.address import Address
from reconciler.model.change import Action, Cause, Change, FieldChange, LastFailure
from reconciler.model.diagnostic import Diagnostic, Severity
from reconciler.model.lifecycle import Lifecycle
from reconciler.model.money import Amount, MoneyChange, MoneyKind, money_changes
from reconciler.model.operation import ItemResult, Operation, Verb
from reconciler.model.resource import KindSchema, LiveObject, Move, Resource, SourceLocation
from reconciler.model.timeline import Span

__all__ = [
    "Action",
    "Address",
    "Amount",
    "Cause",
    "Change",
    "Diagnostic",
    "FieldChange",
    "ItemResult",
    "KindSchema",
    "LastFailure",
    "Lifecycle",
    "LiveObject",
    "MoneyChange",
    "MoneyKind",
    "Move",
    "Operation",
    "Resource",
    "Severity",
    "SourceLocation",
    "Span",
    "Verb",
    "money_changes",
]
