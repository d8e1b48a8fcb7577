"""AppLovin reference data seeded into a new sandbox database, and the guide's tables the emulator
checks against: the advertiser account, the OAuth apps, the guide's example campaign, the source apps
(publisher apps a campaign can serve on: 3,003 of them, so thousands of source-bid overrides fit), and
the enum tables (bid types, tracking methods, languages, asset types, templates).

Ids are fixed: examples and tests use them (`GET /_sandbox/fixtures` lists them). The OAuth app
secrets are sandbox-only values, listed in the fixtures on purpose.
"""

from __future__ import annotations

import hashlib
from typing import Any

from reconciler.sandbox.store import Tx

PLATFORM = "applovin"

ACCOUNT = {"account_id": "1001", "name": "Acme Games", "currency": "USD"}

SCOPE_FAMILIES = ("campaigns", "creatives", "source_bids")
SCOPES = tuple(f"{family}:{access}" for family in SCOPE_FAMILIES for access in ("read", "write"))
"""`campaigns:read`, `campaigns:write`, … : each family read and written."""

OAUTH_APPS: list[dict[str, Any]] = [
    {
        "client_id": "34af7c430e24bbccbc647ca3dd5ac858",
        "client_secret": "9538e854765525d0b34af7c430e24bbcdfd58b83f3836fd0e83cbfd1b",
        "kind": "first_party",
        "scopes": list(SCOPES),
        "redirect_uri": None,
    },
    {
        "client_id": "7c1e5d2a9b3f4e6d8a0c2b4f6e8d0a1c",
        "client_secret": "b1d3f5a7c9e2b4d6f8a0c1e3b5d7f9a2c4e6b8d0f1a3c5e7",
        "kind": "third_party",
        "scopes": list(SCOPES),
        "redirect_uri": "https://mydomain.com/oauth_code",
    },
    {
        "client_id": "5f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c",
        "client_secret": "readonly-secret-0a1b2c3d4e5f",
        "kind": "first_party",
        "scopes": [f"{family}:read" for family in SCOPE_FAMILIES],
        "redirect_uri": None,
    },
]
"""Registered OAuth apps. A client id that is not registered is taken as a first-party app with every
scope and any non-empty secret (so `endpoint: sandbox` works with no configuration); it cannot use the
third-party flow. More apps can be registered with `POST /_sandbox/applovin/oauth_apps`."""

SANDBOX_APP: dict[str, Any] = {
    "client_id": "sandbox",
    "client_secret": None,
    "kind": "sandbox",
    "scopes": list(SCOPES),
    "redirect_uri": None,
}
"""The app of the credentials reconciler sends to the embedded sandbox when a project names none
(`client_id: sandbox`): a sandbox-only kind that takes both flows (client credentials, and the
third-party authorization code with any redirect URI), any non-empty secret and every scope. It is not
stored, so databases made before it know it too."""

BID_TYPES = ("CPI", "CPP_GOAL", "RET", "CPE", "ROAS_AD_BASED", "ROAS_IAP")
APP_PLATFORMS = ("ios", "android")
TRACKING_METHODS = (
    "adjust",
    "applovin",
    "appsflyer",
    "apsalar",
    "branch",
    "custom_track",
    "justtrack",
    "kochava",
    "tenjin",
)
DEVICE_TYPES = ("phone", "tablet", "other")
LANGUAGES = frozenset(
    {
        "ar",
        "bg",
        "bn",
        "bs",
        "ca",
        "cs",
        "da",
        "de",
        "el",
        "en",
        "es",
        "et",
        "eu",
        "fa",
        "fi",
        "fr",
        "he",
        "hi",
        "hr",
        "hu",
        "id",
        "in",
        "is",
        "it",
        "iw",
        "ja",
        "jv",
        "ka",
        "ko",
        "ld",
        "lt",
        "lv",
        "mk",
        "mr",
        "ms",
        "nb",
        "nl",
        "no",
        "pl",
        "pt",
        "ro",
        "ru",
        "sk",
        "sq",
        "sr",
        "su",
        "sv",
        "th",
        "tr",
        "ug",
        "uk",
        "ur",
        "vi",
        "zh",
        "zh_hans",
        "zh_hant",
    }
)
SET_SIZES = ("BANNER", "CTV", "INTER", "PRELOAD")
"""Size designators of a creative set's `sizes` (`POST /creative_set/{id}/sizes`)."""
ASSET_TYPES = (
    "HOSTED_HTML",
    "IMG_BANNER",
    "IMG_ICON",
    "IMG_INTER_L",
    "IMG_INTER_P",
    "IMG_LEADER",
    "IMG_MREC",
    "IMG_NATIVE",
    "TXT_BUTTON",
    "TXT_RATING",
    "TXT_SUBTITLE",
    "TXT_TITLE",
    "VID_LONG_L",
    "VID_LONG_P",
    "VID_SHORT_L",
    "VID_SHORT_P",
)
_P, _L = "IMG_INTER_P", "IMG_INTER_L"
TEMPLATES: dict[tuple[str, str], frozenset[str]] = {
    ("BANNER", "Standard"): frozenset({"IMG_BANNER"}),
    ("INTER", "Landscape — Over 15s"): frozenset({_P, _L, "VID_LONG_L"}),
    ("INTER", "Landscape — Under 15s"): frozenset({_P, _L, "VID_SHORT_L"}),
    ("INTER", "Landscape Playable Endcard — Over 15s"): frozenset({"HOSTED_HTML", "VID_LONG_L"}),
    ("INTER", "Landscape Playable Endcard — Under 15s"): frozenset({"HOSTED_HTML", "VID_SHORT_L"}),
    ("INTER", "Portrait — Over 15s"): frozenset({_P, _L, "VID_LONG_P"}),
    ("INTER", "Portrait — Under 15s"): frozenset({_P, _L, "VID_SHORT_P"}),
    ("INTER", "Portrait Playable Endcard — Over 15s"): frozenset({"HOSTED_HTML", "VID_LONG_P"}),
    ("INTER", "Portrait Playable Endcard — Under 15s"): frozenset({"HOSTED_HTML", "VID_SHORT_P"}),
    ("INTER", "Rewarded Playable"): frozenset({"HOSTED_HTML"}),
    ("INTER", "Standard"): frozenset({_P, _L}),
    ("INTER", "Standard Playable"): frozenset({"HOSTED_HTML"}),
    ("LEADER", "Standard"): frozenset({"IMG_LEADER"}),
    ("MREC", "Standard"): frozenset({"IMG_MREC"}),
}
"""The guide's templates table as (ad size, template name) → asset types needed. `Preload / Standard`
needs no asset ("n/a") and is never generated from assets."""

