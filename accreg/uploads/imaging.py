"""Turning whatever a phone sends into an image that meets the province's rule (SPEC §4).

Every upload is decoded for real, limited in bytes before decoding and, while decoding, in the
memory its pixels need (docs/decisions/0020); turned upright by its EXIF orientation, stripped of
all metadata and re-encoded. The size of the result is worked out from the dimensions first, and
the decoded picture is scaled down to it at once, so every later step works on the small copy.
What is too large in pixels or bytes is fixed (resized, cropped around the face to a 1-inch photo
when the rule asks: `faces.py`, compressed); only what cannot be fixed is refused, with the reason in
Chinese.
"""

from __future__ import annotations

import io
import math
import struct
import warnings
import zlib
from dataclasses import dataclass, field
from typing import cast

from PIL import Image, ImageMode, ImageOps, PngImagePlugin, UnidentifiedImageError

from .faces import DETECT_SHORT_SIDE, FACE_TOO_SMALL, Box, background_of, find_face, one_inch_frame
from .refusals import ImageRefused

MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # refused before decoding
MAX_PIXELS = 60_000_000  # a decompression bomb stops here (an 8000×7500 grey scan still passes)
# The memory decoding may take (the pixels times what their mode and format need, issue 13). With
# the worker around it (120 MB), a 20 MB upload and scaling (at most 70 MB more: Pillow's resize
# keeps a copy of the target width by the source height), a worker's peak stays under 300 MB.
MAX_DECODE_BYTES = 64 * 1024 * 1024
DOCUMENT_MAX_SIDE = 2400  # certificates stay readable and small
ONE_INCH = (295, 413)  # 1-inch ID photo, 25×35 mm at 300 dpi
# A camera JPEG for a 1-inch photo is decoded at a reduced scale keeping this short side: the head
# is a part of the picture, and a face of a fifth of the short side still frames 413 px of height.
ONE_INCH_DECODE_SIDE = 1000
# Below these, nothing can be read or recognised, whatever the province's rule leaves open.
ONE_INCH_FLOOR = (150, 210)
DOCUMENT_FLOOR_SHORT_SIDE = 200
MIN_JPEG_QUALITY = 40
TOO_MANY_PIXELS = "图片像素过多，无法处理，请用手机正常拍照后上传"
BROKEN = "图片文件已损坏或不完整，请重新拍照或导出后上传"
ODD_SHAPE = "图片长宽比例异常（过长或过窄），请只拍摄证件或材料本身后重新上传"
READABLE_FORMATS = ("JPEG", "MPO", "PNG", "WEBP", "BMP", "GIF", "TIFF")
OPENERS = ("JPEG", "PNG", "WEBP", "BMP", "GIF", "TIFF")  # the only plugins tried (JPEG's also opens MPO)
# Decoders that hold more copies of the picture while decoding: libtiff's strips or RGBA buffer;
# libwebp's RGBA canvas, copied to Pillow and then converted (measured: 16 bytes a pixel for RGB).
COPIES_WHILE_DECODING = {"TIFF": 2, "WEBP": 4}
# What Pillow raises on malformed input, from its decoders and from its metadata parsers.
PILLOW_ERRORS = (
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    IndexError,
    struct.error,
    zlib.error,
)
# EXIF orientation (1 to 8) → the transpose that shows the picture upright.
UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
SIDEWAYS = {5, 6, 7, 8}

Image.MAX_IMAGE_PIXELS = MAX_PIXELS
# PNG text chunks are kept in memory while reading (Pillow allows 64 MB of them); none is stored.
PngImagePlugin.MAX_TEXT_MEMORY = 4 * 1024 * 1024


@dataclass(frozen=True)
class ImageRule:
    formats: tuple[str, ...]  # "jpeg", "png"
    max_bytes: int | None = None
    min_width: int | None = None
    min_height: int | None = None
    one_inch: bool = False  # framed around the face (faces.py)
    white_background: bool = False  # the province demands 白底: the background is measured


@dataclass(frozen=True)
class Processed:
    content: bytes
    format: str  # "jpeg" or "png"
    width: int
    height: int
    original: dict[str, object]
    fixes: tuple[str, ...] = field(default=())
    # What was found while fixing it (the photo's face and background), kept as the reading's facts.
    facts: dict[str, object] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.content)


