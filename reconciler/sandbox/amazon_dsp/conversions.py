"""Off-Amazon conversion definitions and their association with an order (campaign), step 5 of the
campaign guide: "if you have chosen a Kpi (e.g. COST_PER_ACTION) that requires tracking off-Amazon
conversions, then you must associate conversion definitions to the campaign" with `POST
accounts/{accountId}/dsp/orders/{orderId}/conversionDefinitionAssociations`.

The guide names only that call; its shapes follow the Conversions API reference the guide links to
(dsp-conversion-builder, "Conversion Order Association", v2 media types):
- `POST .../conversionDefinitionAssociations`: a JSON array of 1 to 100 `{"conversionDefinitionId",
  "operation": "ADD"|"REMOVE", "isOptimized"}` → 207 `{"success": [{"index", "conversionDefinitionId"}],
  "error": [{"index", "code", "message"}]}`, indexes starting from 1;
- `GET .../conversionDefinitionAssociations?maxResults&nextToken` → `{"conversionDefinitions": [{"id",
  "isOptimized"}], "maxResults", "nextToken"}` (maxResults 1 to 100, default 10);
- `POST accounts/{accountId}/dsp/conversionDefinitions/list` with `{"filters": [{"field":
  "CONVERSION_DEFINITION_ID", "values"}], "maxResults", "nextToken"}` → `{"conversionDefinitions": [...]}`.
The accountId of the path is the DSP advertiser of the `Amazon-Ads-AccountId` header.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from reconciler.sandbox.amazon_dsp import inputs as read
from reconciler.sandbox.amazon_dsp import objects
from reconciler.sandbox.amazon_dsp.calls import Call, Handler, page
from reconciler.sandbox.amazon_dsp.errors import ApiError, ItemError, bad_request
from reconciler.sandbox.amazon_dsp.seed import PLATFORM
from reconciler.sandbox.common.routing import Operations

OPERATIONS: Operations[Handler] = Operations()
ASSOCIATIONS = "/accounts/{accountId}/dsp/orders/{orderId}/conversionDefinitionAssociations"

BATCH_LIMIT = 100
DEFAULT_PAGE = 10
ASSOCIATION_OPERATIONS = ("ADD", "REMOVE")
FILTER_FIELDS = ("CONVERSION_DEFINITION_ID",)
OFF_AMAZON_KPIS = ("COST_PER_ACTION",)
"""KPIs that need conversion definitions: the guide names COST_PER_ACTION ("e.g."); no other KPI is named,
so the sandbox requires them for that one alone."""


def _account(call: Call) -> None:
    if call.params["accountId"] != call.account_id:
        raise ApiError(
            400,
            "ADVERTISER_MISMATCH",
            f"accountId {call.params['accountId']} in the path is not the advertiser of the "
            f"Amazon-Ads-AccountId header ({call.account_id}).",
        )


def _order(call: Call, writing: bool) -> dict[str, Any]:
    _account(call)
    return objects.campaign_in_path(call, "orderId", writing, "Order (campaign)")


def associated(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The conversion definitions associated with a campaign: `[{"id", "isOptimized"}]`."""
    return list(doc.get("conversionDefinitions", []))


def _page_of(call: Call, items: list[Any], key: str, size: Any, token: Any) -> dict[str, Any]:
    return page({"maxResults": DEFAULT_PAGE if size in (None, "") else size, "nextToken": token}, items, key)


@OPERATIONS.serves("GET", ASSOCIATIONS)
def listing(call: Call) -> tuple[int, dict[str, Any]]:
    """`GET .../orders/{orderId}/conversionDefinitionAssociations`."""
    doc = _order(call, writing=False)
    size = call.query.get("maxResults")
    answer = _page_of(call, associated(doc), "conversionDefinitions", size, call.query.get("nextToken"))
    answer["maxResults"] = str(size or DEFAULT_PAGE)
    return 200, answer


def _items(call: Call) -> list[Any]:
    try:
        body = json.loads(call.raw) if call.raw.strip() else None
    except (ValueError, UnicodeDecodeError) as error:
        raise bad_request("INVALID_JSON", f"The body is not valid JSON: {error}.") from None
    if not isinstance(body, list) or not body:
        raise bad_request(
            "MISSING_REQUIRED_FIELD",
            'The body must be a non-empty JSON array of {"conversionDefinitionId", "operation"}.',
        )
    if len(body) > BATCH_LIMIT:
        raise bad_request(
            "BATCH_SIZE_EXCEEDED",
            f"At most {BATCH_LIMIT} conversion definition associations per request (got {len(body)}).",
        )
    return body


