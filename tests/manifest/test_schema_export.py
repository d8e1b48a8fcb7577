"""JSON Schema export: valid schemas that accept the valid manifest and project file and reject bad ones."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from reconciler.manifest.schema_export import json_schemas
from reconciler.manifest.yaml_loader import YamlLoader

from .helpers import PROJECT, VALID

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def as_json(text: str) -> Any:
    """What an editor validates: YAML 1.2 data (`on` is a word) with timestamps left as text."""

    def plain(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        if isinstance(value, datetime | date):
            return value.isoformat().replace("+00:00", "Z")
        return value

    return plain(yaml.load(text, Loader=YamlLoader))


@pytest.fixture(scope="module")
def schemas() -> dict[str, dict[str, Any]]:
    return json_schemas()


def validator(schema: dict[str, Any]) -> jsonschema.Draft202012Validator:
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_both_schemas_are_valid_json_schema(schemas: dict[str, dict[str, Any]]) -> None:
    assert set(schemas) == {"manifest.schema.json", "project.schema.json"}
    for schema in schemas.values():
        jsonschema.Draft202012Validator.check_schema(schema)
        json.dumps(schema)  # serialisable
        assert schema["$schema"].startswith("https://json-schema.org/")


def test_manifest_schema_accepts_valid_manifests(schemas: dict[str, dict[str, Any]]) -> None:
    check = validator(schemas["manifest.schema.json"])
    assert list(check.iter_errors(as_json(VALID))) == []
    example = (EXAMPLES / "criteo-retargeting" / "campaigns" / "retargeting.yaml").read_text(encoding="utf-8")
    assert list(check.iter_errors(as_json(example))) == []


def test_manifest_schema_rejects_unknown_fields_and_bad_enums(schemas: dict[str, dict[str, Any]]) -> None:
    check = validator(schemas["manifest.schema.json"])
    assert list(check.iter_errors(as_json(VALID.replace("bidAmount:", "bidamount:"))))
    assert list(check.iter_errors(as_json(VALID.replace("objective: conversions", "objective: nope"))))
    assert list(check.iter_errors(as_json(VALID.replace("        trackingCode: utm_source=criteo\n", ""))))


def test_manifest_schema_describes_fields_and_enums(schemas: dict[str, dict[str, Any]]) -> None:
    defs = schemas["manifest.schema.json"]["$defs"]
    cost = defs["Bidding"]["properties"]["costController"]
    assert cost["enum"][:9] == [
        "COS",
        "maxCPC",
        "CPI",
        "CPM",
        "CPO",
        "CPSV",
        "CPV",
        "dailyBudget",
        "targetCPM",
    ]
    assert "CPC" in cost["enum"]
    assert cost["description"] and cost["title"] == "Cost controller"
    media = defs["AdSet"]["properties"]["mediaType"]
    assert {"display", "video", "Display", "Video"} <= set(media["enum"])
    assert all(p.get("description") for p in defs["AdSet"]["properties"].values())
    assert set(defs["AdSet"]["required"]) >= {"name", "objective", "mediaType", "datasetId", "trackingCode"}


def test_project_schema_accepts_valid_project_files(schemas: dict[str, dict[str, Any]]) -> None:
    check = validator(schemas["project.schema.json"])
    assert list(check.iter_errors(yaml.safe_load(PROJECT))) == []
    example = (EXAMPLES / "criteo-retargeting" / "reconciler.yaml").read_text(encoding="utf-8")
    assert list(check.iter_errors(yaml.safe_load(example))) == []
    assert list(check.iter_errors({"project": "p", "platforms": {"amazon": {}}}))
    assert list(check.iter_errors({"project": "p", "platforms": {"criteo": {"endpoint": "ftp://x"}}}))
