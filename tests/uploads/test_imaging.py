"""Image fixing (SPEC §4): any image Pillow can write, of any size from 1×1 to 8000×8000 and any
mode, either ends within the rule or is refused with a reason; never anything else."""

import io
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, PngImagePlugin

from accreg.uploads.imaging import UPRIGHT, ImageRefused, ImageRule, process_image, stored_box
from tests.pictures import draw_person, portrait, portrait_jpeg
from tests.uploads.corpus import PAYLOAD, bombs, chunk, png
from tests.uploads.corpus import encoded as encoded_with
from tests.uploads.stored import metadata_in

YN_PHOTO = ImageRule(("jpeg", "png"), max_bytes=20 * 1024, one_inch=True)
HN_PHOTO = ImageRule(("jpeg", "png"), min_width=295, min_height=413, one_inch=True)
HN_CERTIFICATE = ImageRule(("jpeg",), max_bytes=150 * 1024, min_width=700, min_height=500)
HN_QUALIFICATION = ImageRule(("jpeg",), max_bytes=80 * 1024)
LN_DOCUMENT = ImageRule(("jpeg", "png"), max_bytes=5 * 1024 * 1024 - 1)
CQ_ANY = ImageRule(("jpeg", "png"))
RULES = [YN_PHOTO, HN_PHOTO, HN_CERTIFICATE, HN_QUALIFICATION, LN_DOCUMENT, CQ_ANY]

# (mode, format) pairs Pillow can write.
WRITABLE = [
    ("1", "PNG"),
    ("L", "PNG"),
    ("LA", "PNG"),
    ("P", "PNG"),
    ("RGB", "PNG"),
    ("RGBA", "PNG"),
    ("I;16", "PNG"),
    ("L", "JPEG"),
    ("RGB", "JPEG"),
    ("CMYK", "JPEG"),
    ("F", "TIFF"),
    ("I", "TIFF"),
    ("RGB", "BMP"),
    ("P", "GIF"),
    ("RGB", "WEBP"),
    ("RGBA", "WEBP"),
]


def picture(width: int, height: int, mode: str, noisy: bool) -> Image.Image:
    if noisy and mode in ("L", "RGB", "RGBA", "P", "CMYK", "LA"):
        return Image.effect_noise((width, height), 60).convert(mode)
    return Image.new(mode, (width, height), 200 if mode in ("L", "I", "F", "I;16", "P", "1") else None)


