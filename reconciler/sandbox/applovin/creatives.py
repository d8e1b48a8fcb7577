"""AppLovin creative sets, their assets and the ads made from them.

- `POST /creative_set` (create; JSON with `campaign_id`, `name`, optional `countries`, `languages`,
  `product_page`, `sizes`) and `POST /creative_set/{creative_set_id}` (update: the fields sent).
  Objects carry `id` (the creative set id; the guide's table omits it), `campaign_id`, `name`,
  `countries` (two-letter, lower case), `languages` (the guide's codes), `product_page`, `sizes`
  (`{SIZE: bool}`, only the sizes ever switched; a size not listed is enabled), `assets`, `ads`.
  Read-only fields (`ads`, `assets`, `campaign_id`, `id`) and fields the guide does not list are ignored.
- `POST /creative_set/{id}/sizes` JSON `{"BANNER": false, "INTER": true}`: sizes `BANNER`, `CTV`,
  `INTER`, `PRELOAD`; sizes not named are unchanged. Answer: the creative set.
- `GET /creative_sets/{campaign_id}` → JSON array of creative sets (with assets and ads).
- `POST /creative_set_assets/{creative_set_id}`: multipart form (form-encoded is accepted without a
  file), one asset a request. Fields `type`, `asset` (URL, text, or the `hash` of a file already
  uploaded to this account), `file` (a file part; it wins over `asset` when both are sent), `update`
  and `remove` (`true`/`false`). Adding a type the set holds needs `update=true`; updating or removing
  a type the set lacks is a 404. `TXT_*` types take text only (any text, even empty; `TXT_RATING`
  0.0–5.0 in steps of 0.5); media types take an http(s) URL, a hash or a file. A file (or the hash of
  one) must have the properties the asset types table gives its type (media.py: image, video or HTML;
  the banner, leader, MREC and native sizes; landscape or portrait; videos more or less than 15 seconds);
  without `type`, the type is worked out from them (`.html` → HOSTED_HTML, an image by its size: 320×50
  banner, 728×90 leader, 300×250 MREC, 1200×627/628 native, square icon, portrait/landscape
  interstitial; a video by its orientation and length). A file's `asset` becomes
  `https://res1.applovin.com/sandbox/<md5>/<file name>` and the asset object also gets `hash` (the md5
  of the content). Answer: JSON array of the set's assets.
- Asset objects: `{type, asset, status, error_message}`; `status` is `processing` until
  `applovin_asset_delay_seconds` after the upload (judged on the sandbox clock when read), then
  `ready`, or `error` with `error_message` when the asset's URL or file name contains "corrupt", or for
  a share `applovin_asset_error_share` of assets chosen by a hash of type and content.
- Ads are made by the platform: whenever a set is read or written, each template of the guide's table
  whose asset types are all `ready` in the set, and whose size is not switched off, gets an ad
  (`{id, creative_set_id, creative_set_name, name, size, status: true, template}`). Ads are never
  deleted; disabling a size or removing an asset leaves existing ads as they are.
- `GET /ad/{ad_id}`, `POST /ad/{ad_id}` (JSON `name`, `status`; read-only fields ignored when equal,
  refused when different; other fields ignored), `GET /ads/{creative_set_id}` → JSON array of ads.
Every refusal names its rule (rules.py).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict
from typing import Any

from reconciler.sandbox.applovin import media
from reconciler.sandbox.applovin.calls import Call, Handler
from reconciler.sandbox.applovin.campaigns import campaign_or_404, new_id
from reconciler.sandbox.applovin.errors import invalid, not_found
from reconciler.sandbox.applovin.seed import ASSET_TYPES, LANGUAGES, PLATFORM, SET_SIZES, TEMPLATES
from reconciler.sandbox.applovin.settings import Settings
from reconciler.sandbox.common.routing import Operations
from reconciler.sandbox.store import Tx

OPERATIONS: Operations[Handler] = Operations()

_COUNTRY = re.compile(r"^[a-z]{2}$")
_URL = re.compile(r"^https?://\S+$")
_HASH = re.compile(r"^[0-9a-f]{32}$")
TRUE = ("true", "1")


def _fate(asset_type: str, value: str, name: str, share: float) -> str | None:
    """The error message an asset will end with, or None when it will be ready."""
    if "corrupt" in value.lower() or "corrupt" in name.lower():
        return f"{asset_type}: the media could not be decoded (corrupt file)"
    digest = int(hashlib.sha256(f"{asset_type}:{value}".encode()).hexdigest()[:8], 16)
    if digest / 0xFFFFFFFF < share:
        return f"{asset_type}: the asset failed processing (it does not meet the ad specifications)"
    return None


def asset_view(asset: dict[str, Any], now: float) -> dict[str, Any]:
    status = "processing" if now < asset["ready_at"] else "error" if asset.get("fate") else "ready"
    view = {"type": asset["type"], "asset": asset["asset"], "status": status, "error_message": None}
    if status == "error":
        view["error_message"] = asset["fate"]
    if asset.get("hash"):
        view["hash"] = asset["hash"]
    return view


def _ads_of(tx: Tx, creative_set_id: str) -> list[dict[str, Any]]:
    return sorted(tx.all(PLATFORM, "ad", ("creative_set_id", creative_set_id)), key=lambda a: a["seq"])


def make_ads(tx: Tx, cset: dict[str, Any], now: float) -> list[dict[str, Any]]:
    """Make the ads the templates promise for the ready assets; every ad of the set."""
    ads = _ads_of(tx, cset["id"])
    ready = {a["type"] for a in cset["assets"] if asset_view(a, now)["status"] == "ready"}
    made = {(a["size"], a["template"]) for a in ads}
    for (size, template), needs in sorted(TEMPLATES.items()):
        if needs <= ready and cset["sizes"].get(size) is not False and (size, template) not in made:
            ad = {
                "id": new_id(tx, "ad"),
                "creative_set_id": cset["id"],
                "name": f"{cset['name']} {size} {template}",
                "size": size,
                "status": True,
                "template": template,
                "seq": int(tx.next_id("applovin:ad_seq", 1)),
            }
            tx.put(PLATFORM, "ad", ad["id"], ad)
            ads.append(ad)
    return ads


def ad_view(ad: dict[str, Any], set_name: str) -> dict[str, Any]:
    return {**{k: v for k, v in ad.items() if k != "seq"}, "creative_set_name": set_name}


def set_view(tx: Tx, cset: dict[str, Any], now: float) -> dict[str, Any]:
    ads = make_ads(tx, cset, now)
    view = {k: cset[k] for k in ("id", "campaign_id", "name", "countries", "languages", "product_page")}
    view["sizes"] = dict(cset["sizes"])
    view["assets"] = [asset_view(a, now) for a in cset["assets"]]
    view["ads"] = [ad_view(a, cset["name"]) for a in ads]
    return view


def _set_or_404(tx: Tx, creative_set_id: str) -> dict[str, Any]:
    found = tx.get(PLATFORM, "creative_set", creative_set_id)
    if found is None:
        raise not_found("creative set", creative_set_id)
    return found


def _sizes(body: Any, cset: dict[str, Any]) -> None:
    if not isinstance(body, dict):
        raise invalid("creative-set-field-value", "sizes must be an object of size → true/false")
    for size, on in body.items():
        if size not in SET_SIZES:
            raise invalid("creative-set-size", f"size {size!r} is not one of {', '.join(SET_SIZES)}")
        if not isinstance(on, bool):
            raise invalid("creative-set-field-value", f"sizes.{size} must be a JSON boolean")
        cset["sizes"][size] = on


def _set_fields(body: dict[str, Any], cset: dict[str, Any]) -> None:
    if "name" in body:
        if not isinstance(body["name"], str):
            raise invalid("creative-set-field-value", "name must be a string")
        cset["name"] = body["name"]
    if "countries" in body:
        countries = body["countries"] or []
        if not isinstance(countries, list) or not all(isinstance(c, str) for c in countries):
            raise invalid("creative-set-field-value", "countries must be a list of country codes")
        wrong = [c for c in countries if not _COUNTRY.match(c.lower())]
        if wrong:
            raise invalid("creative-set-country-code", f"{', '.join(wrong)}: not a two-letter country code")
        cset["countries"] = sorted({c.lower() for c in countries})
    if "languages" in body:
        languages = body["languages"] or []
        if not isinstance(languages, list):
            raise invalid("creative-set-field-value", "languages must be a list of language codes")
        unknown = [lang for lang in languages if lang not in LANGUAGES]
        if unknown:
            raise invalid(
                "creative-set-language",
                f"unknown language code(s) {', '.join(map(str, unknown))} (see the guide's table)",
            )
        cset["languages"] = sorted(set(languages))
    if "product_page" in body:
        page = body["product_page"]
        if page is not None and not isinstance(page, str):
            raise invalid("creative-set-field-value", "product_page must be a string")
        cset["product_page"] = page or None
    if "sizes" in body:
        _sizes(body["sizes"], cset)


def _saved_set(call: Call, body: dict[str, Any], cset: dict[str, Any]) -> tuple[int, Any]:
    """Write the fields of the body into the creative set and store it."""
    _set_fields(body, cset)
    call.tx.put(PLATFORM, "creative_set", cset["id"], cset)
    return 200, set_view(call.tx, cset, call.now)


@OPERATIONS.serves("POST", "/creative_set")
def create_creative_set(call: Call) -> tuple[int, Any]:
    body = call.object()
    if body.get("id") not in (None, ""):
        raise invalid(
            "creative-set-id-on-create",
            "id must not be set when creating a creative set (POST /creative_set)",
        )
    campaign_id = body.get("campaign_id")
    if not isinstance(campaign_id, str) or not campaign_id:
        raise invalid("creative-set-campaign", "campaign_id is required when creating a creative set")
    campaign_or_404(call.tx, campaign_id)
    cset: dict[str, Any] = {
        "id": new_id(call.tx, "creative_set"),
        "campaign_id": campaign_id,
        "name": "",
        "countries": [],
        "languages": [],
        "product_page": None,
        "sizes": {},
        "assets": [],
        "seq": int(call.tx.next_id("applovin:creative_set_seq", 1)),
    }
    return _saved_set(call, body, cset)


@OPERATIONS.serves("POST", "/creative_set/{creative_set_id}")
def update_creative_set(call: Call) -> tuple[int, Any]:
    return _saved_set(call, call.object(), _set_or_404(call.tx, call.params["creative_set_id"]))


@OPERATIONS.serves("POST", "/creative_set/{creative_set_id}/sizes")
def post_sizes(call: Call) -> tuple[int, Any]:
    cset = _set_or_404(call.tx, call.params["creative_set_id"])
    _sizes(call.json(), cset)
    call.tx.put(PLATFORM, "creative_set", cset["id"], cset)
    return 200, set_view(call.tx, cset, call.now)


@OPERATIONS.serves("GET", "/creative_sets/{campaign_id}")
def list_creative_sets(call: Call) -> tuple[int, Any]:
    campaign = campaign_or_404(call.tx, call.params["campaign_id"])
    sets = call.tx.all(PLATFORM, "creative_set", ("campaign_id", campaign["campaign_id"]))
    return 200, [set_view(call.tx, s, call.now) for s in sorted(sets, key=lambda s: s["seq"])]


# ---- assets ---------------------------------------------------------------------------------------


def _rating(text: str) -> None:
    try:
        value = float(text)
    except ValueError:
        raise invalid("asset-rating", f"TXT_RATING {text!r} is not a number from 0.0 to 5.0") from None
    if not 0.0 <= value <= 5.0 or (value * 2) % 1:
        raise invalid("asset-rating", f"TXT_RATING {text!r} must be 0.0–5.0 in increments of 0.5")


def _uploaded(tx: Tx, digest: str) -> dict[str, Any] | None:
    return tx.get(PLATFORM, "upload", digest)


def _content(call: Call, asset_type: str | None) -> tuple[str, str, str | None, str]:
    """(type, asset value, hash, name used to force errors) of an add or update."""
    value = call.fields.get("asset")
    upload = call.files.get("file")
    if value is None and upload is None:
        raise invalid("asset-content", "pass asset (URL, hash or text) or file")
    if upload is not None:
        if not upload.content:
            raise invalid("asset-content", f"the file {upload.filename!r} is empty")
        if asset_type is not None and asset_type.startswith("TXT_"):
            raise invalid("asset-content", f"{asset_type} takes text in the asset field, not a file")
        found = media.props(upload)
        asset_type = asset_type or media.file_type(found, upload.filename)
        media.check(asset_type, found, upload.filename)
        digest = hashlib.md5(upload.content).hexdigest()
        hosted = f"https://res1.applovin.com/sandbox/{digest}/{upload.filename}"
        upload_doc = {"hash": digest, "asset": hosted, "filename": upload.filename, "props": asdict(found)}
        call.tx.put(PLATFORM, "upload", digest, upload_doc)
        return asset_type, hosted, digest, upload.filename
    if asset_type is None:
        raise invalid("asset-type", "type is required with asset (see the asset types table)")
    value = value or ""
    if asset_type.startswith("TXT_"):
        if asset_type == "TXT_RATING":
            _rating(value.strip())
        return asset_type, value, None, ""
    if _HASH.match(value):
        known = _uploaded(call.tx, value)
        if known is None:
            raise invalid("asset-content", f"no file with hash {value!r} was uploaded to this account")
        media.check(asset_type, media.Props(**known.get("props", {"kind": "unknown"})), known["filename"])
        return asset_type, known["asset"], value, known["filename"]
    if not _URL.match(value):
        raise invalid(
            "asset-content", f"{asset_type} needs an http(s) URL, the hash of an uploaded file, or a file"
        )
    return asset_type, value, None, value


@OPERATIONS.serves("POST", "/creative_set_assets/{creative_set_id}")
def post_asset(call: Call) -> tuple[int, Any]:
    cset = _set_or_404(call.tx, call.params["creative_set_id"])
    asset_type = call.fields.get("type") or None
    if asset_type is not None and asset_type not in ASSET_TYPES:
        raise invalid("asset-type", f"asset type {asset_type!r} is not one of {', '.join(ASSET_TYPES)}")
    flags = {}
    for name in ("update", "remove"):
        raw = call.fields.get(name, "false").strip().lower()
        if raw not in ("true", "false", "1", "0", ""):
            raise invalid("asset-flag", f"{name} must be true or false")
        flags[name] = raw in TRUE
    held = {a["type"]: a for a in cset["assets"]}
    if flags["remove"]:
        if asset_type is None:
            raise invalid("asset-content", "type is required to remove an asset")
        if asset_type not in held:
            raise not_found("asset of type", asset_type)
        cset["assets"] = [a for a in cset["assets"] if a["type"] != asset_type]
    else:
        asset_type, value, digest, name = _content(call, asset_type)
        if flags["update"] and asset_type not in held:
            raise not_found("asset of type", asset_type)
        if not flags["update"] and asset_type in held:
            raise invalid(
                "asset-update-or-add",
                f"the creative set already holds a {asset_type}; pass update=true to replace it",
            )
        share = call.settings.of(PLATFORM, Settings).asset_error_share
        asset = {
            "type": asset_type,
            "asset": value,
            "hash": digest,
            "ready_at": call.now + call.settings.of(PLATFORM, Settings).asset_delay_seconds,
            "fate": _fate(asset_type, value if digest is None else digest, name, share),
        }
        cset["assets"] = [a for a in cset["assets"] if a["type"] != asset_type] + [asset]
    call.tx.put(PLATFORM, "creative_set", cset["id"], cset)
    make_ads(call.tx, cset, call.now)
    return 200, [asset_view(a, call.now) for a in cset["assets"]]


# ---- ads ------------------------------------------------------------------------------------------


def _ad_or_404(tx: Tx, ad_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    ad = tx.get(PLATFORM, "ad", ad_id)
    if ad is None:
        raise not_found("ad", ad_id)
    return ad, _set_or_404(tx, ad["creative_set_id"])


@OPERATIONS.serves("GET", "/ad/{ad_id}")
def get_ad(call: Call) -> tuple[int, Any]:
    ad, cset = _ad_or_404(call.tx, call.params["ad_id"])
    return 200, ad_view(ad, cset["name"])


@OPERATIONS.serves("POST", "/ad/{ad_id}")
def post_ad(call: Call) -> tuple[int, Any]:
    ad, cset = _ad_or_404(call.tx, call.params["ad_id"])
    body = call.object()
    view = ad_view(ad, cset["name"])
    for name in ("creative_set_id", "creative_set_name", "id", "size", "template"):
        if name in body and body[name] != view[name]:
            raise invalid("ad-field-value", f"{name} is read-only: only name and status of an ad can change")
    if "name" in body:
        if not isinstance(body["name"], str):
            raise invalid("ad-field-value", "name must be a string")
        ad["name"] = body["name"]
    if "status" in body:
        if not isinstance(body["status"], bool):
            raise invalid("ad-field-value", "status must be a JSON boolean (true or false)")
        ad["status"] = body["status"]
    call.tx.put(PLATFORM, "ad", ad["id"], ad)
    return 200, ad_view(ad, cset["name"])


@OPERATIONS.serves("GET", "/ads/{creative_set_id}")
def list_ads(call: Call) -> tuple[int, Any]:
    cset = _set_or_404(call.tx, call.params["creative_set_id"])
    return 200, [ad_view(a, cset["name"]) for a in make_ads(call.tx, cset, call.now)]
