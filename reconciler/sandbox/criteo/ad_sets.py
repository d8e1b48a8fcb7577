"""Criteo ad sets (API 2027-01): create, get, search and audience link (patch, start and stop are in
`ad_set_updates`); the stored document and the read model (`ReadAdSetV26Q1`) rendered from it, including
the computed delivery status. Each attribute group is read and checked in `ad_set_attributes`."""

from __future__ import annotations

from typing import Any

from reconciler.sandbox.common.routing import Operations
from reconciler.sandbox.criteo import ad_set_attributes as attribute
from reconciler.sandbox.criteo import batch, reads
from reconciler.sandbox.criteo import inputs as read
from reconciler.sandbox.criteo.calls import Call, Handler
from reconciler.sandbox.criteo.inputs import ABSENT, Obj, present
from reconciler.sandbox.criteo.problems import Problem, ProblemResponse, Rejected, not_found
from reconciler.sandbox.criteo.rules import CREATE
from reconciler.sandbox.criteo.seed import AD_SET_IDS_START, PLATFORM

OPERATIONS: Operations[Handler] = Operations()

SEARCH_FIELDS = {
    "name": "name",
    "advertiserid": "advertiserId",
    "datasetid": "datasetId",
    "campaignid": "campaignId",
    "destinationenvironment": "destinationEnvironment",
    "objective": "objective",
    "schedule": "schedule",
    "bidding": "bidding",
    "targeting": "targeting",
    "budget": "budget",
    "mediatype": "mediaType",
    "videochannel": "videoChannel",
    "attributionconfiguration": "attributionConfiguration",
}

# -- create ----------------------------------------------------------------------------------------


@OPERATIONS.serves("POST", "/ad-sets")
@batch.creates(
    "ad_set", "criteo.ad_set", AD_SET_IDS_START, CREATE, lambda doc, now: render(doc, now, "AdSet")
)
def create(call: Call, a: Obj, code: str) -> dict[str, Any]:
    """`POST /ad-sets` → 201 `ResponseReadAdSetV26Q1`: the ad set `CreateAdSetV26Q1`'s attributes
    describe."""
    name = read.string(a, "name", code, required=True, non_empty=True)
    campaign_id = read.string(a, "campaignId", code, required=True)
    dataset_id = read.string(a, "datasetId", code, required=True)
    objective = read.enum(a, "objective", attribute.OBJECTIVES, code, required=True)
    media_type = read.enum(a, "mediaType", attribute.MEDIA_TYPES, code, required=True)
    tracking_code = read.string(a, "trackingCode", code, required=True)
    assert campaign_id is not None and dataset_id is not None

    campaign = call.tx.get(PLATFORM, "campaign", campaign_id)
    if campaign is None:
        raise Rejected(not_found("campaign", campaign_id).at(a.path("campaignId")))
    dataset = call.tx.get(PLATFORM, "dataset", dataset_id)
    if dataset is None or dataset["advertiserId"] != campaign["advertiserId"]:
        raise read.invalid(
            CREATE + "invalid-dataset",
            a.path("datasetId"),
            f"The data set ID {dataset_id!r} is invalid or not associated to the advertiser "
            f"{campaign['advertiserId']} of campaign {campaign_id}.",
            "Invalid dataset",
        )
    if objective == "videoViews" and media_type != "video":
        raise read.invalid(
            CREATE + "invalid-media-type-configuration",
            a.path("objective"),
            "The objective videoViews is only available when mediaType is video.",
            "Invalid objective for the media type",
        )

    schedule_in = a.obj("schedule", code, required=True)
    assert schedule_in is not None
    start = schedule_in.get("startDate")
    if not present(start):
        raise read.missing(code, schedule_in.path("startDate"))
    end = schedule_in.get("endDate")
    schedule_in.finish()
    schedule = {
        "startDate": read.date_time(start, schedule_in.path("startDate"), code),
        "endDate": None if not present(end) else read.date_time(end, schedule_in.path("endDate"), code),
        "activationStatus": "off",
    }
    attribute.check_dates(schedule, schedule_in.pointer, CREATE)

    bidding_in = a.obj("bidding", code, required=True)
    assert bidding_in is not None
    controller = read.enum(
        bidding_in,
        "costController",
        attribute.COST_CONTROLLERS,
        code,
        required=True,
        aliases=attribute.COST_CONTROLLER_ALIASES,
    )
    bid = bidding_in.get("bidAmount")
    bidding = {
        "costController": controller,
        "bidAmount": attribute.bid_amount(
            None if bid is ABSENT else bid, bidding_in.path("bidAmount"), CREATE
        ),
    }
    bidding_in.finish()

    targeting_in = a.obj("targeting", code, required=True)
    assert targeting_in is not None
    if not targeting_in.has("frequencyCapping"):
        raise read.missing(code, targeting_in.path("frequencyCapping"))
    capping_in = targeting_in.obj("frequencyCapping", CREATE + "invalid-frequency-capping")
    geo: dict[str, Any] = {name: None for name in attribute.GEO_RULES}
    geo_in = targeting_in.obj("geoLocation", CREATE + "invalid-geolocation")
    if geo_in is not None:
        for rule in attribute.GEO_RULES:
            geo[rule] = attribute.geo_rule(geo_in.get(rule), geo_in.path(rule), CREATE, geo_in.unknown)
        geo_in.finish()
    limitations_in = targeting_in.obj("deliveryLimitations", code)
    empty: dict[str, list[str]] = {}
    targeting: dict[str, Any] = {
        "frequencyCapping": None
        if capping_in is None
        else attribute.frequency_capping(capping_in, CREATE, None),
        "geoLocation": geo,
        "deliveryLimitations": attribute.limitations(limitations_in, empty, CREATE)
        if limitations_in is not None
        else {name: [] for name in attribute.LIMITATIONS},
    }
    targeting_in.finish()

    budget_in = a.obj("budget", CREATE + "invalid-budget")
    if campaign["budgetAutomation"]["enabled"]:
        if budget_in is not None:
            raise read.invalid(
                CREATE + "invalid-budget",
                budget_in.pointer,
                "The campaign has budget automation enabled: omit the ad set budget.",
                "Invalid budget",
            )
        budget = attribute.campaign_budget(campaign)
    elif budget_in is None:
        # Not required by the spec and no default is documented: an ad set without one has no cap.
        budget = dict(attribute.UNCAPPED_BUDGET)
    else:
        budget = attribute.budget_values(budget_in, CREATE, required=True)
        attribute.check_budget(budget, budget_in.pointer, CREATE)
        budget = attribute.normalise_budget(budget)

    attribution_in = a.obj("attributionConfiguration", code)
    attribution = (
        attribute.attribution(attribution_in, None, CREATE)
        if attribution_in is not None
        else dict(attribute.DEFAULT_ATTRIBUTION)
    )

    return {
        "advertiserId": campaign["advertiserId"],
        "campaignId": campaign_id,
        "name": name,
        "datasetId": dataset_id,
        "objective": objective,
        "mediaType": media_type,
        "destinationEnvironment": "web",
        "videoChannel": "olv" if media_type == "video" else None,
        "trackingCode": tracking_code,
        "schedule": schedule,
        "everActivated": False,
        "archived": False,
        "bidding": bidding,
        "targeting": targeting,
        "budget": budget,
        "attributionConfiguration": attribution,
        "audienceId": None,
    }