def _each(call: Call, items: list[Any], apply_one: Callable[[Any, str], str]) -> tuple[int, dict[str, Any]]:
    """Items one by one, each in a savepoint; 207 with the Conversions API's shapes (index from 1)."""
    success: list[dict[str, Any]] = []
    error: list[dict[str, Any]] = []
    for number, item in enumerate(items, start=1):
        try:
            with call.tx.savepoint():
                definition_id = apply_one(item, f"[{number - 1}]")
        except ItemError as failure:
            error.append({"index": number, "code": failure.code, "message": failure.message})
        else:
            success.append({"index": number, "conversionDefinitionId": definition_id})
    body: dict[str, Any] = {}
    if success:
        body["success"] = success
    if error:
        body["error"] = error
    return 207, body


@OPERATIONS.serves("POST", ASSOCIATIONS)
def update(call: Call) -> tuple[int, dict[str, Any]]:
    """`POST .../orders/{orderId}/conversionDefinitionAssociations`: ADD (again: sets isOptimized), REMOVE;
    the items one after the other, in their order (the reference says nothing of one named twice)."""
    _order(call, writing=True)
    items = _items(call)

    def one(raw: Any, path: str) -> str:
        item = read.obj(raw, path)
        read.check_keys(item, path, ("conversionDefinitionId", "operation", "isOptimized"))
        definition_id = read.string(item, "conversionDefinitionId", path, required=True)
        operation = read.enum(item, "operation", path, ASSOCIATION_OPERATIONS, required=True)
        optimized = read.boolean(item, "isOptimized", path)
        assert definition_id is not None
        doc = _order(call, writing=True)
        kept = [d for d in associated(doc) if d["id"] != definition_id]
        if operation == "REMOVE":
            if len(kept) == len(associated(doc)):
                raise ItemError(
                    "CONVERSION_DEFINITION_NOT_ASSOCIATED",
                    f"Conversion definition {definition_id} is not associated with {doc['campaignId']}.",
                )
            doc["conversionDefinitions"] = kept
        else:
            definition = call.tx.get(PLATFORM, "conversion_definition", definition_id)
            if definition is None or definition["advertiserId"] != call.account_id:
                raise ItemError(
                    "CONVERSION_DEFINITION_NOT_FOUND",
                    f"Conversion definition {definition_id} does not exist in advertiser {call.account_id}.",
                )
            doc["conversionDefinitions"] = [*kept, {"id": definition_id, "isOptimized": bool(optimized)}]
        call.tx.put(PLATFORM, "campaign", doc["campaignId"], doc)
        return definition_id

    return _each(call, items, one)


def _shown(doc: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in doc.items() if key != "advertiserId"}


@OPERATIONS.serves("POST", "/accounts/{accountId}/dsp/conversionDefinitions/list")
def definitions(call: Call) -> tuple[int, dict[str, Any]]:
    """`POST accounts/{accountId}/dsp/conversionDefinitions/list`: the advertiser's conversion definitions."""
    _account(call)
    body = call.body()
    wanted: set[str] | None = None
    filters = body.get("filters") or []
    if not isinstance(filters, list):
        raise bad_request("INVALID_ARGUMENT", 'filters must be a list of {"field", "values"}.')
    for i, entry in enumerate(filters):
        values = entry.get("values") if isinstance(entry, dict) else None
        if (
            not isinstance(entry, dict)
            or entry.get("field") not in FILTER_FIELDS
            or not isinstance(values, list)
        ):
            raise bad_request(
                "INVALID_ARGUMENT",
                f'filters[{i}] must be {{"field": "CONVERSION_DEFINITION_ID", "values": [...]}}.',
            )
        wanted = {str(v) for v in values} if wanted is None else wanted & {str(v) for v in values}
    found = [
        _shown(doc)
        for doc in call.tx.all(PLATFORM, "conversion_definition")
        if doc["advertiserId"] == call.account_id
        and (wanted is None or doc["conversionDefinitionId"] in wanted)
    ]
    answer = _page_of(call, found, "conversionDefinitions", body.get("maxResults"), body.get("nextToken"))
    answer["maxResults"] = int(body.get("maxResults") or DEFAULT_PAGE)
    return 200, answer


def required_before_activation(doc: dict[str, Any], path: str) -> None:
    """An ACTIVE campaign whose KPI tracks off-Amazon conversions has conversion definitions (guide, step 5:
    "you must associate conversion definitions to the campaign")."""
    kpi = doc["optimization"].get("goalSetting", {}).get("kpi")
    if doc["state"] == "ACTIVE" and kpi in OFF_AMAZON_KPIS and not associated(doc):
        raise ItemError(
            "CONVERSION_DEFINITIONS_REQUIRED",
            f"{path}.state: a campaign with kpi {kpi} must have conversion definitions associated "
            "(POST accounts/{accountId}/dsp/orders/{orderId}/conversionDefinitionAssociations) before it "
            "is activated.",
        )
