"""What Amazon DSP makes by itself when an ad group is created (the campaign guide's default-behaviour
table): all day parts, all eligible devices, all eligible exchanges (no deals), the advertiser domain
list (not for AAP_MOBILE_APP) and all video ad formats (VIDEO only). Pure: exchanges are passed in."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

DAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
VIDEO_INVENTORY = frozenset({"STREAMING_TV", "ONLINE_VIDEO", "VIDEO"})
NO_DOMAIN_INVENTORY = frozenset({"AAP_MOBILE_APP"})
VIDEO_AD_FORMATS = ("IN_STREAM", "OUT_STREAM", "INTERACTIVE")

Details = tuple[tuple[str, Mapping[str, Any]], ...]
"""(details key, details) of each default target, in the order they are made (and numbered)."""


def eligible_devices(inventory_type: str) -> tuple[str, ...]:
    base = ("DESKTOP", "PHONE", "TABLET")
    return (*base, "CONNECTED_TV") if inventory_type in VIDEO_INVENTORY else base


def eligible_exchanges(inventory_type: str, exchanges: Iterable[Mapping[str, Any]]) -> list[str]:
    return [e["inventorySourceId"] for e in exchanges if inventory_type in e["inventoryTypes"]]


@lru_cache(maxsize=64)
def default_details(inventory_type: str, exchange_ids: tuple[str, ...]) -> Details:
    """The details of the default targets of a new ad group of this inventory type, given the ids of its
    eligible exchanges (shared: not to be changed)."""
    made: list[tuple[str, Mapping[str, Any]]] = [
        ("dayPartTarget", {"dayOfWeek": day, "hourOfDay": hour, "targetType": "DAY_PART"})
        for day in DAYS
        for hour in range(24)
    ]
    made += [
        ("deviceTarget", {"deviceType": device, "targetType": "DEVICE"})
        for device in eligible_devices(inventory_type)
    ]
    made += [
        (
            "inventorySourceTarget",
            {
                "inventorySourceId": source,
                "inventorySourceType": "EXCHANGE",
                "targetType": "INVENTORY_SOURCE",
            },
        )
        for source in exchange_ids
    ]
    if inventory_type not in NO_DOMAIN_INVENTORY:
        made.append(
            ("domainTarget", {"domainTargetDetails": {"advertiserDomainList": True}, "targetType": "DOMAIN"})
        )
    if inventory_type == "VIDEO":
        made += [
            ("videoAdFormatTarget", {"videoAdFormat": f, "targetType": "VIDEO_AD_FORMAT"})
            for f in VIDEO_AD_FORMATS
        ]
    return tuple(made)
