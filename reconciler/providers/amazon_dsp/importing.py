"""`reconciler import amazon_dsp`: live campaigns (with flights and tracked products) and ad groups of one
advertiser that no state manages, as Amazon DSP manifests.

Targets and creative associations stay as they are on the platform: a manifest that does not declare a
target type or a creative never touches them. An ad group whose campaign the state already manages is
listed as skipped (an Amazon DSP manifest declares ad groups inside their campaign): add it to that
campaign's manifest by hand.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from reconciler.model import Address
from reconciler.providers.base import ImportedFile, ImportedObject, pruned, slug, unique_key

PLATFORM = "amazon_dsp"


def manifests(
    advertiser: str,
    campaigns: Mapping[str, Mapping[str, Any]],
    ad_groups: Sequence[tuple[str, str, Mapping[str, Any]]],
    managed: set[str],
    taken: set[Address],
    deals: set[str],
) -> list[ImportedFile]:
    """The manifest of these canonical campaigns (id → attributes) and ad groups (id, campaign id,
    attributes), leaving out what `managed` holds and Amazon Guaranteed deal campaigns (`deals`: the
    API cannot change them)."""
    keys = {a.path[0] for a in taken if a.platform == PLATFORM and a.kind == "campaign"}
    file = ImportedFile(
        name=f"amazon-dsp-{advertiser}.yaml",
        document={"platform": PLATFORM, "advertiserId": advertiser, "campaigns": []},
    )
    file.skipped += [
        f"campaign {c}: it runs on an Amazon Guaranteed deal, which the API cannot change"
        for c in sorted(deals)
    ]
    managed = managed | deals
    by_campaign: dict[str, list[tuple[str, Mapping[str, Any]]]] = {}
    for ad_group_id, campaign_id, attributes in sorted(ad_groups, key=lambda g: (len(g[0]), g[0])):
        if ad_group_id in managed:
            continue
        if campaign_id in deals:
            continue
        if campaign_id in managed:
            file.skipped.append(
                f"ad group {ad_group_id} ({attributes.get('name')}): its campaign {campaign_id} is managed "
                "already; declare the ad group in that campaign's manifest"
            )
            continue
        by_campaign.setdefault(campaign_id, []).append((ad_group_id, attributes))
    for campaign_id in sorted(
        {*(c for c in campaigns if c not in managed), *by_campaign}, key=lambda i: (len(i), i)
    ):
        attributes = pruned(dict(campaigns.get(campaign_id) or {}))
        key = unique_key(slug(attributes.get("name"), f"campaign-{campaign_id}"), campaign_id, keys)
        address = Address(PLATFORM, "campaign", (key,))
        file.objects.append(ImportedObject(address, campaign_id))
        group_keys: set[str] = set()
        groups = []
        for ad_group_id, values in by_campaign.get(campaign_id, []):
            fields = pruned(dict(values))
            group_key = unique_key(
                slug(fields.get("name"), f"ad-group-{ad_group_id}"), ad_group_id, group_keys
            )
            groups.append({"key": group_key, **fields})
            file.objects.append(
                ImportedObject(Address(PLATFORM, "ad_group", (key, group_key)), ad_group_id, address)
            )
        file.document["campaigns"].append({"key": key, **attributes, "adGroups": groups})
    return [file] if file.objects or file.skipped else []
