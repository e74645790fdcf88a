"""A whole collection on a 360 px phone for each of the four provinces: register, every step of
the wizard in the province's order, the uploads (a camera photo fixed and confirmed), submit, and
the account page saying it waits for review. Screenshots of every step go to test-output."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from accreg.collection.models import Record
from tests.collection.answers import CREDIT_CODE
from tests.conftest import latest_code, valid_id_number
from tests.pictures import portrait_jpeg

from .conftest import OUTPUT, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

PERSONAL = [("select", "ethnicity", "01"), ("select", "political_status", "13"), ("fill", "email", "kj@example.com")]
BACHELOR = [
    ("select", "full_time.level", "21"),
    ("select", "full_time.degree", "4"),
    ("select", "full_time.major", "120203K"),
    ("fill", "full_time.school", "某某财经大学"),
    ("fill", "full_time.graduation_date", "2012-07-01"),
]
NO_CERTIFICATES = [("radio", "cpa", "false"), ("radio", "tax_agent", "false"), ("radio", "appraiser", "false")]


def unit(region: tuple[str, str], **extra: str) -> list[tuple]:
    return [
        ("fill", "unit_name", "某某会计服务有限公司"),
        ("fill", "unit_credit_code", CREDIT_CODE),
        ("region", "unit_region", region),
        ("fill", "unit_address", "人民路1号"),
        ("select", "unit_type", "110"),
        ("fill", "unit_phone", extra.get("phone", "13800000000")),
        ("select", "accounting_post", "02"),
        ("fill", "hire_date", "2014-03-01"),
    ]


JOURNEYS = {
    "chongqing": {
        "region": "500103",
        "answers": {
            "personal": PERSONAL,
            "education": BACHELOR,
            "work": [
                ("radio", "employment", "employed"),
                *unit(("", "500103"), phone="02320000000"),
                ("fill", "accounting_start_date", "2013-07-01"),  # CQ 2.3: in an accounting post
                ("fill", "accounting_years", "10"),
                *NO_CERTIFICATES,
            ],
        },
    },
    "yunnan": {
        "region": "530102",
        "answers": {
            "personal": PERSONAL,
            "work": [
                ("radio", "employment", "student"),
                ("region", "school_region", ("昆明市", "530102")),
                ("fill", "school_name", "云南财经大学"),
            ],
            "education": [("select", "full_time.level", "61"), ("select", "full_time.degree", "0")],
        },
    },
    "henan": {
        "region": "410105",
        "answers": {
            "personal": PERSONAL,
            "education": [*BACHELOR, ("select", "part_time.level", "00")],
            "work": [
                ("radio", "employment", "accounting_post"),
                *unit(("郑州市", "410105")),
                ("fill", "accounting_start_date", "2013-07-01"),
                ("fill", "accounting_years", "10"),
                ("select", "technical_post", "00"),
                ("select", "abacus_grade", "00"),
                *NO_CERTIFICATES,
            ],
        },
    },
    "liaoning": {
        "region": "210102",
        "answers": {
            "personal": [("fill", "name", "刘阳"), *PERSONAL, ("select", "country", "CHN")],
            "work": [
                ("radio", "employment", "employed"),
                *unit(("沈阳市", "210102")),
                ("select", "admin_post", "01"),
                ("fill", "accounting_start_date", "2013-07-01"),
                ("fill", "accounting_years", "10"),
                ("select", "technical_post", "00"),
                ("select", "abacus_grade", "00"),
            ],
            "education": BACHELOR,
        },
    },
}


# The status a person reads once submitted, where the province's manual names its own (YN 11).
PENDING_WORD = {"yunnan": "审核中"}
# The letter read before ticking, where the manual names one (LN 10); the others keep one sentence.
LETTERS = {"liaoning": ("关于本人信息真实准确承诺函", "我已阅读并同意《关于本人信息真实准确承诺函》")}


def read_the_commitment(page, province: str) -> None:  # type: ignore[no-untyped-def]
    """The commitment is above the tick box, titled, within the screen's width; a long letter
    scrolls in its own box, read to its end before ticking."""
    letter = page.locator("#commitment-letter")
    tick = page.locator("input[name='accept_commitment']")
    title, label = LETTERS.get(province, ("本人承诺", "我已阅读并同意以上承诺"))
    assert letter.get_by_role("heading").inner_text() == title
    assert page.get_by_label(label).count() == 1
    box, tick_box = letter.bounding_box(), tick.bounding_box()
    assert box["y"] + box["height"] <= tick_box["y"] and box["x"] >= 0 and box["x"] + box["width"] <= 360
    if province in LETTERS:
        assert letter.evaluate("e => e.scrollHeight > e.clientHeight")  # the letter scrolls in its box
        letter.scroll_into_view_if_needed()
        page.screenshot(path=str(OUTPUT / f"journey-{province}-letter-top-360.png"))
        letter.evaluate("e => { e.scrollTop = e.scrollHeight; }")
        page.screenshot(path=str(OUTPUT / f"journey-{province}-letter-end-360.png"))


def camera_photo(folder: Path, name: str, size: tuple[int, int]) -> Path:
    image = Image.new("RGB", size, (236, 240, 244))
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.ellipse((w * 0.3, h * 0.15, w * 0.7, h * 0.55), fill=(224, 172, 140))
    draw.rectangle((w * 0.15, h * 0.6, w * 0.85, h), fill=(40, 60, 110))
    path = folder / name
    image.save(path, "JPEG", quality=92)
    return path


def portrait_photo(folder: Path, name: str, size: tuple[int, int]) -> Path:
    """A camera photo of a head and shoulders, its face where the 1-inch crop finds it."""
    path = folder / name
    path.write_bytes(portrait_jpeg(*size, centre_x=0.45, noise=0.1))
    return path


def field(page, name: str):  # type: ignore[no-untyped-def]
    return page.locator(f"[name='{name}']")


def answer(page, actions: list[tuple]) -> None:  # type: ignore[no-untyped-def]
    for kind, name, value in actions:
        if kind == "fill":
            field(page, name).fill(value)
        elif kind == "select":
            page.locator(f"select[name='{name}']").select_option(value)
        elif kind == "radio":
            page.locator(f"input[name='{name}'][value='{value}']").check()
        elif kind == "region":
            city, county = value
            picker = page.locator(f"[id='w-{name}']")
            if city:
                picker.locator("[data-region-group]").select_option(label=city)
            picker.locator(f"select[name='{name}']").select_option(county)
            page.wait_for_function("document.querySelector(\"select[name='department']\").options.length > 1")


def no_horizontal_scroll(page) -> bool:  # type: ignore[no-untyped-def]
    return page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")


def register_on_page(page, base: str, province: str, region: str, mobile: str) -> str:  # type: ignore[no-untyped-def]
    id_number = valid_id_number(region=region, birth="19900307", seq=52)
    page.goto(f"{base}/{province}/register/")
    if page.get_by_role("link", name="前往统一身份认证平台").count():  # HN 2.1: registered on the platform
        page.get_by_role("link", name="前往统一身份认证平台").click()
        page.get_by_label("姓名").fill("王芳")
        page.get_by_label("身份证号码").fill(id_number)
        page.get_by_role("button", name="确认并登录").click()
        page.get_by_role("heading", name="完成账户开通").wait_for()
        page.get_by_label("手机号码").fill(mobile)
        page.get_by_role("button", name="获取验证码").click()
        page.get_by_text("验证码已发送，5分钟内有效").wait_for()
        page.get_by_label("短信验证码").fill(latest_code(mobile))
        page.get_by_role("button", name="开通账户并登录").click()
        page.get_by_role("link", name="开始信息采集").wait_for()
        return id_number
    page.get_by_label("姓名").fill("刘洋" if province == "liaoning" else "王芳")
    page.get_by_label("证件号码").fill(id_number)
    page.get_by_label("手机号码").fill(mobile)
    page.get_by_role("button", name="获取验证码").click()
    page.get_by_text("验证码已发送，5分钟内有效").wait_for()
    page.get_by_label("短信验证码").fill(latest_code(mobile))
    page.get_by_label("设置密码").fill("kuaiji2026")
    page.get_by_role("button", name="完成注册").click()
    page.get_by_role("link", name="开始信息采集").wait_for()
    return id_number


def upload_everything(page, province: str, files: dict[str, Path]) -> None:  # type: ignore[no-untyped-def]
    """Every required material: the camera photo for the photo, a scan for the rest. Each answer
    replaces its slot in place (no reload); a fixed image is looked at and confirmed."""
    for _ in range(12):
        pending = page.locator("article.material:not(:has(img)) input[type=file]")
        if pending.count() == 0:
            break
        anchor = pending.first.get_attribute("id").removeprefix("file-")
        kind = anchor.rsplit("-", 1)[0]
        pending.first.set_input_files(files["photo"] if kind == "photo" else files["scan"])
        slot = page.locator(f"[id='m-{anchor}']")
        slot.locator("img, .error").first.wait_for(timeout=60_000)
        assert slot.locator(".error").count() == 0, slot.inner_text()
        confirm = slot.get_by_role("button", name="确认使用这张图片")
        if confirm.count():
            if kind == "photo":  # the crop itself in the screenshot: its thumbnail loaded
                slot.locator("img").evaluate("img => img.complete || new Promise(done => { img.onload = done; })")
                screenshot(page, f"journey-{province}-photo-fixed-360")
                assert "系统已处理（原图 3000×4000" in slot.inner_text()
            confirm.click()
            slot.get_by_text("已确认使用处理后的图片").wait_for()
    left = page.locator("article.material:not(:has(img))")
    assert left.count() == 0, left.first.inner_text()


@pytest.mark.parametrize("province", list(JOURNEYS))
def test_a_whole_collection_on_a_phone(reference_data, live_server, phone, tmp_path, province, request, settings):
    journey = JOURNEYS[province]
    site = live_server.url
    if province == "henan":  # through the development identity provider, to a loopback callback it accepts
        settings.DEV_IDP_BASE_URL = request.getfixturevalue("dev_idp")
        site = site.replace("localhost", "127.0.0.1")
    files = {
        "photo": portrait_photo(tmp_path, "camera.jpg", (3000, 4000)),
        "scan": camera_photo(tmp_path, "scan.jpg", (1600, 1200)),
    }
    mobile = {"chongqing": "13912350001", "yunnan": "13912350002", "henan": "13912350003", "liaoning": "13912350004"}
    register_on_page(phone, site, province, journey["region"], mobile[province])
    phone.get_by_role("link", name="开始信息采集").click()

    seen = []
    for _ in range(15):
        phone.locator(".step-count").wait_for()
        heading = phone.locator(".step-count").inner_text()
        key = phone.url.rstrip("/").split("/")[-1]
        seen.append(key)
        assert no_horizontal_scroll(phone), f"{province} {key} scrolls sideways"
        assert phone.locator("nav.portal-nav a").count() == (4 if province == "liaoning" else 0)  # LN 1, 12
        screenshot(phone, f"journey-{province}-{len(seen):02d}-{key}-360")
        if key == "notice":
            agree = phone.get_by_role("button", name="我已阅读并同意")
            if province == "henan":  # HN 3.1: thirty seconds, counted by the server
                assert agree.is_disabled() and "秒" in agree.inner_text()
                past = datetime.datetime.now(datetime.UTC) - datetime.timedelta(seconds=31)
                Record.objects.update(notice_shown_at=past)
                phone.reload()
            agree.click()
        elif key == "attachments":
            upload_everything(phone, province, files)
            screenshot(phone, f"journey-{province}-{len(seen):02d}-attachments-done-360")
            phone.get_by_role("link", name="下一步：承诺并提交").click()
        elif key == "commitment":
            assert "第" in heading and phone.locator(".problems").count() == 0  # nothing left to fill
            read_the_commitment(phone, province)
            phone.get_by_label("我已阅读并同意").check()
            phone.get_by_role("button", name="提交审核").click()
            phone.wait_for_load_state()
            refused = phone.locator(".alert")
            assert refused.count() == 0, refused.first.inner_text()
            break
        else:
            answer(phone, journey["answers"].get(key, []))
            phone.get_by_role("button", name="保存并继续").click()
            error = phone.locator(".alert")
            assert error.count() == 0 or not error.first.is_visible(), f"{province} {key}: {error.first.inner_text()}"

    status = phone.locator("#review-status")
    status.wait_for()
    assert status.inner_text() == PENDING_WORD.get(province, "待审核")  # YN 11: 审核中
    screenshot(phone, f"journey-{province}-submitted-360")
    assert seen[-1] == "commitment" and seen[0] == ("notice" if province in ("henan", "liaoning") else "personal")
    assert Record.objects.get().status == "pending"
    assert phone.js_errors == []
