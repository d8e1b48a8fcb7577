"""What Amazon DSP makes by itself when an ad group is created (the campaign guide's default-behaviour
table): all day parts, all eligible devices, all eligible exchanges (no deals), the advertiser domain
list (not for AAP_MOBILE_APP) and all video ad formats (VIDEO only). Pure: exchanges are passed in."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

DAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
VIDEO_INVENTORY = frozenset({"STREAMING_TV", "ONLINE_VIDEO", "VIDEO"})
NO_DOMAIN_INVENTORY = frozenset({"AAP_MOBILE_APP"})
VIDEO_AD_FORMATS = ("IN_STREAM", "OUT_STREAM", "INTERACTIVE")


def eligible_devices(inventory_type: str) -> tuple[str, ...]:
    base = ("DESKTOP", "PHONE", "TABLET")
    return (*base, "CONNECTED_TV") if inventory_type in VIDEO_INVENTORY else base


def eligible_exchanges(inventory_type: str, exchanges: Iterable[Mapping[str, Any]]) -> list[str]:
    return [e["inventorySourceId"] for e in exchanges if inventory_type in e["inventoryTypes"]]


def _target(ad_group_id: str, key: str, details: dict[str, Any]) -> dict[str, Any]:
    return {
        "adGroupId": ad_group_id,
        "adProduct": "AMAZON_DSP",
        "state": "ENABLED",
        "negative": False,
        "targetDetails": {key: details},
    }


def default_targets(
    ad_group_id: str, inventory_type: str, exchanges: Iterable[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """The default targets of a new ad group (without target ids)."""
    made = [
        _target(ad_group_id, "dayPartTarget", {"dayOfWeek": day, "hourOfDay": hour, "targetType": "DAY_PART"})
        for day in DAYS
        for hour in range(24)
    ]
    made += [
        _target(ad_group_id, "deviceTarget", {"deviceType": device, "targetType": "DEVICE"})
        for device in eligible_devices(inventory_type)
    ]
    made += [
        _target(
            ad_group_id,
            "inventorySourceTarget",
            {
                "inventorySourceId": source,
                "inventorySourceType": "EXCHANGE",
                "targetType": "INVENTORY_SOURCE",
            },
        )
        for source in eligible_exchanges(inventory_type, exchanges)
    ]
    if inventory_type not in NO_DOMAIN_INVENTORY:
        made.append(
            _target(
                ad_group_id,
                "domainTarget",
                {"domainTargetDetails": {"advertiserDomainList": True}, "targetType": "DOMAIN"},
            )
        )
    if inventory_type == "VIDEO":
        made += [
            _target(ad_group_id, "videoAdFormatTarget", {"videoAdFormat": f, "targetType": "VIDEO_AD_FORMAT"})
            for f in VIDEO_AD_FORMATS
        ]
    return made
