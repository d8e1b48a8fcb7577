"""Plan files on disk: `write_plan` saves a sealed plan as JSON, `read_plan` reads one back and refuses a
file that is not a plan of this format version (with words, never a traceback)."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from reconciler.errors import PlanFileError, ReconcilerError
from reconciler.plan.file import PLAN_FORMAT_VERSION, PlanFile


def plan_text(plan: PlanFile) -> str:
    return plan.model_dump_json(indent=2) + "\n"


def write_plan(plan: PlanFile, path: Path) -> None:
    try:
        path.write_text(plan_text(plan), encoding="utf-8")
    except OSError as exc:
        raise ReconcilerError(f"cannot write the plan to {path}: {exc.strerror}") from None


def read_plan(path: Path) -> PlanFile:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        version = document.get("format_version") if isinstance(document, dict) else None
        if isinstance(version, int) and version != PLAN_FORMAT_VERSION:
            raise PlanFileError(
                f"{path} is a plan of format {version}; this reconciler reads format {PLAN_FORMAT_VERSION}",
                hint="make the plan again with this version of reconciler",
            )
        return PlanFile.model_validate(document)
    except (OSError, ValueError, ValidationError) as exc:
        raise PlanFileError(f"{path} is not a reconciler plan file: {str(exc).splitlines()[0]}") from None
