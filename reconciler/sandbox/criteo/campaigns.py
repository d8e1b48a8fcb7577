"""Criteo marketing campaigns (API 2027-01): create, get, search and patch (spend limit and budget
automation); the spend-limit and budget-automation rules; the read model `CampaignV23Q1`."""

from __future__ import annotations

from typing import Any

from reconciler.sandbox.common.routing import Operations
from reconciler.sandbox.criteo import batch, reads
from reconciler.sandbox.criteo import inputs as read
from reconciler.sandbox.criteo.ad_set_attributes import uncapped_leftover
from reconciler.sandbox.criteo.calls import Call, Handler
from reconciler.sandbox.criteo.inputs import ABSENT, Obj, present
from reconciler.sandbox.criteo.problems import Rejected, not_found
from reconciler.sandbox.criteo.rules import CAMPAIGN_CREATE, CAMPAIGN_UPDATE
from reconciler.sandbox.criteo.seed import CAMPAIGN_IDS_START, PLATFORM

OPERATIONS: Operations[Handler] = Operations()

GOALS = ("unspecified", "acquisition", "retention")
SPEND_LIMIT_TYPES = ("capped", "uncapped")
SPEND_LIMIT_RENEWALS = ("undefined", "daily", "monthly", "lifetime")
AUTOMATION_OBJECTIVES = ("conversions", "revenue", "visits", "videoViews")


def _check_spend_limit(limit: dict[str, Any], pointer: str, prefix: str) -> None:
    code = prefix + "invalid-spend-limit"

    def fail(detail: str) -> Rejected:
        return read.invalid(code, pointer, f"The spend limit is invalid: {detail}", "Invalid spend limit")

    if limit["spendLimitType"] == "capped":
        if limit.get("spendLimitAmount") is None:
            raise fail("a capped spend limit needs a spendLimitAmount.")
        if limit.get("spendLimitRenewal") in (None, "undefined"):
            raise fail("a capped spend limit needs a spendLimitRenewal of daily, monthly or lifetime.")
    else:
        leftover = uncapped_leftover(limit, "spend limit", "spendLimitAmount", "spendLimitRenewal")
        if leftover is not None:
            raise fail(leftover)


def _spend_limit(obj: Obj, prefix: str, current: dict[str, Any] | None) -> dict[str, Any]:
    code = prefix + "invalid-spend-limit"
    merged = dict(current or {})
    kind = read.enum(obj, "spendLimitType", SPEND_LIMIT_TYPES, code, required=current is None)
    renewal = read.enum(obj, "spendLimitRenewal", SPEND_LIMIT_RENEWALS, code)
    amount = read.amount(obj, "spendLimitAmount", code, wrapped=current is not None)
    obj.finish()
    if kind is not None:
        if kind == "uncapped" and merged.get("spendLimitType") != "uncapped":
            merged.update({"spendLimitRenewal": "undefined", "spendLimitAmount": None})
        merged["spendLimitType"] = kind
    if renewal is not None:
        merged["spendLimitRenewal"] = renewal
    if amount is not ABSENT:
        merged["spendLimitAmount"] = (
            None if amount is None else read.number(amount, obj.path("spendLimitAmount"), code)
        )
    merged.setdefault("spendLimitRenewal", "undefined")
    merged.setdefault("spendLimitAmount", None)
    _check_spend_limit(merged, obj.pointer, prefix)
    return merged


def _automation(obj: Obj, prefix: str, current: dict[str, Any] | None) -> dict[str, Any]:
    code = prefix + "invalid-budget-automation"
    merged = dict(current or {"enabled": False, "adSetObjectives": None})
    enabled = obj.get("enabled")
    if present(enabled):
        if not isinstance(enabled, bool):
            raise read.invalid(code, obj.path("enabled"), "enabled must be true or false.")
        merged["enabled"] = enabled
    configuration = obj.obj("budgetConfiguration", code)
    if configuration is not None:
        objective = read.enum(configuration, "adSetObjectives", AUTOMATION_OBJECTIVES, code)
        configuration.finish()
        if objective is not None:
            merged["adSetObjectives"] = objective
    obj.finish()
    if merged["enabled"] and merged.get("adSetObjectives") is None:
        raise read.invalid(
            code,
            obj.path("budgetConfiguration"),
            "Budget automation needs a budgetConfiguration with adSetObjectives when enabled.",
            "Invalid budget automation",
        )
    return merged


