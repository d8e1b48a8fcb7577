"""Criteo ad set updates (API 2027-01): `PATCH /ad-sets` (at most 50 `WriteModelPatchAdSetV26Q1` items,
each carried out or refused on its own) and `POST /ad-sets/start|stop` (`AdSetId` items); each attribute
group is read and checked in `ad_set_attributes`."""

from __future__ import annotations

from typing import Any

from reconciler.sandbox.common.routing import Operations
from reconciler.sandbox.criteo import ad_set_attributes as attribute
from reconciler.sandbox.criteo import batch
from reconciler.sandbox.criteo import inputs as read
from reconciler.sandbox.criteo.calls import Call, Handler
from reconciler.sandbox.criteo.inputs import ABSENT
from reconciler.sandbox.criteo.problems import ProblemResponse, Rejected, not_found, validation
from reconciler.sandbox.criteo.rules import START, UPDATE
from reconciler.sandbox.criteo.seed import PLATFORM

OPERATIONS: Operations[Handler] = Operations()

PATCH_LIMIT = 50

# -- patch -----------------------------------------------------------------------------------------


def _apply_patch(call: Call, item: Any, index: int, unknown: list[str]) -> str:
    """Validate one `WriteModelPatchAdSetV26Q1` and store it; returns the ad set id."""
    code = UPDATE + "invalid-configuration"
    doc, a = batch.patched(call, item, index, unknown, code, "ad_set")
    ad_set_id = str(doc["id"])
    if a is None:
        return ad_set_id

    name = a.get("name")
    if name is not ABSENT and name is not None:
        if not isinstance(name, str) or not name.strip():
            raise read.invalid(
                UPDATE + "empty-name", a.path("name"), "An Ad Set cannot have an empty name.", "Empty name"
            )
        doc["name"] = name

    scheduling = a.obj("scheduling", code)
    if scheduling is not None:
        start = read.wrapper(scheduling, "startDate", code)
        end = read.wrapper(scheduling, "endDate", code)
        scheduling.finish()
        if start is None:
            raise read.invalid(
                UPDATE + "empty-start-date",
                scheduling.path("startDate"),
                "It's impossible to set an empty start date.",
                "Empty start date",
            )
        if start is not ABSENT:
            doc["schedule"]["startDate"] = read.date_time(start, scheduling.path("startDate/value"), code)
        if end is not ABSENT:
            doc["schedule"]["endDate"] = (
                None if end is None else read.date_time(end, scheduling.path("endDate/value"), code)
            )
        attribute.check_dates(doc["schedule"], scheduling.pointer, UPDATE)

    bidding = a.obj("bidding", code)
    if bidding is not None:
        bid = read.wrapper(bidding, "bidAmount", UPDATE + "invalid-bid-amount")
        bidding.finish()
        if bid is not ABSENT:
            doc["bidding"]["bidAmount"] = attribute.bid_amount(bid, bidding.path("bidAmount/value"), UPDATE)

    budget = a.obj("budget", UPDATE + "invalid-budget")
    if budget is not None:
        campaign = call.tx.get(PLATFORM, "campaign", doc["campaignId"])
        if campaign is not None and campaign["budgetAutomation"]["enabled"]:
            raise read.invalid(
                UPDATE + "invalid-budget",
                budget.pointer,
                "Manual budget updates are not supported: the campaign has budget automation enabled.",
                "Invalid budget",
            )
        merged = attribute.budget_values(budget, UPDATE, required=False, current=doc["budget"])
        attribute.check_budget(merged, budget.pointer, UPDATE)
        doc["budget"] = attribute.normalise_budget(merged)

    targeting = a.obj("targeting", code)
    if targeting is not None:
        capping = read.wrapper(targeting, "frequencyCapping", UPDATE + "invalid-frequency-capping")
        if capping is not ABSENT:
            pointer = targeting.path("frequencyCapping/value")
            if capping is not None and not isinstance(capping, dict):
                raise read.invalid(
                    UPDATE + "invalid-frequency-capping", pointer, f"{pointer} must be an object or null."
                )
            doc["targeting"]["frequencyCapping"] = (
                None
                if capping is None
                else attribute.frequency_capping(
                    read.root(capping, unknown, pointer), UPDATE, doc["targeting"]["frequencyCapping"]
                )
            )
        geo = targeting.obj("geoLocation", UPDATE + "invalid-geolocation")
        if geo is not None:
            for rule in attribute.GEO_RULES:
                value = read.wrapper(geo, rule, UPDATE + "invalid-geolocation")
                if value is not ABSENT:
                    doc["targeting"]["geoLocation"][rule] = attribute.geo_rule(
                        value, geo.path(f"{rule}/value"), UPDATE, unknown
                    )
            geo.finish()
        limitations = targeting.obj("deliveryLimitations", code)
        if limitations is not None:
            doc["targeting"]["deliveryLimitations"] = attribute.limitations(
                limitations, doc["targeting"]["deliveryLimitations"], UPDATE
            )
        targeting.finish()

    attribution = a.obj("attributionConfiguration", code)
    if attribution is not None:
        doc["attributionConfiguration"] = attribute.attribution(
            attribution, doc["attributionConfiguration"], UPDATE
        )
    a.finish()
    call.tx.put(PLATFORM, "ad_set", ad_set_id, doc)
    return ad_set_id


