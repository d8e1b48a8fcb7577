"""The checks behind AppLovin's offline rules (rules.py pairs each with its code and the guide's sentence):
pure functions of one resource, its parent and its siblings, that report located problems.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from typing import Any

from reconciler.providers.applovin import media
from reconciler.providers.applovin.mapping import (
    AD_SIZES,
    ASSET_TYPES,
    COUNTRY_FIELDS,
    DEFAULT_COUNTRY,
    FILE_KINDS,
    IMAGE_SIZES,
    LANGUAGES,
    ORIENTATIONS,
    SET_SIZES,
    TEMPLATES,
    TEXT_TYPES,
    VIDEO_SECONDS,
)
from reconciler.providers.kit.rules import Check, Checker

_COUNTRY = re.compile(r"^[a-z]{2}$")
_URL = re.compile(r"^https?://\S+$")
_ITUNES_ID = re.compile(r"^[0-9]+$")


# -- campaigns ---------------------------------------------------------------------------------------


def bundle_id_ios_only(c: Checker) -> None:
    if c.get("platform", None) == "android" and c.get("bundle_id", None):
        c.report(
            "bundle_id",
            "`bundle_id` is for iOS apps only; this campaign's platform is android",
            "remove `bundle_id`; Android apps are identified by `package_name`",
        )


def package_name_ios(c: Checker) -> None:
    package = c.get("package_name", None)
    if c.get("platform", None) == "ios" and package is not None and not _ITUNES_ID.match(str(package)):
        digits = re.sub(r"[^0-9]", "", str(package))
        example = (
            f'`package_name: "{digits}"`' if digits else 'the digits of the iTunes id, e.g. "1234567890"'
        )
        c.report(
            "package_name",
            f"package_name {package!r} is not the numeric portion of the iTunes id: on iOS AppLovin takes "
            "the digits only",
            f"write {example}",
        )


# -- campaign targets ---------------------------------------------------------------------------------


def _rows(c: Checker) -> list[Mapping[str, Any]]:
    return [r for r in c.get("countries", None) or [] if isinstance(r, Mapping)]


def _default(c: Checker) -> Mapping[str, Any]:
    """The DEFAULT row (empty when there is none)."""
    return next((r for r in _rows(c) if r.get("country") == DEFAULT_COUNTRY), {})


def _countries(c: Checker) -> list[Mapping[str, Any]]:
    return [r for r in _rows(c) if r.get("country") != DEFAULT_COUNTRY]


def _has(row: Mapping[str, Any], *names: str) -> bool:
    return any(row.get(n) not in (None, "") for n in names)


def country_code(c: Checker) -> None:
    for row in _countries(c):
        country = str(row.get("country"))
        if not _COUNTRY.match(country):
            c.report(
                f"countries.{country}",
                f"{country!r} is not a two-letter country code (nor DEFAULT)",
                "write an ISO 3166-1 alpha-2 code such as us or gb, or DEFAULT",
            )


def default_or_each_country(c: Checker) -> None:
    if not _has(_default(c), *COUNTRY_FIELDS):
        return
    for row in _countries(c):
        if _has(row, *COUNTRY_FIELDS):
            country = row.get("country")
            c.report(
                f"countries.{country}",
                f"country {country} has its own bid, budget or URL while DEFAULT has values too: the bid, "
                "budget, and URL values go either in the DEFAULT object or in each country-specific object, "
                "not both",
                "move the values into DEFAULT and list the country bare (`gb: {}`), or empty DEFAULT and "
                "give every country its bid and budget",
            )


def per_country(field: str) -> Check:
    """Without the value in DEFAULT (per campaign), each country needs its own (per country)."""

    def check(c: Checker) -> None:
        default, rows = _default(c), _countries(c)
        if _has(default, field):
            return
        if _has(default, *COUNTRY_FIELDS):
            c.report(
                "countries.DEFAULT",
                f"DEFAULT carries the values shared by all countries but no {field}, and the countries "
                "cannot carry their own while it does",
                f"add `{field}` to DEFAULT",
            )
            return
        for row in rows:
            if not _has(row, field):
                country = row.get("country")
                c.report(
                    f"countries.{country}",
                    f"country {country} has no {field}: without one in DEFAULT (shared by all countries), "
                    "each country needs its own",
                    f"give {country} a `{field}`, or put one {field} for all countries in DEFAULT",
                )

    return check


def device_types_ios_only(c: Checker) -> None:
    campaign = c.parent("campaign")
    platform = campaign.attributes.get("platform") if campaign else None
    if platform == "android" and c.get("device_types", None):
        c.report(
            "device_types",
            "`device_types` is only supported on iOS; this campaign's platform is android",
            "remove `device_types` (Android campaigns serve on every device type)",
        )


def countries_listed(c: Checker) -> None:
    if not _rows(c):
        c.report("countries", "no countries are targeted", "list at least one country (or DEFAULT)")


def amounts_not_negative(c: Checker) -> None:
    for row in _rows(c):
        for name in ("bid", "budget"):
            value = row.get(name)
            if isinstance(value, int | float) and value < 0:
                c.report(
                    f"countries.{row.get('country')}.{name}",
                    f"{name} is negative ({value})",
                    "write 0 or more",
                )


def goal_period_not_negative(c: Checker) -> None:
    period = c.get("goal_period", None)
    if isinstance(period, int) and period < 0:
        c.report("goal_period", f"goal_period is negative ({period})", "write a number of days, e.g. 7")


def os_version_not_negative(c: Checker) -> None:
    version = c.get("os_major_version_min", None)
    if isinstance(version, int) and version < 0:
        c.report("os_major_version_min", f"os_major_version_min is negative ({version})", "write e.g. 14")


# -- creative sets ------------------------------------------------------------------------------------


def languages(c: Checker) -> None:
    for code in c.get("languages", None) or []:
        if code not in LANGUAGES:
            close = difflib.get_close_matches(str(code).lower(), sorted(LANGUAGES), n=3)
            hint = (
                f"did you mean {', '.join(close)}?" if close else "use a code of the guide's language table"
            )
            c.report("languages", f"unknown language code {code!r}", hint + " (e.g. en, fr, zh_hans)")


def set_country_code(c: Checker) -> None:
    for code in c.get("countries", None) or []:
        if not _COUNTRY.match(str(code)):
            c.report(
                "countries", f"{code!r} is not a two-letter country code", "write a code such as us or gb"
            )


def set_countries_targeted(c: Checker) -> None:
    campaign = c.parent("campaign")
    targets = [r for r in c.siblings("targets") if campaign and r.parent == campaign.address]
    rows = [r for t in targets for r in t.attributes.get("countries") or [] if isinstance(r, Mapping)]
    targeted = {str(r.get("country")) for r in rows} - {DEFAULT_COUNTRY}
    outside = sorted(
        str(code) for code in c.get("countries", None) or [] if targeted and code not in targeted
    )
    if outside:
        c.report(
            "countries",
            f"{', '.join(outside)} {'is' if len(outside) == 1 else 'are'} not among the campaign's target "
            "countries: AppLovin will not serve this creative set there",
            f"add {', '.join(outside)} to the campaign's targets, or remove "
            f"{'it' if len(outside) == 1 else 'them'} here",
        )


def sizes(c: Checker) -> None:
    for size in c.get("sizes", None) or {}:
        if size not in SET_SIZES:
            c.report(
                f"sizes.{size}", f"unknown creative set size {size!r}", f"use one of: {', '.join(SET_SIZES)}"
            )


# -- assets -------------------------------------------------------------------------------------------


def _content(c: Checker) -> tuple[str, str, str]:
    """(asset type, kind of content: text, url, file, sha256 or invalid, value)."""
    kind, _, value = str(c.get("content", "")).partition(":")
    return c.resource.address.path[-1], kind, value


def asset_type(c: Checker) -> None:
    asset_type = c.resource.address.path[-1]
    if asset_type not in ASSET_TYPES:
        close = difflib.get_close_matches(asset_type.upper(), ASSET_TYPES, n=3)
        hint = f"did you mean {', '.join(close)}?" if close else f"use one of: {', '.join(ASSET_TYPES)}"
        c.report("", f"unknown asset type {asset_type!r}", hint)


def one_content(c: Checker) -> None:
    asset_type, kind, value = _content(c)
    if kind == "invalid":
        given = f"several of {value.replace(',', ', ')}" if value else "none"
        c.report(
            "content",
            f"an asset takes exactly one of `text`, `url` or `file`; {asset_type} has {given}",
            "keep one of them",
        )


def content_kind(c: Checker) -> None:
    asset_type, kind, _ = _content(c)
    if asset_type not in ASSET_TYPES or kind == "invalid":
        return
    if asset_type in TEXT_TYPES and kind != "text":
        c.report(
            "content",
            f"{asset_type} is a text asset: write `text`, not `{kind}`",
            f"write `{asset_type}: {{text: ...}}`",
        )
    elif asset_type not in TEXT_TYPES and kind == "text":
        c.report(
            "content",
            f"{asset_type} is an image, video or HTML asset: it takes a `url` or a `file`, not `text`",
            "give the asset's URL, or a local file relative to this manifest",
        )


def url(c: Checker) -> None:
    _, kind, value = _content(c)
    if kind == "url" and not _URL.match(value):
        c.report(
            "content",
            f"{value!r} is not an http(s) URL",
            "write the full URL, e.g. https://cdn.example.com/a.mp4",
        )


def text_not_empty(c: Checker) -> None:
    asset_type, kind, value = _content(c)
    if kind == "text" and not value.strip():
        c.report("content", f"{asset_type} text is empty", "write the text")


def rating(c: Checker) -> None:
    asset_type, kind, value = _content(c)
    if asset_type != "TXT_RATING" or kind != "text":
        return
    try:
        rating = float(value)
    except ValueError:
        c.report("content", f"TXT_RATING must be a number from 0.0 to 5.0, got {value!r}", "write e.g. 4.5")
        return
    if not 0.0 <= rating <= 5.0 or (rating * 2) != int(rating * 2):
        c.report(
            "content",
            f"TXT_RATING {value} is not accepted: ratings go from 0.0 to 5.0 in increments of 0.5",
            "write one of 0.0, 0.5, 1.0, … 4.5, 5.0",
        )


# -- ads ----------------------------------------------------------------------------------------------


def template(c: Checker) -> None:
    size, template = c.get("size", None), c.get("template", None)
    if size not in AD_SIZES or (str(size), str(template)) in TEMPLATES:
        return
    known = sorted(t for s, t in TEMPLATES if s == size)
    close = difflib.get_close_matches(str(template), known, n=1)
    hint = f"did you mean {close[0]!r}?" if close else ""
    listed = ", ".join(repr(t) for t in known) or "none (the platform makes no ads of this size)"
    c.report(
        "template",
        f"no template {template!r} for size {size}",
        f"{hint} templates of {size}: {listed}".strip(),
    )


def template_assets(c: Checker) -> None:
    needs = TEMPLATES.get((str(c.get("size", None)), str(c.get("template", None))))
    if needs is None:
        return
    held = {r.address.path[-1] for r in c.siblings("asset")}
    missing = sorted(needs - held)
    if missing:
        c.report(
            "template",
            f"AppLovin only makes a {c.get('size')} {c.get('template')!r} ad once the creative set holds "
            f"{', '.join(sorted(needs))}; it lacks {', '.join(missing)}",
            "add the missing assets to the creative set, or remove this ad",
        )


# -- source bids --------------------------------------------------------------------------------------


def _overrides(c: Checker) -> list[tuple[str, Mapping[str, Any]]]:
    found = c.get("overrides", None) or {}
    return sorted(found.items()) if isinstance(found, Mapping) else []


def bid_country(c: Checker) -> None:
    for key, _ in _overrides(c):
        country = key.rpartition(":")[2]
        if not _COUNTRY.match(country):
            c.report(
                f"overrides.{key}",
                f"{country!r} is not a two-letter country code",
                "write a code such as us or gb",
            )


def one_override(c: Checker) -> None:
    for key, values in _overrides(c):
        if len(values) > 1:
            c.report(
                f"overrides.{key}",
                f"source bid {key} sets both bid_value and bid_override_percentage: at most one of them can "
                'be other than "default"',
                "keep one of the two",
            )


def _flagged(scope_key: str, message: str, hint: str) -> Check:
    """A check reporting each source bid the manifest flagged in the scope's `scope_key` (comma-separated
    keys; `{key}` in `message`)."""

    def check(c: Checker) -> None:
        for key in filter(None, c.resource.scope.get(scope_key, "").split(",")):
            c.report(f"overrides.{key}", message.format(key=key), hint)

    return check


not_a_clear = _flagged(
    "cleared",
    'source bid {key} sets neither bid_value nor bid_override_percentage: both "default" clears the '
    "override, the same as leaving the entry out",
    "set one of them to override the bid, or remove the entry",
)
listed_once = _flagged(
    "duplicates", "source bid {key} is listed more than once", "keep one entry per app and country"
)


# -- asset files (the file's properties, read by the provider when the plan hashes it) ----------------

_NOUNS = {"image": "an image", "video": "a video", "html": "an HTML file"}


def _file(c: Checker) -> tuple[str, str, dict[str, Any]]:
    """(asset type, file name, the file's properties: media.probe's, empty when not read)."""
    asset_type = c.resource.address.path[-1]
    found: dict[str, Any] = c.get("media", None) or {}
    return asset_type, c.resource.scope.get("file", "the file"), found


def file_kind(c: Checker) -> None:
    asset_type, name, found = _file(c)
    family, kind = FILE_KINDS.get(asset_type), found.get("kind")
    if family and kind in _NOUNS and kind != family:
        c.report(
            "content",
            f"{name} is {_NOUNS[kind]}; {asset_type} takes {_NOUNS[family]}",
            f"give {asset_type} {_NOUNS[family]}, or put this file under the asset type it is",
        )


def image_size(c: Checker) -> None:
    asset_type, name, found = _file(c)
    sizes = IMAGE_SIZES.get(asset_type)
    size = (found.get("width"), found.get("height"))
    if sizes and found.get("kind") == "image" and size[0] and size not in sizes:
        wanted = " or ".join(f"{w}×{h}" for w, h in sorted(sizes, reverse=True))
        c.report(
            "content",
            f"{name} is {size[0]}×{size[1]}; AppLovin's {asset_type} is {wanted}",
            f"use an image of {wanted}",
        )


def orientation(c: Checker) -> None:
    asset_type, name, found = _file(c)
    wanted, actual = ORIENTATIONS.get(asset_type), media.shape(found)
    if wanted and actual and actual != wanted and found.get("kind") == FILE_KINDS[asset_type]:
        c.report(
            "content",
            f"{name} is {actual} ({found['width']}×{found['height']}); {asset_type} is {wanted}",
            f"use a {wanted} {FILE_KINDS[asset_type]} (wider than high for landscape, higher than wide for "
            "portrait)",
        )


def video_length(c: Checker) -> None:
    asset_type, name, found = _file(c)
    seconds = found.get("seconds")
    if not asset_type.startswith("VID_") or found.get("kind") != "video" or seconds is None:
        return
    long = asset_type.startswith("VID_LONG_")
    if (seconds <= VIDEO_SECONDS) if long else (seconds >= VIDEO_SECONDS):
        other = asset_type.replace("LONG", "SHORT") if long else asset_type.replace("SHORT", "LONG")
        c.report(
            "content",
            f"{name} lasts {seconds:g} seconds; {asset_type} is a video {'more' if long else 'less'} than 15 "
            "seconds",
            f"put it under {other}"
            if seconds != VIDEO_SECONDS
            else "neither type takes a video of exactly 15 seconds: trim or extend it",
        )
