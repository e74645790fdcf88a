"""What the machine read off the materials, in the browser (issue 17 item 3). On a 360 px phone the
person uploads an ID card, sees 正在识别… under it, and, once the reading is stored, the page (which
polls) shows the failed check under that card without reloading; the summary lists it, linked back
to the card. At a 1440 px desk the reviewer sees ✓ and ✗ beside 姓名, 证件号码 and the typed
certificate number, and each image's checks. The readings are stored as the worker stores them
(facts in the schema of accreg/reading/checks.py) while the OCR task is written elsewhere; the
checks are the real functions."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.utils import timezone
from PIL import Image, ImageDraw

from accreg.accounts.models import Person
from accreg.accounts.people import id_number_of
from accreg.accounts.services.staff import create_staff
from accreg.reading.models import Reading
from accreg.uploads.models import Material
from tests.conftest import STAFF_PASSWORD, valid_id_number
from tests.review.conftest import make_submission

from .conftest import OUTPUT, screenshot
from .test_collection_journeys import no_horizontal_scroll, register_on_page

pytestmark = pytest.mark.django_db(transaction=True)

MISMATCH = "照片中的证件号码与注册信息不一致，请确认上传的是本人证件"


def card_picture(size: tuple[int, int] = (1280, 808)) -> Image.Image:
    """Something shaped like the front of an ID card: a pale card with a portrait box and lines."""
    card = Image.new("RGB", size, "#f1ede4")
    draw = ImageDraw.Draw(card)
    w, h = size
    draw.rectangle((int(w * 0.68), int(h * 0.12), int(w * 0.94), int(h * 0.7)), fill="#d7d2c8")
    for row in range(5):
        y = int(h * (0.14 + row * 0.12))
        draw.rectangle((int(w * 0.06), y, int(w * (0.3 + 0.06 * row)), y + 18), fill="#4a4a4a")
    draw.rectangle((int(w * 0.06), int(h * 0.82), int(w * 0.86), int(h * 0.82) + 26), fill="#2d2d2d")
    return card


def card_file(folder: Path) -> Path:
    path = folder / "IMG_id_front.jpg"
    card_picture().save(path, "JPEG", quality=90)
    return path


def no_worker(settings) -> None:  # type: ignore[no-untyped-def]
    """From here on, tasks wait in the database queue as in production until a worker takes them,
    and no worker runs: a reading stays pending until the test stores what the worker would."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": settings.TASK_QUEUES},
    }


def test_the_person_sees_the_failed_id_check_under_the_card_at_360(
    reference_data, live_server, phone, tmp_path, settings
):
    register_on_page(phone, live_server.url, "chongqing", "500103", "13912350071")
    no_worker(settings)
    person = Person.objects.get(province="chongqing")
    other = valid_id_number(region="500103", birth="19851111", seq=7)
    assert other != id_number_of(person)
    phone.goto(f"{live_server.url}/chongqing/record/attachments/")
    phone.evaluate("window.stillTheSamePage = true")

    slot = phone.locator("[id='m-id_front-0']")
    slot.locator("input[type=file]").set_input_files(card_file(tmp_path))
    slot.get_by_text("正在识别…").wait_for(timeout=60_000)
    screenshot(phone, "reading-01-id-front-pending-360")
    reading = Reading.objects.get(file=Material.objects.get(kind="id_front").file.name)
    assert reading.state == "pending"
    # The worker reads the card: another person's number, the right name.
    reading.state, reading.read_at = "done", timezone.now()
    reading.facts = {"name": person.name, "id_number": other, "lines": [f"姓名 {person.name}", f"公民身份号码 {other}"]}
    reading.save()

    warning = slot.locator(".reading-warn")
    warning.wait_for(timeout=20_000)  # the page asks every 2 s
    assert warning.inner_text().strip() == f"⚠ {MISMATCH}"
    assert "✓ 姓名与注册信息一致" in slot.locator(".reading-ok").inner_text()
    assert phone.evaluate("window.stillTheSamePage") is True  # no reload
    assert no_horizontal_scroll(phone)
    slot.scroll_into_view_if_needed()
    screenshot(phone, "reading-02-id-front-warned-360")

    phone.reload()  # the same, rendered by the server
    assert phone.locator("[id='m-id_front-0'] .reading-warn").inner_text().strip() == f"⚠ {MISMATCH}"

    phone.goto(f"{live_server.url}/chongqing/record/commitment/")
    warnings = phone.locator("#self-check")
    assert "证件正面照片：" + MISMATCH in warnings.inner_text()
    assert "不影响提交" in warnings.inner_text()
    assert phone.get_by_role("button", name="提交审核").is_enabled()
    warnings.scroll_into_view_if_needed()
    screenshot(phone, "reading-03-summary-warnings-360")
    warnings.get_by_role("link", name="证件正面照片：" + MISMATCH).click()
    phone.wait_for_url("**/chongqing/record/attachments/#m-id_front-0")
    assert phone.locator("[id='m-id_front-0'] .reading-warn").is_visible()
    assert phone.js_errors == []


