"""A validated Amazon DSP manifest → canonical resources (docs/amazon-dsp-resources.md), each field located.

Canonical form: only the fields written; enums upper case; date-times `YYYY-MM-DDTHH:MM:SSZ` (UTC);
lists are sets in a stable order (flights by `startDateTime`, every other list by its items' JSON with
sorted keys), so the order written never shows as a change. Locations follow the canonical order:
`flights.1.endDateTime` is where the second flight (by start) wrote its end.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from json.encoder import c_make_encoder, encode_basestring_ascii  # type: ignore[attr-defined]
from typing import Any

from reconciler.manifest.amazon_dsp.models import AdGroup, AmazonDspManifest, DspCampaign
from reconciler.manifest.base import Built, Claim, Locations
from reconciler.manifest.yaml_loader import LoadedYaml, PathKey
from reconciler.model import Address, Resource

PLATFORM = "amazon_dsp"


_CANONICAL = json.JSONEncoder(sort_keys=True, default=str)
"""One encoder for every key (`json.dumps` with options builds a new one per call)."""
_C_CANONICAL = (
    None
    if c_make_encoder is None
    else c_make_encoder(None, str, encode_basestring_ascii, None, ": ", ", ", True, False, True)
)
"""The C encoder `_CANONICAL.encode` makes on each call, made once (the same text; no circular check:
the items come from a model's dump)."""


def canonical_key(item: Any) -> str:
    """The sort key of an item of a set-like list: its JSON with sorted keys."""
    if _C_CANONICAL is None:
        return _CANONICAL.encode(item)
    return "".join(_C_CANONICAL(item, 0))


def _flight_key(item: Any) -> str:
    return str(item.get("startDateTime", "")) if isinstance(item, dict) else canonical_key(item)


# Lists of a resource's attributes that are sets, with their order (the rest keep the written order).
CAMPAIGN_SETS: dict[str, Callable[[Any], str]] = {
    "flights": _flight_key,
    "frequencies": canonical_key,
    "budgetCaps": canonical_key,
    "fees": canonical_key,
    "trackedProducts": canonical_key,
    "conversionDefinitions": canonical_key,
}
AD_GROUP_SETS: dict[str, Callable[[Any], str]] = {
    "advertisedProductCategoryIds": canonical_key,
    "frequencies": canonical_key,
    "fees": canonical_key,
}


def build(manifest: AmazonDspManifest, loaded: LoadedYaml, file: str) -> Built:
    """Canonical resources of a validated manifest: each campaign, then its ad groups, each ad group's
    target types and creative associations."""
    built = Built()
    scope = {"advertiserId": manifest.advertiserId}
    for i, campaign in enumerate(manifest.campaigns):
        path: PathKey = ("campaigns", i)
        address = Address(PLATFORM, "campaign", (campaign.key,))
        attributes = campaign.model_dump(exclude_unset=True, exclude={"key", "adGroups"})
        _add(built, address, attributes, None, scope, loaded, file, path, CAMPAIGN_SETS)
        for j, ad_group in enumerate(campaign.adGroups):
            _ad_group(built, campaign, ad_group, address, scope, loaded, file, (*path, "adGroups", j))
    return built


def _ad_group(
    built: Built,
    campaign: DspCampaign,
    ad_group: AdGroup,
    campaign_address: Address,
    scope: dict[str, str],
    loaded: LoadedYaml,
    file: str,
    path: PathKey,
) -> None:
    address = Address(PLATFORM, "ad_group", (campaign.key, ad_group.key))
    attributes = ad_group.model_dump(exclude_unset=True, exclude={"key", "targets", "creatives"})
    _add(built, address, attributes, campaign_address, scope, loaded, file, path, AD_GROUP_SETS)
    dumped = ad_group.targets.model_dump(exclude_none=True)  # the types left out are None, so absent
    for kind in type(ad_group.targets).model_fields:
        items = dumped.get(kind)
        if items is None:
            continue
        _add(
            built,
            Address(PLATFORM, "targets", (campaign.key, ad_group.key, kind)),
            {"targets": items},
            address,
            scope,
            loaded,
            file,
            (*path, "targets", kind),
            {"targets": canonical_key},
            nested=False,
        )
    for k, association in enumerate(ad_group.creatives):
        _add(
            built,
            Address(PLATFORM, "creative_association", (campaign.key, ad_group.key, association.key)),
            association.model_dump(exclude_unset=True, exclude={"key"}),
            address,
            scope,
            loaded,
            file,
            (*path, "creatives", k),
            {},
        )


def _add(
    built: Built,
    address: Address,
    attributes: dict[str, Any],
    parent: Address | None,
    scope: dict[str, str],
    loaded: LoadedYaml,
    file: str,
    path: PathKey,
    sets: dict[str, Callable[[Any], str]],
    nested: bool = True,
) -> None:
    """Sort the set-like lists, and add the resource (located: see `Locations`) and its claim.

    `nested=False`: the attributes are `{"targets": [...]}` while the YAML holds the list itself at `path`.
    """
    orders: dict[str, list[int]] = {}
    for name, order in sets.items():
        if isinstance(attributes.get(name), list):
            attributes[name], orders[name] = _sort(attributes[name], order)
    sources = {} if nested else {name: path for name in attributes}
    found = Locations(loaded, file, path, attributes, lists=True, sources=sources, orders=orders)
    resource = Resource(address, attributes, parent=parent, scope=dict(scope), locations=found)
    built.resources.append(resource)
    built.claims.append(Claim(address, found[""]))


def _sort(items: list[Any], order: Callable[[Any], str]) -> tuple[list[Any], list[int]]:
    """`items` in canonical order, and the written index of each."""
    if len(items) < 2:
        return list(items), list(range(len(items)))
    ranked = sorted(range(len(items)), key=lambda i: order(items[i]))
    return [items[i] for i in ranked], ranked
