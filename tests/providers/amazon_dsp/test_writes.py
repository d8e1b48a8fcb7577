"""Amazon DSP writes through the kit's writer over a scripted client: a batch is split by advertiser (one
account header a call), and a 207 answer maps back to one result per item."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from reconciler.model import Address, Operation
from reconciler.providers.amazon_dsp.client import AmazonApiError
from reconciler.providers.amazon_dsp.kinds import CREATE_CAMPAIGN, PATCH_CAMPAIGN
from reconciler.providers.amazon_dsp.provider import AmazonDspProvider
from reconciler.providers.base import ProviderConfig


class Campaigns:
    """Answers campaign writes as scripted: `answers[advertiser]` is a 207 body or an error to raise."""

    label = "Amazon DSP"

    def __init__(self, answers: dict[str, Any]) -> None:
        self.answers = answers
        self.calls: list[tuple[str, list[dict[str, Any]]]] = []

    async def _answer(self, advertiser: str, campaigns: Sequence[dict[str, Any]]) -> dict[str, Any]:
        self.calls.append((advertiser, list(campaigns)))
        answer = self.answers[advertiser]
        if isinstance(answer, Exception):
            raise answer
        return dict(answer)

    create_campaigns = patch_campaigns = _answer

    async def aclose(self) -> None:
        return None


def op(key: str, advertiser: str, verb: Any = PATCH_CAMPAIGN, object_id: str | None = None) -> Operation:
    address = Address("amazon_dsp", "campaign", (key,))
    payload = {"name": key, "advertiserId": advertiser, "flights": []}
    return Operation(f"{verb.name}:{address}", address, verb, payload, id=object_id)


def provider(client: Campaigns) -> AmazonDspProvider:
    return AmazonDspProvider(ProviderConfig(base_url="http://sandbox/amazon-dsp"), client=client)  # type: ignore[arg-type]


def test_a_batch_of_two_advertisers_is_two_calls_and_one_failing_call_fails_only_its_items() -> None:
    client = Campaigns(
        {
            "A": {"success": [{"index": 0, "campaignId": "1"}, {"index": 1, "campaignId": "2"}]},
            "B": AmazonApiError("PATCH", "/dsp/v1/campaigns", 503, "unavailable"),
        }
    )
    ops = [op("a1", "A", object_id="1"), op("b1", "B", object_id="3"), op("a2", "A", object_id="2")]
    results = asyncio.run(provider(client).execute(PATCH_CAMPAIGN, ops, {}))
    assert sorted((advertiser, [c["campaignId"] for c in body]) for advertiser, body in client.calls) == [
        ("A", ["1", "2"]),
        ("B", ["3"]),
    ]
    assert [(r.ok, r.id, r.unknown) for r in results] == [
        (True, "1", False),
        (False, "3", True),
        (True, "2", False),
    ]
    assert "HTTP 503: unavailable" in results[1].error


def test_a_207_answer_maps_to_one_result_per_item() -> None:
    """An item in `error` fails with Amazon's words; one in `success` gets its id; one in neither may have
    been created: its outcome is unknown (the create stays journalled)."""
    client = Campaigns(
        {
            "A": {
                "success": [{"index": 0, "campaignId": "11"}],
                "error": [
                    {"index": 1, "errorCode": "INVALID_BUDGET_AMOUNT", "errorMessage": "budget too low"}
                ],
            }
        }
    )
    ops = [op(k, "A", CREATE_CAMPAIGN) for k in ("ok", "refused", "silent")]
    results = asyncio.run(provider(client).execute(CREATE_CAMPAIGN, ops, {}))
    assert [(r.ok, r.id, r.unknown) for r in results] == [
        (True, "11", False),
        (False, None, False),
        (False, None, True),
    ]
    assert results[1].error == "budget too low (INVALID_BUDGET_AMOUNT)"
    [(_, bodies)] = client.calls
    assert [b["advertiserId"] for b in bodies] == ["A", "A", "A"] and all("state" not in b for b in bodies)
