"""Stored Amazon DSP objects as handlers look them up: campaigns and ad groups of the calling account
(other accounts' objects do not exist for it), the campaign a path names, their list handler, and the
documents holding an ad group's targets (one per target type) and creative associations."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from reconciler.sandbox.amazon_dsp import stored_targets
from reconciler.sandbox.amazon_dsp.calls import Call, Handler, grouped_page, id_filter
from reconciler.sandbox.amazon_dsp.errors import ApiError, ItemError
from reconciler.sandbox.amazon_dsp.seed import PLATFORM
from reconciler.sandbox.store import Tx


def campaign(tx: Tx, account_id: str, campaign_id: Any) -> dict[str, Any] | None:
    doc = tx.get(PLATFORM, "campaign", str(campaign_id)) if isinstance(campaign_id, str | int) else None
    return doc if doc is not None and doc["advertiserId"] == account_id else None


def ad_group(tx: Tx, account_id: str, ad_group_id: Any) -> dict[str, Any] | None:
    doc = tx.get(PLATFORM, "ad_group", str(ad_group_id)) if isinstance(ad_group_id, str | int) else None
    return doc if doc is not None and doc["advertiserId"] == account_id else None


def absent(named: str, object_id: Any, account_id: str) -> str:
    """The message of an object the calling account does not have."""
    return f"{named} {object_id} does not exist in advertiser {account_id}."


def require_ad_group(tx: Tx, account_id: str, ad_group_id: Any, path: str) -> dict[str, Any]:
    if ad_group_id is None:
        raise ItemError("MISSING_REQUIRED_FIELD", f"{path}.adGroupId is required.")
    found = ad_group(tx, account_id, ad_group_id)
    if found is None:
        raise ItemError("AD_GROUP_NOT_FOUND", absent("Ad group", ad_group_id, account_id))
    return found


def writable_campaign(tx: Tx, account_id: str, campaign_id: Any) -> dict[str, Any]:
    """The campaign an item of a batch write changes, or adds an ad group to."""
    found = campaign(tx, account_id, campaign_id)
    if found is None:
        raise ItemError("CAMPAIGN_NOT_FOUND", absent("Campaign", campaign_id, account_id))
    refusal = deal_refusal(found)
    if refusal is not None:
        raise refusal
    return found


def campaign_in_path(
    call: Call, param: str = "campaignId", writing: bool = False, named: str = "Campaign"
) -> dict[str, Any]:
    """The campaign whose id is the path parameter `param`: a 404 when the account has no such campaign,
    a 400 when `writing` to a campaign on an Amazon Guaranteed deal."""
    campaign_id = call.params[param]
    found = campaign(call.tx, call.account_id, campaign_id)
    if found is None:
        raise ApiError(404, "CAMPAIGN_NOT_FOUND", absent(named, campaign_id, call.account_id))
    refusal = deal_refusal(found) if writing else None
    if refusal is not None:
        raise ApiError(400, refusal.code, refusal.message)
    return found


def listing(
    kind: str,
    key: str,
    by_id: str,
    filters: Mapping[str, str],
    shown: Callable[[dict[str, Any]], dict[str, Any]] = dict,
) -> Handler:
    """The handler of a list call: the account's `kind` documents whose ids pass the filter `by_id` and
    that pass the other id filters of the body (filter → the field it filters on), shown under `key` in
    pages; a page loads only the documents it reaches."""

    def serve(call: Call) -> tuple[int, dict[str, Any]]:
        body = call.body()
        ids = id_filter(body, by_id)
        wanted = {field: id_filter(body, name) for name, field in filters.items()}

        def items_of(object_id: str) -> list[dict[str, Any]]:
            doc = call.tx.get(PLATFORM, kind, object_id)
            if doc is None or doc["advertiserId"] != call.account_id:
                return []
            return [shown(doc)] if all(v is None or doc[f] in v for f, v in wanted.items()) else []

        return 200, grouped_page(body, key, call.tx.ids(PLATFORM, kind, ids), items_of)

    return serve


def targets_doc(tx: Tx, ad_group_id: str, key: str) -> dict[str, Any]:
    """The document of an ad group's targets of one details key (`stored_targets`): the stored one, else
    the one its default targets make."""
    found = tx.get(PLATFORM, "targets", stored_targets.row_id(ad_group_id, key))
    if found is None:
        defaults = tx.get(PLATFORM, stored_targets.DEFAULTS_KIND, ad_group_id)
        found = None if defaults is None else stored_targets.expanded(ad_group_id, defaults, key)
    return found or {"adGroupId": ad_group_id, "targets": []}


def put_targets(tx: Tx, ad_group_id: str, key: str, doc: dict[str, Any]) -> None:
    tx.put(PLATFORM, "targets", stored_targets.row_id(ad_group_id, key), doc)


def targets_of(tx: Tx, ad_group_id: str, keys: Iterable[str]) -> list[dict[str, Any]]:
    """An ad group's targets of these details keys, in the order they were made."""
    return stored_targets.in_order(t for key in keys for t in targets_doc(tx, ad_group_id, key)["targets"])


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
