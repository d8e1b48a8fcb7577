"""The JSON Schemas the project publishes in `schemas/`: manifest and project files, and the plan file."""

from __future__ import annotations

from typing import Any

from reconciler.manifest.schema_export import json_schemas
from reconciler.plan import PlanFile


def all_schemas() -> dict[str, dict[str, Any]]:
    schemas = dict(json_schemas())
    plan = PlanFile.model_json_schema()
    plan["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    plan["$id"] = "plan.schema.json"
    schemas["plan.schema.json"] = plan
    return schemas
