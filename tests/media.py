"""Small media files for tests: the headers of PNG, GIF and JPEG images and of MP4 videos (an `ftyp`, and a
`moov` with its `mvhd` length and a video track's `tkhd` size), as readers of file properties see them."""

from __future__ import annotations

import struct


def png(width: int, height: int) -> bytes:
    header = struct.pack(">II", width, height) + b"\x08\x06\0\0\0"
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + header + b"\0\0\0\0"


def gif(width: int, height: int) -> bytes:
    return b"GIF89a" + struct.pack("<HH", width, height) + b"\0\0\0;"


def jpeg(width: int, height: int) -> bytes:
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"
    sof0 = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\0"
    return b"\xff\xd8" + app0 + sof0 + b"\xff\xd9"


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def mp4(width: int, height: int, seconds: float, *, turned: bool = False) -> bytes:
    """A video `width`×`height` as stored, `seconds` long; `turned`: its matrix turns it a quarter."""
    mvhd = bytes(4) + struct.pack(">IIII", 0, 0, 600, round(seconds * 600)) + bytes(80)
    matrix = (
        (0, 1 << 16, 0, -(1 << 16), 0, 0, 0, 0, 1 << 30)
        if turned
        else (1 << 16, 0, 0, 0, 1 << 16, 0, 0, 0, 1 << 30)
    )
    tkhd = (
        bytes(4)
        + bytes(20)
        + bytes(16)
        + struct.pack(">9i", *matrix)
        + struct.pack(">II", width << 16, height << 16)
    )
    sound = bytes(4) + bytes(20) + bytes(16) + struct.pack(">9i", *matrix) + bytes(8)
    moov = _box(b"mvhd", mvhd) + _box(b"trak", _box(b"tkhd", sound)) + _box(b"trak", _box(b"tkhd", tkhd))
    return _box(b"ftyp", b"isom\0\0\0\0isommp41") + _box(b"moov", moov) + _box(b"mdat", b"\0" * 16)