def test_a_real_card_with_another_number_is_read_by_the_worker_and_warned_at_360(
    reference_data, live_server, phone, tmp_path
):
    """End to end: the phone uploads a drawn ID card that carries the person's name and another
    person's number; the real reading task (RapidOCR, run by the test settings' immediate queue
    as the upload commits) reads it, and the page shows the warning under the card."""
    from accreg.demo.cards import IdFront, draw_id_front

    register_on_page(phone, live_server.url, "chongqing", "500103", "13912350072")
    person = Person.objects.get(province="chongqing")
    other = valid_id_number(region="500103", birth="19851111", seq=8)
    path = tmp_path / "IMG_card.jpg"
    draw_id_front(IdFront(name=person.name, id_number=other)).save(path, "JPEG", quality=90)
    phone.goto(f"{live_server.url}/chongqing/record/attachments/")

    slot = phone.locator("[id='m-id_front-0']")
    slot.locator("input[type=file]").set_input_files(path)
    warning = slot.locator(".reading-warn")
    warning.wait_for(timeout=90_000)

    reading = Reading.objects.get(file=Material.objects.get(kind="id_front").file.name)
    assert reading.state == "done" and reading.facts["id_number"] == other
    assert warning.inner_text().strip() == f"⚠ {MISMATCH}"
    assert "✓ 姓名与注册信息一致" in slot.locator(".reading-ok").inner_text()
    assert no_horizontal_scroll(phone)
    slot.scroll_into_view_if_needed()
    screenshot(phone, "reading-05-real-ocr-warned-360")
    assert phone.js_errors == []


