"""`lifecycle:` of manifest entries and of kinds in reconciler.yaml: taken out of the attributes, merged
(the entry's own rules over its kind's), checked against the kind's fields with located errors, and
described by the JSON Schemas."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reconciler.manifest import load_project
from reconciler.manifest.lifecycle_rules import kind_fields
from reconciler.manifest.schema_export import manifest_schema, project_schema
from reconciler.model import Lifecycle
from tests.conftest import EXAMPLES
from tests.manifest.helpers import PROJECT, VALID, errors_of, line_of, only, write_project

AD_SET = "criteo.ad_set.summer-sale/fr-retargeting"
ENTRY = "      - key: fr-retargeting\n"


def with_rules(rules: str, text: str = VALID) -> str:
    assert ENTRY in text
    return text.replace(ENTRY, f"{ENTRY}        lifecycle: {rules}\n")


def test_an_entrys_rules_are_taken_out_of_its_attributes(tmp_path: Path) -> None:
    root = write_project(
        tmp_path, {"c.yaml": with_rules("{ignore_changes: [bidding.bidAmount], prevent_retire: true}")}
    )
    resources = {str(r.address): r for r in load_project(root).resources}
    ad_set = resources[AD_SET]
    assert ad_set.lifecycle == Lifecycle(ignore_changes=("bidding.bidAmount",), prevent_retire=True)
    assert "lifecycle" not in ad_set.attributes
    assert ad_set.attributes["bidding"]["bidAmount"] == 0.12345
    assert resources["criteo.campaign.summer-sale"].lifecycle == Lifecycle()


def test_a_kinds_rules_in_reconciler_yaml_are_merged_under_each_entrys_own(tmp_path: Path) -> None:
    project = PROJECT + (
        "lifecycle:\n"
        "  criteo.ad_set: {ignore_changes: [budget.budgetAmount], prevent_retire: true}\n"
        "  criteo.campaign: {prevent_retire: true}\n"
    )
    second = VALID.replace("- key: de\n", "- key: de\n        lifecycle: {ignore_changes: []}\n")
    root = write_project(tmp_path, {"c.yaml": with_rules("{prevent_retire: false}", second)}, project)
    found = {str(r.address): r.lifecycle for r in load_project(root).resources}
    # the entry's prevent_retire replaces the kind's; its ignore_changes is the kind's
    assert found[AD_SET] == Lifecycle(ignore_changes=("budget.budgetAmount",), prevent_retire=False)
    # `ignore_changes: []` opts one object out of the kind's list
    assert found["criteo.ad_set.existing/de"] == Lifecycle(ignore_changes=(), prevent_retire=True)
    assert found["criteo.campaign.summer-sale"] == Lifecycle(prevent_retire=True)


def test_a_path_that_is_not_a_field_of_the_kind_is_located_with_the_field_meant(tmp_path: Path) -> None:
    text = with_rules("\n          ignore_changes:\n            - bidding.bidAmount\n            - bidAmount")
    root = write_project(tmp_path, {"c.yaml": text})
    error = only(errors_of(root))
    assert error.message == "`bidAmount` is not a field of criteo.ad_set"
    assert error.hint == "did you mean `bidding.bidAmount`?"
    assert (error.file, error.line) == ("c.yaml", line_of(text, "- bidAmount"))
    assert error.address == AD_SET and error.field == "lifecycle.ignore_changes"


def test_a_path_with_no_close_field_lists_the_kinds_fields(tmp_path: Path) -> None:
    root = write_project(tmp_path, {"c.yaml": with_rules("{ignore_changes: [zzz]}")})
    error = only(errors_of(root))
    assert error.hint.startswith("its fields: name, objective, mediaType, datasetId, trackingCode, schedule")
    assert "lifecycle" not in error.hint and "key" not in error.hint.split(": ")[1].split(", ")


def test_unknown_fields_of_lifecycle_are_schema_errors(tmp_path: Path) -> None:
    root = write_project(tmp_path, {"c.yaml": with_rules("{prevent_destroy: true}")})
    error = only(errors_of(root))
    assert "prevent_destroy" in str(error) and error.line == line_of(
        with_rules("{prevent_destroy: true}"), "lifecycle"
    )


def test_reconciler_yaml_kinds_and_paths_are_checked_where_they_are_written(tmp_path: Path) -> None:
    project = PROJECT + (
        "lifecycle:\n"
        "  criteo.adset: {prevent_retire: true}\n"
        "  applovin.targets:\n"
        "    ignore_changes: [countries.us.bid, countries.*.bidd]\n"
    )
    root = write_project(tmp_path, {"c.yaml": VALID}, project)
    errors = sorted(errors_of(root), key=lambda d: d.line)
    assert [(e.file, e.line) for e in errors] == [
        ("reconciler.yaml", line_of(project, "criteo.adset")),
        ("reconciler.yaml", line_of(project, "countries.us.bid")),
    ]
    assert errors[0].message == "unknown kind `criteo.adset`" and "criteo.ad_set" in errors[0].hint
    assert errors[1].message == "`countries.*.bidd` is not a field of applovin.targets"
    assert errors[1].hint.startswith("did you mean `countries.*.bid`")


@pytest.mark.parametrize(
    ("kind", "good", "bad"),
    [
        ("criteo.ad_set", "targeting.geoLocation.countries", "targeting.countries"),
        ("amazon_dsp.campaign", "flights.*.budgetAmount", "flights.budgetAmount"),
        ("amazon_dsp.ad_group", "bid.baseBid", "targets"),
        ("applovin.targets", "countries.gb.budget", "countries.bid"),
        ("applovin.source_bids", "overrides.*.bid_value", "keys"),
    ],
)
def test_kind_fields_accept_nested_and_item_paths_and_refuse_other_resources(
    kind: str, good: str, bad: str
) -> None:
    fields = kind_fields(kind)
    assert fields is not None
    assert fields.problem(good) is None
    assert fields.problem(bad) is not None


@pytest.mark.parametrize(
    "example", ["amazon-dsp-launch", "applovin-ua", "criteo-retargeting", "global-rollout"]
)
def test_every_attribute_the_loader_builds_is_a_field_of_its_kind(example: str, tmp_path: Path) -> None:
    """The kinds' field lists follow the manifests: nothing a resource holds is missing from them."""
    root = tmp_path / example
    shutil.copytree(EXAMPLES / example, root)
    for resource in load_project(root).resources:
        fields = kind_fields(f"{resource.address.platform}.{resource.address.kind}")
        assert fields is not None, resource.address
        if fields.model is None:
            continue  # listed paths (source bids, sources, assets, Amazon targets): see the test above
        for name, value in resource.attributes.items():
            assert fields.problem(name) is None, (resource.address, name)
            if isinstance(value, dict) and set(value) != {"name"}:  # {name: ...} becomes an id when planning
                for inner in value:
                    assert fields.problem(f"{name}.{inner}") is None, (resource.address, name, inner)


def test_the_schemas_describe_lifecycle_on_entries_and_kinds() -> None:
    manifest = manifest_schema()["$defs"]
    for entry in ("AdSet", "Campaign", "AdGroup", "DspCampaign", "CreativeAssociation", "AppLovinTargets"):
        assert manifest[entry]["properties"]["lifecycle"]["anyOf"][0] == {"$ref": "#/$defs/LifecycleRules"}
    rules = manifest["LifecycleRules"]["properties"]
    assert set(rules) == {"ignore_changes", "prevent_retire"}
    assert "CampaignReference" not in [
        k for k, v in manifest.items() if "lifecycle" in v.get("properties", {})
    ]
    project = project_schema()
    assert project["properties"]["lifecycle"]["additionalProperties"] == {"$ref": "#/$defs/LifecycleRules"}
