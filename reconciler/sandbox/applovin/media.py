"""What the AppLovin emulator reads from an uploaded file, and the asset types table's rules on it.

The guide: "When you pass in a file to add or update a file asset, type is calculated from the file
properties", and its asset types table states the properties: "IMG_BANNER | Banner Image | 320×50",
"IMG_LEADER | 728×90", "IMG_MREC | 300×250", "IMG_NATIVE | ... 1200×628 or 1200×627", "IMG_INTER_L |
Landscape Image", "IMG_INTER_P | Portrait Image", "VID_LONG_L | Landscape oriented video more than 15
seconds", "VID_SHORT_P | Portrait oriented video less than 15 seconds", "HOSTED_HTML | Playable File".

The emulator reads PNG, GIF and JPEG images (width, height), MP4/MOV videos (the ISO base media file
format: length from `mvhd`, width and height from the video track's `tkhd`, turned by its matrix) and HTML
files (by name or by their first tag). A file it cannot read is refused only when no `type` says what it is.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass

from reconciler.sandbox.applovin.calls import Upload
from reconciler.sandbox.applovin.errors import invalid

IMAGE_SIZES: dict[str, frozenset[tuple[int, int]]] = {
    "IMG_BANNER": frozenset({(320, 50)}),
    "IMG_LEADER": frozenset({(728, 90)}),
    "IMG_MREC": frozenset({(300, 250)}),
    "IMG_NATIVE": frozenset({(1200, 628), (1200, 627)}),
}
LANDSCAPE = frozenset({"IMG_INTER_L", "VID_LONG_L", "VID_SHORT_L"})
PORTRAIT = frozenset({"IMG_INTER_P", "VID_LONG_P", "VID_SHORT_P"})
_NOUNS = {"image": "an image", "video": "a video", "html": "an HTML file"}
SECONDS = 15.0
"""VID_LONG_ videos last "more than 15 seconds", VID_SHORT_ ones "less than 15 seconds"."""


@dataclass(frozen=True)
class Props:
    """A file's properties: `kind` is image, video, html or unknown; sizes in pixels, length in seconds."""

    kind: str
    width: int = 0
    height: int = 0
    seconds: float | None = None

    @property
    def shape(self) -> str:
        if not self.width or not self.height or self.width == self.height:
            return "square" if self.width and self.width == self.height else "unknown"
        return "landscape" if self.width > self.height else "portrait"


def props(upload: Upload) -> Props:
    data = upload.content
    if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR":
        width, height = struct.unpack(">II", data[16:24])
        return Props("image", width, height)
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return Props("image", width, height)
    if data.startswith(b"\xff\xd8"):
        return _jpeg(data)
    if data[4:8] == b"ftyp":
        return _mp4(data)
    head = data[:512].lstrip().lower()
    if upload.filename.lower().endswith((".html", ".htm")) or head.startswith((b"<!doctype html", b"<html")):
        return Props("html")
    return Props("unknown")


def _jpeg(data: bytes) -> Props:
    at = 2
    while at + 9 <= len(data) and data[at] == 0xFF:
        marker = data[at + 1]
        if marker == 0xFF:
            at += 1
            continue
        if 0xD0 <= marker <= 0xD9 or marker == 0x01:
            at += 2
            continue
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[at + 5 : at + 9])
            return Props("image", width, height)
        at += 2 + struct.unpack(">H", data[at + 2 : at + 4])[0]
    return Props("image")


def _boxes(data: bytes, start: int, end: int) -> Iterator[tuple[bytes, int, int]]:
    """(type, payload start, payload end) of the boxes between start and end."""
    at = start
    while at + 8 <= end:
        size, kind = struct.unpack(">I4s", data[at : at + 8])
        header = 8
        if size == 1 and at + 16 <= end:
            size, header = struct.unpack(">Q", data[at + 8 : at + 16])[0], 16
        elif size == 0:
            size = end - at
        if size < header or at + size > end:
            return
        yield kind, at + header, at + size
        at += size


