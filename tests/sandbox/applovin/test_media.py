"""Uploaded files and the asset types table: the sandbox works out a file's type from its properties
("type is calculated from the file properties") and refuses a file whose properties are not those the
table gives the type it is sent as: image, video or HTML; 320×50, 728×90, 300×250, 1200×628/627;
landscape or portrait; videos more or less than 15 seconds."""

from __future__ import annotations

import pytest

from tests.media import gif, jpeg, mp4, png
from tests.sandbox.applovin.conftest import AppLovin

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(
    ("name", "content", "asset_type"),
    [
        ("b.png", png(320, 50), "IMG_BANNER"),
        ("l.jpg", jpeg(728, 90), "IMG_LEADER"),
        ("m.gif", gif(300, 250), "IMG_MREC"),
        ("n.png", png(1200, 627), "IMG_NATIVE"),
        ("icon.png", png(512, 512), "IMG_ICON"),
        ("p.jpg", jpeg(1080, 1920), "IMG_INTER_P"),
        ("short.mp4", mp4(720, 1280, 14.9), "VID_SHORT_P"),
        ("long.mp4", mp4(1280, 720, 30), "VID_LONG_L"),
        ("turned.mp4", mp4(1280, 720, 10, turned=True), "VID_SHORT_P"),
        ("play.html", b"<html><body>play</body></html>", "HOSTED_HTML"),
        ("play.bin", b"  <!DOCTYPE html><html></html>", "HOSTED_HTML"),
    ],
)
async def test_a_file_s_type_is_worked_out_from_its_properties(
    applovin: AppLovin, name: str, content: bytes, asset_type: str
) -> None:
    sid = await applovin.creative_set(await applovin.campaign())
    response = await applovin.asset(sid, files={"file": (name, content)})
    assert response.status_code == 200, response.text
    assert [a["type"] for a in response.json()] == [asset_type]


@pytest.mark.parametrize(
    ("asset_type", "name", "content", "rule", "words"),
    [
        ("IMG_BANNER", "b.png", png(640, 100), "asset-image-size", "is 640×100; IMG_BANNER is 320×50"),
        ("IMG_NATIVE", "n.jpg", jpeg(1200, 630), "asset-image-size", "1200×628 or 1200×627"),
        (
            "IMG_INTER_L",
            "p.png",
            png(1080, 1920),
            "asset-orientation",
            "is portrait; IMG_INTER_L is landscape",
        ),
        ("IMG_INTER_P", "s.gif", gif(800, 800), "asset-orientation", "is square"),
        ("VID_LONG_P", "l.mp4", mp4(1280, 720, 30), "asset-orientation", "is landscape"),
        ("VID_LONG_P", "v.mp4", mp4(720, 1280, 15), "asset-video-length", "more than 15 seconds"),
        ("VID_SHORT_L", "v.mp4", mp4(1280, 720, 15.5), "asset-video-length", "less than 15 seconds"),
        ("VID_SHORT_L", "b.png", png(1280, 720), "asset-file-kind", "takes a video; b.png is an image"),
        ("HOSTED_HTML", "v.mp4", mp4(1280, 720, 5), "asset-file-kind", "takes an HTML file"),
        ("IMG_MREC", "p.html", b"<html></html>", "asset-file-kind", "takes an image"),
    ],
)
async def test_a_file_unlike_its_type_is_refused(
    applovin: AppLovin, asset_type: str, name: str, content: bytes, rule: str, words: str
) -> None:
    sid = await applovin.creative_set(await applovin.campaign())
    response = await applovin.asset(sid, type=asset_type, files={"file": (name, content)})
    assert response.status_code == 400, response.text
    assert response.json()["error"]["rule"] == rule and words in response.json()["error"]["message"]


async def test_a_video_of_exactly_15_seconds_has_no_type(applovin: AppLovin) -> None:
    """Neither "more than 15 seconds" nor "less than 15 seconds"."""
    sid = await applovin.creative_set(await applovin.campaign())
    response = await applovin.asset(sid, files={"file": ("v.mp4", mp4(720, 1280, 15))})
    assert response.status_code == 400 and response.json()["error"]["rule"] == "asset-video-length"


async def test_the_hash_of_an_uploaded_file_keeps_its_properties(applovin: AppLovin) -> None:
    sid = await applovin.creative_set(await applovin.campaign())
    [banner] = (await applovin.asset(sid, type="IMG_BANNER", files={"file": ("b.png", png(320, 50))})).json()
    refused = await applovin.asset(sid, type="IMG_MREC", asset=banner["hash"])
    assert refused.status_code == 400 and refused.json()["error"]["rule"] == "asset-image-size"
    reused = await applovin.asset(sid, type="IMG_BANNER", asset=banner["hash"], update="true")
    assert reused.status_code == 200 and reused.json()[0]["hash"] == banner["hash"]


async def test_a_file_the_sandbox_cannot_read_is_taken_as_its_type_says(applovin: AppLovin) -> None:
    """Nothing stricter than the guide: a format the sandbox does not read (WebM, a bare JPEG start) is
    not checked when `type` says what it is, and only refused when nothing does."""
    sid = await applovin.creative_set(await applovin.campaign())
    webm = b"\x1a\x45\xdf\xa3" + bytes(40)
    taken = await applovin.asset(sid, type="VID_SHORT_P", files={"file": ("v.webm", webm)})
    assert taken.status_code == 200 and taken.json()[0]["type"] == "VID_SHORT_P"
    untyped = await applovin.asset(sid, files={"file": ("v.webm", webm)})
    assert untyped.status_code == 400 and untyped.json()["error"]["rule"] == "asset-type"
