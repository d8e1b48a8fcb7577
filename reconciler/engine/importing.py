"""`reconciler import`: live objects no state manages become manifests (validated like hand-written ones)
and state entries, so the next plan shows no changes for them. Nothing on the platform changes."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from reconciler.engine.workspace import Workspace
from reconciler.errors import ProjectError, ValidationFailed
from reconciler.manifest.writer import manifest_text, write_new
from reconciler.model import Address
from reconciler.providers.base import ImportedObject, ImportFilters
from reconciler.state import Record, StateEntry


@dataclass
class ImportReport:
    """What `reconciler import` wrote: the manifest files and the objects now managed, with their ids; when
    it wrote nothing, how many objects the filters select that state already manages (0: they found none)."""

    files: list[Path] = field(default_factory=list)
    objects: list[ImportedObject] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    managed: int = 0

    def nothing(self, platform: str) -> str:
        """Why nothing was imported: the filters found no object, or only managed (or skipped) ones."""
        if self.managed:
            return (
                f"Nothing to import: the {self.managed} {platform} object(s) these filters select are all "
                "managed already."
            )
        if self.skipped:
            return f"Nothing to import: the {platform} objects these filters found were skipped (see above)."
        return f"Nothing to import: these filters found no {platform} object (check the ids they give)."


async def import_objects(
    workspace: Workspace, platform: str, out: Path, filters: ImportFilters, reload: Callable[[], Workspace]
) -> ImportReport:
    """Write manifests and state entries for the live objects of `platform` that no state manages.

    The files are written into `out` (inside the project), then the whole project is loaded again
    (`reload`): when the new manifests do not validate, they are removed and nothing enters state. Each
    state entry records as applied what the manifests now say, so the next plan shows no changes.
    """
    root = workspace.project.root.resolve()
    target = out.resolve()
    if not target.is_relative_to(root):
        raise ProjectError(
            f"--out {out} is outside the project {workspace.project.root}",
            hint="give a directory inside the project, e.g. --out imported",
        )
    provider = workspace.providers.get(platform)
    if provider is None:
        raise ProjectError(
            f"platform `{platform}` is not configured in reconciler.yaml",
            hint=f"add `platforms: {{{platform}: {{endpoint: ...}}}}` to reconciler.yaml",
        )
    report = ImportReport()
    with workspace.backend.lock("import"):
        state = workspace.backend.read()
        managed = {e.id for a, e in state.resources.items() if a.startswith(platform + ".")}
        taken = {r.address for r in workspace.project.resources} | {Address.parse(a) for a in state.resources}
        files = await provider.discover(filters, managed, taken)
        report.skipped = [note for f in files for note in f.skipped]
        files = [f for f in files if f.objects]
        if not files:  # nothing new: did the filters find objects at all, all of them managed already?
            report.managed = sum(len(f.objects) for f in await provider.discover(filters, set(), set()))
            return report
        clashes = [target / f.name for f in files if os.path.lexists(target / f.name)]  # symlinks too
        if clashes:
            raise ProjectError(
                f"{', '.join(str(c) for c in clashes)} already exists; import never overwrites a file",
                hint="give another --out directory, or move the file away",
            )
        if files:
            target.mkdir(parents=True, exist_ok=True)
        for file in files:
            path = target / file.name
            text = manifest_text(f"reconciler import {platform}", file.document, file.notes)
            write_new(path, text)
            report.files.append(path)
        try:
            loaded = reload()
        except ValidationFailed:
            for path in report.files:
                path.unlink()
            raise
        resources = {r.address: r for r in loaded.project.resources}
        records: list[Record] = []
        for file in files:
            for found in file.objects:
                resource = resources[found.address]
                entry = StateEntry(
                    id=found.id,
                    parent=str(found.parent) if found.parent else None,
                    scope=dict(resource.scope),
                    applied=resource.attributes,
                )
                records.append(Record("resources", str(found.address), entry))
                report.objects.append(found)
        if records:
            workspace.backend.record(state, records)
            workspace.backend.commit(state)
    return report
