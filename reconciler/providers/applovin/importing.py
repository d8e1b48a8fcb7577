"""`reconciler import applovin`: live campaigns that no state manages, with their countries, bids and
budgets, as AppLovin manifests.

The campaign and its targets are imported; creative sets, ads, source bids and sources are left to the
platform (a manifest that does not declare them never touches them) until someone declares them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from reconciler.model import Address
from reconciler.providers.applovin import mapping
from reconciler.providers.base import ImportedFile, ImportedObject, pruned, slug, unique_key

PLATFORM = "applovin"


def _targets(body: Mapping[str, Any]) -> dict[str, Any]:
    canonical = mapping.targets_from_wire(body)
    countries = {
        str(row["country"]): pruned({k: v for k, v in row.items() if k != "country"})
        for row in canonical.pop("countries")
    }
    return {"countries": countries, **pruned(canonical)}


def manifest(
    campaigns: Sequence[tuple[Mapping[str, Any], Mapping[str, Any] | None]], taken: set[Address]
) -> list[ImportedFile]:
    """One manifest of these (campaign, targets) answers; the caller has left managed ones out."""
    keys = {a.path[0] for a in taken if a.platform == PLATFORM and a.kind == "campaign"}
    file = ImportedFile(name="applovin.yaml", document={"platform": PLATFORM, "campaigns": []})
    for body, targets in campaigns:
        campaign_id = str(body.get("campaign_id"))
        attributes = pruned(mapping.campaign_from_wire(body))
        key = unique_key(slug(attributes.get("name"), f"campaign-{campaign_id}"), campaign_id, keys)
        address = Address(PLATFORM, "campaign", (key,))
        entry: dict[str, Any] = {"key": key, **attributes}
        file.objects.append(ImportedObject(address, campaign_id))
        if targets is not None:
            entry["targets"] = _targets(targets)
            file.objects.append(ImportedObject(Address(PLATFORM, "targets", (key,)), campaign_id, address))
        file.document["campaigns"].append(entry)
    return [file] if file.objects else []
