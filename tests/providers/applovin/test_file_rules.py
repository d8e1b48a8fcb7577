"""AppLovin's rules on local asset files (rules.FILE_RULES): when the plan reads a file to hash it, the file
must be what the guide's asset types table gives its type (an image, a video or an HTML file; 320×50,
728×90, 300×250, 1200×628/627; landscape or portrait; more or less than 15 seconds). A file that breaks one
is a located error before any request; a format reconciler cannot read is not checked."""

from __future__ import annotations

import asyncio
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from reconciler.errors import ValidationFailed
from reconciler.manifest import load_project
from reconciler.model import Diagnostic, Severity
from reconciler.providers.applovin import media, rules
from reconciler.providers.applovin.provider import AppLovinProvider
from reconciler.providers.base import ProviderConfig
from tests.conftest import Result
from tests.manifest.helpers import line_of
from tests.media import gif, jpeg, mp4, png
from tests.providers.applovin.test_operations import _NoTokens

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "examples" / "applovin-ua"
FILE = "campaigns/puzzle-ios.yaml"
WEBM = b"\x1a\x45\xdf\xa3" + bytes(40)

# rule → (asset type, file name, content, words of the message)
CASES: dict[str, tuple[str, str, bytes, str]] = {
    "asset-file-kind": ("IMG_MREC", "mrec.mp4", mp4(300, 250, 5), "is a video; IMG_MREC takes an image"),
    "asset-image-size": (
        "IMG_BANNER",
        "banner.png",
        png(640, 100),
        "is 640×100; AppLovin's IMG_BANNER is 320×50",
    ),
    "asset-orientation": ("IMG_INTER_P", "portrait.png", png(1920, 1080), "is landscape (1920×1080)"),
    "asset-video-length": ("VID_LONG_P", "long.mp4", mp4(720, 1280, 12), "lasts 12 seconds"),
}
FURTHER: dict[str, tuple[str, str, bytes, str, str]] = {
    "native-size": ("IMG_NATIVE", "n.jpg", jpeg(1200, 630), "asset-image-size", "1200×628 or 1200×627"),
    "square-portrait": ("IMG_INTER_P", "portrait.png", gif(900, 900), "asset-orientation", "is square"),
    "fifteen-seconds": ("VID_SHORT_P", "v.mp4", mp4(720, 1280, 15), "asset-video-length", "lasts 15 seconds"),
    "short-too-long": ("VID_SHORT_L", "v.mp4", mp4(1280, 720, 15.2), "asset-video-length", "less than 15"),
    "html-is-a-page": ("HOSTED_HTML", "play.png", png(320, 50), "asset-file-kind", "takes an HTML file"),
}
ACCEPTED: dict[str, tuple[str, str, bytes]] = {
    "native": ("IMG_NATIVE", "n.jpg", jpeg(1200, 627)),
    "banner-gif": ("IMG_BANNER", "b.gif", gif(320, 50)),
    "icon": ("IMG_ICON", "icon.png", png(1024, 1024)),
    "turned-video": ("VID_SHORT_P", "v.mov", mp4(1280, 720, 9.5, turned=True)),
    "long-video": ("VID_LONG_L", "v.mp4", mp4(1920, 1080, 30)),
    "playable": ("HOSTED_HTML", "play.html", b"<!doctype html><html></html>"),
    "unread-format": ("VID_SHORT_P", "v.webm", WEBM),
}


def project(root: Path, asset_type: str, name: str, content: bytes) -> tuple[Path, str]:
    """The example with `asset_type` taken from `images/<name>`: its line replaced, else added to the
    banners set (which has no ads to need it). Returns the project and the manifest's text."""
    shutil.copytree(EXAMPLE, root)
    (root / "campaigns" / "images" / name).write_bytes(content)
    text = (root / FILE).read_text(encoding="utf-8")
    line = f"{asset_type}: {{file: images/{name}}}"
    text, found = re.subn(rf"(?m)^(\s+){asset_type}: \{{.*\}}.*$", rf"\g<1>{line}", text)
    if not found:
        text = text.replace(
            '          TXT_RATING: {text: "4.5"}', f'          TXT_RATING: {{text: "4.5"}}\n          {line}'
        )
    (root / FILE).write_text(text, encoding="utf-8")
    return root, text


