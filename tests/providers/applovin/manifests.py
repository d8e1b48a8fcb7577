"""Hypothesis strategies for valid AppLovin manifests, built from the manifest model (its enums, optional
fields present, absent, or null where null clears them) and the offline rules (docs/applovin-rules.md): bid
types and platforms, targets per country or in DEFAULT, creative sets with assets (text, URL or a local file
of the right properties) and the ads their templates make, source bids (some of them clears) and sources.
Nothing generated here may give an error; warnings are allowed. `edits` gives, for a generated manifest,
single-field edits of owned, changeable fields that keep it valid, with the address and field path the plan
must show."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any, get_args

from hypothesis import strategies as st

from reconciler.manifest import applovin as model
from reconciler.providers.applovin import mapping
from reconciler.sandbox.applovin.seed import EXAMPLE_APPS, SOURCE_APPS
from tests.media import gif, jpeg, mp4, png

Draw = Callable[[st.SearchStrategy[Any]], Any]
Manifest = dict[str, Any]
Files = dict[str, bytes]
"""Asset files of a manifest: path relative to the manifest's directory → content."""


def choices(annotated: Any) -> list[str]:
    """The values of one of the model's enums (`Annotated[Literal[...], CaseInsensitive()]`)."""
    (literal, *_) = get_args(annotated)
    return list(get_args(literal))


BID_TYPES = choices(model.BidType)
TRACKING = choices(model.TrackingMethod)
DEVICES = choices(model.DeviceType)
COUNTRIES = ["us", "gb", "de", "fr", "jp", "br", "za"]
LANGUAGES = sorted(mapping.LANGUAGES)
APPS = [app for app, _ in EXAMPLE_APPS] + [app for app, _ in SOURCE_APPS[3:8]]
WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz ABC0123456789-é", max_size=20)
NAMES = st.builds(lambda first, rest: f"Gen {first}{rest}".strip(), st.sampled_from("abcdefgXYZ"), WORDS)
"""Names starting with a letter (a YAML scalar such as `0e0` would be read as a number), never the sandbox's
seeded campaign's."""
AMOUNTS = st.one_of(
    st.integers(0, 5000),
    st.integers(1, 500_000).map(lambda n: n / 100),
    st.integers(1, 9999).map(lambda n: n / 1000),
)
RATINGS = st.integers(0, 10).map(lambda n: f"{n / 2:.1f}")

MEDIA: dict[str, Callable[[int], tuple[str, bytes]]] = {
    "IMG_BANNER": lambda n: (f"banner{n}.png", png(320, 50)),
    "IMG_LEADER": lambda n: (f"leader{n}.gif", gif(728, 90)),
    "IMG_MREC": lambda n: (f"mrec{n}.jpg", jpeg(300, 250)),
    "IMG_NATIVE": lambda n: (f"native{n}.png", png(1200, 627 + n % 2)),
    "IMG_ICON": lambda n: (f"icon{n}.png", png(512, 512)),
    "IMG_INTER_L": lambda n: (f"land{n}.jpg", jpeg(1920 + n, 1080)),
    "IMG_INTER_P": lambda n: (f"port{n}.png", png(1080, 1920 + n)),
    "VID_LONG_L": lambda n: (f"long-l{n}.mp4", mp4(1280, 720, 15.5 + n)),
    "VID_LONG_P": lambda n: (f"long-p{n}.mp4", mp4(1280, 720, 30 + n, turned=True)),
    "VID_SHORT_L": lambda n: (f"short-l{n}.mp4", mp4(1920, 1080, 14.5 - n / 10)),
    "VID_SHORT_P": lambda n: (f"short-p{n}.mov", mp4(720, 1280, 6 + n)),
    "HOSTED_HTML": lambda n: (f"play{n}.html", f"<!doctype html><html><body>{n}</body></html>".encode()),
}
"""A local file of each file asset type, with the properties the guide's asset types table gives it."""


def media_file(asset_type: str, n: int) -> tuple[str, bytes]:
    """File `n` of `asset_type`: its own name and content (trailing bytes no reader looks at)."""
    name, content = MEDIA[asset_type](n)
    return name, content + f"#{n}".encode()


