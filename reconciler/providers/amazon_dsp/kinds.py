"""What Amazon DSP's kinds are to the generic diff and plan (`KindSchema`s) and the verbs its operations use,
each with its endpoint's batch limit (FACTS.md: "Batch limits per request: campaigns 5, ad groups 20, targets
1000, creative associations 20")."""

from __future__ import annotations

from reconciler.model import KindSchema, Verb
from reconciler.providers.amazon_dsp import money, timeline

CAMPAIGN_BATCH = 5
AD_GROUP_BATCH = 20
TARGET_BATCH = 1000
ASSOCIATION_BATCH = 20

CAMPAIGN = KindSchema(
    kind="campaign",
    retire_note="retire (set INACTIVE: Amazon DSP has no delete for campaigns)",
    money=money.campaign_money,
    open_ended=money.campaign_open_ended,
    timeline=timeline.campaign_timeline,
)
AD_GROUP = KindSchema(
    kind="ad_group",
    released={"frequencies": [{"frequencyType": "UNCAPPED"}]},  # a cap no longer set: UNCAPPED (no cap)
    retire_note="retire (set INACTIVE: Amazon DSP has no delete for ad groups)",
    money=money.ad_group_money,
    open_ended=money.ad_group_open_ended,
    timeline=timeline.ad_group_timeline,
)
TARGETS = KindSchema(
    kind="targets",
    retire_note="delete this type's targets (inventory sources are only forgotten)",
    adopt_note="the manifests now own every target of this type on the ad group: targets they do not "
    "list (platform defaults included) are deleted",
)
ASSOCIATION = KindSchema(
    kind="creative_association",
    immutable=frozenset({"creative"}),
    retire_note="delete the creative association",
    timeline=timeline.association_timeline,
)
KINDS = {"campaign": CAMPAIGN, "ad_group": AD_GROUP, "targets": TARGETS, "creative_association": ASSOCIATION}

CREATE_CAMPAIGN = Verb("create_campaign", "create campaign", CAMPAIGN_BATCH, creates=True)
PATCH_CAMPAIGN = Verb("patch_campaign", "update campaign", CAMPAIGN_BATCH)
ACTIVATE_CAMPAIGN = Verb("activate_campaign", "activate campaign", CAMPAIGN_BATCH, final=True)
RETIRE_CAMPAIGN = Verb("retire_campaign", "set campaign inactive", CAMPAIGN_BATCH, forgets=True)
DELETE_FLIGHTS = Verb("delete_flights", "delete flights")
UPDATE_FLIGHTS = Verb("update_flights", "update flights")
CREATE_FLIGHTS = Verb("create_flights", "create flights")
ADD_PRODUCTS = Verb("add_products", "add tracked products")
DELETE_PRODUCTS = Verb("delete_products", "remove tracked products")
SET_CONVERSIONS = Verb("set_conversions", "associate conversion definitions")
CREATE_AD_GROUP = Verb("create_ad_group", "create ad group", AD_GROUP_BATCH, creates=True)
PATCH_AD_GROUP = Verb("patch_ad_group", "update ad group", AD_GROUP_BATCH)
ACTIVATE_AD_GROUP = Verb("activate_ad_group", "activate ad group", AD_GROUP_BATCH, final=True)
RETIRE_AD_GROUP = Verb("retire_ad_group", "set ad group inactive", AD_GROUP_BATCH, forgets=True)
PUT_TARGETS = Verb("put_targets", "set targets", TARGET_BATCH, creates=True)
REPLACE_TARGETS = Verb("replace_targets", "replace targets", TARGET_BATCH)
DELETE_TARGET_SET = Verb("delete_target_set", "delete targets", TARGET_BATCH, forgets=True)
CREATE_ASSOCIATION = Verb("create_association", "associate creative", ASSOCIATION_BATCH, creates=True)
PATCH_ASSOCIATION = Verb("patch_association", "update creative association", ASSOCIATION_BATCH)
DELETE_ASSOCIATION = Verb(
    "delete_association", "delete creative association", ASSOCIATION_BATCH, forgets=True
)