def _at_most(call: Call, limit: int) -> list[Any]:
    items = batch.items(call)
    if len(items) > limit:
        raise ProblemResponse(
            400,
            [
                validation(
                    UPDATE + "too-many-ad-sets",
                    "Too many ad sets",
                    f"There are too many ad sets to be updated ({len(items)}). "
                    f"A maximum of {limit} ad sets can "
                    "be updated per single request.",
                    "/data",
                )
            ],
        )
    return items


@OPERATIONS.serves("PATCH", "/ad-sets")
def patch(call: Call) -> tuple[int, dict[str, Any]]:
    """`PATCH /ad-sets`: at most 50 items, each succeeding or failing on its own."""
    return batch.each(call, _at_most(call, PATCH_LIMIT), _apply_patch, "AdSetId")


def _target(call: Call, item: Any, index: int, unknown: list[str]) -> dict[str, Any]:
    entry = read.root(item, unknown, f"/data/{index}")
    ad_set_id = read.item_id(entry, UPDATE + "invalid-configuration")
    entry.finish()
    doc = call.tx.get(PLATFORM, "ad_set", ad_set_id)
    if doc is None:
        raise Rejected(not_found("ad-set", ad_set_id))
    return doc


def _start_one(call: Call, item: Any, index: int, unknown: list[str]) -> str:
    doc = _target(call, item, index, unknown)
    if doc.get("archived"):
        raise Rejected(
            validation(
                START + "archived", "Archived ad set", "This Ad Set is archived and thus can't be started."
            )
        )
    doc["schedule"]["activationStatus"] = "on"
    doc["everActivated"] = True
    call.tx.put(PLATFORM, "ad_set", doc["id"], doc)
    return str(doc["id"])


def _stop_one(call: Call, item: Any, index: int, unknown: list[str]) -> str:
    doc = _target(call, item, index, unknown)
    doc["schedule"]["activationStatus"] = "off"
    call.tx.put(PLATFORM, "ad_set", doc["id"], doc)
    return str(doc["id"])


@OPERATIONS.serves("POST", "/ad-sets/start")
def start(call: Call) -> tuple[int, dict[str, Any]]:
    return batch.each(call, batch.items(call), _start_one, "AdSetId")


@OPERATIONS.serves("POST", "/ad-sets/stop")
def stop(call: Call) -> tuple[int, dict[str, Any]]:
    return batch.each(call, batch.items(call), _stop_one, "AdSetId")
