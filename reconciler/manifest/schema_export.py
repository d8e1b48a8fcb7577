"""JSON Schemas of the manifest files and of reconciler.yaml, generated from the pydantic models."""

from __future__ import annotations

import functools
import json
import operator
import sys
from pathlib import Path
from typing import Annotated, Any, cast

from pydantic import Field, TypeAdapter

from reconciler.manifest.project_config import config_model
from reconciler.registry import PLATFORMS

DRAFT = "https://json-schema.org/draft/2020-12/schema"


def manifest_schema() -> dict[str, Any]:
    """A manifest file: one model per platform, chosen by the `platform` field."""
    models = [p.manifest.model for p in PLATFORMS.values()]
    if len(models) == 1:
        schema = models[0].model_json_schema()
    else:
        union: Any = functools.reduce(operator.or_, models)
        annotated: Any = cast(Any, Annotated)[union, Field(discriminator="platform")]
        schema = TypeAdapter(annotated).json_schema()
    schema.update(
        {
            "$schema": DRAFT,
            "$id": "manifest.schema.json",
            "title": "reconciler manifest",
            "description": "A reconciler manifest file: the campaigns one platform should have. "
            f"Platforms: {', '.join(sorted(PLATFORMS))}.",
        }
    )
    return schema


def project_schema() -> dict[str, Any]:
    """The project file reconciler.yaml."""
    schema = config_model().model_json_schema()
    schema.update(
        {
            "$schema": DRAFT,
            "$id": "project.schema.json",
            "title": "reconciler project file (reconciler.yaml)",
        }
    )
    return schema


def json_schemas() -> dict[str, dict[str, Any]]:
    """File name → JSON Schema, for `schemas/`."""
    return {"manifest.schema.json": manifest_schema(), "project.schema.json": project_schema()}


def main(argv: list[str] | None = None) -> None:
    """`python -m reconciler.manifest.schema_export [DIR]`: write the schemas into DIR (default `schemas`)."""
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0] if args else "schemas")
    out.mkdir(parents=True, exist_ok=True)
    for name, document in json_schemas().items():
        (out / name).write_text(json.dumps(document, indent=2, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