# -- read ------------------------------------------------------------------------------------------


def delivery_status(doc: dict[str, Any], now: float) -> str:
    """Computed from the archive flag, the dates and the activation status."""
    schedule = doc["schedule"]
    if doc.get("archived"):
        return "archived"
    if schedule.get("endDate") is not None and read.timestamp(schedule["endDate"]) <= now:
        return "ended"
    if schedule["activationStatus"] != "on":
        return "paused" if doc.get("everActivated") else "draft"
    if schedule.get("startDate") is not None and read.timestamp(schedule["startDate"]) > now:
        return "scheduled"
    return "live"


NULLABLE_ENUMS = (
    ("videoChannel",),
    ("targeting", "frequencyCapping", "value", "frequency"),
    ("budget", "budgetDeliverySmoothing"),
    ("attributionConfiguration", "lookbackWindow"),
)
"""Read-model enums that may have no value. The spec marks them nullable but lists no null among the
enum values, so a strict validator (and Criteo) leaves them out instead of sending null."""


def _drop_null_enums(attributes: dict[str, Any]) -> None:
    for *parents, name in NULLABLE_ENUMS:
        holder: Any = attributes
        for parent in parents:
            holder = holder.get(parent) if isinstance(holder, dict) else None
        if isinstance(holder, dict) and holder.get(name, "") is None:
            del holder[name]


def render(
    doc: dict[str, Any], now: float, kind: str = "ReadAdSet", fields: list[str] | None = None
) -> dict[str, Any]:
    """The read model `ReadModelReadAdSetV26Q1` of a stored ad set (trackingCode is write-only)."""
    targeting = doc["targeting"]
    attributes: dict[str, Any] = {
        "name": doc["name"],
        "advertiserId": doc["advertiserId"],
        "datasetId": doc["datasetId"],
        "campaignId": doc["campaignId"],
        "destinationEnvironment": doc["destinationEnvironment"],
        "objective": doc["objective"],
        "mediaType": doc["mediaType"],
        "videoChannel": doc["videoChannel"],
        "schedule": {
            "startDate": {"value": doc["schedule"]["startDate"]},
            "endDate": {"value": doc["schedule"]["endDate"]},
            "activationStatus": doc["schedule"]["activationStatus"],
            "deliveryStatus": delivery_status(doc, now),
        },
        "bidding": dict(doc["bidding"]),
        "targeting": {
            "deliveryLimitations": {
                name: list(values) for name, values in targeting["deliveryLimitations"].items()
            },
            "geoLocation": {
                name: None if rule is None else {"value": dict(rule)}
                for name, rule in targeting["geoLocation"].items()
            },
            "frequencyCapping": {
                "value": None
                if targeting["frequencyCapping"] is None
                else dict(targeting["frequencyCapping"])
            },
        },
        "budget": dict(doc["budget"]),
        "attributionConfiguration": dict(doc["attributionConfiguration"]),
    }
    _drop_null_enums(attributes)
    if fields is not None:
        attributes = {name: value for name, value in attributes.items() if name in fields}
    return {"type": kind, "id": doc["id"], "attributes": attributes}


