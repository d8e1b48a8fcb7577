"""`reconciler import criteo`: live campaigns and ad sets that no state manages, as Criteo manifests.

One file per advertiser. A campaign the state already manages appears as a `campaignId` reference that
holds only the imported ad sets. The fields written are the ones reconciler reads back, so the next plan
shows no changes; `trackingCode`, which Criteo never returns, gets a placeholder with a note (it is immutable:
nothing is sent for an existing ad set).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from reconciler.model import Address
from reconciler.providers.base import ImportedFile, ImportedObject, pruned, slug, unique_key
from reconciler.providers.criteo import mapping

PLATFORM = "criteo"
READ_ONLY = ("advertiserId", "campaignId", "deliveryStatus")
TRACKING_PLACEHOLDER = "imported=unknown"
TRACKING_NOTE = (
    "placeholder: Criteo never returns the tracking code, and it cannot change, so it is never sent"
)


def _fields(attributes: Mapping[str, Any]) -> dict[str, Any]:
    return pruned({k: v for k, v in attributes.items() if k not in READ_ONLY})


def manifests(
    campaigns: Sequence[Mapping[str, Any]],
    ad_sets: Sequence[Mapping[str, Any]],
    audiences: Mapping[str, str],
    managed: set[str],
    taken: set[Address],
) -> list[ImportedFile]:
    """The manifest files of the unmanaged objects among these rows (`managed`: ids state knows)."""
    keys = {a.path[0] for a in taken if a.platform == PLATFORM and a.kind == "campaign"}
    by_campaign: dict[str, list[Mapping[str, Any]]] = {}
    for ad_set in sorted(ad_sets, key=lambda r: str(r.get("id"))):
        if str(ad_set.get("id")) not in managed:
            by_campaign.setdefault(str(mapping.ad_set_from_wire(ad_set)["campaignId"]), []).append(ad_set)
    rows = {str(r.get("id")): r for r in campaigns}
    files: dict[str, ImportedFile] = {}
    for campaign_id in sorted(
        {*(i for i in rows if i not in managed), *by_campaign}, key=lambda i: (len(i), i)
    ):
        row = rows.get(campaign_id)
        attributes = mapping.campaign_from_wire(row) if row else {}
        advertiser = str(
            attributes.get("advertiserId")
            or mapping.ad_set_from_wire(by_campaign[campaign_id][0])["advertiserId"]
        )
        file = files.setdefault(
            advertiser,
            ImportedFile(
                name=f"criteo-{advertiser}.yaml",
                document={"platform": PLATFORM, "advertiserId": advertiser, "campaigns": []},
                notes={"trackingCode": TRACKING_NOTE},
            ),
        )
        key = unique_key(slug(attributes.get("name"), f"campaign-{campaign_id}"), campaign_id, keys)
        address = Address(PLATFORM, "campaign", (key,))
        if campaign_id in managed or row is None:
            entry: dict[str, Any] = {"key": key, "campaignId": campaign_id}
            parent = None
        else:
            entry = {"key": key, **_fields(attributes)}
            file.objects.append(ImportedObject(address, campaign_id))
            parent = address
        ad_set_keys: set[str] = set()
        entries = []
        automated = bool(attributes.get("budgetAutomation", {}).get("enabled"))
        for ad_set in by_campaign.get(campaign_id, []):
            ad_set_id = str(ad_set.get("id"))
            values = _ad_set_fields(mapping.ad_set_from_wire(ad_set, audiences.get(ad_set_id)), automated)
            ad_set_key = unique_key(slug(values.get("name"), f"ad-set-{ad_set_id}"), ad_set_id, ad_set_keys)
            entries.append({"key": ad_set_key, **_with_tracking_code(values)})
            file.objects.append(
                ImportedObject(Address(PLATFORM, "ad_set", (key, ad_set_key)), ad_set_id, parent)
            )
        entry["adSets"] = entries
        file.document["campaigns"].append(entry)
    return list(files.values())


def _ad_set_fields(attributes: Mapping[str, Any], automated: bool) -> dict[str, Any]:
    """The manifest fields of an ad set: no `budget` under budget automation (Criteo owns it: "For marketing
    campaigns with budget automation enabled, omit this object"), and `frequencyCapping: null` written out
    when the ad set has none (the key is required)."""
    values = _fields({k: v for k, v in attributes.items() if not (automated and k == "budget")})
    targeting = values.setdefault("targeting", {})
    targeting.setdefault("frequencyCapping", None)
    return values


def _with_tracking_code(values: dict[str, Any]) -> dict[str, Any]:
    ordered: dict[str, Any] = {}
    for name, value in values.items():
        ordered[name] = value
        if name == "datasetId":
            ordered["trackingCode"] = TRACKING_PLACEHOLDER
    ordered.setdefault("trackingCode", TRACKING_PLACEHOLDER)
    return ordered
