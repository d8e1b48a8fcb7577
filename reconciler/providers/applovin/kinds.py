"""What AppLovin's kinds are to the generic diff and plan (`KindSchema`s) and the verbs its operations use.

AppLovin has no batch endpoints: every verb carries one object a call (a source bids or sources object is
all of one campaign's rows). The same call that creates targets, source bids or sources later updates
them; those updates get a verb of their own, so that only creates are journalled.
"""

from __future__ import annotations

from reconciler.model import KindSchema, Verb
from reconciler.providers.applovin import money

CAMPAIGN = KindSchema(
    kind="campaign",
    immutable=frozenset({"platform", "bundle_id", "package_name", "bid_type", "goal_period"}),
    retire_note="retire (status false: AppLovin has no delete)",
)
TARGETS = KindSchema(
    kind="targets",
    released={"device_types": []},  # guide: "An empty list means all device types are eligible."
    retire_note="forget (targets live as long as their campaign)",
    adopt_note="adopt the campaign's targets (every AppLovin campaign has them)",
    money=money.targets_money,
)
CREATIVE_SET = KindSchema(
    kind="creative_set", retire_note="retire (disable every size: AppLovin has no delete)"
)
ASSET = KindSchema(
    kind="asset", write_only=frozenset({"content"}), retire_note="remove the asset from its creative set"
)
AD = KindSchema(
    kind="ad",
    immutable=frozenset({"size", "template"}),
    retire_note="retire (status false: AppLovin has no delete)",
    adopt_note="adopt the ad the platform generated",
)
SOURCE_BIDS = KindSchema(
    kind="source_bids",
    retire_note="forget (the overrides are left as they are)",
    adopt_note="adopt the campaign's source bid overrides: the manifests now own all of them",
    money=money.source_bids_money,
)
SOURCES = KindSchema(
    kind="sources",
    retire_note="forget (the sources keep their status)",
    adopt_note="adopt the campaign's sources",
)
KINDS = {s.kind: s for s in (CAMPAIGN, TARGETS, CREATIVE_SET, ASSET, AD, SOURCE_BIDS, SOURCES)}

CREATE_CAMPAIGN = Verb("create_campaign", "create campaign", creates=True)
UPDATE_CAMPAIGN = Verb("update_campaign", "update campaign")
RETIRE_CAMPAIGN = Verb("retire_campaign", "stop campaign", forgets=True)
POST_TARGETS = Verb("post_targets", "set targets", creates=True)
UPDATE_TARGETS = Verb("update_targets", "update targets")
CREATE_CREATIVE_SET = Verb("create_creative_set", "create creative set", creates=True)
UPDATE_CREATIVE_SET = Verb("update_creative_set", "update creative set")
POST_SIZES = Verb("post_sizes", "set creative set sizes")
RETIRE_CREATIVE_SET = Verb("retire_creative_set", "disable creative set", forgets=True)
UPLOAD_ASSET = Verb("upload_asset", "upload asset", creates=True)
REPLACE_ASSET = Verb("replace_asset", "replace asset")
REMOVE_ASSET = Verb("remove_asset", "remove asset", forgets=True)
CLAIM_AD = Verb("claim_ad", "claim ad", creates=True)
UPDATE_AD = Verb("update_ad", "update ad")
RETIRE_AD = Verb("retire_ad", "stop ad", forgets=True)
POST_SOURCE_BIDS = Verb("post_source_bids", "set source bids", creates=True)
UPDATE_SOURCE_BIDS = Verb("update_source_bids", "update source bids")
POST_SOURCES = Verb("post_sources", "set sources", creates=True)
UPDATE_SOURCES = Verb("update_sources", "update sources")
FORGET = Verb("forget", "forget", 100, forgets=True)

RETIRE = {
    "campaign": RETIRE_CAMPAIGN,
    "creative_set": RETIRE_CREATIVE_SET,
    "asset": REMOVE_ASSET,
    "ad": RETIRE_AD,
}
"""The verb that retires each kind with a platform object of its own; the other kinds are forgotten."""
