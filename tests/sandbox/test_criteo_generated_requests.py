"""Nothing stricter than the specification: for every operation the Criteo sandbox serves, two requests are
generated from the official 2027-01 specification's schemas, and the sandbox must carry out both (the
documented success status, no errors; request and answer validated against the spec by the `criteo`
fixture):

- the minimal request: only the properties the schemas mark `required` (plus the JSON:API envelope, `data`
  and `attributes`, and the `id` of a write item: without them a request names nothing), with the first
  value of each enum unless that value needs fields the minimal request leaves out;
- the full request: every property of every schema, with valid values (where the spec states a rule across
  fields, values that satisfy it).

Ids are the seeded ones (advertiser 12345, campaign 358313, ad set 123467, dataset 56789, audience 9876)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from reconciler.sandbox.criteo.routes import ENDPOINTS, VERSION
from tests.sandbox.conftest import Criteo
from tests.sandbox.criteo_spec import spec

pytestmark = pytest.mark.anyio

AD_SET, CAMPAIGN = "123467", "358313"
ENVELOPE = ("data", "attributes", "id")
"""Present in the minimal request too: the envelope and the id of the object a write item changes."""

VALUES: dict[str, Any] = {
    "advertiserId": "12345",
    "campaignId": CAMPAIGN,
    "datasetId": "56789",
    "audienceId": "9876",
    "adSetIds": [AD_SET],
    "advertiserIds": ["12345"],
    "campaignIds": [CAMPAIGN],
    "audienceIds": ["9876"],
    "audienceSegmentIds": ["29876"],
    "values": ["FR"],
    "startDate": "2027-07-01T00:00:00Z",
    "endDate": "2027-08-01T00:00:00Z",
    "name": "Generated from the specification",
    "trackingCode": "utm_source=criteo&utm_medium=display",
    "bidAmount": 0.5,
    "budgetAmount": 100.0,
    "spendLimitAmount": 1000.0,
    "maximumImpressions": 3,
}
"""Values by property name (ids must exist; dates in order)."""

FULL_CHOICES: dict[str, str] = {
    "budgetStrategy": "capped",
    "budgetRenewal": "monthly",
    "budgetDeliverySmoothing": "standard",
    "pacingBehavior": "targetAverageDailyBudget",
    "spendLimitType": "capped",
    "spendLimitRenewal": "monthly",
    "operand": "in",
    "attributionMethod": "postClick",
    "lookbackWindow": "24H",
    "objective": "conversions",
}
"""Enum values of the full request that satisfy the spec's cross-field rules (a capped budget with a
renewal and smoothing, targetAverageDailyBudget only for capped standard monthly budgets, a lookback
window only with postClick or lastClick, a geolocation operand in or notIn)."""

MINIMAL_CHOICES: dict[str, str] = {"spendLimitType": "uncapped"}
"""A capped spend limit needs an amount and a renewal that the minimal request leaves out."""


def resolve(schema: Mapping[str, Any]) -> dict[str, Any]:
    if "$ref" in schema:
        name = str(schema["$ref"]).rsplit("/", 1)[-1]
        return resolve(spec()["components"]["schemas"][name])
    if "allOf" in schema:
        merged: dict[str, Any] = {}
        for part in schema["allOf"]:
            merged.update(resolve(part))
        return merged
    return dict(schema)


def generate(schema: Mapping[str, Any], full: bool, write_id: str, name: str = "") -> Any:
    """A value of `schema`; `name` is the property it is for (a `{"value"}` wrapper passes its own on)."""
    resolved = resolve(schema)
    if name == "id":
        return write_id
    if name in VALUES and resolved.get("type") != "object":
        return VALUES[name]
    if "enum" in resolved:
        choices = FULL_CHOICES if full else MINIMAL_CHOICES
        return choices.get(name, resolved["enum"][0])
    kind = resolved.get("type", "object")
    if kind == "object":
        properties = resolved.get("properties", {})
        wanted = set(properties) if full else set(resolved.get("required", [])) | set(ENVELOPE)
        return {
            key: generate(sub, full, write_id, name if key == "value" else key)
            for key, sub in properties.items()
            if key in wanted
        }
    if kind == "array":
        return [generate(resolved["items"], full, write_id, name)]
    if kind == "string":
        return str(resolved.get("example", "generated"))
    if kind == "integer":
        return 3
    if kind == "number":
        return 0.5
    if kind == "boolean":
        return True
    raise AssertionError(f"no generator for {resolved}")


def query(operation: Mapping[str, Any], full: bool) -> dict[str, Any]:
    """Query parameters: none in the minimal request; each one in the full request (its maximum or
    default)."""
    found: dict[str, Any] = {}
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "query" and (full or parameter.get("required")):
            schema = parameter["schema"]
            found[parameter["name"]] = schema.get("maximum", schema.get("default", 0))
    return found


CASES = [
    pytest.param(method, path, full, id=f"{method} {path} {'full' if full else 'minimal'}")
    for method, path, _handler in ENDPOINTS
    for full in (False, True)
]


@pytest.mark.parametrize(("method", "path", "full"), CASES)
async def test_generated_request_is_carried_out(criteo: Criteo, method: str, path: str, full: bool) -> None:
    operation = spec()["paths"][VERSION + path][method.lower()]
    write_id = CAMPAIGN if path.startswith("/campaigns") else AD_SET
    concrete = path.replace("{ad-set-id}", AD_SET).replace("{campaign-id}", CAMPAIGN)
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    body = None if content is None else generate(content["schema"], full, write_id)

    response = await criteo.call(method, concrete, body, params=query(operation, full))

    documented = min(int(code) for code in operation["responses"])
    assert response.status_code == documented, response.text
    assert response.json().get("errors") in ([], None), response.text


async def test_generated_full_ad_set_reads_back_what_was_sent(criteo: Criteo) -> None:
    operation = spec()["paths"][VERSION + "/ad-sets"]["post"]
    body = generate(operation["requestBody"]["content"]["application/json"]["schema"], True, AD_SET)
    created = await criteo.call("POST", "/ad-sets", body)
    sent = body["data"]["attributes"]
    read = await criteo.ad_set(created.json()["data"]["id"])
    assert read["budget"] == {**sent["budget"], "budgetDeliveryWeek": "undefined"}
    assert read["attributionConfiguration"] == sent["attributionConfiguration"]
    assert read["targeting"]["frequencyCapping"] == {"value": sent["targeting"]["frequencyCapping"]}
    assert read["targeting"]["geoLocation"]["zipCodes"] == {
        "value": sent["targeting"]["geoLocation"]["zipCodes"]
    }


async def test_generated_minimal_ad_set_reads_with_the_platform_defaults(criteo: Criteo) -> None:
    operation = spec()["paths"][VERSION + "/ad-sets"]["post"]
    body = generate(operation["requestBody"]["content"]["application/json"]["schema"], False, AD_SET)
    assert set(body["data"]["attributes"]) == set(
        spec()["components"]["schemas"]["CreateAdSetV26Q1"]["required"]
    )
    created = await criteo.call("POST", "/ad-sets", body)
    read = await criteo.ad_set(created.json()["data"]["id"])
    assert read["schedule"]["activationStatus"] == "off"  # guide: "off by default"
    assert read["schedule"]["endDate"] == {"value": None}  # guide: "null by default"
    assert read["attributionConfiguration"] == {"attributionMethod": "criteoAttribution"}  # spec: default
    assert read["targeting"]["frequencyCapping"] == {"value": None}
    assert read["targeting"]["geoLocation"] == {"countries": None, "subdivisions": None, "zipCodes": None}
    assert read["budget"]["budgetStrategy"] == "uncapped"