def render(doc: dict[str, Any]) -> dict[str, Any]:
    """The read model `CampaignV23Q1Resource` of a stored campaign."""
    automation = doc["budgetAutomation"]
    objective = automation.get("adSetObjectives")
    return {
        "type": "Campaign",
        "id": doc["id"],
        "attributes": {
            "id": doc["id"],
            "advertiserId": doc["advertiserId"],
            "name": doc["name"],
            "goal": doc["goal"],
            "spendLimit": {
                "spendLimitType": doc["spendLimit"]["spendLimitType"],
                "spendLimitRenewal": doc["spendLimit"]["spendLimitRenewal"],
                "spendLimitAmount": {"value": doc["spendLimit"]["spendLimitAmount"]},
            },
            "budgetAutomation": {
                "enabled": bool(automation["enabled"]),
                "automatedBudgetConfiguration": None
                if objective is None
                else {"adSetOptimizationObjective": objective},
            },
        },
    }


@OPERATIONS.serves("POST", "/campaigns")
@batch.creates(
    "campaign", "criteo.campaign", CAMPAIGN_IDS_START, CAMPAIGN_CREATE, lambda doc, now: render(doc)
)
def create(call: Call, a: Obj, code: str) -> dict[str, Any]:
    """`POST /campaigns` → 201 `CampaignV23Q1Response`: the campaign `CreateCampaign`'s attributes
    describe."""
    advertiser_id = read.string(a, "advertiserId", code, required=True)
    assert advertiser_id is not None
    if call.tx.get(PLATFORM, "advertiser", advertiser_id) is None:
        raise Rejected(not_found("advertiser", advertiser_id).at(a.path("advertiserId")))
    if not a.has("name"):
        raise read.missing(code, a.path("name"))
    name = read.string(a, "name", code)  # required but nullable (CreateCampaign.name)
    goal = read.enum(a, "goal", GOALS, code, required=True)
    limit_in = a.obj("spendLimit", code, required=True)
    assert limit_in is not None
    spend_limit = _spend_limit(limit_in, CAMPAIGN_CREATE, None)
    automation_in = a.obj("budgetAutomation", code)
    automation = (
        _automation(automation_in, CAMPAIGN_CREATE, None)
        if automation_in is not None
        else {"enabled": False, "adSetObjectives": None}
    )
    return {
        "advertiserId": advertiser_id,
        "name": name,
        "goal": goal,
        "spendLimit": spend_limit,
        "budgetAutomation": automation,
    }


@OPERATIONS.serves("GET", "/campaigns/{campaign-id}")
def get(call: Call) -> tuple[int, dict[str, Any]]:
    return 200, call.envelope(render(reads.in_path(call, "campaign")))


@OPERATIONS.serves("POST", "/campaigns/search")
def search(call: Call) -> tuple[int, dict[str, Any]]:
    """`POST /campaigns/search`: filters advertiserIds and campaignIds, AND-combined."""
    found, _ = reads.search(call, "campaign", {"advertiserIds": "advertiserId", "campaignIds": "id"})
    return 200, call.envelope([render(doc) for doc in found])


def _apply_patch(call: Call, item: Any, index: int, unknown: list[str]) -> str:
    doc, a = batch.patched(call, item, index, unknown, CAMPAIGN_UPDATE + "invalid-configuration", "campaign")
    if a is not None:
        limit = a.obj("spendLimit", CAMPAIGN_UPDATE + "invalid-spend-limit")
        if limit is not None:
            doc["spendLimit"] = _spend_limit(limit, CAMPAIGN_UPDATE, doc["spendLimit"])
        automation = a.obj("budgetAutomation", CAMPAIGN_UPDATE + "invalid-budget-automation")
        if automation is not None:
            doc["budgetAutomation"] = _automation(automation, CAMPAIGN_UPDATE, doc["budgetAutomation"])
        a.finish()
    call.tx.put(PLATFORM, "campaign", doc["id"], doc)
    return str(doc["id"])


@OPERATIONS.serves("PATCH", "/campaigns")
def patch(call: Call) -> tuple[int, dict[str, Any]]:
    """`PATCH /campaigns`: each item succeeds or fails on its own (`@data/<index>`)."""
    return batch.each(call, batch.items(call), _apply_patch, "Campaign")
