"""The plumbing of one Amazon DSP call: the `Call` a handler receives (transaction, clock, account,
parsed body), the wrapper that turns a handler into a Starlette endpoint (auth headers → throttle →
handler in a savepoint → JSON), list pages (`maxResults` ≤ 100, `nextToken`), id filters, and batch
writes answered with 207 `{"requestId", "success", "error"}` (empty arrays left out)."""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from reconciler.sandbox.amazon_dsp import auth
from reconciler.sandbox.amazon_dsp import inputs as read
from reconciler.sandbox.amazon_dsp.errors import ApiError, ItemError, bad_request
from reconciler.sandbox.amazon_dsp.seed import PLATFORM
from reconciler.sandbox.amazon_dsp.settings import Settings
from reconciler.sandbox.common import endpoints
from reconciler.sandbox.settings import SandboxSettings
from reconciler.sandbox.store import Store, Tx

MAX_PAGE = 100


@dataclass
class Call(endpoints.Call):
    """What a handler needs to serve one authenticated call."""

    settings: SandboxSettings
    account_id: str
    request_id: str

    def body(self) -> dict[str, Any]:
        """The JSON object body (`{}` when there is none), or a 400."""
        if not self.raw.strip():
            return {}
        try:
            value = json.loads(self.raw)
        except (ValueError, UnicodeDecodeError) as error:
            raise bad_request("INVALID_JSON", f"The body is not valid JSON: {error}.") from None
        if not isinstance(value, dict):
            raise bad_request("INVALID_ARGUMENT", "The body must be a JSON object.")
        return value


Handler = Callable[[Call], tuple[int, dict[str, Any]]]


def endpoint(handler: Handler, store: Store, settings: SandboxSettings) -> endpoints.Endpoint:
    """Wrap a handler: headers and token → throttle → handler in a savepoint (a refused call changes
    nothing) → JSON."""

    def answer(tx: Tx, request: Request, raw: bytes) -> Response:
        request_id = str(uuid.uuid4())
        now = settings.clock()
        try:
            client_id, account_id = auth.authenticate(tx, request.headers, now)
            auth.throttle(tx, client_id, now, settings.of(PLATFORM, Settings).rate_limit_per_second)
            call = Call(
                tx=tx,
                now=now,
                params=endpoints.path_params(request),
                query=dict(request.query_params),
                raw=raw,
                settings=settings,
                account_id=account_id,
                request_id=request_id,
            )
            with tx.savepoint():
                status, body = handler(call)
        except ApiError as error:
            return endpoints.json_response(error.status, error.body(request_id), error.headers)
        return endpoints.json_response(status, body)

    return endpoints.transactional(store, answer)


# -- lists -----------------------------------------------------------------------------------------


def page_size(body: Mapping[str, Any]) -> int:
    raw = body.get("maxResults")
    if raw is None:
        return MAX_PAGE
    if isinstance(raw, str) and raw.strip().isdigit():
        raw = int(raw)
    if isinstance(raw, bool) or not isinstance(raw, int) or not 1 <= raw <= MAX_PAGE:
        raise bad_request(
            "INVALID_MAX_RESULTS", f"maxResults must be an integer from 1 to {MAX_PAGE} (got {raw!r})."
        )
    return raw


def _offset(token: Any) -> int:
    if token is None or token == "":
        return 0
    try:
        text = base64.urlsafe_b64decode(str(token).encode()).decode()
        kind, _, value = text.partition(":")
        if kind != "offset" or not value.isdigit():
            raise ValueError(text)
        return int(value)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise bad_request("INVALID_NEXT_TOKEN", "nextToken is not a token this API returned.") from None


def page(body: Mapping[str, Any], items: Sequence[Any], key: str, total: bool = False) -> dict[str, Any]:
    """One page of `items` under `key`, with `nextToken` when more follow (and `totalResults`)."""
    size = page_size(body)
    start = _offset(body.get("nextToken"))
    answer: dict[str, Any] = {key: list(items[start : start + size])}
    if start + size < len(items):
        answer["nextToken"] = base64.urlsafe_b64encode(f"offset:{start + size}".encode()).decode()
    if total:
        answer["totalResults"] = len(items)
    return answer


def id_filter(body: Mapping[str, Any], name: str, limit: int | None = None) -> set[str] | None:
    """The ids of a filter, read from `filters.<name>` or `<name>`, as a list or `{"include": [...]}`;
    None when absent."""
    filters = body.get("filters")
    value = filters.get(name) if isinstance(filters, dict) and name in filters else body.get(name)
    if value is None:
        return None
    if isinstance(value, dict):
        value = value.get("include")
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        raise bad_request("INVALID_ARGUMENT", f'{name} must be a list of ids (or {{"include": [...]}}).')
    if limit is not None and len(value) > limit:
        raise bad_request(
            "TOO_MANY_FILTER_VALUES",
            f"{name} supports up to {limit} items (got {len(value)}); split the request.",
        )
    return {str(v) for v in value}


# -- batch writes ----------------------------------------------------------------------------------


def batch_items(body: Mapping[str, Any], key: str, limit: int) -> list[Any]:
    items = body.get(key)
    if not isinstance(items, list) or not items:
        raise bad_request("MISSING_REQUIRED_FIELD", f"{key} must be a non-empty array.")
    if len(items) > limit:
        raise bad_request(
            "BATCH_SIZE_EXCEEDED", f"At most {limit} {key} per request (got {len(items)}); split the request."
        )
    return items


def multi_status(call: Call, success: list[dict[str, Any]], error: list[dict[str, Any]]) -> dict[str, Any]:
    """The 207 body; an empty `success` or `error` array is left out."""
    body: dict[str, Any] = {"requestId": call.request_id}
    if success:
        body["success"] = sorted(success, key=lambda entry: int(entry["index"]))
    if error:
        body["error"] = sorted(error, key=lambda entry: int(entry["index"]))
    return body


def each(
    call: Call, items: list[Any], apply_one: Callable[[Call, Any, int], dict[str, Any]]
) -> tuple[int, dict[str, Any]]:
    """Carry out items one by one, each in its own savepoint; `apply_one` returns its success fields."""
    success: list[dict[str, Any]] = []
    error: list[dict[str, Any]] = []
    for index, item in enumerate(items):
        try:
            with call.tx.savepoint():
                done = apply_one(call, item, index)
        except ItemError as failure:
            error.append({"index": index, "errorCode": failure.code, "errorMessage": failure.message})
        else:
            success.append({"index": index, **done})
    return 207, multi_status(call, success, error)


def each_object(
    call: Call,
    key: str,
    limit: int,
    apply_one: Callable[[Call, dict[str, Any], str], dict[str, Any]],
    allowed: Collection[str],
    read_only: Collection[str] = (),
) -> tuple[int, dict[str, Any]]:
    """A batch write of the objects under `key` (at most `limit`): each item, at path `key[index]`, is a
    JSON object of `allowed` fields (`read_only` ones refused) before `apply_one` carries it out."""

    def one(call: Call, raw: Any, index: int) -> dict[str, Any]:
        path = f"{key}[{index}]"
        item = read.obj(raw, path)
        read.check_keys(item, path, allowed, read_only)
        return apply_one(call, item, path)

    return each(call, batch_items(call.body(), key, limit), one)
