"""Names in Amazon DSP manifests, resolved to ids at plan time: `{name: ...}` for a location, an audience, an
advertised product category, a creative or a conversion definition becomes the id of the one object of that
name, found with the discovery APIs ("To retrieve the geoLocation ID, you will use the geoLocations
discovery endpoint"; product categories "can be retrieved from the advertised product categories discovery
API").

Reads are batched: one discovery list a kind of name and advertiser, every name of the plan OR-ed in its
filters (the guide's discovery example gives one field several values). A name that matches no object, or
several, is a located error listing the candidates (then found by the API's `*word*` fuzzy match).

Creative associations are checked here too, before any write, with one read per advertiser and 100
creatives: the creative exists in the advertiser ("Ad creative must exist.") and its type suits the ad
group's inventory type (the creative association guide's compatibility table).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from reconciler.errors import ValidationFailed
from reconciler.model import Diagnostic, Resource
from reconciler.providers.amazon_dsp import mapping
from reconciler.providers.amazon_dsp.client import PAGE_SIZE, AmazonDspClient, Row
from reconciler.providers.base import located

Find = Callable[[AmazonDspClient, str, Sequence[Mapping[str, Any]]], Awaitable[list[Row]]]


async def _find_conversions(
    client: AmazonDspClient, advertiser: str, filters: Sequence[Mapping[str, Any]]
) -> list[Row]:
    """Conversion definitions named by the NAME filters (`*` a wildcard, any case): their list filters by
    id only, so the advertiser's whole list is read and matched here."""
    patterns = [
        re.compile(re.escape(str(f.get("value", ""))).replace(r"\*", ".*"), re.IGNORECASE)
        for f in filters
        if f.get("field") == "NAME"
    ]
    rows = await client.conversion_definitions(advertiser)
    return [r for r in rows if any(p.fullmatch(str(r.get("name") or "").strip()) for p in patterns)]


DISCOVERY: dict[str, tuple[Find, str, str]] = {
    "geoLocation": (lambda client, a, f: client.find_locations(a, f), "geoLocationId", "location"),
    "audienceId": (lambda client, a, f: client.find_audiences(a, f), "audienceId", "audience"),
    "advertisedProductCategoryIds": (
        lambda client, a, f: client.find_product_categories(a, f),
        "advertisedProductCategoryId",
        "advertised product category",
    ),
    "creative": (lambda client, a, f: client.find_creatives(a, f), "adCreativeId", "creative"),
    "conversionDefinitionId": (_find_conversions, "conversionDefinitionId", "conversion definition"),
}
"""Manifest field → (its discovery list, the id field of its rows, what it is in words)."""

Key = tuple[str, str, str]
"""(advertiser, discovery field, name)."""


def _same(found: str, wanted: str) -> bool:
    return found.strip().casefold() == wanted.strip().casefold()


def _name_filters(names: Sequence[str]) -> list[dict[str, Any]]:
    return [{"field": "NAME", "value": name, "include": True} for name in names]