EXAMPLE_CAMPAIGN_ID = "29d66efc22ae53a201e1532265b83f12"
EXAMPLE_APPS = [
    ("da605e6f950f1aec838816df845e95e0c8d5cb7a994d71ae0ef2", "f950f1aec838816df845e95e0c8da605e6"),
    ("4b1c9e0f2a7d6c5b8e3f1a0d9c8b7a6e5f4d3c2b1a0f", "9e0f2a7d6c5b8e3f1a0d9c8b7a6e5f4d3c"),
    ("7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b", "5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e"),
]
GENERATED_APPS = 3000


def _generated_app(n: int) -> tuple[str, str]:
    """A source app id (always starts with a letter, so YAML keeps it a string) and its external id."""
    digest = hashlib.sha256(f"source-app-{n}".encode()).hexdigest()
    return "a" + digest[:43], hashlib.md5(f"external-{n}".encode()).hexdigest() + "e6"


SOURCE_APPS: list[tuple[str, str]] = [*EXAMPLE_APPS, *(_generated_app(n) for n in range(GENERATED_APPS))]
"""(app_id, app_id_external) of every source app, in the order `/sources` lists them."""
SOURCE_APP_IDS: dict[str, str] = dict(SOURCE_APPS)

SEEDED_AT = "2026-11-02"

CAMPAIGNS: list[dict[str, Any]] = [
    {
        "campaign_id": EXAMPLE_CAMPAIGN_ID,
        "name": "Foobidyfoo iOS UA",
        "bid_type": "CPI",
        "platform": "ios",
        "bundle_id": "com.foobidyfoo.game",
        "package_name": "1122334455",
        "tracking_method": "adjust",
        "category": "Games",
        "goal_period": None,
        "status": True,
        "created": SEEDED_AT,
        "seq": 0,
    }
]
TARGETS: dict[str, dict[str, Any]] = {
    EXAMPLE_CAMPAIGN_ID: {
        "countries": {
            "DEFAULT": {"country": "DEFAULT", "bid": 2.9, "budget": 1000, "disabled": False},
            "gb": {"country": "gb", "disabled": False},
            "za": {"country": "za", "disabled": False},
        },
        "device_types": ["phone", "other"],
        "os_major_version_min": 9,
    }
}


def seed(tx: Tx) -> None:
    """Write the reference data (called once per database, inside its creating transaction)."""
    tx.put(PLATFORM, "account", ACCOUNT["account_id"], dict(ACCOUNT))
    for app in OAUTH_APPS:
        tx.put(PLATFORM, "oauth_app", app["client_id"], dict(app))
    for campaign in CAMPAIGNS:
        tx.put(PLATFORM, "campaign", campaign["campaign_id"], dict(campaign))
    for campaign_id, targets in TARGETS.items():
        tx.put(PLATFORM, "targets", campaign_id, dict(targets))


def fixtures() -> dict[str, Any]:
    """The seeded ids, as `GET /_sandbox/fixtures` reports them."""
    return {
        "account": dict(ACCOUNT),
        "oauth_apps": [dict(app) for app in [*OAUTH_APPS, SANDBOX_APP]],
        "campaigns": [{"campaign_id": c["campaign_id"], "name": c["name"]} for c in CAMPAIGNS],
        "apps": [{"app_id": a, "app_id_external": e} for a, e in SOURCE_APPS],
    }
