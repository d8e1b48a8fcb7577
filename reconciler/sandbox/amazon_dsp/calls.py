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


def _numbers(token: Any, kind: str, count: int) -> list[int] | None:
    """The `count` numbers of a `kind:n[:n…]` token this API returned; None for the first page."""
    if token is None or token == "":
        return None
    try:
        text = base64.urlsafe_b64decode(str(token).encode()).decode()
        head, *values = text.split(":")
        if head != kind or len(values) != count or not all(v.isdigit() for v in values):
            raise ValueError(text)
        return [int(v) for v in values]
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise bad_request("INVALID_NEXT_TOKEN", "nextToken is not a token this API returned.") from None


def _token(kind: str, *numbers: int) -> str:
    return base64.urlsafe_b64encode(":".join((kind, *map(str, numbers))).encode()).decode()


def page(body: Mapping[str, Any], items: Sequence[Any], key: str, total: bool = False) -> dict[str, Any]:
    """One page of `items` under `key`, with `nextToken` when more follow (and `totalResults`)."""
    size = page_size(body)
    start = (_numbers(body.get("nextToken"), "offset", 1) or [0])[0]
    answer: dict[str, Any] = {key: list(items[start : start + size])}
    if start + size < len(items):
        answer["nextToken"] = _token("offset", start + size)
    if total:
        answer["totalResults"] = len(items)
    return answer


def grouped_page(
    body: Mapping[str, Any],
    key: str,
    groups: Sequence[str],
    items_of: Callable[[str], Sequence[Any]],
    total: bool = False,
) -> dict[str, Any]:
    """One page of the items of `groups` in order, a group's items loaded by `items_of` only when the
    page reaches it: `nextToken` names the group and item the next page starts at (and the total the
    first page counted), so reading a list page by page loads each group about once, not once a page."""
    size = page_size(body)
    cursor = _numbers(body.get("nextToken"), "cursor", 3)
    group, skip, count = cursor or (0, 0, 0)
    loaded: dict[int, Sequence[Any]] = {}

    def items(position: int) -> Sequence[Any]:
        if position not in loaded:
            loaded[position] = items_of(groups[position])
        return loaded[position]

    if total and cursor is None:
        count = sum(len(items(position)) for position in range(len(groups)))
    found: list[Any] = []
    answer: dict[str, Any] = {key: found}
    position, index = group, skip
    while position < len(groups):
        shown = items(position)
        if index < len(shown) and len(found) == size:
            answer["nextToken"] = _token("cursor", position, index, count)
            break
        taken = shown[index : index + size - len(found)]
        found.extend(taken)
        index += len(taken)
        if index >= len(shown):
            position, index = position + 1, 0
    if total:
        answer["totalResults"] = count
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
