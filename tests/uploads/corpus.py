"""Hostile uploads, generated from a seed (never committed as binaries): the bombs of issue 13 and
a corpus of malformed files of every kind a phone, a scanner or an attacker may send.

Used by tests/uploads/test_fuzz_uploads.py and bench/upload_memory.py.
"""

from __future__ import annotations

import io
import random
import struct
import zlib
from collections.abc import Iterator

from PIL import Image, PngImagePlugin

PAYLOAD = b"<html><script>alert(document.cookie)</script></html>"


def chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png(
    width: int, height: int, *, depth: int = 8, colour: int = 0, rows: int | None = None, extra: bytes = b""
) -> bytes:
    """A PNG of zero pixels built by hand: `rows` rows only (a truncated file without IEND), or all
    of them compressed (a few hundred KB for tens of millions of pixels)."""
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[colour]
    row = b"\0" + bytes((width * channels * depth + 7) // 8)
    head = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 0))
    if colour == 3:
        head += chunk(b"PLTE", bytes(range(256)) * 3) + chunk(b"tRNS", b"\0")
    head += extra
    if rows is not None:
        return head + chunk(b"IDAT", zlib.compress(row * rows, 9))
    compressor = zlib.compressobj(9)
    body = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    return head + chunk(b"IDAT", body) + chunk(b"IEND", b"")


