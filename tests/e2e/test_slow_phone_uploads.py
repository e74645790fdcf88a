"""The attachments step on a cheap phone on a slow mobile line (issue 12): Chromium at 360 px with
its network held to 400 kbit/s each way and 400 ms latency and its CPU slowed 4× (DevTools
protocol). A 4000×3000 camera photo is shrunk on the phone, sent, shown with its thumbnail and
confirmed; a file that is not a picture and a picture too small are refused in their slots; a
dropped connection says so and its retry stores one copy; nothing reloads the page; and the page
with every material uploaded stays within its byte budget. Figures (bytes, load time) are written
to test-output/figures/slow-phone-attachments.json for bench/phone_attachments.py."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from PIL import Image

from accreg.accounts.models import Person
from accreg.collection.models import Record
from accreg.provinces.loader import all_profiles
from accreg.uploads.models import Material
from accreg.uploads.requirements import material_requirements
from accreg.uploads.services import upload_material
from tests.collection.answers import most_materials
from tests.pictures import busy_jpeg, portrait_jpeg

from .conftest import OUTPUT, screenshot
from .test_collection_journeys import register_on_page

pytestmark = pytest.mark.django_db(transaction=True)

KBIT = 400
SLOW_LINE = {
    "offline": False,
    "latency": 400,
    "downloadThroughput": KBIT * 1000 / 8,
    "uploadThroughput": KBIT * 1000 / 8,
}
PAGE_BUDGET = 150 * 1024
WITH_THUMBNAILS_BUDGET = 300 * 1024
FIGURES = OUTPUT.parent / "figures" / "slow-phone-attachments.json"


def camera_photo(folder: Path) -> Path:
    """A 4000×3000 phone photo of about 2.5 MB."""
    path = folder / "IMG_20261201_093000.jpg"
    path.write_bytes(busy_jpeg(4000, 3000))
    return path


def camera_portrait(folder: Path) -> Path:
    """A 4000×3000 phone photo of a head and shoulders, a little off centre."""
    path = folder / "IMG_20261201_092900.jpg"
    path.write_bytes(portrait_jpeg(4000, 3000, centre_x=0.42, face_top=0.22, face_width=0.2, noise=0.2))
    return path


def sideways_photo(folder: Path) -> Path:
    """A portrait photo stored landscape, as phones do, with EXIF orientation 6 (turn 90° clockwise)."""
    path = folder / "IMG_sideways.jpg"
    image = Image.open(io.BytesIO(busy_jpeg(4000, 3000, seed=11)))
    exif = Image.Exif()
    exif[0x0112] = 6
    image.save(path, "JPEG", quality=88, exif=exif)
    return path


def tiny_picture(folder: Path) -> Path:
    path = folder / "tiny.jpg"
    Image.new("RGB", (160, 120), (200, 180, 150)).save(path, "JPEG")
    return path


def not_a_picture(folder: Path) -> Path:
    path = folder / "scan.jpg"  # a PDF that says it is a JPEG
    path.write_bytes(b"%PDF-1.4\n% not an image at all\n" * 40)
    return path


class Line:
    """The DevTools session of a page: throttling, and the bytes each response took on the wire."""

    def __init__(self, page) -> None:  # type: ignore[no-untyped-def]
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.send("Network.enable")
        self.types: dict[str, str] = {}
        self.bytes: dict[str, int] = {}
        self.cdp.on("Network.responseReceived", lambda e: self.types.__setitem__(e["requestId"], e["type"]))
        self.cdp.on("Network.loadingFinished", lambda e: self.bytes.__setitem__(e["requestId"], e["encodedDataLength"]))

    def slow(self) -> None:
        self.cdp.send("Network.emulateNetworkConditions", SLOW_LINE)
        self.cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})

    def offline(self, yes: bool) -> None:
        self.cdp.send("Network.emulateNetworkConditions", {**SLOW_LINE, "offline": yes})

    def reset(self) -> None:
        self.types.clear()
        self.bytes.clear()

    def transferred(self) -> tuple[int, int]:
        """(bytes of everything but images, bytes of images)"""
        images = sum(n for rid, n in self.bytes.items() if self.types.get(rid) == "Image")
        return sum(self.bytes.values()) - images, images


def slots_on(page) -> int:  # type: ignore[no-untyped-def]
    return page.locator("article.material").count()


def test_a_slow_phone_uploads_in_place_and_the_page_stays_light(reference_data, live_server, phone, tmp_path):
    register_on_page(phone, live_server.url, "yunnan", "530102", "13912350011")
    person = Person.objects.get(province="yunnan")
    Record.objects.update_or_create(person=person, defaults={"sections": most_materials("yunnan")})
    line = Line(phone)
    line.slow()
    url = f"{live_server.url}/yunnan/record/attachments/"

    phone.goto(url)
    load_ms = phone.evaluate("performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd")
    phone.evaluate("window.stillTheSamePage = true")
    screenshot(phone, "slow-phone-01-attachments-empty-360")

    # A camera photo: shrunk on the phone, sent with a progress bar, answered in its slot.
    photo = camera_portrait(tmp_path)
    slot = phone.locator("[id='m-photo-0']")
    slot.locator("input[type=file]").set_input_files(photo)
    slot.locator("progress").wait_for(state="visible", timeout=30_000)
    phone.wait_for_function("document.querySelector('#m-photo-0 .upload-state').textContent.includes('%')")
    screenshot(phone, "slow-phone-02-photo-uploading-360")
    slot.locator("img").wait_for(timeout=120_000)
    screenshot(phone, "slow-phone-03-photo-fixed-360")
    caption = slot.locator("figcaption").inner_text()
    assert "原图 4000×3000" in caption and "已在手机上缩小后上传" in caption
    assert "/thumb/" in slot.locator("img").get_attribute("src")
    received = Material.objects.get(kind="photo").original  # what came over the line, as the server read it
    assert (received["width"], received["height"]) == (1239, 929) and 10 * 1024 < received["bytes"] < 400 * 1024
    assert received["before_phone"] == {"width": 4000, "height": 3000, "bytes": photo.stat().st_size}
    slot.get_by_role("button", name="确认使用这张图片").click()
    slot.get_by_text("已确认使用处理后的图片").wait_for(timeout=60_000)
    assert Material.objects.get(kind="photo").confirmed

    # Refusals in place, in the server's words.
    id_front = phone.locator("[id='m-id_front-0']")
    id_front.locator("input[type=file]").set_input_files(not_a_picture(tmp_path))
    id_front.locator(".error").wait_for(timeout=60_000)
    assert id_front.locator(".error").inner_text() == "无法识别该文件，请上传 JPG 或 PNG 格式的照片"
    screenshot(phone, "slow-phone-04-not-a-picture-360")
    id_back = phone.locator("[id='m-id_back-0']")
    id_back.locator("input[type=file]").set_input_files(tiny_picture(tmp_path))
    id_back.locator(".error").wait_for(timeout=60_000)
    assert "图片为160×120像素，太小无法看清内容" in id_back.locator(".error").inner_text()
    screenshot(phone, "slow-phone-05-too-small-360")

    # A photo taken upright but stored sideways is turned on the phone before it is sent.
    id_back.locator("input[type=file]").set_input_files(sideways_photo(tmp_path))
    id_back.locator("img").wait_for(timeout=120_000)
    upright = Material.objects.get(kind="id_back").original
    assert (upright["width"], upright["height"]) == (1350, 1800)  # what arrived: portrait, as taken
    assert upright["before_phone"]["width"] == 3000 and "rotated" not in Material.objects.get(kind="id_back").fixes

    # Over the limit and not a picture the phone can shrink: refused before a byte is sent.
    big = tmp_path / "video.jpg"
    big.write_bytes(b"\0" * (21 * 1024 * 1024))
    posts: list[str] = []
    phone.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    id_back.locator("input[type=file]").set_input_files(big)
    id_back.get_by_text("文件超过20MB，请选择较小的图片或截图后上传").wait_for(timeout=30_000)
    assert posts == [] and id_back.locator(".error").count() == 0  # the old refusal gave way to the new one
    screenshot(phone, "slow-phone-06-over-the-limit-360")

    # The line drops mid-upload: the slot says so, and the retry stores exactly one copy.
    line.offline(True)
    id_front.locator("input[type=file]").set_input_files(photo)
    retry = id_front.get_by_role("button", name="重试上传")
    retry.wait_for(timeout=60_000)
    assert "网络中断" in id_front.locator(".upload-state").inner_text()
    screenshot(phone, "slow-phone-07-connection-dropped-360")
    line.offline(False)
    line.slow()
    retry.click()
    id_front.locator("img").wait_for(timeout=120_000)
    assert Material.objects.filter(kind="id_front").count() == 1
    document = Material.objects.get(kind="id_front").original  # a document keeps 1800 px to stay readable
    assert (document["width"], document["height"]) == (1800, 1350) and document["bytes"] < 1024 * 1024
    assert phone.evaluate("window.stillTheSamePage === true")  # nothing reloaded the page

    # Every other material uploaded, then the page weighed as the phone loads it.
    record = Record.objects.get(person=person)
    with Image.open(photo) as image:
        scan = io.BytesIO()
        image.resize((1800, 1350)).save(scan, "JPEG", quality=85)
    for req in material_requirements(all_profiles()["yunnan"], record.sections):
        if not Material.objects.filter(record=record, kind=req.kind, item=req.item).exists():
            upload_material(person, req.kind, item=req.item, data=scan.getvalue())
    line.reset()
    line.cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})  # weighed as a first visit
    phone.goto(url)
    full_load_ms = phone.evaluate("performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd")
    for _ in range(slots_on(phone)):  # the thumbnails load as they scroll into view
        phone.evaluate("window.scrollBy(0, 500)")
        phone.wait_for_timeout(300)
    phone.wait_for_load_state("networkidle")
    page_bytes, image_bytes = line.transferred()
    slots = slots_on(phone)
    screenshot(phone, "slow-phone-08-everything-uploaded-360")

    FIGURES.parent.mkdir(parents=True, exist_ok=True)
    figures = {
        "line": f"{KBIT} kbit/s each way, 400 ms latency, CPU 4x slower",
        "materials": slots,
        "camera_photo_bytes": photo.stat().st_size,
        "photo_sent_bytes": received["bytes"],
        "document_sent_bytes": document["bytes"],
        "empty_page_dom_content_loaded_ms": round(load_ms),
        "full_page_dom_content_loaded_ms": round(full_load_ms),
        "full_page_bytes_before_images": page_bytes,
        "full_page_image_bytes": image_bytes,
    }
    FIGURES.write_text(json.dumps(figures, indent=2, ensure_ascii=False))
    assert slots >= 8 and phone.locator("article.material img").count() == slots
    assert page_bytes <= PAGE_BUDGET, figures
    assert page_bytes + image_bytes <= WITH_THUMBNAILS_BUDGET, figures
    assert phone.js_errors == []