def decode_bytes(mode: str, size: tuple[int, int], *, source_format: str, transparent: bool = False) -> int:
    """The memory decoding a picture of `mode` and `size` takes, with the conversion that must
    precede scaling it down. Pillow keeps a pixel of several bands in 4 bytes (RGB too), one band
    in 1, 2 (16-bit) or 4 bytes (32-bit, float); PNG has no reduced-scale decoding as JPEG has."""
    spec = ImageMode.getmode(mode)
    stored = 4 if len(spec.bands) > 1 else {"1": 1}.get(mode, int(spec.typestr[-1]))
    stored *= COPIES_WHILE_DECODING.get(source_format, 1)
    extra = 0
    if mode in ("P", "PA") or transparent:
        extra += 4  # to RGB or RGBA before scaling: a palette cannot be averaged
    elif mode == "1":
        extra += 1  # to L
    if mode in ("RGBA", "LA", "PA") or transparent:
        extra += 4  # Pillow scales transparent pictures premultiplied, in a copy
    return size[0] * size[1] * (stored + extra)


def _decode(data: bytes, rule: ImageRule) -> tuple[Image.Image, str, tuple[int, int]]:
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImageRefused(f"文件超过{MAX_UPLOAD_BYTES // 1024 // 1024}MB，请上传较小的照片或扫描件")
    if not data:
        raise ImageRefused("文件是空的，请重新选择照片")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=OPENERS)
            source_format = image.format or ""
            if source_format not in READABLE_FORMATS:
                raise ImageRefused("请上传 JPG 或 PNG 格式的图片")
            original_size = image.size
            if image.width * image.height > MAX_PIXELS:
                raise ImageRefused(TOO_MANY_PIXELS)
            if source_format in ("JPEG", "MPO"):
                # Decode a camera JPEG at a reduced scale when the result will be small anyway. For the
                # 1-inch crop around the face the short side keeps 1000 px; documents keep 2400 px.
                side = ONE_INCH_DECODE_SIDE if rule.one_inch else DOCUMENT_MAX_SIDE
                image.draft(image.mode, (side, side))
            transparent = "transparency" in image.info
            if decode_bytes(image.mode, image.size, source_format=source_format, transparent=transparent) > (
                MAX_DECODE_BYTES
            ):
                raise ImageRefused(TOO_MANY_PIXELS)
            image.load()
    except ImageRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageRefused(TOO_MANY_PIXELS) from exc
    except UnidentifiedImageError as exc:
        raise ImageRefused("无法识别该文件，请上传 JPG 或 PNG 格式的照片") from exc
    except PILLOW_ERRORS as exc:
        raise ImageRefused(BROKEN) from exc
    return image, source_format, original_size


def _orientation(image: Image.Image) -> int:
    """The EXIF orientation, 1 (as stored) when there is none or the EXIF cannot be read: broken
    metadata is dropped with the rest, it does not refuse a picture that decodes."""
    try:
        value = image.getexif().get(0x0112, 1)
    except PILLOW_ERRORS:
        return 1
    return value if isinstance(value, int) and value in UPRIGHT else 1


def _contained(size: tuple[int, int], box: tuple[int, int]) -> tuple[int, int]:
    """The size ImageOps.contain gives `size` fitted into `box`."""
    width, height = size
    if width / height > box[0] / box[1]:
        return box[0], max(1, round(height / width * box[0]))
    return max(1, round(width / height * box[1])), box[1]


def stored_box(box: tuple[int, int, int, int], orientation: int, size: tuple[int, int]) -> tuple[int, int, int, int]:
    """`box`, given on the upright picture, on the picture as stored (`size`) before UPRIGHT[orientation]."""
    width, height = size
    x0, y0, x1, y1 = box
    corners = [(x0, y0), (x1, y1)]
    back = {
        1: lambda x, y: (x, y),
        2: lambda x, y: (width - x, y),
        3: lambda x, y: (width - x, height - y),
        4: lambda x, y: (x, height - y),
        5: lambda x, y: (y, x),
        6: lambda x, y: (y, height - x),
        7: lambda x, y: (width - y, height - x),
        8: lambda x, y: (width - y, x),
    }[orientation]
    xs, ys = zip(*(back(x, y) for x, y in corners), strict=True)
    return (min(xs), min(ys), max(xs), max(ys))


def _convertible(image: Image.Image) -> Image.Image:
    """A palette (or colour-keyed) picture as RGBA, a bilevel one as grey: what Pillow can average."""
    if image.mode == "PA" or "transparency" in image.info:
        return image.convert("RGBA")
    if image.mode == "P":
        return image.convert("RGB")
    return image.convert("L") if image.mode == "1" else image


