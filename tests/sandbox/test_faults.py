"""Fault injection: refused calls change nothing, lost answers hide a committed change, `only` scopes them."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from starlette.applications import Starlette

from reconciler.sandbox import Faults
from tests.sandbox.conftest import Criteo, ad_set_body

pytestmark = pytest.mark.anyio

CREATE = r"^POST .*/marketing-solutions/ad-sets$"


async def login(app: Starlette) -> Criteo:
    client = Criteo(httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sandbox"))
    await client.login()
    return client


async def ad_sets(client: Criteo) -> list[str]:
    found = await client.call("POST", "/ad-sets/search", {"filters": {"campaignIds": ["358313"]}})
    return [item["attributes"]["name"] for item in found.json()["data"]]


async def test_refused_calls_change_nothing(make_app: Callable[..., Starlette]) -> None:
    client = await login(make_app(faults=Faults(fail_share=1.0, only=CREATE)))
    refused = await client.call("POST", "/ad-sets", ad_set_body(name="never made"))
    assert refused.status_code == 503
    assert "never made" not in await ad_sets(client)
    await client.http.aclose()


async def test_lost_answers_hide_a_committed_create(make_app: Callable[..., Starlette]) -> None:
    client = await login(make_app(faults=Faults(lose_share=1.0, only=CREATE)))
    lost = await client.call("POST", "/ad-sets", ad_set_body(name="made in the dark"))
    assert lost.status_code == 504 and "may have been carried out" in lost.text
    assert "made in the dark" in await ad_sets(client)  # the search is not matched by `only`
    log = (await client.http.get("/_sandbox/requests")).json()["requests"]
    assert [r["status"] for r in log if r["method"] == "POST" and r["path"].endswith("/ad-sets")] == [504]
    await client.http.aclose()