def encoded(image: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def bombs() -> dict[str, bytes]:
    """Small files that decode to hundreds of megabytes: each must be refused, or fixed within the
    worker's memory (the figures: bench/upload_memory.py)."""
    ztxt = chunk(b"zTXt", b"Comment\0\0" + zlib.compress(b"A" * 60_000_000, 9))
    return {
        "grey16-7745-truncated.png": png(7745, 7745, depth=16, colour=0, rows=1),  # the 230 bytes of the report
        "grey16-7745.png": png(7745, 7745, depth=16, colour=0),
        "rgba16-7745.png": png(7745, 7745, depth=16, colour=6),  # the 466 KB of the report
        "rgba8-7745.png": png(7745, 7745, depth=8, colour=6),
        "rgb16-5000.png": png(5000, 5000, depth=16, colour=2),
        "palette-7745-transparent.png": png(7745, 7745, depth=8, colour=3),
        "grey-alpha16-7745.png": png(7745, 7745, depth=16, colour=4),
        "bilevel-7745.png": png(7745, 7745, depth=1, colour=0),
        "rgb-60000x1000.png": png(60000, 1000, depth=8, colour=2),
        "rgb-1x60000000.png": png(1, 60_000_000, depth=8, colour=2, rows=1),
        "ztxt-60mb.png": png(400, 400, colour=2, extra=ztxt),
        "jpeg-7745.jpg": encoded(Image.new("L", (7745, 7745)), "JPEG", quality=10),
        "cmyk-jpeg-6000.jpg": encoded(Image.new("CMYK", (6000, 6000)), "JPEG", quality=10),
        "tiff-float-4000.tif": encoded(Image.new("F", (4000, 4000)), "TIFF", compression="tiff_deflate"),
        "webp-7745.webp": encoded(Image.new("RGB", (7745, 7745)), "WEBP", lossless=True, quality=0, method=0),
        "gif-7745.gif": encoded(Image.new("P", (7745, 7745)), "GIF"),
        "bmp-32bit-4000-truncated.bmp": encoded(Image.new("RGBA", (4000, 4000)), "BMP")[:4096],
        "webp-16383-truncated.webp": _webp_header(16383, 16383),
        # The largest of each kind the decoding limit lets through: the worst a worker decodes.
        "edge-rgb16-4000.png": png(4000, 4000, depth=16, colour=2),
        # The same with 19 MB of trailing bytes, which decoders ignore: the largest body and picture at once.
        "edge-rgb16-4000-19mb.png": png(4000, 4000, depth=16, colour=2) + random.Random(13).randbytes(19 * 2**20),
        "edge-rgba8-2800.png": png(2800, 2800, depth=8, colour=6),
        "edge-grey16-5700.png": png(5700, 5700, depth=16, colour=0),
        "edge-palette-2700-transparent.png": png(2700, 2700, depth=8, colour=3),
        "edge-webp-2000.webp": encoded(Image.new("RGB", (2000, 2000)), "WEBP", lossless=True, quality=0, method=0),
        "edge-tiff-rgb-2800.tif": encoded(Image.new("RGB", (2800, 2800)), "TIFF", compression="tiff_deflate"),
        "edge-gif-3600.gif": encoded(Image.new("P", (3600, 3600)), "GIF"),
    }


def _webp_header(width: int, height: int) -> bytes:
    data = bytearray(encoded(Image.new("RGB", (64, 64), (200, 10, 10)), "WEBP", quality=50))
    at = data.find(b"VP8 ")
    struct.pack_into("<HH", data, at + 14, width, height)
    return bytes(data)


# -- the fuzz corpus ------------------------------------------------------------------------------


def _photo(rng: random.Random, mode: str = "RGB") -> Image.Image:
    width, height = rng.randint(200, 400), rng.randint(210, 400)
    # From the seed alone (Image.effect_noise follows C's rand(), which other tests move on).
    coarse = (max(1, width // 6), max(1, height // 6))
    image = Image.frombytes("L", coarse, rng.randbytes(coarse[0] * coarse[1])).resize((width, height), Image.BICUBIC)
    image = Image.merge(
        "RGB", (image, image.rotate(90, expand=False), image.transpose(Image.Transpose.FLIP_LEFT_RIGHT))
    )
    return image.convert(mode)


def _seeds(rng: random.Random) -> list[tuple[str, bytes]]:
    """Valid files of every readable format and many modes, some with metadata of every kind."""
    exif = Image.Exif()
    exif[0x0112] = rng.choice([1, 3, 6, 8, 2, 5, 7])
    exif[0x010F] = "PhoneMaker"
    exif[0x010E] = PAYLOAD.decode()
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", PAYLOAD.decode())
    info.add_text("XML:com.adobe.xmp", "<x:xmpmeta>" + PAYLOAD.decode() + "</x:xmpmeta>", zip=True)
    info.add_itxt("Description", PAYLOAD.decode(), lang="zh", tkey="说明")
    icc = b"\0" * 128 + PAYLOAD
    seeds = [
        ("jpg", encoded(_photo(rng), "JPEG", comment=PAYLOAD, exif=exif, icc_profile=icc)),
        ("jpg", encoded(_photo(rng, "L"), "JPEG", progressive=True, comment=PAYLOAD)),
        ("jpg", encoded(_photo(rng, "CMYK"), "JPEG", exif=exif)),
        ("png", encoded(_photo(rng), "PNG", pnginfo=info, exif=exif, icc_profile=icc)),
        ("png", encoded(_photo(rng, "RGBA"), "PNG", pnginfo=info)),
        ("png", encoded(_photo(rng, "P"), "PNG", transparency=0, pnginfo=info)),
        ("png", encoded(_photo(rng, "LA"), "PNG")),
        ("png", encoded(_photo(rng, "L").convert("I").point(lambda v: v * 250).convert("I;16"), "PNG")),
        ("png", encoded(_photo(rng, "1"), "PNG")),
        ("gif", encoded(_photo(rng, "P"), "GIF", comment=PAYLOAD)),
        ("tif", encoded(_photo(rng), "TIFF", compression="tiff_lzw", exif=exif)),
        ("tif", encoded(_photo(rng, "L").convert("F"), "TIFF")),
        ("tif", encoded(_photo(rng, "CMYK"), "TIFF", icc_profile=icc)),
        ("webp", encoded(_photo(rng), "WEBP", exif=exif.tobytes(), xmp=PAYLOAD, icc_profile=icc)),
        ("webp", encoded(_photo(rng, "RGBA"), "WEBP", lossless=True)),
        ("bmp", encoded(_photo(rng), "BMP")),
        ("bmp", encoded(_photo(rng, "P"), "BMP")),
    ]
    return seeds


def _png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    chunks, pos = [], 8
    while pos + 8 <= len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        chunks.append((data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]))
        pos += 12 + length
    return chunks


def _rebuild_png(chunks: list[tuple[bytes, bytes]]) -> bytes:
    return b"\x89PNG\r\n\x1a\n" + b"".join(chunk(kind, body) for kind, body in chunks)


def _random_png_chunks(rng: random.Random, data: bytes) -> bytes:
    chunks = _png_chunks(data)
    kinds = [b"eXIf", b"iCCP", b"tEXt", b"zTXt", b"iTXt", b"tIME", b"pHYs", b"sPLT", b"acTL", b"fcTL", b"caNv", b"IDAT"]
    for _ in range(rng.randint(1, 4)):
        body = rng.randbytes(rng.randint(0, 300))
        if rng.random() < 0.3:
            body = b"Exif\0\0" + body if rng.random() < 0.5 else b"MM\0*" + body
        chunks.insert(rng.randint(1, len(chunks)), (rng.choice(kinds), body))
    return _rebuild_png(chunks)


def _exif_garbage_png(rng: random.Random, data: bytes) -> bytes:
    chunks = _png_chunks(data)
    header = rng.choice([b"II*\0", b"MM\0*", b"Exif\0\0II*\0", b""])
    chunks.insert(rng.choice([1, len(chunks) - 1]), (b"eXIf", header + rng.randbytes(rng.randint(0, 200))))
    return _rebuild_png(chunks)


def _jpeg_segments(rng: random.Random, data: bytes) -> bytes:
    """APPn and COM segments with payloads after SOI; some with lengths that lie."""
    out = data[:2]
    for _ in range(rng.randint(1, 5)):
        marker = rng.choice([0xFE, 0xE0, 0xE1, 0xE2, 0xED, 0xEE, 0xEF, 0xE9])
        body = rng.choice(
            [
                PAYLOAD,
                b"Exif\0\0" + rng.randbytes(80),
                b"ICC_PROFILE\0\x01\x01" + rng.randbytes(60),
                b"http://ns.adobe.com/xap/1.0/\0" + PAYLOAD,
                rng.randbytes(rng.randint(0, 200)),
            ]
        )
        length = len(body) + 2 if rng.random() < 0.9 else rng.randint(0, 0xFFFF)
        out += bytes((0xFF, marker)) + struct.pack(">H", length) + body
    return out + data[2:]


def _huge_header(rng: random.Random, seeds: list[tuple[str, bytes]]) -> tuple[str, bytes]:
    width, height = rng.choice([(65535, 65535), (7745, 7745), (100000, 1), (1, 100000), (20000, 20000)])
    kind = rng.choice(["png", "jpg", "gif", "bmp", "webp", "tif"])
    if kind == "png":
        depth, colour = rng.choice([(16, 0), (16, 6), (16, 2), (8, 6), (1, 0), (8, 3), (16, 4)])
        return "png", png(width, height, depth=depth, colour=colour, rows=rng.randint(0, 3))
    source = rng.choice([data for ext, data in seeds if ext == kind] or [seeds[0][1]])
    data = bytearray(source)
    if kind == "jpg":
        at = data.find(b"\xff\xc0") if b"\xff\xc0" in data else data.find(b"\xff\xc2")
        struct.pack_into(">HH", data, at + 5, min(height, 65535), min(width, 65535))
    elif kind == "gif":
        struct.pack_into("<HH", data, 6, min(width, 65535), min(height, 65535))
    elif kind == "bmp":
        struct.pack_into("<ii", data, 18, width, height)
    elif kind == "webp":
        data = bytearray(_webp_header(min(width, 16383), min(height, 16383)))
    else:
        data = bytearray(
            encoded(Image.new("L", (width, height)) if width * height < 10**6 else Image.new("L", (4, 4)), "TIFF")
        )
        at = data.find(struct.pack("<HH", 256, 3))  # ImageWidth tag, SHORT
        if at > 0:
            struct.pack_into("<H", data, at + 8, min(width, 65535))
    return kind, bytes(data)


def _liar(rng: random.Random) -> tuple[str, bytes]:
    body = rng.choice(
        [
            b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF",
            b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
            b"PK\x03\x04" + rng.randbytes(120),
            b"GIF89a" + rng.randbytes(40),
            b"\xff\xd8\xff" + rng.randbytes(60),
            b"\x89PNG\r\n\x1a\n" + rng.randbytes(60),
            b"RIFF\0\0\0\0WEBPVP8 " + rng.randbytes(40),
            b"BM" + rng.randbytes(60),
            b"II*\0" + rng.randbytes(60),
            b"MM\0*" + rng.randbytes(60),
            b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n",
            b"\0\0\1\0\1\0\x10\x10" + rng.randbytes(40),  # an ICO header
            b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
            b"8BPS" + rng.randbytes(40),
            b"P6\n10 10\n255\n" + rng.randbytes(300),
            b"",
            rng.randbytes(rng.randint(1, 500)),
        ]
    )
    return "jpg", body


def _mutate(rng: random.Random, ext: str, data: bytes) -> bytes:
    how = rng.randrange(6)
    if how == 0:  # truncated
        return data[: rng.randint(0, len(data))]
    if how in (1, 2):
        if how == 1:  # bit flips
            changed = bytearray(data)
            for _ in range(rng.randint(1, 12)):
                at = rng.randrange(len(changed))
                changed[at] ^= 1 << rng.randrange(8)
        else:  # random bytes over a stretch
            at = rng.randrange(len(data))
            changed = bytearray(data[:at] + rng.randbytes(rng.randint(1, 64)) + data[at + 64 :])
        if ext == "png" and rng.random() < 0.7:  # right checksums: the damage reaches the decoder
            return _rebuild_png(_png_chunks(bytes(changed)))
        return bytes(changed)
    if how == 3 and ext == "png":
        return _random_png_chunks(rng, data)
    if how == 4 and ext == "png":
        return _exif_garbage_png(rng, data)
    if how in (3, 4) and ext == "jpg":
        return _jpeg_segments(rng, data)
    return data + rng.randbytes(rng.randint(1, 100))  # trailing garbage


def fuzz_corpus(seed: int, count: int) -> Iterator[tuple[str, bytes]]:
    """`count` (name, bytes) pairs, the same for the same seed: mutated valid files, chunk and
    segment games, huge dimensions in tiny files, and files that lie about their type."""
    rng = random.Random(seed)
    seeds = _seeds(rng)
    for n in range(count):
        roll = rng.random()
        if roll < 0.08:
            ext, data = _huge_header(rng, seeds)
        elif roll < 0.14:
            ext, data = _liar(rng)
        else:
            ext, data = rng.choice(seeds)
            if rng.random() < 0.01:  # fresh sizes and orientations now and then
                seeds = _seeds(rng)
            for _ in range(rng.randint(1, 2)):
                data = _mutate(rng, ext, data) or data
        yield f"{n:04d}.{ext}", data