def _flatten(image: Image.Image) -> Image.Image:
    """RGB or grey on white: transparency becomes the white background photos require, and deep
    (16-bit, 32-bit, float) scans are stretched to 8 bits."""
    if image.mode in ("RGB", "L"):
        return image
    if image.mode.startswith("I;16") or image.mode in ("I", "F"):
        deep = image if image.mode in ("I;16", "I", "F") else image.convert("I")
        low, high = cast(tuple[float, float], deep.getextrema())
        scale = 255 / (high - low) if high > low else 1
        return deep.point(lambda v: (v - low) * scale).convert("L")
    if "A" in image.getbands() or "transparency" in image.info:
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _encode(image: Image.Image, fmt: str, quality: int) -> bytes:
    """The pixels alone: Pillow writes a JPEG comment, EXIF, XMP, an ICC profile, PNG text and dpi
    from `info` when it has them (issue 13), so the copy saved carries none."""
    image.info = {}
    out = io.BytesIO()
    if fmt == "jpeg":
        image.save(out, "JPEG", quality=quality, optimize=True, progressive=True)
    else:
        image.save(out, "PNG", optimize=True)
    return out.getvalue()


def _one_inch_minimum(rule: ImageRule) -> tuple[int, int]:
    return max(rule.min_width or 0, ONE_INCH_FLOOR[0]), max(rule.min_height or 0, ONE_INCH_FLOOR[1])


def _too_small(width: int, height: int, min_w: int, min_h: int) -> ImageRefused:
    return ImageRefused(
        f"图片为{width}×{height}像素，小于要求的{min_w}×{min_h}像素；请用手机正常拍摄或扫描原件后重新上传"
    )


def _geometry(
    width: int, height: int, rule: ImageRule, frame: tuple[int, int, int, int] | None = None
) -> tuple[tuple[int, int, int, int], tuple[int, int], int, int]:
    """From the upright size (and, for a 1-inch photo, the `frame` around the face): the part kept,
    its size when stored, and the minimum size; or ImageRefused when the picture is too small."""
    if rule.one_inch:
        assert frame is not None
        min_w, min_h = _one_inch_minimum(rule)
        box = frame
        kept = (box[2] - box[0], box[3] - box[1])
        if kept[0] < min_w or kept[1] < min_h:
            raise ImageRefused(f"{FACE_TOO_SMALL}（头部周围只有{kept[0]}×{kept[1]}像素，要求至少{min_w}×{min_h}像素）")
        return box, (ONE_INCH if kept[1] > ONE_INCH[1] else kept), min_w, min_h
    else:
        min_w, min_h = rule.min_width or 1, rule.min_height or 1
        if min(width, height) < DOCUMENT_FLOOR_SHORT_SIDE:
            raise ImageRefused(
                f"图片为{width}×{height}像素，太小无法看清内容；请拍摄或扫描清晰的原件，短边至少"
                f"{DOCUMENT_FLOOR_SHORT_SIDE}像素"
            )
        box = (0, 0, width, height)
    kept = (box[2] - box[0], box[3] - box[1])
    if kept[0] < min_w or kept[1] < min_h:
        raise _too_small(*kept, min_w, min_h)
    limit = (DOCUMENT_MAX_SIDE, DOCUMENT_MAX_SIDE)
    size = _contained(kept, limit) if kept[0] > limit[0] or kept[1] > limit[1] else kept
    final = size if size[0] >= min_w and size[1] >= min_h else (min_w, min_h)  # ImageOps.fit below
    if size != kept and min(final) < DOCUMENT_FLOOR_SHORT_SIDE:
        raise ImageRefused(ODD_SHAPE)
    return box, size, min_w, min_h


def process_image(data: bytes, rule: ImageRule) -> Processed:
    """The upload made to meet `rule`, or ImageRefused. Never raises anything else for bad input."""
    try:
        return _fixed(data, rule)
    except ImageRefused:
        raise
    except PILLOW_ERRORS as exc:  # a mode Pillow cannot convert, a decoder error found late
        raise ImageRefused(BROKEN) from exc


