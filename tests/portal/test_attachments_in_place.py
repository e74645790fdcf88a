"""The attachments step as its script uses it (issue 12): each upload, confirmation and deletion is
answered with that one slot's HTML (the thumbnail, the fixes, the confirm button, or the server's
own refusal), a retried upload stores no second copy, and the page stays light with every material
uploaded. The plain forms without JavaScript are tested in test_record_pages.py."""

from __future__ import annotations

import functools
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from PIL import Image

from accreg.accounts.models import Person
from accreg.collection.models import Record
from accreg.provinces.loader import all_profiles
from accreg.uploads.models import Material
from accreg.uploads.requirements import material_requirements
from accreg.uploads.services import upload_material
from accreg.uploads.thumbnails import thumbnail_name
from tests.collection.answers import most_materials
from tests.pictures import busy_jpeg, portrait_jpeg

from .test_record_pages import jpeg, text

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}
PAGE_BUDGET = 150 * 1024  # the page, its styles and its scripts
WITH_THUMBNAILS_BUDGET = 300 * 1024


@pytest.fixture(autouse=True)
def own_media_root(settings, tmp_path):  # type: ignore[no-untyped-def]
    """Each test its own upload folder, so counting files counts this test's."""
    settings.MEDIA_ROOT = str(tmp_path / "uploads")


@functools.cache
def camera_photo(width: int = 4000, height: int = 3000) -> bytes:
    return busy_jpeg(width, height)


def upload(browser, province: str, kind: str, data: bytes, **extra: str):  # type: ignore[no-untyped-def]
    file = io.BytesIO(data)
    file.name = "IMG_0001.jpg"
    return browser.post(f"/{province}/record/attachments/", {"kind": kind, "item": "0", "file": file, **extra}, **JSON)


def stored_files(person: Person) -> list[str]:
    folder = Path(settings.MEDIA_ROOT) / "materials" / str(person.pk)
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def test_a_fixed_photo_comes_back_as_its_slot_with_thumbnail_and_confirm_button(page):
    browser = page("yunnan", region="530102")

    answer = upload(browser, "yunnan", "photo", portrait_jpeg(3000, 4000), upload_key="k1")
    slot = answer.json()["html"]

    assert answer.status_code == 200 and answer.json()["ok"] is True
    assert answer.json()["message"] == "系统已处理图片，请查看后确认"
    assert slot.startswith('<article class="material') and 'id="m-photo-0"' in slot
    assert re.search(r'<img src="/yunnan/record/materials/photo/0/thumb/\?v=\d+"', slot)
    assert re.search(r'<a href="/yunnan/record/materials/photo/0/\?v=\d+" target="_blank"', slot)  # full size on tap
    assert "原图 3000×4000" in slot and "已按人脸位置裁剪为1寸照片" in slot and "确认使用这张图片" in slot
    assert "material_flash" not in browser.session  # nothing left to surprise the next page

    confirmed = browser.post("/yunnan/record/attachments/", {"kind": "photo", "item": "0", "action": "confirm"}, **JSON)
    assert "已确认使用处理后的图片" in confirmed.json()["html"]
    assert "确认使用这张图片" not in confirmed.json()["html"] and "已上传" in confirmed.json()["html"]


def test_a_refused_file_shows_the_servers_reason_in_its_slot(page):
    browser = page("yunnan", region="530102")

    not_an_image = upload(browser, "yunnan", "id_front", b"%PDF-1.4 not an image")
    too_small = upload(browser, "yunnan", "id_front", jpeg(160, 120).getvalue())

    assert not_an_image.status_code == 400 and not_an_image.json()["ok"] is False
    assert not_an_image.json()["message"] == "无法识别该文件，请上传 JPG 或 PNG 格式的照片"
    refusal = '<p class="error" role="alert">无法识别该文件，请上传 JPG 或 PNG 格式的照片</p>'
    assert refusal in not_an_image.json()["html"]
    assert "图片为160×120像素，太小无法看清内容" in too_small.json()["message"]
    assert "图片为160×120像素，太小无法看清内容" in too_small.json()["html"]
    assert 'id="m-id_front-0"' in too_small.json()["html"] and "选择图片" in too_small.json()["html"]


def test_a_retried_upload_stores_no_second_copy(page):
    browser = page("yunnan", region="530102")
    data = jpeg(1200, 900).getvalue()

    first = upload(browser, "yunnan", "id_front", data, upload_key="retry-1")
    person = Person.objects.get(province="yunnan")
    files_after_first = stored_files(person)
    again = upload(browser, "yunnan", "id_front", data, upload_key="retry-1")

    assert first.status_code == again.status_code == 200
    assert Material.objects.filter(record__person=person).count() == 1
    assert stored_files(person) == files_after_first and len(files_after_first) == 2  # the image and its thumbnail
    thumb = re.compile(r'<img src="([^"]+)"')
    assert thumb.findall(again.json()["html"]) == thumb.findall(first.json()["html"])
    assert again.json()["message"] == first.json()["message"] == "上传成功"