def optional(draw: Draw, target: dict[str, Any], name: str, values: st.SearchStrategy[Any]) -> None:
    """Set `name` in `target` to a drawn value, or leave it out."""
    if draw(st.booleans()):
        target[name] = draw(values)


def nullable(values: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """The values, or null (a field the platform keeps empty takes null to clear it)."""
    return st.one_of(st.none(), values)


def subset(values: list[str], low: int = 0, high: int | None = None) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(values), min_size=low, max_size=high or len(values), unique=True)


# -- campaign -----------------------------------------------------------------------------------------


@st.composite
def targets(draw: Draw, platform: str | None) -> dict[str, Any]:
    """Per country or per campaign, as the guide says: DEFAULT holds the bid and budget (and URLs) and the
    countries are bare, or every country holds its own."""
    countries = draw(subset(COUNTRIES, 1, 4))
    found: dict[str, Any] = {"countries": {}}
    shared = draw(st.booleans())
    for country in ["DEFAULT"] if shared else countries:
        values = {"bid": draw(AMOUNTS), "budget": draw(AMOUNTS)}
        optional(draw, values, "click_url", st.just(f"https://t.example/c?c={country}&id={{IDFA}}"))
        optional(draw, values, "impression_url", st.just(f"https://t.example/i?c={country}"))
        found["countries"][country] = values
    if shared:
        found["countries"].update({c: {} for c in countries if draw(st.booleans())})
    if platform == "ios":
        optional(draw, found, "device_types", subset(DEVICES))
    optional(draw, found, "os_major_version_min", nullable(st.integers(0, 17)))
    return found


@st.composite
def assets(draw: Draw, files: Files) -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {}
    for asset_type in draw(subset(list(mapping.ASSET_TYPES), 0, 6)):
        if asset_type == "TXT_RATING":
            found[asset_type] = {"text": draw(RATINGS)}
        elif asset_type in mapping.TEXT_TYPES:
            found[asset_type] = {"text": draw(st.one_of(WORDS, NAMES))}
        elif draw(st.booleans()):
            name, content = media_file(asset_type, len(files))
            files[f"files/{name}"] = content
            found[asset_type] = {"file": f"files/{name}"}
        else:
            found[asset_type] = {
                "url": f"https://cdn.example/{asset_type.lower()}/{draw(st.integers(0, 99))}"
            }
    return found


@st.composite
def creative_sets(draw: Draw, key: str, files: Files) -> dict[str, Any]:
    found: dict[str, Any] = {"key": key, "name": f"{draw(NAMES)} {key}"}
    optional(draw, found, "countries", nullable(subset(COUNTRIES, 0, 3)))
    optional(draw, found, "languages", nullable(subset(LANGUAGES, 0, 3)))
    optional(draw, found, "product_page", nullable(WORDS))
    optional(
        draw, found, "sizes", st.dictionaries(st.sampled_from(mapping.SET_SIZES), st.booleans(), max_size=3)
    )
    found["assets"] = draw(assets(files))
    held = set(found["assets"])
    off = {size for size, on in (found.get("sizes") or {}).items() if on is False}
    made = [t for t in mapping.expected_templates(held) if t[0] not in off]
    ads = []
    for n, (size, template) in enumerate(draw(st.lists(st.sampled_from(made), unique=True)) if made else []):
        ad: dict[str, Any] = {"key": f"ad{n}", "size": size, "template": template}
        optional(draw, ad, "name", NAMES)
        optional(draw, ad, "status", st.booleans())
        ads.append(ad)
    if ads:
        found["ads"] = ads
    return found


@st.composite
def source_bids(draw: Draw, countries: list[str]) -> list[dict[str, Any]]:
    rows = []
    pairs = draw(
        st.lists(st.tuples(st.sampled_from(APPS), st.sampled_from(countries)), max_size=4, unique=True)
    )
    for app_id, country in pairs:
        row: dict[str, Any] = {"app_id": app_id, "country": country}
        kind = draw(st.sampled_from(["bid_value", "bid_override_percentage", "clear"]))
        if kind == "clear":  # both "default": the entry clears the override (a warning)
            row.update(bid_value="default", bid_override_percentage="default")
        else:
            row[kind] = draw(AMOUNTS if kind == "bid_value" else st.integers(-90, 300))
        rows.append(row)
    return rows


