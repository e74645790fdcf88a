"""Issue 17 item 1: the 1-inch photo is cut around the face, with the head where the 1-inch rule
puts it, or refused with what to do; its background is measured where the province demands 白底.
The faces are synthetic (tests/pictures.py) and the Haar cascade that finds them is OpenCV's own."""

import io

import pytest
from PIL import Image

from accreg.uploads.imaging import ImageRefused, ImageRule, process_image
from tests.pictures import busy_jpeg, portrait, portrait_jpeg

from .test_materials_api import person, upload  # noqa: F401 (the fixture)

YN_PHOTO = ImageRule(("jpeg", "png"), max_bytes=20 * 1024, one_inch=True, white_background=True)
HN_PHOTO = ImageRule(("jpeg", "png"), min_width=295, min_height=413, one_inch=True, white_background=True)
LN_PHOTO = ImageRule(("jpeg", "png"), max_bytes=102399, one_inch=True)


def face_box(result) -> tuple[int, int, int, int]:  # type: ignore[no-untyped-def]
    x, y, w, h = result.facts["face"]["box"]
    return x, y, w, h


def test_an_off_centre_selfie_keeps_the_head_in_the_middle_of_the_photo():
    selfie = portrait_jpeg(3000, 4000, centre_x=0.64, face_top=0.32, face_width=0.3, noise=0.1)

    result = process_image(selfie, YN_PHOTO)

    x, y, w, h = face_box(result)
    assert (result.width, result.height) == (295, 413) and "face_cropped" in result.fixes
    assert abs(x + w / 2 - 295 / 2) <= 295 * 0.05  # centred left to right
    assert 0.10 * 413 <= y <= 0.40 * 413  # the hair above the box is inside, the chin well above the bottom
    assert y + h <= 0.80 * 413
    assert 0.35 * 413 <= h <= 0.5 * 413  # the head, about 1.55 boxes, is about two thirds of the height


def test_a_centre_crop_would_have_cut_this_head_in_half():
    beside = portrait_jpeg(4000, 3000, centre_x=0.25, face_top=0.3, face_width=0.14)

    result = process_image(beside, HN_PHOTO)

    picture = Image.open(io.BytesIO(result.content)).convert("L")
    x, y, w, h = face_box(result)
    assert abs(x + w / 2 - 295 / 2) <= 295 * 0.05
    assert picture.getpixel((147, y + h // 2)) < 240  # a face there, not the white wall


@pytest.mark.parametrize(
    ("photo", "message"),
    [
        (busy_jpeg(1200, 1600), "未能在照片中找到人脸，请上传本人正面免冠照片"),
        (portrait_jpeg(1600, 1200, people=2, face_width=0.2), "照片中有多张人脸，请上传仅有本人的照片"),
        (
            portrait_jpeg(2000, 2000, face_width=0.06, face_top=0.4),
            "照片中人脸太小，请靠近镜头、让头部和肩膀占满画面后重新拍摄",
        ),
        (
            portrait_jpeg(900, 1200, face_top=0.04),
            "人脸太靠近照片边缘，头部不完整；请让头顶到肩膀都在画面中间后重新拍摄",
        ),
        (
            portrait_jpeg(1200, 1200, centre_x=0.16, face_width=0.28),
            "人脸太靠近照片边缘，头部不完整；请让头顶到肩膀都在画面中间后重新拍摄",
        ),
    ],
    ids=["no-face", "two-faces", "tiny-face", "hair-cut-off", "pressed-to-the-side"],
)
def test_a_photo_without_one_usable_face_is_refused_with_what_to_do(photo, message):
    with pytest.raises(ImageRefused) as refused:
        process_image(photo, YN_PHOTO)

    assert str(refused.value) == message


def test_henans_413_pixels_must_be_there_around_the_head_not_only_in_the_picture():
    small_face = portrait_jpeg(600, 800, face_width=0.2)

    with pytest.raises(ImageRefused) as refused:
        process_image(small_face, HN_PHOTO)

    assert str(refused.value).startswith("照片中人脸太小，请靠近镜头")
    assert "要求至少295×413像素" in str(refused.value)


def test_the_background_is_measured_only_where_the_province_demands_white():
    grey = portrait_jpeg(900, 1200, background=(150, 150, 150))

    yunnan, liaoning = process_image(grey, YN_PHOTO), process_image(grey, LN_PHOTO)

    assert yunnan.facts["background"]["white"] is False
    assert all(abs(c - 150) <= 5 for c in yunnan.facts["background"]["rgb"])
    assert "background" not in liaoning.facts and "face" in liaoning.facts


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("background", "check"),
    [
        ((248, 248, 246), {"key": "background", "ok": True, "message": "背景为白色"}),
        (
            (150, 160, 170),
            {"key": "background", "ok": False, "message": "照片背景不是白色，请在白色墙面前重新拍摄（要求白底）"},
        ),
    ],
    ids=["white", "grey"],
)
def test_the_person_sees_the_face_crop_and_the_background_check_on_their_materials(person, background, check):  # noqa: F811
    client = person()  # Yunnan: 白底
    upload(client, "photo", portrait_jpeg(1200, 1600, background=background, noise=0.05))

    photo = next(m for m in client.get("/api/v1/me/record/materials").json() if m["kind"] == "photo")

    assert "已按人脸位置裁剪为1寸照片" in photo["stored"]["fixes"]
    assert photo["stored"]["reading"] == {
        "state": "done",
        "checks": [{"key": "face", "ok": True, "message": "已按人脸位置裁剪为1寸照片"}, check],
    }


@pytest.mark.django_db
def test_a_photo_without_a_face_is_refused_with_the_reason_and_nothing_is_stored(person):  # noqa: F811
    client = person("henan", "410105")

    response = upload(client, "photo", busy_jpeg(1200, 1600))

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"file": ["未能在照片中找到人脸，请上传本人正面免冠照片"]}
    assert client.get("/api/v1/me/record/materials/photo/file").status_code == 404


@pytest.mark.parametrize("orientation", [3, 6, 8])
def test_a_photo_stored_sideways_is_framed_as_it_stands(orientation):
    upright = portrait(900, 1200, centre_x=0.4, noise=0.05)
    stored = upright.transpose(
        {3: Image.Transpose.ROTATE_180, 6: Image.Transpose.ROTATE_90, 8: Image.Transpose.ROTATE_270}[orientation]
    )
    exif = Image.Exif()
    exif[0x0112] = orientation
    out = io.BytesIO()
    stored.save(out, "JPEG", quality=90, exif=exif)

    result = process_image(out.getvalue(), HN_PHOTO)

    x, y, w, h = face_box(result)
    assert (result.width, result.height) == (295, 413)
    assert abs(x + w / 2 - 295 / 2) <= 295 * 0.05 and y >= 0.10 * 413 and y + h <= 0.85 * 413