class Names:
    """Resolves names with one client, remembering what it found for the run."""

    def __init__(self, client: AmazonDspClient) -> None:
        self.client = client
        self._found: dict[Key, list[tuple[str, str]]] = {}

    async def resolve(self, resources: Sequence[Resource]) -> list[Resource]:
        wanted: dict[tuple[str, str], list[str]] = {}
        named = [(resource, names_in(resource)) for resource in resources]
        for resource, names in named:
            advertiser = resource.scope.get(mapping.ADVERTISER, "")
            for field, name, _ in names:
                if (advertiser, field, name) not in self._found:
                    wanted.setdefault((advertiser, field), []).append(name)
        await asyncio.gather(*(self._discover(a, f, list(dict.fromkeys(n))) for (a, f), n in wanted.items()))
        problems: list[Diagnostic] = []
        resolved = [self._resolved(r, names, problems) if names else r for r, names in named]
        if not problems:
            problems.extend(await self._creative_problems(resolved))
        if problems:
            raise ValidationFailed(problems)
        return resolved

    async def _discover(self, advertiser: str, field: str, names: list[str]) -> None:
        """(id, name) of the objects of each name; for a name without any, the candidates whose name holds
        its longest word (`*word*`, the API's fuzzy match), to show."""
        find, id_field, _ = DISCOVERY[field]

        def pairs(rows: list[Row]) -> list[tuple[str, str]]:
            return [(str(r.get(id_field) or r.get("id") or ""), str(r.get("name") or "")) for r in rows]

        found = pairs(await find(self.client, advertiser, _name_filters(names)))
        missing = []
        for name in names:
            exact = [pair for pair in found if _same(pair[1], name)]
            self._found[(advertiser, field, name)] = exact
            if not exact:
                missing.append(name)
        fuzzy = await asyncio.gather(
            *(
                find(self.client, advertiser, _name_filters([f"*{max(n.split(), key=len, default=n)}*"]))
                for n in missing
            )
        )
        for name, rows in zip(missing, fuzzy, strict=True):
            self._found[(advertiser, field, name)] = pairs(rows)

    def _resolved(
        self, resource: Resource, names: Sequence[tuple[str, str, str]], problems: list[Diagnostic]
    ) -> Resource:
        """The resource with its `names` (see `names_in`) replaced by ids; unchanged if one is not found."""
        advertiser = resource.scope.get(mapping.ADVERTISER, "")
        ids: dict[str, str] = {}
        for field, name, path in names:
            candidates = self._found.get((advertiser, field, name), [])
            exact = [c for c in candidates if _same(c[1], name)]
            what = DISCOVERY[field][2]
            if len(exact) == 1:
                ids[path] = exact[0][0]
                continue
            if not exact:
                listed = ", ".join(f"{n!r} ({i})" for i, n in candidates[:10]) or "none"
                message = f"no {what} is named {name!r} (candidates: {listed})"
                hint = f"write the exact name of an existing {what}, or its id"
            else:
                listed = ", ".join(f"{n!r} ({i})" for i, n in exact)
                message = f"{len(exact)} {what}s are named {name!r}: {listed}"
                hint = "write the id of the one you mean instead of its name"
            problems.append(located(resource, path, message, hint))
        if len(ids) < len(names):
            return resource
        attributes = _replace_names(resource.attributes, ids)
        if resource.address.kind == "targets":
            attributes["targets"] = mapping.sort_targets(attributes.get("targets") or [])
        elif resource.address.kind == "ad_group":
            attributes["advertisedProductCategoryIds"] = sorted(
                attributes.get("advertisedProductCategoryIds") or [], key=mapping.canonical_key
            )
        elif resource.address.kind == "campaign":
            attributes["conversionDefinitions"] = sorted(
                attributes.get("conversionDefinitions") or [], key=mapping.canonical_key
            )
        return replace(resource, attributes=attributes)

    async def _creative_problems(self, resources: Sequence[Resource]) -> list[Diagnostic]:
        """Associations whose creative does not exist in the advertiser, or whose type the ad group's
        inventory type does not accept."""
        inventory = {
            r.address: r.attributes.get("inventoryType") for r in resources if r.address.kind == "ad_group"
        }
        associations = [r for r in resources if r.address.kind == "creative_association"]
        wanted: dict[str, set[str]] = {}
        for resource in associations:
            advertiser = resource.scope.get(mapping.ADVERTISER, "")
            wanted.setdefault(advertiser, set()).add(str(resource.attributes["creative"]))
        reads = [
            (advertiser, chunk)
            for advertiser, ids in wanted.items()
            for chunk in [sorted(ids)[i : i + PAGE_SIZE] for i in range(0, len(ids), PAGE_SIZE)]
        ]
        pages = await asyncio.gather(
            *(
                self.client.find_creatives(
                    advertiser, [{"field": "AD_CREATIVE_ID", "value": i, "include": True} for i in chunk]
                )
                for advertiser, chunk in reads
            )
        )
        types = {
            (advertiser, str(row.get("adCreativeId"))): row.get("creativeType")
            for (advertiser, _), rows in zip(reads, pages, strict=True)
            for row in rows
        }
        problems: list[Diagnostic] = []
        for resource in associations:
            advertiser = resource.scope.get(mapping.ADVERTISER, "")
            creative = str(resource.attributes["creative"])
            if (advertiser, creative) not in types:
                problems.append(
                    located(
                        resource,
                        "creative",
                        f"creative {creative} does not exist in advertiser {advertiser}",
                        "write the id (or the exact name) of one of the advertiser's creatives",
                    )
                )
                continue
            kind = inventory.get(resource.parent) if resource.parent else None
            accepted = mapping.CREATIVE_TYPES_BY_INVENTORY.get(str(kind), frozenset())
            creative_type = types[(advertiser, creative)]
            if kind is not None and creative_type not in accepted:
                problems.append(
                    located(
                        resource,
                        "creative",
                        f"creative {creative} is a {creative_type} creative, which {kind} ad groups "
                        "do not accept",
                        f"associate a creative of one of these types: {', '.join(sorted(accepted))}",
                    )
                )
        return problems


def names_in(resource: Resource) -> list[tuple[str, str, str]]:
    """(discovery field, name, attribute path) of every `{name: ...}` in a resource."""
    attributes = resource.attributes
    found: list[tuple[str, str, str]] = []
    kind = resource.address.kind
    if kind == "campaign":
        for i, item in enumerate(attributes.get("conversionDefinitions") or []):
            value = item.get("conversionDefinitionId") if isinstance(item, Mapping) else None
            if isinstance(value, Mapping) and "name" in value:
                path = f"conversionDefinitions.{i}.conversionDefinitionId"
                found.append(("conversionDefinitionId", str(value["name"]), path))
    elif kind == "ad_group":
        for i, item in enumerate(attributes.get("advertisedProductCategoryIds") or []):
            if isinstance(item, Mapping) and "name" in item:
                path = f"advertisedProductCategoryIds.{i}"
                found.append(("advertisedProductCategoryIds", str(item["name"]), path))
    elif kind == "creative_association":
        creative = attributes.get("creative")
        if isinstance(creative, Mapping) and "name" in creative:
            found.append(("creative", str(creative["name"]), "creative"))
    elif kind == "targets":
        for i, target in enumerate(attributes.get("targets") or []):
            for field in ("geoLocation", "audienceId"):
                value = target.get(field) if isinstance(target, Mapping) else None
                if isinstance(value, Mapping) and "name" in value:
                    found.append((field, str(value["name"]), f"targets.{i}.{field}"))
    return found


def _replace_names(attributes: dict[str, Any], ids: Mapping[str, str]) -> dict[str, Any]:
    """A copy of `attributes` with the value at each dotted path of `ids` replaced by its id."""

    def walk(value: Any, path: str) -> Any:
        if path in ids:
            return ids[path]
        if isinstance(value, dict):
            return {k: walk(v, f"{path}.{k}" if path else k) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, f"{path}.{i}") for i, v in enumerate(value)]
        return value

    result: dict[str, Any] = walk(attributes, "")
    return result
