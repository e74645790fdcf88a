"""The perceptual hash of a stored picture (图像指纹), for the duplicate guard (decision 0029).

`imagehash.phash` gives 64 bits as 16 hex digits; two pictures of the same image stay within a
bit or two of each other after resizing and recompressing. Lookups use the exact hash and its 64
one-bit neighbours, so each is an index probe on `Reading.phash`.
"""

from __future__ import annotations

import io

import imagehash
from PIL import Image, UnidentifiedImageError

HASH_BITS = 64
# A hash with almost every bit equal is a picture without content (a blank page, one colour): the
# DCT has nothing above its median, so every such picture hashes alike and says nothing.
MIN_SET_BITS, MAX_SET_BITS = 8, HASH_BITS - 8


def image_phash(content: bytes) -> str:
    """The stored picture's perceptual hash as 16 lower-case hex digits, or "" if it cannot be
    decoded. Decoded at a reduced size (a JPEG's draft mode), since pHash looks at 32×32 pixels."""
    try:
        with Image.open(io.BytesIO(content)) as image:
            image.draft("L", (256, 256))
            return str(imagehash.phash(image.convert("L")))
    except (UnidentifiedImageError, OSError, ValueError):
        return ""


def is_blank_hash(phash: str) -> bool:
    """True for no hash, or the hash of a picture without content."""
    if len(phash) != HASH_BITS // 4:
        return True
    set_bits = int(phash, 16).bit_count()
    return not MIN_SET_BITS <= set_bits <= MAX_SET_BITS


def near_hashes(phash: str, *, distance: int = 1) -> list[str]:
    """The hash and every hash within `distance` bits of it (1: 65 values; 2: 2,081)."""
    value = int(phash, 16)
    found = {value}
    frontier = {value}
    for _ in range(distance):
        frontier = {v ^ (1 << bit) for v in frontier for bit in range(HASH_BITS)} - found
        found |= frontier
    return sorted(f"{v:016x}" for v in found)
