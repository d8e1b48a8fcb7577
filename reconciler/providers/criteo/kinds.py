"""What Criteo's kinds are to the generic diff and plan (`KindSchema`s) and the verbs its operations use."""

from __future__ import annotations

from reconciler.model import KindSchema, Verb
from reconciler.providers.criteo import money, timeline

PATCH_BATCH = 50
START_STOP_BATCH = 50
"""`PATCH /ad-sets`, `/campaigns`, `POST /ad-sets/start` and `/stop` take at most 50 items a call."""

CAMPAIGN = KindSchema(
    kind="campaign",
    immutable=frozenset({"name", "goal"}),
    released={"budgetAutomation": {"enabled": False}},
    retire_note="retire (forget: Criteo campaigns cannot be stopped or deleted)",
    money=money.campaign_money,
)
AD_SET = KindSchema(
    kind="ad_set",
    immutable=frozenset({"objective", "mediaType", "datasetId", "trackingCode", "bidding.costController"}),
    write_only=frozenset({"trackingCode"}),
    released={
        "schedule.endDate": None,
        "targeting.geoLocation.countries": None,
        "targeting.geoLocation.subdivisions": None,
        "targeting.geoLocation.zipCodes": None,
        "targeting.deliveryLimitations.devices": [],
        "targeting.deliveryLimitations.operatingSystems": [],
        "targeting.deliveryLimitations.environments": [],
        "audience": None,
    },
    retire_note="retire (stop: Criteo has no delete)",
    money=money.ad_set_money,
    open_ended=money.ad_set_open_ended,
    timeline=timeline.ad_set_timeline,
)
KINDS = {"campaign": CAMPAIGN, "ad_set": AD_SET}

CREATE_CAMPAIGN = Verb("create_campaign", "create campaign", creates=True)
PATCH_CAMPAIGN = Verb("patch_campaign", "update campaign", PATCH_BATCH)
FORGET_CAMPAIGN = Verb("forget_campaign", "forget campaign", PATCH_BATCH, forgets=True)
CREATE_AD_SET = Verb("create_ad_set", "create ad set", creates=True)
PATCH_AD_SET = Verb("patch_ad_set", "update ad set", PATCH_BATCH)
LINK_AUDIENCE = Verb("link_audience", "link audience")
START_AD_SET = Verb("start_ad_set", "start ad set", START_STOP_BATCH)
STOP_AD_SET = Verb("stop_ad_set", "stop ad set", START_STOP_BATCH)
RETIRE_AD_SET = Verb("retire_ad_set", "stop and forget ad set", START_STOP_BATCH, forgets=True)
