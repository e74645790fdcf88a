"""What a stored image holds besides its pixels, read from the bytes themselves (not through Pillow,
which would hide what it does not parse)."""

from __future__ import annotations

import struct

# JPEG: the JFIF header (APP0) and what decoding needs. PNG: header, palette, pixels, end.
JPEG_NEEDED = {0xE0, 0xDB, 0xC4, 0xC0, 0xC1, 0xC2, 0xDD, 0xDA}
PNG_NEEDED = {b"IHDR", b"PLTE", b"IDAT", b"IEND"}


def metadata_in(content: bytes) -> list[str]:
    """The names of the segments or chunks `content` carries that are not pixels: [] when clean."""
    if content.startswith(b"\xff\xd8"):
        found, pos = [], 2
        while pos + 4 <= len(content):
            marker = content[pos + 1]
            if content[pos] != 0xFF:
                return [*found, f"junk at {pos}"]
            if marker == 0xDA:  # start of scan: entropy-coded data follows
                tail = content[pos:]
                return found + (["COM/APP after the scan"] if b"\xff\xfe" in tail or b"\xff\xe1" in tail else [])
            (length,) = struct.unpack(">H", content[pos + 2 : pos + 4])
            if marker not in JPEG_NEEDED:
                found.append(f"JPEG marker {marker:02X}")
            elif marker == 0xE0 and content[pos + 4 : pos + 9] != b"JFIF\0":
                found.append("APP0 that is not JFIF")
            pos += 2 + length
        return found
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        found, pos = [], 8
        while pos + 8 <= len(content):
            (length,) = struct.unpack(">I", content[pos : pos + 4])
            kind = content[pos + 4 : pos + 8]
            if kind not in PNG_NEEDED:
                found.append(kind.decode("latin-1"))
            pos += 12 + length
        return found
    return ["neither JPEG nor PNG"]
