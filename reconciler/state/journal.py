"""The local backend's journal: an append-only JSON-lines file beside the state file.

Its first line names the state it follows (lineage, project, serial); every further line is one batch of
records with the serial it makes, written before `record` returns. Writing a batch therefore costs what the
batch holds, not the size of the state; the result of a journalled create (its entry made from the create
under way, which it removes) is written as one `created` item holding the id alone: the journal or the
state file holds the rest already. A batch that journals creates under way (`pending`) is fsynced before
the platform call it precedes, and with it every batch before it; other batches reach the disk with the
next fsync (a killed process loses nothing; a power cut can lose the latest results, which the journalled
creates and the next plan recover). The backend folds the journal into the state file (`compact`) at the
end of an apply, or at the next locked read after a crash; until then every read replays it, so a killed
apply loses no step it recorded.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

import pydantic_core

from reconciler.errors import StateError
from reconciler.state.model import PendingCreate, Record, State, StateEntry

_FIX = "restore the state directory from a backup, or remove the journal to fall back to the state file"


class Journal:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: IO[bytes] | None = None

    @property
    def open(self) -> bool:
        """Whether this process is writing the journal (a session under way)."""
        return self._handle is not None

    def append(self, state: State, records: Sequence[Record], sync: bool) -> None:
        """Write one batch that takes the stored `state` to `state.serial + 1`, flushed to the system (a
        killed process loses nothing) and, with `sync`, fsynced (a power cut loses nothing either). The
        first batch of a session starts a new journal after the state file."""
        if self._handle is None:
            handle = self.path.open("xb")
            header = {"lineage": state.lineage, "project": state.project, "base": state.serial}
            handle.write(pydantic_core.to_json(header) + b"\n")
            self._handle = handle
            sync_directory(self.path.parent)
        batch = {"serial": state.serial + 1, "records": _encoded(state, records)}
        self._handle.write(pydantic_core.to_json(batch) + b"\n")
        self._handle.flush()
        if sync:
            os.fsync(self._handle.fileno())

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def remove(self) -> None:
        self.close()
        self.path.unlink(missing_ok=True)

    def replay(self, state: State) -> bool:
        """Carry the batches that follow `state` out on it, in place; False when the journal holds nothing
        newer (it was folded into the state file already, or a crash left it empty)."""
        try:
            lines = self.path.read_text(encoding="utf-8").split("\n")
        except OSError as exc:
            raise StateError(f"cannot read the state journal {self.path}: {exc.strerror}") from None
        complete = lines[:-1]  # a last line without its newline was never acknowledged: not replayed
        if not complete:
            return False
        header = self._line(complete[0], 1)
        base = header.get("base")
        batches = [self._line(text, number) for number, text in enumerate(complete[1:], start=2)]
        last = batches[-1]["serial"] if batches else base
        if state.lineage and header.get("lineage") != state.lineage:
            raise StateError(f"the state journal {self.path} belongs to another state (lineage)", hint=_FIX)
        if state.serial == last:
            return False
        if state.serial != base:
            raise StateError(
                f"the state journal {self.path} follows serial {base}, "
                f"but the state file is at serial {state.serial}",
                hint=_FIX,
            )
        for batch in batches:
            if batch.get("serial") != state.serial + 1:
                raise StateError(
                    f"the state journal {self.path} skips a serial after {state.serial}", hint=_FIX
                )
            try:
                records = [r for item in batch["records"] for r in _decoded(state, item)]
            except (KeyError, TypeError, ValueError):
                raise StateError(
                    f"the state journal {self.path} holds an unreadable record", hint=_FIX
                ) from None
            state.apply(records)
            state.serial += 1
        state.lineage = str(header.get("lineage") or state.lineage)
        return True

    def _line(self, text: str, number: int) -> dict[str, Any]:
        try:
            value = json.loads(text)
        except ValueError:
            value = None
        if not isinstance(value, dict):
            raise StateError(f"the state journal {self.path} is damaged at line {number}", hint=_FIX)
        return value


def _encoded(state: State, records: Sequence[Record]) -> list[dict[str, Any]]:
    """The batch's records as a journal line holds them, `state` being the state before the batch: the
    result of a create under way (its pending entry removed, its entry made from it) as one `created` item
    holding the id alone."""
    removed = {r.address for r in records if r.section == "pending" and r.value is None}
    created = {
        r.address: r.value.id
        for r in records
        if r.section == "resources"
        and r.address in removed
        and isinstance(r.value, StateEntry)
        and _made_from(state.pending.get(r.address), r.value)
    }
    encoded: list[dict[str, Any]] = []
    for record in records:
        section, address = record.section, record.address
        if address not in created or section == "failed":
            encoded.append({"section": section, "address": address, "value": record.value})
        elif section == "resources":  # its `pending` removal is implied
            encoded.append({"section": section, "address": address, "created": created[address]})
    return encoded


def _made_from(pending: PendingCreate | None, entry: StateEntry) -> bool:
    """Whether `entry` is what the create under way `pending` makes (`_decoded` makes it again)."""
    return (
        pending is not None
        and entry.prevent_retire is None
        and pending.attributes == entry.applied
        and pending.parent == entry.parent
        and pending.scope == entry.scope
    )


def _decoded(state: State, data: dict[str, Any]) -> list[Record]:
    """The records a journal item holds, `state` being the state before its batch (a batch is decoded whole
    before it is carried out, as it was encoded)."""
    address = str(data["address"])
    if "created" in data:
        pending = state.pending[address]
        entry = StateEntry(
            id=str(data["created"]), parent=pending.parent, scope=pending.scope, applied=pending.attributes
        )
        return [Record("pending", address, None), Record("resources", address, entry)]
    return [Record.from_json(data)]


def sync_directory(directory: Path) -> None:
    """Make a file's creation, rename or removal in `directory` durable."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
