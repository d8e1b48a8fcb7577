"""The properties of a local asset file (pure: bytes in, properties out), for the rules the guide's asset
types table states about files ("IMG_BANNER | Banner Image | 320×50", "VID_SHORT_P | Short Portrait Video |
Portrait oriented video less than 15 seconds", ...; rules.FILE_RULES).

Read: PNG, GIF and JPEG images (width and height), MP4/MOV videos (ISO base media: the length from the
movie header `mvhd`, the size from the first track header `tkhd` with one, a quarter turn of its matrix
swapping them) and HTML pages (by their name or first tag). Anything else is `unknown`, and no file rule
applies to it. (The sandbox reads files with code of its own: it plays AppLovin and shares nothing.)
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from typing import Any

UNKNOWN: dict[str, Any] = {"kind": "unknown"}


def probe(name: str, data: bytes) -> dict[str, Any]:
    """`{"kind": image|video|html|unknown, "width", "height", "seconds"}` (sizes and length when read)."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR" and len(data) >= 24:
        return _image(*struct.unpack(">II", data[16:24]))
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        return _image(*struct.unpack("<HH", data[6:10]))
    if data[:2] == b"\xff\xd8":
        return _jpeg(data)
    if data[4:8] == b"ftyp":
        return _video(data)
    if name.lower().endswith((".html", ".htm")) or data[:512].lstrip().lower().startswith(
        (b"<!doctype html", b"<html")
    ):
        return {"kind": "html"}
    return dict(UNKNOWN)


def _image(width: int, height: int) -> dict[str, Any]:
    return {"kind": "image", "width": width, "height": height}


def _jpeg(data: bytes) -> dict[str, Any]:
    """The size in the first start-of-frame segment (SOF0–SOF15 but DHT, JPG and DAC)."""
    at = 2
    while at + 4 <= len(data) and data[at] == 0xFF:
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
        elif marker == 0x01 or 0xD0 <= marker <= 0xD9:  # markers without a length
            at += 2
        elif 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            if at + 9 > len(data):
                break
            height, width = struct.unpack(">HH", data[at + 5 : at + 9])
            return _image(width, height)
        else:
            at += 2 + int.from_bytes(data[at + 2 : at + 4], "big")
    return {"kind": "image"}


def _boxes(data: bytes, start: int, end: int) -> Iterator[tuple[bytes, bytes]]:
    """(type, payload) of each ISO base media box between `start` and `end`."""
    while start + 8 <= end:
        size, kind = struct.unpack(">I4s", data[start : start + 8])
        header = 8
        if size == 1 and start + 16 <= end:
            size, header = int.from_bytes(data[start + 8 : start + 16], "big"), 16
        elif size == 0:
            size = end - start
        if size < header or start + size > end:
            return
        yield kind, data[start + header : start + size]
        start += size


def _video(data: bytes) -> dict[str, Any]:
    found: dict[str, Any] = {"kind": "video"}
    for kind, moov in _boxes(data, 0, len(data)):
        if kind != b"moov":
            continue
        for inner, payload in _boxes(moov, 0, len(moov)):
            if inner == b"mvhd":
                found.update(_movie_length(payload))
            elif inner == b"trak" and "width" not in found:
                tkhd = next((p for k, p in _boxes(payload, 0, len(payload)) if k == b"tkhd"), b"")
                found.update(_track_size(tkhd))
    return found


def _movie_length(mvhd: bytes) -> dict[str, Any]:
    version1 = mvhd[:1] == b"\x01"
    fields = mvhd[20:32] if version1 else mvhd[12:20]
    if len(fields) != (12 if version1 else 8):
        return {}
    scale, duration = struct.unpack(">IQ" if version1 else ">II", fields)
    return {"seconds": duration / scale} if scale else {}


def _track_size(tkhd: bytes) -> dict[str, Any]:
    """The track's width and height (16.16 fixed point, the last 8 bytes) as shown: swapped when the
    matrix before them turns the picture a quarter (a = d = 0). Tracks without a picture have 0×0."""
    if len(tkhd) < 84:
        return {}
    width, height = (v >> 16 for v in struct.unpack(">II", tkhd[-8:]))
    if not width or not height:
        return {}
    a, b = struct.unpack(">ii", tkhd[-44:-36])
    return {"width": height, "height": width} if a == 0 and b != 0 else {"width": width, "height": height}


def shape(found: dict[str, Any]) -> str | None:
    """landscape, portrait or square; None when the size is not known."""
    width, height = found.get("width"), found.get("height")
    if not width or not height:
        return None
    return "square" if width == height else "landscape" if width > height else "portrait"
