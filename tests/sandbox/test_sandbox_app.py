"""The sandbox application: one platform per SQLite file across app instances, seeding, and the
`/_sandbox/...` endpoints."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from reconciler.sandbox import SandboxSettings, create_app
from tests.sandbox.conftest import Criteo

pytestmark = pytest.mark.anyio


def client(app: Starlette) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sandbox")


async def test_two_app_instances_on_one_file_see_one_platform(make_app: Callable[..., Starlette]) -> None:
    async with client(make_app()) as first_http:
        planner = Criteo(first_http)
        token = await planner.login()
        created = await planner.create_ad_set(name="made by the first process")

    async with client(make_app()) as second_http:
        applier = Criteo(second_http, token)
        assert (await applier.ad_set(created["id"]))["name"] == "made by the first process"
        again = await applier.create_ad_set(name="made by the second process")
        assert int(again["id"]) == int(created["id"]) + 1
        search = await applier.call("POST", "/ad-sets/search", {"filters": {"advertiserIds": ["12345"]}})
        assert [item["id"] for item in search.json()["data"]] == ["123467", created["id"], again["id"]]


async def test_seeding_happens_once(tmp_path: Path) -> None:
    for _ in range(2):
        async with client(create_app(tmp_path / "s.db")) as http:
            criteo = Criteo(http)
            await criteo.login()
            response = await criteo.call("POST", "/campaigns/search", {"filters": {}})
            assert [c["id"] for c in response.json()["data"]] == ["358313", "358314"]
    with sqlite3.connect(tmp_path / "s.db") as db:
        assert db.execute(
            "SELECT COUNT(*) FROM objects WHERE platform = 'criteo' AND kind = 'audience'"
        ).fetchone() == (3,)


async def test_the_database_is_opened_lazily(tmp_path: Path) -> None:
    create_app(tmp_path / "lazy.db", SandboxSettings())
    assert not (tmp_path / "lazy.db").exists()


async def test_fixtures_lists_the_seeded_ids(make_app: Callable[..., Starlette]) -> None:
    async with client(make_app()) as http:
        response = await http.get("/_sandbox/fixtures")
    assert response.status_code == 200
    assert {"amazon_dsp", "applovin", "criteo"} >= set(response.json()) >= {"criteo"}
    assert {"criteo": response.json()["criteo"]} == {
        "criteo": {
            "advertisers": [
                {
                    "id": "12345",
                    "name": "Acme Fashion",
                    "currency": "EUR",
                    "datasets": ["56789"],
                    "audiences": [
                        {"id": "9876", "name": "Acme cart abandoners"},
                        {"id": "9877", "name": "Acme lookalikes"},
                    ],
                    "campaigns": ["358313"],
                    "adSets": ["123467"],
                },
                {
                    "id": "67890",
                    "name": "Globex Home",
                    "currency": "USD",
                    "datasets": ["56790"],
                    "audiences": [{"id": "9878", "name": "Globex visitors"}],
                    "campaigns": ["358314"],
                    "adSets": [],
                },
            ]
        }
    }


async def test_seeded_campaign_has_one_ad_set(criteo: Criteo) -> None:
    campaign = (await criteo.call("GET", "/campaigns/358313")).json()["data"]["attributes"]
    assert campaign["name"] == "Acme always-on"
    search = await criteo.call("POST", "/ad-sets/search", {"filters": {"campaignIds": ["358313"]}})
    assert len(search.json()["data"]) == 1


async def test_requests_log_records_platform_calls_only(make_app: Callable[..., Starlette]) -> None:
    async with client(make_app()) as http:
        assert (await http.get("/_sandbox/requests")).json() == {"requests": []}
        await http.get("/_sandbox/fixtures")
        criteo = Criteo(http)
        await criteo.login()
        await criteo.call("GET", "/ad-sets/123467")
        await criteo.call("GET", "/ad-sets/424242")
    async with client(make_app()) as other_process:
        logged = (await other_process.get("/_sandbox/requests")).json()["requests"]
    assert [(r["method"], r["path"], r["status"]) for r in logged] == [
        ("POST", "/criteo/oauth2/token", 200),
        ("GET", "/criteo/2027-01/marketing-solutions/ad-sets/123467", 200),
        ("GET", "/criteo/2027-01/marketing-solutions/ad-sets/424242", 404),
    ]


async def test_unknown_platform_path_is_a_problem_404(criteo: Criteo) -> None:
    response = await criteo.http.get("/criteo/2027-01/marketing-solutions/ad-sets/123467/category-bids")
    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "route-not-found"


WRITER = """
import asyncio, sys, httpx
from reconciler.sandbox import create_app

async def main() -> None:
    app = create_app(sys.argv[1])
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sandbox") as http:
        form = {"grant_type": "client_credentials", "client_id": "other-process", "client_secret": "s"}
        token = (await http.post("/criteo/oauth2/token", data=form)).json()["access_token"]
        body = {"data": [{"type": "PatchAdSet", "id": "123467", "attributes": {"name": "renamed elsewhere"}}]}
        headers = {"Authorization": "Bearer " + token}
        response = await http.patch("/criteo/2027-01/marketing-solutions/ad-sets", json=body, headers=headers)
        assert response.json()["errors"] == [], response.text
        print(token)

asyncio.run(main())
"""


async def test_another_process_sees_and_changes_the_same_platform(
    make_app: Callable[..., Starlette], tmp_path: Path
) -> None:
    async with client(make_app(clock=time.time)) as http:  # the other process runs on the real clock
        criteo = Criteo(http)
        await criteo.login()
        assert (await criteo.ad_set("123467"))["name"] == "Acme always-on retargeting"
        done = subprocess.run(
            [sys.executable, "-c", WRITER, str(tmp_path / "sandbox.db")],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=Path(__file__).resolve().parents[2],
        )
        assert done.returncode == 0, done.stderr
        assert (await criteo.ad_set("123467"))["name"] == "renamed elsewhere"
        their_token = Criteo(http, done.stdout.strip())
        assert (await their_token.call("GET", "/campaigns/358313")).status_code == 200


async def test_a_removed_database_file_is_created_again(tmp_path: Path) -> None:
    app = create_app(tmp_path / "gone.db")
    async with client(app) as http:
        assert (await http.get("/_sandbox/requests")).status_code == 200
        (tmp_path / "gone.db").unlink()
        criteo = Criteo(http)
        await criteo.login()
        assert (await criteo.call("GET", "/campaigns/358313")).status_code == 200
