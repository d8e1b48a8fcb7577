"""A valid project loads into the expected canonical resources, addresses, scopes and locations."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from reconciler.manifest import Project, ProjectConfig, load_project
from reconciler.model import Address, SourceLocation

from .helpers import VALID, line_of, write_project

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def load(tmp_path: Path) -> Project:
    return load_project(write_project(tmp_path, {"campaigns/summer.yaml": VALID}))


def test_addresses_order_parents_and_scopes(tmp_path: Path) -> None:
    project = load(tmp_path)
    assert [str(r.address) for r in project.resources] == [
        "criteo.campaign.summer-sale",
        "criteo.ad_set.summer-sale/fr-retargeting",
        "criteo.ad_set.existing/de",
    ]
    campaign, fr, de = project.resources
    assert campaign.parent is None
    assert campaign.scope == {"advertiserId": "12345"}
    assert fr.parent == Address("criteo", "campaign", ("summer-sale",))
    assert fr.scope == {"advertiserId": "12345"}
    # an entry with campaignId refers to an existing campaign: no campaign resource, no parent
    assert de.parent is None
    assert de.scope == {"advertiserId": "12345", "campaignId": "358313"}


def test_canonical_attributes_hold_only_written_fields(tmp_path: Path) -> None:
    campaign, fr, de = load(tmp_path).resources
    assert campaign.attributes == {
        "name": "Summer Sale 2027",
        "goal": "acquisition",
        "spendLimit": {"spendLimitType": "capped", "spendLimitRenewal": "monthly", "spendLimitAmount": 30000},
    }
    assert fr.attributes == {
        "name": "FR retargeting",
        "objective": "conversions",
        "mediaType": "display",
        "datasetId": "56789",
        "trackingCode": "utm_source=criteo",
        "schedule": {"startDate": "2027-06-01T00:00:00Z", "endDate": "2027-08-31T23:59:59Z"},
        "activation": "on",
        "bidding": {"costController": "COS", "bidAmount": 0.12345},  # not rounded here
        "targeting": {
            "frequencyCapping": {"frequency": "daily", "maximumImpressions": 3},
            "geoLocation": {"countries": {"operand": "in", "values": ["FR"]}, "zipCodes": None},
            "deliveryLimitations": {"devices": ["desktop", "tablet"]},
        },
        "budget": {"budgetStrategy": "capped", "budgetRenewal": "daily", "budgetAmount": 400},
        "audience": "9876",
    }
    assert de.attributes["datasetId"] == "56789"  # written as an int, kept as a string id
    assert de.attributes["schedule"] == {"startDate": "2027-06-01T00:00:00Z"}
    assert "key" not in fr.attributes and "adSets" not in campaign.attributes


def test_locations_cover_every_attribute_path(tmp_path: Path) -> None:
    campaign, fr, _ = load(tmp_path).resources
    file = "campaigns/summer.yaml"
    assert fr.locations[""] == SourceLocation(file, line_of(VALID, "key: fr-retargeting"), 9)
    assert fr.locations["bidding"] == SourceLocation(file, line_of(VALID, "bidding:"), 9)
    assert fr.locations["bidding.bidAmount"].line == line_of(VALID, "bidAmount: 0.12345")
    assert fr.locations["targeting.geoLocation.countries.operand"] == SourceLocation(
        file, line_of(VALID, "countries: {operand: in"), 25
    )
    assert (
        fr.location("targeting.geoLocation.countries.values.0")
        == fr.locations["targeting.geoLocation.countries.values"]
    )
    assert campaign.locations["spendLimit.spendLimitAmount"].line == line_of(VALID, "spendLimitAmount")

    def paths(value: dict[str, object], prefix: str = "") -> set[str]:
        found: set[str] = set()
        for name, inner in value.items():
            found.add(prefix + name)
            if isinstance(inner, dict):
                found |= paths(inner, prefix + name + ".")
        return found

    for resource in (campaign, fr):
        assert set(resource.locations) == paths(resource.attributes) | {""}


def test_project_fields_files_and_digest(tmp_path: Path) -> None:
    root = write_project(
        tmp_path,
        {
            "campaigns/summer.yaml": VALID,
            ".reconciler/cache.yaml": "not: a manifest",
            "state/leftover.yaml": "not: a manifest",
            "notes.yml": "ignored: true",
        },
    )
    project = load_project(root)
    assert project.root == root
    assert isinstance(project.config, ProjectConfig)
    assert project.config.project == "summer-sale"
    assert project.files == [root / "campaigns/summer.yaml"]
    assert [w.file for w in project.warnings] == ["notes.yml"]
    expected = hashlib.sha256()
    for rel in ["campaigns/summer.yaml", "reconciler.yaml"]:
        data = (root / rel).read_bytes()
        expected.update(rel.encode() + b"\0" + str(len(data)).encode() + b"\0" + data)
    assert project.digest == expected.hexdigest()
    (root / "campaigns/summer.yaml").write_text(VALID + "\n# changed\n", encoding="utf-8")
    assert load_project(root).digest != project.digest


def test_files_are_sorted_and_resources_follow_files(tmp_path: Path) -> None:
    other = VALID.replace("summer-sale", "winter").replace("key: existing", "key: existing-2")
    root = write_project(tmp_path, {"b/summer.yaml": VALID, "a/winter.yaml": other})
    project = load_project(root)
    assert project.files == [root / "a/winter.yaml", root / "b/summer.yaml"]
    assert str(project.resources[0].address) == "criteo.campaign.winter"


def test_state_path_from_config_is_skipped(tmp_path: Path) -> None:
    config = "project: p\nplatforms: {criteo: {endpoint: sandbox}}\nstate: {backend: local, path: custom}\n"
    root = write_project(tmp_path, {"m.yaml": VALID, "custom/s.yaml": "x: 1"}, project=config)
    project = load_project(root)
    assert project.files == [root / "m.yaml"]
    assert project.config.state.path == "custom"


def test_two_files_may_add_ad_sets_to_the_same_existing_campaign(tmp_path: Path) -> None:
    second = """\
    platform: criteo
    advertiserId: "12345"
    campaigns:
      - key: existing
        campaignId: "358313"
        adSets: []
    """
    project = load_project(write_project(tmp_path, {"a.yaml": VALID, "b.yaml": second}))
    assert len(project.resources) == 3


def test_example_project_loads() -> None:
    project = load_project(EXAMPLES / "criteo-retargeting")
    kinds = [r.address.kind for r in project.resources]
    assert kinds[0] == "campaign" and kinds.count("ad_set") >= 1
    assert project.warnings == []


def test_an_applovin_creative_set_may_write_countries_as_null(tmp_path: Path) -> None:
    """Found by fuzzing: `countries: ~` on a creative set was sorted as if it were a list. Null is no
    country (the campaign's countries are eligible), as the platform reads it back: []."""
    example = Path(__file__).resolve().parents[2] / "examples" / "applovin-ua"
    shutil.copytree(example, tmp_path / "p", ignore=shutil.ignore_patterns("state", ".reconciler"))
    manifest = tmp_path / "p" / "campaigns" / "puzzle-ios.yaml"
    manifest.write_text(
        manifest.read_text().replace(
            "        languages: [en]\n", "        languages: [en]\n        countries: ~\n", 1
        )
    )
    sets = [r for r in load_project(tmp_path / "p").resources if r.address.kind == "creative_set"]
    assert sets[0].attributes["countries"] == []