@st.composite
def campaigns(draw: Draw, key: str, files: Files) -> dict[str, Any]:
    found: dict[str, Any] = {"key": key, "name": draw(NAMES)}
    platform = draw(st.sampled_from(["ios", "android", None]))
    if platform is not None:
        found["platform"] = platform
    if platform == "ios":
        optional(draw, found, "bundle_id", nullable(st.just("com.gen.game")))
        optional(draw, found, "package_name", nullable(st.integers(1, 10**10).map(str)))
    elif platform == "android":
        optional(draw, found, "package_name", nullable(st.just("com.gen.game")))
    optional(draw, found, "bid_type", st.sampled_from(BID_TYPES))
    optional(draw, found, "goal_period", nullable(st.integers(0, 30)))
    optional(draw, found, "tracking_method", st.sampled_from(TRACKING))
    optional(draw, found, "category", nullable(WORDS))
    optional(draw, found, "status", st.booleans())
    optional(draw, found, "targets", targets(platform))
    sets = draw(st.integers(0, 2))
    if sets:
        found["creative_sets"] = [draw(creative_sets(f"set{n}", files)) for n in range(sets)]
    if draw(st.booleans()):
        found["source_bids"] = draw(source_bids(COUNTRIES))
    optional(draw, found, "sources", st.dictionaries(st.sampled_from(APPS), st.booleans(), max_size=3))
    return found


@st.composite
def manifests(draw: Draw) -> tuple[Manifest, Files]:
    files: Files = {}
    count = draw(st.integers(1, 2))
    found = [draw(campaigns(f"c{n}", files)) for n in range(count)]
    names = [c["name"] for c in found]
    if len(set(names)) != len(names):  # campaigns are found again by name after a lost answer
        for n, campaign in enumerate(found):
            campaign["name"] = f"{campaign['name']} {n}"
    return {"platform": "applovin", "campaigns": found}, files


# -- edits --------------------------------------------------------------------------------------------

Edit = tuple[Manifest, Files, str, str]
"""(edited manifest, its files, the address that must change, the one field path that must change)."""


def _other(draw: Draw, values: st.SearchStrategy[Any], old: Any) -> Any:
    """A value that differs from `old` as the plan compares them (numbers at 4 decimal digits)."""

    def same(value: Any) -> bool:
        numbers = isinstance(value, int | float) and isinstance(old, int | float)
        return round(float(value), 4) == round(float(old), 4) if numbers else bool(value == old)

    return draw(values.filter(lambda v: not same(v)))


