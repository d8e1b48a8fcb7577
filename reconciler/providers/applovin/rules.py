"""AppLovin's offline rules (pure, no I/O): what the Campaign Management guide says that can be checked
without calling the API, as located `Diagnostic`s saying what is wrong and what to do.

Covered: DEFAULT vs per-country values in campaign targets, country codes, device types on iOS only,
bundle ids on iOS only, language codes and creative set sizes from the guide's tables, asset types and
their content (text for TXT_*, a URL or a file for media, ratings 0.0–5.0 in steps of 0.5), ads whose
template is in the templates table and whose assets the creative set holds, and source bids with at
most one value other than "default".
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from reconciler.model import Address, Diagnostic, Resource
from reconciler.providers.applovin.mapping import (
    AD_SIZES,
    ASSET_TYPES,
    DEFAULT_COUNTRY,
    LANGUAGES,
    SET_SIZES,
    TEMPLATES,
    TEXT_TYPES,
)
from reconciler.providers.base import located

_COUNTRY = re.compile(r"^[a-z]{2}$")
_URL = re.compile(r"^https?://\S+$")

Report = Callable[[str, str, str], None]


def validate(resources: Sequence[Resource]) -> list[Diagnostic]:
    """Every offline rule on every AppLovin resource."""
    out: list[Diagnostic] = []
    by_address = {r.address: r for r in resources}
    assets: dict[Address, set[str]] = {}
    for r in resources:
        if r.address.kind == "asset" and r.parent is not None:
            assets.setdefault(r.parent, set()).add(r.address.path[-1])
    for resource in resources:

        def report(path: str, message: str, hint: str, resource: Resource = resource) -> None:
            out.append(located(resource, path, message, hint))

        kind = resource.address.kind
        parent = by_address.get(resource.parent) if resource.parent else None
        if kind == "campaign":
            _campaign(resource.attributes, report)
        elif kind == "targets":
            platform = parent.attributes.get("platform") if parent else None
            _targets(resource.attributes, platform, report)
        elif kind == "creative_set":
            _creative_set(resource.attributes, report)
        elif kind == "asset":
            _asset(resource.address.path[-1], str(resource.attributes.get("content", "")), report)
        elif kind == "ad":
            held = assets.get(resource.parent, set()) if resource.parent else set()
            _ad(resource.attributes, held, report)
        elif kind == "source_bids":
            _source_bids(resource, report)
    return out


def _campaign(attributes: Mapping[str, Any], report: Report) -> None:
    if attributes.get("platform") == "android" and attributes.get("bundle_id"):
        report(
            "bundle_id",
            "`bundle_id` is for iOS apps only",
            "remove `bundle_id`; Android apps are identified by `package_name`",
        )


def _targets(attributes: Mapping[str, Any], platform: Any, report: Report) -> None:
    rows = [r for r in attributes.get("countries") or [] if isinstance(r, Mapping)]
    default = next((r for r in rows if r.get("country") == DEFAULT_COUNTRY), None)
    for row in rows:
        country = str(row.get("country"))
        if country != DEFAULT_COUNTRY and not _COUNTRY.match(country):
            report(
                f"countries.{country}",
                f"{country!r} is not a two-letter country code",
                "write an ISO 3166-1 alpha-2 code such as us or gb (or DEFAULT)",
            )
        has_values = any(row.get(k) is not None for k in ("bid", "budget", "click_url", "impression_url"))
        if default is not None and row is not default and has_values:
            report(
                f"countries.{country}",
                f"country {country} has its own bid, budget or URLs while DEFAULT is set: a campaign either "
                "shares the DEFAULT values or has values per country, never both",
                "move the values into DEFAULT and list the country bare (`gb: {}`), or remove DEFAULT and "
                "give every country its bid and budget",
            )
        if default is None and country != DEFAULT_COUNTRY:
            missing = [k for k in ("bid", "budget") if row.get(k) is None]
            if missing:
                report(
                    f"countries.{country}",
                    f"country {country} has no {' and no '.join(missing)}: without DEFAULT, each country "
                    "needs its own bid and budget",
                    "add the missing values, or put shared values in a DEFAULT entry",
                )
        for name in ("bid", "budget"):
            value = row.get(name)
            if isinstance(value, int | float) and value < 0:
                report(
                    f"countries.{country}.{name}",
                    f"{name} cannot be negative (got {value})",
                    "write 0 or more",
                )
    if not rows:
        report("countries", "no countries are targeted", "list at least one country (or DEFAULT)")
    if platform == "android" and attributes.get("device_types"):
        report(
            "device_types",
            "`device_types` is only supported on iOS campaigns; this campaign's platform is android",
            "remove `device_types` (Android campaigns serve on every device type)",
        )
    version = attributes.get("os_major_version_min")
    if isinstance(version, int) and version < 0:
        report(
            "os_major_version_min",
            f"os_major_version_min cannot be negative (got {version})",
            "write e.g. 14",
        )


def _creative_set(attributes: Mapping[str, Any], report: Report) -> None:
    for code in attributes.get("languages") or []:
        if code not in LANGUAGES:
            close = difflib.get_close_matches(str(code).lower(), sorted(LANGUAGES), n=3)
            hint = (
                f"did you mean {', '.join(close)}?" if close else "use a code of the guide's language table"
            )
            report("languages", f"unknown language code {code!r}", hint + " (e.g. en, fr, zh_hans)")
    for code in attributes.get("countries") or []:
        if not _COUNTRY.match(str(code)):
            report("countries", f"{code!r} is not a two-letter country code", "write a code such as us or gb")
    for size in attributes.get("sizes") or {}:
        if size not in SET_SIZES:
            report(
                f"sizes.{size}", f"unknown creative set size {size!r}", f"use one of: {', '.join(SET_SIZES)}"
            )


def _asset(asset_type: str, content: str, report: Report) -> None:
    if asset_type not in ASSET_TYPES:
        close = difflib.get_close_matches(asset_type.upper(), ASSET_TYPES, n=3)
        hint = f"did you mean {', '.join(close)}?" if close else f"use one of: {', '.join(ASSET_TYPES)}"
        report("", f"unknown asset type {asset_type!r}", hint)
        return
    kind, _, value = content.partition(":")
    if kind == "invalid":
        given = f"several of {value.replace(',', ', ')}" if value else "none"
        report(
            "content",
            f"an asset takes exactly one of `text`, `url` or `file`; {asset_type} has {given}",
            "keep one of them",
        )
        return
    if asset_type in TEXT_TYPES and kind != "text":
        report(
            "content",
            f"{asset_type} is a text asset: write `text`, not `{kind}`",
            f"write `{asset_type}: {{text: ...}}`",
        )
        return
    if asset_type not in TEXT_TYPES and kind == "text":
        report(
            "content",
            f"{asset_type} is an image, video or HTML asset: it takes a `url` or a `file`, not `text`",
            "give the asset's URL, or a local file relative to this manifest",
        )
        return
    if kind == "url" and not _URL.match(value):
        report(
            "content",
            f"{value!r} is not an http(s) URL",
            "write the full URL, e.g. https://cdn.example.com/a.mp4",
        )
    if kind == "text" and not value.strip():
        report("content", f"{asset_type} text is empty", "write the text")
    if asset_type == "TXT_RATING" and kind == "text":
        _rating(value, report)


def _rating(value: str, report: Report) -> None:
    try:
        rating = float(value)
    except ValueError:
        report("content", f"TXT_RATING must be a number from 0.0 to 5.0, got {value!r}", "write e.g. 4.5")
        return
    if not 0.0 <= rating <= 5.0 or (rating * 2) != int(rating * 2):
        report(
            "content",
            f"TXT_RATING {value} is not accepted: ratings go from 0.0 to 5.0 in increments of 0.5",
            "write one of 0.0, 0.5, 1.0, … 4.5, 5.0",
        )


def _ad(attributes: Mapping[str, Any], held: set[str], report: Report) -> None:
    size = attributes.get("size")
    template = attributes.get("template")
    if size not in AD_SIZES:
        return
    needs = TEMPLATES.get((str(size), str(template)))
    if needs is None:
        known = sorted(t for s, t in TEMPLATES if s == size)
        close = difflib.get_close_matches(str(template), known, n=1)
        hint = f"did you mean {close[0]!r}?" if close else ""
        listed = ", ".join(repr(t) for t in known) or "none (the platform makes no ads of this size)"
        report(
            "template",
            f"no template {template!r} for size {size}",
            f"{hint} templates of {size}: {listed}".strip(),
        )
        return
    missing = sorted(needs - held)
    if missing:
        report(
            "template",
            f"the platform only makes a {size} {template!r} ad when the creative set holds "
            f"{', '.join(sorted(needs))}; it lacks {', '.join(missing)}",
            "add the missing assets to the creative set, or remove this ad",
        )


def _source_bids(resource: Resource, report: Report) -> None:
    overrides = resource.attributes.get("overrides") or {}
    for key, values in overrides.items():
        country = key.rpartition(":")[2]
        path = f"overrides.{key}"
        if not _COUNTRY.match(country):
            report(path, f"{country!r} is not a two-letter country code", "write a code such as us or gb")
        if len(values) > 1:
            report(
                path,
                f"source bid {key} sets both bid_value and bid_override_percentage: at most one of them "
                'can be other than "default"',
                "keep one of the two",
            )
        elif not values:
            report(
                path,
                f"source bid {key} sets neither bid_value nor bid_override_percentage "
                '(both "default" means no override)',
                "set one of them, or remove the entry to clear the override",
            )
    for key in filter(None, resource.scope.get("duplicates", "").split(",")):
        report(
            f"overrides.{key}",
            f"source bid {key} is listed more than once",
            "keep one entry per app and country",
        )