def _mp4(data: bytes) -> Props:
    seconds: float | None = None
    width = height = 0
    for kind, start, end in _boxes(data, 0, len(data)):
        if kind != b"moov":
            continue
        for inner, s, e in _boxes(data, start, end):
            if inner == b"mvhd":
                seconds = _length(data[s:e])
            elif inner == b"trak":
                for part, ts, te in _boxes(data, s, e):
                    if part == b"tkhd" and not width:
                        width, height = _track_size(data[ts:te])
    return Props("video", width, height, seconds)


def _length(mvhd: bytes) -> float | None:
    if mvhd[:1] == b"\x01" and len(mvhd) >= 32:
        scale, duration = struct.unpack(">IQ", mvhd[20:32])
    elif len(mvhd) >= 20:
        scale, duration = struct.unpack(">II", mvhd[12:20])
    else:
        return None
    return duration / scale if scale else None


def _track_size(tkhd: bytes) -> tuple[int, int]:
    """Width and height as shown: a matrix that turns the picture a quarter swaps them."""
    if len(tkhd) < 84:
        return 0, 0
    a, b = struct.unpack(">ii", tkhd[-44:-36])
    width, height = (v >> 16 for v in struct.unpack(">II", tkhd[-8:]))
    return (height, width) if a == 0 and b != 0 else (width, height)


def file_type(found: Props, filename: str) -> str:
    """The asset type a file's properties give, when the request names none."""
    if found.kind == "html":
        return "HOSTED_HTML"
    if found.kind == "image" and found.shape != "unknown":
        sized = [t for t, sizes in IMAGE_SIZES.items() if (found.width, found.height) in sizes]
        if sized:
            return sized[0]
        return {"square": "IMG_ICON", "portrait": "IMG_INTER_P"}.get(found.shape, "IMG_INTER_L")
    if found.kind == "video" and found.seconds is not None and found.shape in ("portrait", "landscape"):
        if found.seconds == SECONDS:
            raise invalid("asset-video-length", f"{filename} lasts 15 seconds: neither more nor less than 15")
        length = "LONG" if found.seconds > SECONDS else "SHORT"
        return f"VID_{length}_{found.shape[0].upper()}"
    raise invalid("asset-type", f"the type of {filename!r} cannot be worked out from the file: pass type")


def check(asset_type: str, found: Props, filename: str) -> None:
    """Refuse a file whose properties are not those the asset types table gives `asset_type`."""
    family = "html" if asset_type == "HOSTED_HTML" else "image" if asset_type.startswith("IMG_") else "video"
    if found.kind not in ("unknown", family):
        raise invalid(
            "asset-file-kind", f"{asset_type} takes {_NOUNS[family]}; {filename} is {_NOUNS[found.kind]}"
        )
    sizes = IMAGE_SIZES.get(asset_type)
    if sizes and found.width and (found.width, found.height) not in sizes:
        wanted = " or ".join(f"{w}×{h}" for w, h in sorted(sizes, reverse=True))
        raise invalid(
            "asset-image-size", f"{filename} is {found.width}×{found.height}; {asset_type} is {wanted}"
        )
    shape = "landscape" if asset_type in LANDSCAPE else "portrait" if asset_type in PORTRAIT else None
    if shape and found.shape != "unknown" and found.shape != shape:
        raise invalid("asset-orientation", f"{filename} is {found.shape}; {asset_type} is {shape}")
    if asset_type.startswith("VID_") and found.seconds is not None:
        long = asset_type.startswith("VID_LONG_")
        if (found.seconds <= SECONDS) if long else (found.seconds >= SECONDS):
            wanted = "more" if long else "less"
            raise invalid(
                "asset-video-length",
                f"{filename} lasts {found.seconds:g} seconds; {asset_type} is {wanted} than 15 seconds",
            )
