"""AppLovin creative sets, multipart asset uploads, asynchronous processing, the error share and the
ads made per template in the sandbox."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from tests.media import png
from tests.sandbox.applovin.conftest import AppLovin
from tests.sandbox.conftest import Clock

pytestmark = pytest.mark.anyio


async def test_set_fields_sizes_and_validation(applovin: AppLovin) -> None:
    cid = await applovin.campaign()
    sid = await applovin.creative_set(cid, countries=["ZA", "gb"], sizes={"INTER": True, "BANNER": False})
    await applovin.ok("POST", f"/creative_set/{sid}/sizes", {"BANNER": True})
    await applovin.ok("POST", f"/creative_set/{sid}", {"name": "Renamed", "assets": [], "id": sid})
    [found] = await applovin.ok("GET", f"/creative_sets/{cid}")
    assert found["name"] == "Renamed" and found["countries"] == ["gb", "za"]
    assert found["sizes"] == {"INTER": True, "BANNER": True} and found["languages"] == ["en"]
    bad_size = await applovin.call("POST", f"/creative_set/{sid}/sizes", {"NATIVE": True})
    assert (
        bad_size.status_code == 400 and "BANNER, CTV, INTER, PRELOAD" in bad_size.json()["error"]["message"]
    )
    bad_language = await applovin.call("POST", f"/creative_set/{sid}", {"languages": ["xx"]})
    assert bad_language.status_code == 400 and "xx" in bad_language.json()["error"]["message"]
    orphan = await applovin.call("POST", "/creative_set", {"name": "x"})
    assert orphan.status_code == 400 and "campaign_id is required" in orphan.json()["error"]["message"]


async def test_multipart_upload_processing_and_ads_per_template(
    connect: Callable[..., httpx.AsyncClient], clock: Clock
) -> None:
    async with connect(asset_delay_seconds=30) as http:
        client = AppLovin(http)
        await client.login()
        cid = await client.campaign()
        sid = await client.creative_set(cid)
        upload = await client.asset(
            sid, type="IMG_INTER_P", files={"file": ("portrait.png", png(1080, 1920), "image/png")}
        )
        assert upload.status_code == 200, upload.text
        [portrait] = upload.json()
        assert portrait["status"] == "processing" and portrait["asset"].endswith("/portrait.png")
        assert len(portrait["hash"]) == 32
        inferred = await client.asset(sid, files={"file": ("land.png", png(1920, 1080), "image/png")})
        assert [a["type"] for a in inferred.json()] == ["IMG_INTER_P", "IMG_INTER_L"]
        await client.asset(sid, type="VID_SHORT_P", asset="https://cdn.example/v15.mp4")
        assert await client.ok("GET", f"/ads/{sid}") == []  # nothing made while processing
        clock.advance(30)
        ads = await client.ok("GET", f"/ads/{sid}")
        assert sorted(a["template"] for a in ads) == ["Portrait — Under 15s", "Standard"]
        assert {a["size"] for a in ads} == {"INTER"} and all(a["status"] is True for a in ads)
        # the same file again by its hash, as an update
        again = await client.asset(sid, type="IMG_INTER_P", asset=portrait["hash"], update="true")
        assert again.status_code == 200 and again.json()[-1]["asset"] == portrait["asset"]


async def test_ads_only_for_enabled_sizes_and_ad_updates(applovin: AppLovin) -> None:
    cid = await applovin.campaign()
    sid = await applovin.creative_set(cid, sizes={"BANNER": False})
    await applovin.asset(sid, type="IMG_BANNER", asset="https://cdn.example/b.png")
    await applovin.asset(sid, type="IMG_MREC", asset="https://cdn.example/m.png")
    [ad] = await applovin.ok("GET", f"/ads/{sid}")
    assert (ad["size"], ad["template"], ad["creative_set_name"]) == ("MREC", "Standard", "Set")
    await applovin.ok("POST", f"/creative_set/{sid}/sizes", {"BANNER": True})
    assert len(await applovin.ok("GET", f"/ads/{sid}")) == 2
    changed = await applovin.ok("POST", f"/ad/{ad['id']}", {"name": "MREC 1", "status": False})
    assert changed["name"] == "MREC 1" and changed["status"] is False
    assert (await applovin.ok("GET", f"/ad/{ad['id']}"))["status"] is False
    refused = await applovin.call("POST", f"/ad/{ad['id']}", {"size": "BANNER"})
    assert refused.status_code == 400 and "read-only" in refused.json()["error"]["message"]


@pytest.mark.parametrize(
    ("fields", "status", "needle"),
    [
        ({"type": "TXT_RATING", "asset": "4.3"}, 400, "increments of 0.5"),
        ({"type": "TXT_RATING", "asset": "5.5"}, 400, "increments of 0.5"),
        ({"type": "IMG_GIANT", "asset": "https://x/y.png"}, 400, "not one of"),
        ({"type": "IMG_BANNER", "asset": "banner"}, 400, "http(s) URL"),
        ({"type": "IMG_BANNER"}, 400, "pass asset"),
        ({"type": "IMG_BANNER", "asset": "https://x/y.png", "update": "true"}, 404, "IMG_BANNER"),
        ({"type": "TXT_TITLE", "remove": "true"}, 404, "TXT_TITLE"),
    ],
)
async def test_bad_assets_are_refused(
    applovin: AppLovin, fields: dict[str, str], status: int, needle: str
) -> None:
    sid = await applovin.creative_set(await applovin.campaign())
    response = await applovin.asset(sid, **fields)
    assert response.status_code == status and needle in response.json()["error"]["message"]


async def test_text_assets_add_update_remove(applovin: AppLovin) -> None:
    sid = await applovin.creative_set(await applovin.campaign())
    assert (await applovin.asset(sid, type="TXT_RATING", asset="4.5")).json()[0]["status"] == "ready"
    twice = await applovin.asset(sid, type="TXT_RATING", asset="4.0")
    assert twice.status_code == 400 and "update=true" in twice.json()["error"]["message"]
    updated = await applovin.asset(sid, type="TXT_RATING", asset="4.0", update="true")
    assert updated.json() == [
        {"type": "TXT_RATING", "asset": "4.0", "status": "ready", "error_message": None}
    ]
    assert (await applovin.asset(sid, type="TXT_RATING", remove="true")).json() == []
    # "asset | Asset URL, hash, or text string": the guide states no length for a text
    empty = await applovin.asset(sid, type="TXT_SUBTITLE", asset="")
    assert empty.status_code == 200 and empty.json()[0]["asset"] == ""


async def test_corrupt_assets_and_the_error_share(connect: Callable[..., httpx.AsyncClient]) -> None:
    async with connect(asset_error_share=0.5, asset_delay_seconds=5) as http:
        client = AppLovin(http)
        await client.login()
        cid = await client.campaign()
        sid = await client.creative_set(cid)
        pending = await client.asset(sid, type="IMG_BANNER", asset="https://cdn.example/banner_corrupt.png")
        assert pending.json()[0]["status"] == "processing"
        finished = await client.http.post("/_sandbox/applovin/assets/finish")
        assert finished.json() == {"finished": 1}
        [cset] = await client.ok("GET", f"/creative_sets/{cid}")
        [banner] = cset["assets"]
        assert banner["status"] == "error" and "corrupt" in banner["error_message"] and cset["ads"] == []
    async with connect(asset_error_share=0.5) as http:
        client = AppLovin(http)
        await client.login()
        fates = []
        for n in range(40):
            url = f"https://cdn.example/mrec_{n}.png"
            first = await client.asset(sid, type="IMG_MREC", asset=url, update="true" if n else "false")
            again = await client.asset(sid, type="IMG_MREC", asset=url, update="true")
            assert first.json()[-1]["error_message"] == again.json()[-1]["error_message"]  # deterministic
            fates.append(bool(again.json()[-1]["error_message"]))
        assert 8 <= fates.count(True) <= 32