def stored_picture(name: str, picture: Image.Image, kind: str, item: int = 0) -> dict:  # type: ignore[type-arg]
    """A real image in storage and its snapshot entry, as a submission points at it."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    data = io.BytesIO()
    picture.save(data, "JPEG")
    stored = default_storage.save(f"e2e-reading/{name}.jpg", ContentFile(data.getvalue()))
    width, height = picture.size
    return {"kind": kind, "item": item, "file": stored, "format": "jpeg", "width": width, "height": height, "bytes": 1}


def test_the_reviewer_sees_ticks_and_crosses_beside_the_fields_at_1440(reference_data, live_server, desk):
    from accreg.collection.models import Submission

    create_staff("jinshui", password=STAFF_PASSWORD, department_code="410105", role="reviewer")
    submission = make_submission("410105", name="王芳", unit="郑州某某商贸有限公司")
    person = submission.record.person
    photo = Image.new("RGB", (295, 413), "#9bb7d4")
    ImageDraw.Draw(photo).ellipse((90, 80, 205, 230), fill="#e2c4a8")
    materials = [
        stored_picture("photo", photo, "photo"),
        stored_picture("id-front", card_picture((640, 404)), "id_front"),
        stored_picture("id-back", card_picture((640, 404)), "id_back"),
        stored_picture("qualification", Image.new("RGB", (600, 800), "#f3ead2"), "qualification"),
    ]
    sections = {
        **submission.snapshot["sections"],
        "qualifications": [{"type": "1", "level": "1", "certificate_number": "ZK2019001234"}],
    }
    Submission.objects.filter(pk=submission.pk).update(
        snapshot={**submission.snapshot, "sections": sections, "materials": materials}
    )
    facts = {
        "photo": {"face": {"box": [90, 80, 115, 150]}, "background": {"white": False, "rgb": [155, 183, 212]}},
        "id_front": {"name": "王芳", "id_number": valid_id_number(region="410105", seq=999), "lines": []},
        "id_back": {"valid_from": "2016-05-01", "valid_until": "2036-05-01", "lines": []},
        "qualification": {"numbers": ["ZK2019001234"], "lines": ["管理号 ZK2019001234"]},
    }
    for material in materials:
        Reading.objects.create(
            file=material["file"],
            person=person,
            kind=material["kind"],
            state="done",
            facts=facts[material["kind"]],
            read_at=timezone.now(),
        )

    desk.goto(f"{live_server.url}/review/")
    desk.get_by_label("用户名").fill("jinshui")
    desk.get_by_label("密码").fill(STAFF_PASSWORD)
    desk.get_by_role("button", name="登录").click()
    desk.get_by_role("link", name="王芳").click()
    desk.get_by_text("快捷键").wait_for()

    name = desk.locator("h1 [data-beside=name]")
    assert name.inner_text().strip() == "✓ 姓名与注册信息一致"
    id_number = desk.locator("[data-beside=id_number] .rd")
    assert id_number.inner_text().strip() == f"✗ {MISMATCH}"
    assert "rd-bad" in id_number.get_attribute("class") and id_number.get_attribute("title") == MISMATCH
    certificate = desk.locator("[data-beside='qualifications.0.certificate_number']")
    assert certificate.inner_text().strip() == "✓ 证书编号与填写一致"
    photo_checks = desk.locator("[data-readings=photo-0]").inner_text()
    assert "✓ 已按人脸位置裁剪为1寸照片" in photo_checks
    assert "✗ 照片背景不是白色，请在白色墙面前重新拍摄（要求白底）" in photo_checks
    assert desk.locator("[data-readings=id_back-0]").inner_text().strip() == "✓ 证件有效期至2036年05月01日"
    assert id_number_of(person) not in desk.content()
    desk.evaluate("window.scrollTo(0, 0)")
    desk.screenshot(path=str(OUTPUT / "reading-review-1440.png"))  # the screen as the reviewer sees it
    screenshot(desk, "reading-review-full-1440")
    assert desk.js_errors == []


def test_the_page_stops_asking_after_a_minute_and_says_reading_goes_on(
    reference_data, live_server, phone, tmp_path, settings
):
    register_on_page(phone, live_server.url, "chongqing", "500103", "13912350072")
    no_worker(settings)
    asked: list[str] = []
    phone.on("request", lambda request: asked.append(request.url) if "/materials/readings/" in request.url else None)
    phone.clock.install()
    phone.goto(f"{live_server.url}/chongqing/record/attachments/")

    slot = phone.locator("[id='m-id_front-0']")
    slot.locator("input[type=file]").set_input_files(card_file(tmp_path))
    slot.get_by_text("正在识别…").wait_for(timeout=60_000)
    phone.clock.run_for(2_100)  # the page asks once: still pending
    phone.wait_for_timeout(500)
    phone.clock.fast_forward(61_000)  # a minute later, nothing read yet (no worker here)
    slot.get_by_text("识别仍在后台进行，稍后刷新页面即可查看结果。").wait_for(timeout=10_000)
    asked_then = len(asked)
    phone.clock.run_for(10_000)
    phone.wait_for_timeout(500)

    assert asked_then >= 1 and len(asked) == asked_then  # no more asking
    assert Reading.objects.get().state == "pending"
    screenshot(phone, "reading-04-still-reading-360")
    phone.get_by_role("link", name="下一步：承诺并提交").click()  # going on is never held up
    phone.wait_for_url("**/chongqing/record/commitment/")
    assert phone.js_errors == []