@st.composite
def edits(draw: Draw, manifest: Manifest, files: Files) -> Edit:
    """One owned, changeable field of the manifest, changed."""
    edited, new_files = copy.deepcopy(manifest), dict(files)
    c = draw(st.sampled_from(range(len(edited["campaigns"]))))
    campaign = edited["campaigns"][c]
    key = campaign["key"]
    options: list[str] = []  # the deeper kinds first: Hypothesis draws the first choices most
    if campaign.get("creative_sets"):
        if any(s.get("ads") for s in campaign["creative_sets"]):
            options.append("ad.name")
        if any(s["assets"] for s in campaign["creative_sets"]):
            options.append("asset.content")
        options += ["set.sizes", "set.languages", "set.name"]
    if any(r.get("bid_value", "default") != "default" for r in campaign.get("source_bids") or []):
        options.append("source_bids.value")
    if campaign.get("sources"):
        options.append("sources.status")
    if "targets" in campaign:
        options += ["targets.shared", "targets.values", "targets.os"]
    if "status" in campaign:
        options.append("campaign.status")
    if "tracking_method" in campaign:
        options.append("campaign.tracking_method")
    options += ["campaign.category", "campaign.name"]
    what = draw(st.sampled_from(options), label="edit")
    kind, _, name = what.partition(".")
    if kind == "campaign":
        if name == "status":
            campaign["status"] = not campaign["status"]
        else:
            values = {
                "name": NAMES.map(lambda n: f"{n} edited"),
                "category": WORDS,
                "tracking_method": st.sampled_from(TRACKING),
            }[name]
            campaign[name] = _other(draw, values, campaign.get(name))
        return edited, new_files, f"applovin.campaign.{key}", name
    address = f"applovin.targets.{key}"
    if what == "targets.values":
        rows = campaign["targets"]["countries"]
        valued = [c for c, v in rows.items() if v]
        country = draw(st.sampled_from(valued))
        field = draw(st.sampled_from(["bid", "budget"]))
        rows[country][field] = _other(draw, AMOUNTS, rows[country][field])
        return edited, new_files, address, "countries"
    if what == "targets.shared":  # per country ↔ per campaign (DEFAULT), the guide's two shapes
        rows = campaign["targets"]["countries"]
        default = rows.pop("DEFAULT", None)
        if default:
            for country in [c for c in rows if not rows[c]] or ["us"]:
                rows[country] = {"bid": draw(AMOUNTS), "budget": draw(AMOUNTS)}
        else:
            rows.update({c: {} for c in rows}, DEFAULT={"bid": draw(AMOUNTS), "budget": draw(AMOUNTS)})
        return edited, new_files, address, "countries"
    if what == "targets.os":
        old = campaign["targets"].get("os_major_version_min")
        campaign["targets"]["os_major_version_min"] = _other(draw, st.integers(0, 17), old)
        return edited, new_files, address, "os_major_version_min"
    if kind == "set":
        cset = draw(st.sampled_from(campaign["creative_sets"]))
        address = f"applovin.creative_set.{key}/{cset['key']}"
        if name == "name":
            cset["name"] = _other(draw, NAMES, cset["name"])
            return edited, new_files, address, "name"
        if name == "languages":
            cset["languages"] = _other(
                draw, subset(LANGUAGES, 0, 3).map(sorted), sorted(cset.get("languages") or [])
            )
            return edited, new_files, address, "languages"
        size = draw(st.sampled_from(mapping.SET_SIZES))
        # a size switched off leaves the ads already made as they are (the sandbox, as the guide implies)
        cset.setdefault("sizes", {})[size] = not (cset.get("sizes") or {}).get(size, True)
        return edited, new_files, address, f"sizes.{size}"
    if kind == "asset":
        cset = draw(st.sampled_from([s for s in campaign["creative_sets"] if s["assets"]]))
        asset_type = draw(st.sampled_from(sorted(cset["assets"])))
        address = f"applovin.asset.{key}/{cset['key']}/{asset_type}"
        asset = cset["assets"][asset_type]
        if "text" in asset:
            values = RATINGS if asset_type == "TXT_RATING" else WORDS
            cset["assets"][asset_type] = {"text": _other(draw, values, asset["text"])}
        elif "url" in asset:
            cset["assets"][asset_type] = {"url": asset["url"] + "-v2"}
        else:
            name_, content = media_file(asset_type, len(new_files) + 1)
            new_files[f"files/{name_}"] = content
            cset["assets"][asset_type] = {"file": f"files/{name_}"}
        return edited, new_files, address, "content"
    if kind == "ad":
        cset = draw(st.sampled_from([s for s in campaign["creative_sets"] if s.get("ads")]))
        ad = draw(st.sampled_from(cset["ads"]))
        ad["name"] = _other(draw, NAMES, ad.get("name"))
        return edited, new_files, f"applovin.ad.{key}/{cset['key']}/{ad['key']}", "name"
    if kind == "source_bids":
        rows = [r for r in campaign["source_bids"] if r.get("bid_value", "default") != "default"]
        row = draw(st.sampled_from(rows))
        row["bid_value"] = _other(draw, AMOUNTS, row["bid_value"])
        path = f"overrides.{row['app_id']}:{row['country']}.bid_value"
        return edited, new_files, f"applovin.source_bids.{key}", path
    app = draw(st.sampled_from(sorted(campaign["sources"])))
    campaign["sources"][app] = not campaign["sources"][app]
    return edited, new_files, f"applovin.sources.{key}", f"apps.{app}"
