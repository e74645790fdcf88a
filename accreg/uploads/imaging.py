"""Turning whatever a phone sends into an image that meets the province's rule (SPEC §4).

Every upload is decoded for real, limited in bytes before decoding and in pixels while decoding,
turned upright by its EXIF orientation, stripped of metadata and re-encoded. What is too large in
pixels or bytes is fixed (resized, cropped to the 1-inch ratio when the rule asks, compressed);
only what cannot be fixed is refused, with the reason in Chinese.
"""

from __future__ import annotations

import io
import math
import struct
import warnings
from dataclasses import dataclass, field
from typing import cast

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # refused before decoding
MAX_PIXELS = 60_000_000  # a decompression bomb stops here (an 8000×7500 scan still passes)
DOCUMENT_MAX_SIDE = 2400  # certificates stay readable and small
ONE_INCH = (295, 413)  # 1-inch ID photo, 25×35 mm at 300 dpi
# Below these, nothing can be read or recognised, whatever the province's rule leaves open.
ONE_INCH_FLOOR = (150, 210)
DOCUMENT_FLOOR_SHORT_SIDE = 200
MIN_JPEG_QUALITY = 40
TOO_MANY_PIXELS = "图片像素过多，无法处理，请用手机正常拍照后上传"
READABLE_FORMATS = {"JPEG", "PNG", "WEBP", "BMP", "GIF", "TIFF", "MPO"}

Image.MAX_IMAGE_PIXELS = MAX_PIXELS


@dataclass(frozen=True)
class ImageRule:
    formats: tuple[str, ...]  # "jpeg", "png"
    max_bytes: int | None = None
    min_width: int | None = None
    min_height: int | None = None
    one_inch: bool = False


@dataclass(frozen=True)
class Processed:
    content: bytes
    format: str  # "jpeg" or "png"
    width: int
    height: int
    original: dict[str, object]
    fixes: tuple[str, ...] = field(default=())

    @property
    def size(self) -> int:
        return len(self.content)


class ImageRefused(ValueError):
    """The upload cannot be made to meet the rule; the message says why and what to do."""


def _decode(data: bytes, rule: ImageRule) -> tuple[Image.Image, str, tuple[int, int]]:
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImageRefused(f"文件超过{MAX_UPLOAD_BYTES // 1024 // 1024}MB，请上传较小的照片或扫描件")
    if not data:
        raise ImageRefused("文件是空的，请重新选择照片")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            source_format = image.format or ""
            if source_format not in READABLE_FORMATS:
                raise ImageRefused("请上传 JPG 或 PNG 格式的图片")
            original_size = image.size
            if image.width * image.height > MAX_PIXELS:
                raise ImageRefused(TOO_MANY_PIXELS)
            if source_format in ("JPEG", "MPO"):
                # Decode a camera JPEG at a reduced scale when the result will be small anyway. For the
                # 1-inch crop the short side must keep at least 413 px; documents keep 2400 px.
                side = max(ONE_INCH) if rule.one_inch else DOCUMENT_MAX_SIDE
                image.draft(image.mode, (side, side))
            image.load()
    except ImageRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageRefused(TOO_MANY_PIXELS) from exc
    except UnidentifiedImageError as exc:
        raise ImageRefused("无法识别该文件，请上传 JPG 或 PNG 格式的照片") from exc
    except (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error) as exc:
        raise ImageRefused("图片文件已损坏或不完整，请重新拍照或导出后上传") from exc
    return image, source_format, original_size


def _flatten(image: Image.Image) -> Image.Image:
    """RGB or grey on white: transparency becomes the white background photos require, and deep
    (16-bit, float) scans are scaled to 8 bits."""
    if image.mode in ("RGB", "L"):
        return image
    if image.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        deep = image.convert("F")
        low, high = cast(tuple[float, float], deep.getextrema())
        scale = 255 / (high - low) if high > low else 1
        return deep.point(lambda v: (v - low) * scale).convert("L")
    if "A" in image.getbands() or "transparency" in image.info:
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _crop_one_inch(image: Image.Image) -> Image.Image:
    """Centre crop to 295:413, keeping a little more of the top where the head is."""
    width, height = image.size
    target = ONE_INCH[0] / ONE_INCH[1]
    if abs(width / height - target) < 0.01:
        return image
    if width / height > target:  # too wide: trim the sides
        new_width = round(height * target)
        left = (width - new_width) // 2
        return image.crop((left, 0, left + new_width, height))
    new_height = round(width / target)  # too tall: trim more below than above
    top = (height - new_height) // 3
    return image.crop((0, top, width, top + new_height))


def _encode(image: Image.Image, fmt: str, quality: int) -> bytes:
    out = io.BytesIO()
    if fmt == "jpeg":
        image.save(out, "JPEG", quality=quality, optimize=True, progressive=True)
    else:
        image.save(out, "PNG", optimize=True)
    return out.getvalue()


def process_image(data: bytes, rule: ImageRule) -> Processed:
    """The upload made to meet `rule`, or ImageRefused. Never raises anything else for bad input."""
    image, source_format, (width, height) = _decode(data, rule)
    original = {"format": source_format.lower(), "width": width, "height": height, "bytes": len(data)}
    fixes: list[str] = []
    upright = ImageOps.exif_transpose(image)
    if upright is not None and upright.size != image.size:
        fixes.append("rotated")
    image = _flatten(upright if upright is not None else image)
    if rule.one_inch:
        min_w, min_h = max(rule.min_width or 0, ONE_INCH_FLOOR[0]), max(rule.min_height or 0, ONE_INCH_FLOOR[1])
    else:
        min_w, min_h = rule.min_width or 1, rule.min_height or 1
        if min(image.size) < DOCUMENT_FLOOR_SHORT_SIDE:
            raise ImageRefused(
                f"图片为{image.width}×{image.height}像素，太小无法看清内容；请拍摄或扫描清晰的原件，短边至少"
                f"{DOCUMENT_FLOOR_SHORT_SIDE}像素"
            )
    if rule.one_inch:
        cropped = _crop_one_inch(image)
        if cropped.size != image.size:
            fixes.append("cropped")
        image = cropped
    if image.width < min_w or image.height < min_h:
        raise ImageRefused(
            f"图片为{image.width}×{image.height}像素，小于要求的{min_w}×{min_h}像素；请用手机正常拍摄或扫描原件后重新上传"
        )
    box = ONE_INCH if rule.one_inch else (DOCUMENT_MAX_SIDE, DOCUMENT_MAX_SIDE)
    if image.width > box[0] or image.height > box[1]:
        image = ImageOps.contain(image, box, Image.Resampling.LANCZOS)
        image = image if image.width >= min_w and image.height >= min_h else ImageOps.fit(image, (min_w, min_h))
        if not rule.one_inch and min(image.size) < DOCUMENT_FLOOR_SHORT_SIDE:
            raise ImageRefused("图片长宽比例异常（过长或过窄），请只拍摄证件或材料本身后重新上传")
        fixes.append("resized")
    fmt = "jpeg" if "jpeg" in rule.formats else "png"
    if source_format.lower() != fmt:
        fixes.append("converted")
    content = _encode(image, fmt, 90)
    if rule.max_bytes and len(content) > rule.max_bytes:
        short_floor = 0 if rule.one_inch else DOCUMENT_FLOOR_SHORT_SIDE
        content, image = _compress(image, fmt, rule, min_w, min_h, short_floor)
        fixes.append("compressed")
    return Processed(content, fmt, image.width, image.height, original, tuple(fixes))


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
