"""What the provider conformance suite needs to know of each platform: its example project, a create whose
answer can be lost, how to list what is live through the platform's own API, an edit the platform refuses
for one item only, and an owned field the manifests can stop setting.

Everything else in the suite is the same for every platform (tests/providers/test_conformance.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx


@dataclass(frozen=True)
class Profile:
    platform: str
    example: str
    prefix: str
    credentials: dict[str, str]
    """Environment variables for a served endpoint."""
    lost_create: str
    """`--faults-only` pattern of a create call (`METHOD path`) whose answer the sandbox loses."""
    live_names: Callable[[httpx.Client], list[str]]
    """Names of the live objects of the kind `lost_create` makes, through the platform's API."""
    poison: Callable[[Path], str]
    """Edits the project so that the platform refuses exactly one item; returns that item's address."""
    drop_field: Callable[[Path], tuple[str, str, Any]]
    """Stops setting one optional owned field; returns (address, field path, the value it is released to)."""
    auth_endpoint: bool = False
    batching: bool = field(default=True)


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _token(client: httpx.Client, path: str, form: dict[str, str]) -> str:
    answer = client.post(path, data=form)
    answer.raise_for_status()
    return str(answer.json()["access_token"])


# -- Criteo -----------------------------------------------------------------------------------------------


def _criteo_names(client: httpx.Client) -> list[str]:
    token = _token(
        client,
        "/criteo/oauth2/token",
        {"grant_type": "client_credentials", "client_id": "auditor", "client_secret": "x"},
    )
    answer = client.post(
        "/criteo/2027-01/marketing-solutions/campaigns/search",
        json={"filters": {"advertiserIds": ["12345"]}},
        headers={"Authorization": f"Bearer {token}"},
    )
    answer.raise_for_status()
    return [str(c["attributes"]["name"]) for c in answer.json()["data"]]


def _criteo_poison(project: Path) -> str:
    """An audience that does not exist on one of three ad sets: its link is refused, the others are made."""
    manifest = project / "campaigns" / "retargeting.yaml"
    _edit(manifest, 'audience: "9877"', 'audience: "9999999"')
    return "criteo.ad_set.summer-retargeting/es-lookalikes"


def _criteo_drop(project: Path) -> tuple[str, str, Any]:
    manifest = project / "campaigns" / "retargeting.yaml"
    _edit(manifest, "          endDate: 2027-08-31T23:59:59Z\n", "")
    return "criteo.ad_set.summer-retargeting/fr-cart-abandoners", "schedule.endDate", None


# -- Amazon DSP -------------------------------------------------------------------------------------------


def _amazon_names(client: httpx.Client) -> list[str]:
    token = _token(
        client,
        "/amazon-dsp/auth/o2/token",
        {"grant_type": "refresh_token", "refresh_token": "r", "client_id": "auditor", "client_secret": "x"},
    )
    answer = client.post(
        "/amazon-dsp/dsp/v1/campaigns/list",
        json={"maxResults": 100},
        headers={
            "Authorization": f"Bearer {token}",
            "Amazon-Advertising-API-ClientId": "auditor",
            "Amazon-Ads-AccountId": "520724305968518499",
        },
    )
    answer.raise_for_status()
    return [str(c["name"]) for c in answer.json()["campaigns"]]


def _amazon_poison(project: Path) -> str:
    """A location id that does not exist in one of an ad group's target sets, sent in one request with the
    ad group's other target sets: Amazon refuses that set's items only."""
    manifest = project / "campaigns" / "q1-launch.yaml"
    _edit(manifest, "XHvCjcKHXmJ7woVowo7CjmvCjcKWbMKHwp3CsGvCk8Krcms=", "bm9TdWNoTG9jYXRpb25Bbnl3aGVyZQ==")
    return "amazon_dsp.targets.q1-launch/display/location"


def _amazon_drop(project: Path) -> tuple[str, str, Any]:
    manifest = project / "campaigns" / "q1-launch.yaml"
    cap = "          - {frequencyType: CAPPED, maxImpressions: 5, timeUnitCount: 1, timeUnit: DAYS}\n"
    _edit(manifest, "        frequencies:\n" + cap, "")
    return "amazon_dsp.ad_group.q1-launch/display", "frequencies", [{"frequencyType": "UNCAPPED"}]


# -- AppLovin ---------------------------------------------------------------------------------------------


def _applovin_names(client: httpx.Client) -> list[str]:
    token = _token(
        client,
        "/applovin/oauth/v1/access_token",
        {
            "grant_type": "client_credentials",
            "client_id": "auditor",
            "client_secret": "x",
            "scope": "campaigns:read",
        },
    )
    answer = client.get(
        "/applovin/campaign_management/v1/campaigns", headers={"Authorization": f"Bearer {token}"}
    )
    answer.raise_for_status()
    rows = answer.json()
    return [str(c["name"]) for c in (rows if isinstance(rows, list) else rows["campaigns"])]


def _applovin_poison(project: Path) -> str:
    """A source app that does not exist in the source bids; the creative sets, ads and targets are made."""
    manifest = project / "campaigns" / "puzzle-ios.yaml"
    _edit(
        manifest,
        "7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b",
        "0000000000000000000000000000000000000000000000",
    )
    return "applovin.source_bids.puzzle-ios"


def _applovin_drop(project: Path) -> tuple[str, str, Any]:
    manifest = project / "campaigns" / "puzzle-ios.yaml"
    _edit(manifest, "      device_types: [phone, tablet]\n", "")
    return "applovin.targets.puzzle-ios", "device_types", []


PROFILES = {
    p.platform: p
    for p in (
        Profile(
            platform="criteo",
            example="criteo-retargeting",
            prefix="/criteo",
            credentials={"CRITEO_CLIENT_ID": "acme-ci", "CRITEO_CLIENT_SECRET": "conformance-secret"},
            lost_create=r"^POST /criteo/2027-01/marketing-solutions/campaigns$",
            live_names=_criteo_names,
            poison=_criteo_poison,
            drop_field=_criteo_drop,
        ),
        Profile(
            platform="amazon_dsp",
            example="amazon-dsp-launch",
            prefix="/amazon-dsp",
            credentials={
                "AMAZON_ADS_CLIENT_ID": "acme-ci",
                "AMAZON_ADS_CLIENT_SECRET": "conformance-secret",
                "AMAZON_ADS_REFRESH_TOKEN": "conformance-refresh",
            },
            lost_create=r"^POST /amazon-dsp/dsp/v1/campaigns$",
            live_names=_amazon_names,
            poison=_amazon_poison,
            drop_field=_amazon_drop,
            auth_endpoint=True,
        ),
        Profile(
            platform="applovin",
            example="applovin-ua",
            prefix="/applovin",
            credentials={"APPLOVIN_CLIENT_ID": "acme-ci", "APPLOVIN_CLIENT_SECRET": "conformance-secret"},
            lost_create=r"^POST /applovin/campaign_management/v1/campaign$",
            live_names=_applovin_names,
            poison=_applovin_poison,
            drop_field=_applovin_drop,
            auth_endpoint=True,
            batching=False,  # every AppLovin endpoint takes one object a call
        ),
    )
}