def _fixed(data: bytes, rule: ImageRule) -> Processed:
    # `image` is rebound at each step, so the decoded picture is freed as soon as its small copy exists.
    image, source_format, (width, height) = _decode(data, rule)
    original = {"format": source_format.lower(), "width": width, "height": height, "bytes": len(data)}
    fixes: list[str] = []
    orientation = _orientation(image)
    upright_size = (image.height, image.width) if orientation in SIDEWAYS else image.size
    if orientation in SIDEWAYS and image.width != image.height:
        fixes.append("rotated")
    face, frame = _face_frame(image, orientation, upright_size, rule) if rule.one_inch else (None, None)
    box, size, min_w, min_h = _geometry(*upright_size, rule, frame)
    if face is not None:
        fixes.append("face_cropped")
    elif box != (0, 0, *upright_size):
        fixes.append("cropped")
    target = (size[1], size[0]) if orientation in SIDEWAYS else size
    part = stored_box(box, orientation, image.size)
    image = _convertible(image)
    factor = min((part[2] - part[0]) // target[0], (part[3] - part[1]) // target[1])
    if factor >= 2 and not image.mode.startswith("I;16"):  # Pillow cannot reduce 16-bit grey
        image = image.reduce(factor, box=part)
        part = (0, 0, *image.size)
    if (part[2] - part[0], part[3] - part[1]) != target:
        image = image.resize(target, Image.Resampling.LANCZOS, box=part)
    elif part != (0, 0, *image.size):
        image = image.crop(part)
    if orientation in UPRIGHT:
        image = image.transpose(UPRIGHT[orientation])
    image = _flatten(image)
    if size != (box[2] - box[0], box[3] - box[1]):
        if image.width < min_w or image.height < min_h:
            image = ImageOps.fit(image, (min_w, min_h))
        fixes.append("resized")
    facts: dict[str, object] = {}
    if rule.white_background:
        facts["background"] = background_of(image)
    fmt = "jpeg" if "jpeg" in rule.formats else "png"
    if source_format.lower() != fmt:
        fixes.append("converted")
    content = _encode(image, fmt, 90)
    if rule.max_bytes and len(content) > rule.max_bytes:
        short_floor = 0 if rule.one_inch else DOCUMENT_FLOOR_SHORT_SIDE
        content, image = _compress(image, fmt, rule, min_w, min_h, short_floor)
        fixes.append("compressed")
    if face is not None:
        # Where the face is in the stored photo, in its pixels (`face` and `box` are upright).
        facts["face"] = {"box": face.scaled(image.height / (box[3] - box[1]), box[0], box[1]).as_list()}
    return Processed(content, fmt, image.width, image.height, original, tuple(fixes), facts)


def _face_frame(
    image: Image.Image, orientation: int, upright_size: tuple[int, int], rule: ImageRule
) -> tuple[Box, tuple[int, int, int, int]]:
    """The face on the upright picture and the 1-inch frame around it, found on a small grey copy;
    ImageRefused when the picture is too small for the rule, or no single usable face is in it."""
    min_w, min_h = _one_inch_minimum(rule)
    if upright_size[0] < min_w or upright_size[1] < min_h:
        raise _too_small(*upright_size, min_w, min_h)
    # A copy of at most twice the detector's size, upright, so the face is found as it stands.
    factor = max(1, min(image.size) // (2 * DETECT_SHORT_SIDE))
    small = _flatten(_convertible(image))
    small = small.reduce(factor) if factor > 1 else small
    if orientation in UPRIGHT:
        small = small.transpose(UPRIGHT[orientation])
    face = find_face(small).scaled(upright_size[0] / small.width)
    return face, one_inch_frame(face, upright_size)


def _compress(
    image: Image.Image, fmt: str, rule: ImageRule, min_w: int, min_h: int, short_floor: int
) -> tuple[bytes, Image.Image]:
    """Lower JPEG quality first (binary search); if the lowest quality is still too big, shrink the
    picture by the ratio the bytes call for, never below the rule's minimum size."""
    assert rule.max_bytes
    while True:
        if fmt == "jpeg":
            low, high, best = MIN_JPEG_QUALITY, 88, None
            while low <= high:
                quality = (low + high) // 2
                content = _encode(image, fmt, quality)
                if len(content) <= rule.max_bytes:
                    best, low = content, quality + 1
                else:
                    high = quality - 1
            if best is not None:
                return best, image
            smallest = len(_encode(image, fmt, MIN_JPEG_QUALITY))
        else:
            content = _encode(image, fmt, 0)
            if len(content) <= rule.max_bytes:
                return content, image
            smallest = len(content)
        # Bytes grow with the area: scale both sides by the square root of the ratio, a little under.
        ratio = min(0.9, max(0.3, (rule.max_bytes / smallest) ** 0.5 * 0.95))
        # The smallest the picture may become: the rule's minimum and the readability floor, same shape.
        lowest = max(min_w / image.width, min_h / image.height, short_floor / min(image.size), 16 / min(image.size))
        if ratio < lowest:
            if lowest >= 0.999:
                kb = rule.max_bytes // 1024
                raise ImageRefused(f"无法在保持清晰的前提下把图片压缩到{kb}KB以内，请裁去多余部分后重新上传")
            ratio = lowest  # one last try at the smallest allowed size
        smaller = (max(1, math.ceil(image.width * ratio)), max(1, math.ceil(image.height * ratio)))
        image = image.resize(smaller, Image.Resampling.LANCZOS)