@OPERATIONS.serves("GET", "/ad-sets/{ad-set-id}")
def get(call: Call) -> tuple[int, dict[str, Any]]:
    return 200, call.envelope(render(reads.in_path(call, "ad_set"), call.now))


def _fields(top: Obj) -> list[str] | None:
    """The read-model fields `meta.fields` of a search asks for (None: all)."""
    meta = top.obj("meta", reads.SEARCH)
    if meta is None:
        return None
    raw_fields = meta.get("fields")
    meta.finish()
    if not present(raw_fields):
        return None
    if not isinstance(raw_fields, list):
        raise read.invalid(reads.SEARCH, meta.path("fields"), "meta.fields must be a list.")
    fields = []
    for i, item in enumerate(raw_fields):
        if not isinstance(item, str) or item.lower() not in SEARCH_FIELDS:
            raise read.invalid(reads.SEARCH, f"{meta.path('fields')}/{i}", f"Unknown field {item!r}.")
        fields.append(SEARCH_FIELDS[item.lower()])
    return fields


@OPERATIONS.serves("POST", "/ad-sets/search")
def search(call: Call) -> tuple[int, dict[str, Any]]:
    """`POST /ad-sets/search`: filters AND-combined, no pagination, optional `meta.fields`."""
    filters = {"adSetIds": "id", "campaignIds": "campaignId", "advertiserIds": "advertiserId"}
    found, fields = reads.search(call, "ad_set", filters, _fields)
    return 200, call.envelope([render(doc, call.now, fields=fields) for doc in found])


# -- audience link -----------------------------------------------------------------------------------


def _audience_id(call: Call, unknown: list[str]) -> Any:
    """The `audienceId` of an `AdSetAudienceLinkInputEntityV1` (every level is optional and nullable):
    ABSENT when the body names none, None to unlink, else the id."""
    code = "invalid-audience-link"
    top = read.root(call.json(empty={}), unknown)
    data = top.obj("data", code)
    top.finish()
    if data is None:
        return ABSENT
    data.get("id")
    data.get("type")
    attributes = data.obj("attributes", code)
    data.finish()
    if attributes is None:
        return ABSENT
    audience_id = attributes.get("audienceId")
    attributes.finish()
    if audience_id not in (ABSENT, None) and (
        not isinstance(audience_id, str | int) or isinstance(audience_id, bool)
    ):
        raise read.invalid(code, attributes.path("audienceId"), "audienceId must be a string id or null.")
    return audience_id


@OPERATIONS.serves("PUT", "/ad-sets/{ad-set-id}/audience")
def link_audience(call: Call) -> tuple[int, dict[str, Any]]:
    """`PUT /ad-sets/{id}/audience`: link one audience (null unlinks; a body naming none changes nothing)."""
    ad_set_id = call.params["ad-set-id"]
    instance = f"/ad-sets/{ad_set_id}/audience"
    doc = reads.in_path(call, "ad_set", instance)
    unknown: list[str] = []
    try:
        audience_id = _audience_id(call, unknown)
    except Rejected as rejected:
        raise ProblemResponse(400, [rejected.problem.at(instance)]) from None
    call.warnings.extend(read.unknown_warnings(unknown))
    if audience_id is ABSENT:
        audience_id = doc["audienceId"]
    linked = None if audience_id is None else str(audience_id)
    echo = {"id": ad_set_id, "type": "AdSetAudience", "attributes": {"audienceId": linked}}
    if linked is not None:
        audience = call.tx.get(PLATFORM, "audience", linked)
        if audience is None or audience["advertiserId"] != doc["advertiserId"]:
            problem = Problem(
                "validation",
                "audience-not-found",
                "Audience not found",
                f"There is no audience {linked!r} for the advertiser {doc['advertiserId']} of this ad set.",
                instance,
            )
            raise ProblemResponse(400, [problem], data=echo, has_data=True)
    doc["audienceId"] = linked
    call.tx.put(PLATFORM, "ad_set", ad_set_id, doc)
    return 200, call.envelope(echo)


def archive(doc: dict[str, Any]) -> dict[str, Any]:
    """What Criteo does when an ad set gets archived (a sandbox-only control, not an API)."""
    archived = dict(doc)
    archived["archived"] = True
    archived["schedule"] = dict(doc["schedule"], activationStatus="off")
    return archived