def test_a_new_upload_replaces_the_old_image_and_its_thumbnail(page):
    browser = page("yunnan", region="530102")
    upload(browser, "yunnan", "id_front", jpeg(1200, 900).getvalue(), upload_key="a")
    upload(browser, "yunnan", "id_front", jpeg(1300, 900).getvalue(), upload_key="b")
    person = Person.objects.get(province="yunnan")
    material = Material.objects.get(record__person=person)

    name = Path(material.file.name).name
    assert stored_files(person) == sorted([name, f"thumbs/{Path(thumbnail_name(material.file.name)).name}"])

    browser.post("/yunnan/record/attachments/", {"kind": "id_front", "item": "0", "action": "delete"}, **JSON)
    assert stored_files(person) == []


def test_the_thumbnail_is_small_private_and_made_for_images_stored_without_one(page):
    browser = page("yunnan", region="530102")
    upload(browser, "yunnan", "id_front", camera_photo(4000, 3000))
    material = Material.objects.get(kind="id_front")
    material.file.storage.delete(thumbnail_name(material.file.name))  # as for an image restored from an archive

    thumb = browser.get("/yunnan/record/materials/id_front/0/thumb/")
    content = b"".join(thumb.streaming_content)

    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/jpeg"
    assert thumb["Cache-Control"] == "private, no-store"
    assert Image.open(io.BytesIO(content)).size == (240, 180) and len(content) < 30 * 1024
    assert material.file.storage.exists(thumbnail_name(material.file.name))
    assert (
        page("yunnan", region="530103", mobile="13812345678")
        .get("/yunnan/record/materials/id_front/0/thumb/")
        .status_code
        == 404
    )


def test_what_the_phone_reports_of_the_original_is_shown_but_the_rules_use_the_bytes_received(page):
    browser = page("yunnan", region="530102")
    small = portrait_jpeg(620, 826)

    answer = upload(
        browser, "yunnan", "photo", small, original_width="3000", original_height="4000", original_bytes="3145728"
    )

    assert "原图 3000×4000，3.0MB，已在手机上缩小后上传" in answer.json()["html"]
    material = Material.objects.get(kind="photo")
    assert (material.width, material.height) == (295, 413)
    assert material.original["width"] == 620 and material.original["before_phone"]["width"] == 3000


def test_a_signed_out_or_submitted_person_gets_a_message_not_a_login_page(page, client):
    signed_out = upload(client, "yunnan", "photo", jpeg(800, 600).getvalue())
    browser = page("yunnan", region="530102")
    Record.objects.update_or_create(person=Person.objects.get(province="yunnan"), defaults={"status": "pending"})
    locked = upload(browser, "yunnan", "photo", jpeg(800, 600).getvalue())

    assert signed_out.status_code == 401 and signed_out.json()["message"] == "登录已过期，请重新登录后再上传"
    assert locked.status_code == 409 and "信息已提交" in locked.json()["message"]


def _static_bytes(html: str) -> int:
    total = 0
    for url in re.findall(r'(?:href|src)="/static/([^"?]+)', html):
        found = finders.find(url)
        assert found, url
        total += Path(found).stat().st_size
    return total


@pytest.mark.parametrize("province", ["chongqing", "yunnan", "henan", "liaoning"])
def test_the_attachments_page_with_every_material_uploaded_stays_within_its_budget(page, province):
    regions = {"chongqing": "500103", "yunnan": "530102", "henan": "410105", "liaoning": "210102"}
    browser = page(province, region=regions[province])
    person = Person.objects.get(province=province)
    record, _ = Record.objects.get_or_create(person=person)
    record.sections = most_materials(province)
    record.save()
    photo, portrait = camera_photo(), portrait_jpeg(3000, 4000, noise=0.2)
    requirements = material_requirements(all_profiles()[province], record.sections)
    for req in requirements:
        upload_material(person, req.kind, item=req.item, data=portrait if req.kind == "photo" else photo)

    html = text(browser.get(f"/{province}/record/attachments/"))
    thumbs = re.findall(r'<img src="([^"]+/thumb/[^"]*)"', html)
    thumb_bytes = sum(len(b"".join(browser.get(url.replace("&amp;", "&")).streaming_content)) for url in thumbs)
    page_bytes = len(html.encode()) + _static_bytes(html)

    assert len(requirements) >= 7 and len(thumbs) == len(requirements)
    assert all("/thumb/" in src for src in re.findall(r'<img src="([^"]+)"', html))  # no full image inline
    assert page_bytes <= PAGE_BUDGET, page_bytes
    assert page_bytes + thumb_bytes <= WITH_THUMBNAILS_BUDGET, (page_bytes, thumb_bytes)