def encoded(image: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


def assert_meets(result, rule: ImageRule) -> None:  # type: ignore[no-untyped-def]
    decoded = Image.open(io.BytesIO(result.content))
    assert decoded.format.lower() == result.format and result.format in rule.formats
    assert decoded.size == (result.width, result.height)
    assert metadata_in(result.content) == []
    if rule.max_bytes:
        assert result.size <= rule.max_bytes
    assert result.width >= (rule.min_width or 1) and result.height >= (rule.min_height or 1)
    if rule.one_inch:
        assert (result.width, result.height) >= (150, 210)
        assert abs(result.width / result.height - 295 / 413) < 0.02
    else:
        assert min(result.width, result.height) >= 200


# 30 examples in every run; IMAGE_EXAMPLES=300 for a deeper search before changing imaging.py.
@settings(
    max_examples=int(os.environ.get("IMAGE_EXAMPLES", "30")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    width=st.integers(1, 8000),
    height=st.integers(1, 8000),
    mode_and_format=st.sampled_from(WRITABLE),
    rule=st.sampled_from(RULES),
    noisy=st.booleans(),
)
def test_any_image_ends_within_the_rule_or_is_refused_with_a_reason(width, height, mode_and_format, rule, noisy):
    mode, fmt = mode_and_format
    data = encoded(picture(width, height, mode, noisy and width * height <= 2_000_000), fmt)

    try:
        result = process_image(data, rule)
    except ImageRefused as refused:
        assert str(refused)  # a reason the person can read
    else:
        assert_meets(result, rule)


def test_a_camera_photo_becomes_a_20_kb_one_inch_photo():
    camera = portrait_jpeg(4000, 3000, face_width=0.2, noise=0.2)

    result = process_image(camera, YN_PHOTO)

    assert (result.width, result.height) == (295, 413)
    assert result.size <= 20 * 1024
    assert set(result.fixes) == {"face_cropped", "resized", "compressed"}
    assert result.original == {"format": "jpeg", "width": 4000, "height": 3000, "bytes": len(camera)}


def test_a_sideways_phone_photo_is_turned_upright_and_its_metadata_dropped():
    image = picture(400, 300, "RGB", noisy=True)
    exif = image.getexif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to view
    exif[0x010F] = "PhoneMaker"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)

    result = process_image(out.getvalue(), CQ_ANY)

    assert (result.width, result.height) == (300, 400)
    assert "rotated" in result.fixes
    assert not Image.open(io.BytesIO(result.content)).getexif()


def test_transparent_png_gets_the_white_background_photos_need():
    image = Image.new("RGBA", (600, 800), (0, 0, 0, 0))
    draw_person(image, 300, 200, 200)

    result = process_image(encoded(image, "PNG"), YN_PHOTO)

    assert Image.open(io.BytesIO(result.content)).convert("RGB").getpixel((10, 10)) >= (250, 250, 250)


@pytest.mark.parametrize(
    ("data", "rule", "message"),
    [
        (b"", CQ_ANY, "文件是空的，请重新选择照片"),
        (b"%PDF-1.4 not a picture", CQ_ANY, "无法识别该文件，请上传 JPG 或 PNG 格式的照片"),
        (
            encoded(Image.new("RGB", (600, 400)), "PNG"),
            HN_CERTIFICATE,
            "图片为600×400像素，小于要求的700×500像素；请用手机正常拍摄或扫描原件后重新上传",
        ),
    ],
)
def test_what_cannot_be_fixed_is_refused_with_the_reason(data, rule, message):
    with pytest.raises(ImageRefused) as refused:
        process_image(data, rule)

    assert str(refused.value) == message


def test_a_truncated_file_is_refused_not_crashed():
    camera = encoded(picture(800, 600, "RGB", noisy=True), "JPEG")

    with pytest.raises(ImageRefused) as refused:
        process_image(camera[: len(camera) // 3], CQ_ANY)

    assert "损坏或不完整" in str(refused.value)


def test_a_decompression_bomb_is_refused_before_decoding():
    bomb = encoded(Image.new("1", (9000, 9000)), "PNG")  # tiny file, 81 million pixels

    with pytest.raises(ImageRefused) as refused:
        process_image(bomb, CQ_ANY)

    assert "像素过多" in str(refused.value)


def test_a_thumbnail_is_too_small_to_be_a_photo_or_a_certificate():
    with pytest.raises(ImageRefused) as photo:
        process_image(encoded(Image.new("RGB", (100, 140)), "PNG"), YN_PHOTO)
    with pytest.raises(ImageRefused) as certificate:
        process_image(encoded(Image.new("RGB", (150, 120)), "PNG"), LN_DOCUMENT)

    assert "小于要求的150×210像素" in str(photo.value)
    assert "太小无法看清内容" in str(certificate.value)


# Issue 13: memory, malformed metadata, metadata that survived re-encoding.


def test_a_230_byte_16_bit_png_of_7745_squared_is_refused_before_its_800_mb_are_allocated():
    bomb = bombs()["grey16-7745-truncated.png"]

    with pytest.raises(ImageRefused) as refused:
        process_image(bomb, CQ_ANY)

    assert len(bomb) < 300
    assert str(refused.value) == "图片像素过多，无法处理，请用手机正常拍照后上传"


def test_the_limit_counts_the_bytes_a_pixel_needs_not_only_the_pixels():
    grey = png(5000, 5000, depth=8, colour=0)  # 25 million pixels of 1 byte: decoded and fixed
    rgba = png(5000, 5000, depth=16, colour=6)  # the same pixels, 4 bytes each and a copy to scale them

    assert process_image(grey, CQ_ANY).width == 2400
    with pytest.raises(ImageRefused, match="像素过多"):
        process_image(rgba, CQ_ANY)


def test_garbage_in_a_png_exif_chunk_is_dropped_not_a_server_error():
    image = picture(400, 300, "RGB", noisy=True)
    data = encoded(image, "PNG")
    broken = data[:33] + chunk(b"eXIf", b"not a TIFF header" + bytes(range(40))) + data[33:]  # after IHDR

    result = process_image(broken, CQ_ANY)

    assert (result.width, result.height) == (400, 300)
    assert metadata_in(result.content) == []


@pytest.mark.parametrize("orientation", range(1, 9))
def test_cropping_the_stored_picture_then_turning_it_equals_turning_it_then_cropping(orientation):
    stored = Image.effect_noise((90, 60), 80)
    upright = stored.transpose(UPRIGHT[orientation]) if orientation in UPRIGHT else stored
    box = (7, 11, 40, 52)

    turned_after = stored.crop(stored_box(box, orientation, stored.size))
    if orientation in UPRIGHT:
        turned_after = turned_after.transpose(UPRIGHT[orientation])

    assert turned_after.tobytes() == upright.crop(box).tobytes()


def test_a_jpeg_comment_exif_xmp_and_icc_profile_are_not_stored():
    image = portrait(600, 800, noise=0.2)
    exif = image.getexif()
    exif[0x010E] = PAYLOAD.decode()
    data = encoded_with(image, "JPEG", comment=PAYLOAD, exif=exif, icc_profile=b"\0" * 128 + PAYLOAD)
    xmp = b"\xff\xe1" + (len(PAYLOAD) + 31).to_bytes(2, "big") + b"http://ns.adobe.com/xap/1.0/\0" + PAYLOAD
    data = data[:2] + xmp + data[2:]

    for rule in (YN_PHOTO, CQ_ANY, ImageRule(("png",))):
        result = process_image(data, rule)

        assert metadata_in(result.content) == []
        assert PAYLOAD not in result.content


def test_png_text_chunks_and_a_sideways_orientation_leave_only_pixels():
    image = picture(300, 420, "RGB", noisy=True)
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", PAYLOAD.decode())
    info.add_itxt("XML:com.adobe.xmp", PAYLOAD.decode(), zip=True)
    exif = Image.Exif()
    exif[0x0112] = 8
    data = encoded_with(image, "PNG", pnginfo=info, exif=exif, dpi=(300, 300), icc_profile=b"\0" * 128 + PAYLOAD)

    result = process_image(data, ImageRule(("png",)))

    assert (result.width, result.height) == (420, 300) and "rotated" in result.fixes
    assert metadata_in(result.content) == []