def resolve(root: Path) -> list[Diagnostic]:
    """The plan's reading of the files, with a provider that fails on any request."""
    loaded = load_project(root, check=rules.validate)
    options = {"project_dir": str(root)}
    provider = AppLovinProvider(
        ProviderConfig(base_url="http://nowhere", options=options), tokens=_NoTokens()
    )
    try:
        asyncio.run(provider.resolve(loaded.resources))
    except ValidationFailed as failed:
        return [d for d in failed.diagnostics if isinstance(d, Diagnostic)]
    return []


def test_every_file_rule_has_a_case() -> None:
    assert sorted(CASES) == sorted(rules.FILE_BOOK.codes())


@pytest.mark.parametrize("rule", list(CASES))
def test_file_rule(rule: str, tmp_path: Path) -> None:
    asset_type, name, content, words = CASES[rule]
    root, text = project(tmp_path / "p", asset_type, name, content)
    [d] = resolve(root)
    assert d.rule == rule and words in d.message and d.severity == Severity.ERROR, str(d)
    assert d.file == FILE and d.line == line_of(text, f"{asset_type}: {{file: images/{name}}}") and d.hint
    assert d.field == "content" and d.address.endswith(f"/{asset_type}")


@pytest.mark.parametrize("case", list(FURTHER))
def test_further_files_unlike_their_type(case: str, tmp_path: Path) -> None:
    asset_type, name, content, rule, words = FURTHER[case]
    [d] = resolve(project(tmp_path / "p", asset_type, name, content)[0])
    assert d.rule == rule and words in d.message, str(d)


@pytest.mark.parametrize("case", list(ACCEPTED))
def test_files_like_their_type_pass(case: str, tmp_path: Path) -> None:
    assert resolve(project(tmp_path / "p", *ACCEPTED[case])[0]) == []


def test_plan_stops_at_a_file_unlike_its_type(tmp_path: Path, cli: Callable[..., Result]) -> None:
    asset_type, name, content, words = CASES["asset-orientation"]
    root, _ = project(tmp_path / "p", asset_type, name, content)
    result = cli("plan", str(root))
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert re.search(rf"{re.escape(FILE)}:\d+:\d+: error .*content", result.stderr), result.stderr
    assert words in result.stderr
    assert not (root / "state" / "default.state.json").exists()


@pytest.mark.parametrize(
    ("name", "content", "found"),
    [
        ("a.png", png(36, 64), {"kind": "image", "width": 36, "height": 64}),
        ("a.gif", gif(320, 50), {"kind": "image", "width": 320, "height": 50}),
        ("a.jpg", jpeg(728, 90), {"kind": "image", "width": 728, "height": 90}),
        ("a.jpg", b"\xff\xd8\xff\xd9", {"kind": "image"}),
        ("a.mp4", mp4(720, 1280, 14.5), {"kind": "video", "width": 720, "height": 1280, "seconds": 14.5}),
        (
            "a.mp4",
            mp4(720, 1280, 3, turned=True),
            {"kind": "video", "width": 1280, "height": 720, "seconds": 3},
        ),
        ("a.mp4", b"\0\0\0\x10ftypisom\0\0\0\0\0\0\0\x09moov", {"kind": "video"}),
        ("a.htm", b"x", {"kind": "html"}),
        ("a.webm", WEBM, {"kind": "unknown"}),
    ],
)
def test_probe(name: str, content: bytes, found: dict[str, object]) -> None:
    assert media.probe(name, content) == found
