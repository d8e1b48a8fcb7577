"""Stored Amazon DSP objects as handlers look them up: campaigns and ad groups of the calling account
(other accounts' objects do not exist for it), and the per-ad-group documents holding targets and
creative associations."""

from __future__ import annotations

from typing import Any

from reconciler.sandbox.amazon_dsp.errors import ItemError
from reconciler.sandbox.amazon_dsp.seed import PLATFORM
from reconciler.sandbox.store import Tx


def campaign(tx: Tx, account_id: str, campaign_id: Any) -> dict[str, Any] | None:
    doc = tx.get(PLATFORM, "campaign", str(campaign_id)) if isinstance(campaign_id, str | int) else None
    return doc if doc is not None and doc["advertiserId"] == account_id else None


def ad_group(tx: Tx, account_id: str, ad_group_id: Any) -> dict[str, Any] | None:
    doc = tx.get(PLATFORM, "ad_group", str(ad_group_id)) if isinstance(ad_group_id, str | int) else None
    return doc if doc is not None and doc["advertiserId"] == account_id else None


def require_ad_group(tx: Tx, account_id: str, ad_group_id: Any, path: str) -> dict[str, Any]:
    if ad_group_id is None:
        raise ItemError("MISSING_REQUIRED_FIELD", f"{path}.adGroupId is required.")
    found = ad_group(tx, account_id, ad_group_id)
    if found is None:
        raise ItemError(
            "AD_GROUP_NOT_FOUND", f"Ad group {ad_group_id} does not exist in advertiser {account_id}."
        )
    return found


def targets_doc(tx: Tx, ad_group_id: str) -> dict[str, Any]:
    return tx.get(PLATFORM, "targets", ad_group_id) or {"adGroupId": ad_group_id, "targets": []}


def associations_doc(tx: Tx, ad_group_id: str) -> dict[str, Any]:
    return tx.get(PLATFORM, "associations", ad_group_id) or {"adGroupId": ad_group_id, "items": {}}


def deal_refusal(doc: dict[str, Any]) -> ItemError | None:
    """Campaigns on Amazon Guaranteed deals (and their ad groups) are read-only through the API."""
    if doc.get("amazonGuaranteedDeal"):
        return ItemError(
            "AMAZON_DEAL_NOT_SUPPORTED",
            f"Campaign {doc['campaignId']} runs on an Amazon Guaranteed deal and is read-only through the "
            "API; "
            "change it in the DSP console.",
        )
    return None
