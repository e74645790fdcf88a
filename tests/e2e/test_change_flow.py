"""After approval, in the browser: a Chongqing accountant on a 360 px phone opens a change (信息变更)
from the archive, renames the unit and replaces the photo, submits; the 渝中区 reviewer at a 1440 px
desk filters the queue by 办理类型, reads the change against the archive (old → new, both photos) and
approves; the archive then shows the new unit and both entries in 办理记录. Then a transfer (调转):
the form, the archive while it waits, the sending department's read-only tab, and the receiving
department's approval. Screenshots of every step go to test-output."""

from __future__ import annotations

import pyotp
import pytest

from accreg.accounts.services.staff import create_staff
from accreg.collection.models import Record
from tests.collection.test_submission import complete_chongqing_record
from tests.conftest import Api, valid_id_number
from tests.review.conftest import approve

from .conftest import OUTPUT, screenshot
from .test_collection_journeys import camera_photo, no_horizontal_scroll

pytestmark = pytest.mark.django_db(transaction=True)

STAFF_PASSWORD = "Shenhe-Mima-2026"
OLD_UNIT = "重庆某某有限公司"  # tests/collection/answers.py
NEW_UNIT = "重庆新桥会计服务有限公司"


def approved_person(register, staff) -> str:  # type: ignore[no-untyped-def]
    """A Chongqing accountant whose first collection 渝中区 approved; returns the ID number."""
    from accreg.accounts.services.tokens import issue_token

    id_number = valid_id_number(region="500103", seq=61)
    registered = register(province="chongqing", id_number=id_number, mobile="13912360001", name="陈静")
    person_api = Api(registered["token"])
    complete_chongqing_record(person_api)
    submitted = person_api.post("/api/v1/me/record/submission", {"accept_commitment": True})
    assert submitted.status_code == 201, submitted.json()
    assert approve(Api(issue_token(staff=staff)), submitted.json()["id"]).status_code == 200
    return id_number


def viewport_shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """What the screen shows, not the whole page: a 1440 px page can be very long."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(OUTPUT / f"{name}.png"))


def person_signs_in(phone, base: str, id_number: str) -> None:  # type: ignore[no-untyped-def]
    phone.goto(f"{base}/chongqing/login/")
    phone.get_by_label("证件号码").fill(id_number)
    phone.get_by_label("密码").fill("kuaiji2026")
    phone.get_by_role("button", name="登录").click()
    phone.get_by_text("您好，陈静").wait_for()


def staff_signs_in(desk, base: str, staff) -> None:  # type: ignore[no-untyped-def]
    desk.goto(f"{base}/review/")
    desk.get_by_label("用户名").fill(staff.username)
    desk.get_by_label("密码").fill(STAFF_PASSWORD)
    desk.get_by_label("动态口令").fill(pyotp.TOTP(staff.otp_secret).now())
    desk.get_by_role("button", name="登录").click()
    desk.locator("table.items").wait_for()


def fits_the_screen(page) -> bool:  # type: ignore[no-untyped-def]
    """Nothing wider than the screen: on a mobile viewport the browser widens the layout viewport to
    what overflows, so window.innerWidth alone would grow with it; compare with the device width."""
    width = page.evaluate("document.documentElement.scrollWidth")
    return no_horizontal_scroll(page) and width <= page.viewport_size["width"]


def on_phone(phone, name: str) -> None:  # type: ignore[no-untyped-def]
    assert fits_the_screen(phone), f"{name} scrolls sideways"
    screenshot(phone, name)


def test_a_change_is_made_on_a_phone_and_approved_at_a_desk(
    reference_data, register, live_server, phone, desk, settings, tmp_path
):
    settings.STAFF_REQUIRE_OTP = True
    staff = create_staff("yuzhong", password=STAFF_PASSWORD, department_code="500103", role="reviewer")
    id_number = approved_person(register, staff)
    base = live_server.url

    # The person opens the archive and asks for a change.
    person_signs_in(phone, base, id_number)
    phone.get_by_role("link", name="查看我的档案").click()
    phone.get_by_role("heading", name="人员档案").wait_for()
    assert OLD_UNIT in phone.content()
    on_phone(phone, "change-01-archive-360")
    phone.get_by_role("button", name="申请信息变更").click()
    phone.get_by_text("信息变更办理中").first.wait_for()
    on_phone(phone, "change-02-opened-360")

    # 会计从业信息: the unit's full name.
    phone.locator(".wizard-steps a[href$='/record/work/']").click()
    phone.get_by_role("heading", name="会计从业信息").wait_for()
    assert phone.locator(".change-banner").is_visible()
    phone.locator("[name='unit_name']").fill(NEW_UNIT)
    phone.get_by_role("button", name="保存草稿").click()
    phone.get_by_text("已保存").first.wait_for()
    assert phone.locator("[name='unit_name']").input_value() == NEW_UNIT
    on_phone(phone, "change-03-work-saved-360")

    # A new photo, processed and confirmed.
    phone.locator(".wizard-steps a[href$='/record/attachments/']").click()
    slot = phone.locator("[id='m-photo-0']")
    old_thumbnail = slot.locator("img").get_attribute("src")
    phone.locator("#file-photo-0").set_input_files(camera_photo(tmp_path, "new.jpg", (3000, 4000)))
    phone.wait_for_function(  # answered in place: the slot's new thumbnail, no reload
        "old => (document.querySelector('#m-photo-0 img') || {}).getAttribute?.('src') !== old",
        arg=old_thumbnail,
    )
    confirm = slot.get_by_role("button", name="确认使用这张图片")
    if confirm.count():
        confirm.click()
        slot.get_by_text("已确认使用处理后的图片").wait_for()
    on_phone(phone, "change-04-photo-replaced-360")

    # The last step: check and submit.
    phone.locator(".wizard-steps a[href$='/record/commitment/']").click()
    phone.get_by_role("heading", name="承诺并提交").wait_for()
    assert phone.locator(".problems").count() == 0
    assert NEW_UNIT in phone.content()
    on_phone(phone, "change-05-commitment-360")
    phone.get_by_label("我已阅读并同意").check()
    phone.get_by_role("button", name="提交审核").click()
    phone.wait_for_load_state()
    assert phone.locator(".alert").count() == 0, phone.locator(".alert").first.inner_text()
    on_phone(phone, "change-06-submitted-360")
    phone.goto(f"{base}/chongqing/archive/")
    phone.get_by_text("信息变更审核中").wait_for()
    assert OLD_UNIT in phone.content() and NEW_UNIT not in phone.content()  # the archive waits for the decision
    on_phone(phone, "change-07-archive-pending-360")
    assert phone.js_errors == []

    # The reviewer finds the change by its kind and reads it against the archive.
    staff_signs_in(desk, base, staff)
    desk.get_by_label("办理类型").select_option(label="信息变更")
    desk.get_by_role("button", name="筛选").click()
    rows = desk.locator("table.items tbody tr")
    assert rows.count() == 1
    assert "信息变更" in rows.first.locator("td").nth(1).inner_text()
    assert NEW_UNIT in rows.first.inner_text()
    viewport_shot(desk, "change-08-queue-1440")
    desk.get_by_role("link", name="陈静").click()
    changes = desk.locator("#changes")
    changes.get_by_role("heading", name="与现行档案相比的变更").wait_for()
    unit_row = changes.locator("tr", has_text="工作单位全称")
    assert OLD_UNIT in unit_row.inner_text() and NEW_UNIT in unit_row.inner_text()
    photos = changes.locator("img.diff-image")
    assert photos.count() == 2
    for img in photos.all():
        img.scroll_into_view_if_needed()
        desk.wait_for_function("img => img.complete", arg=img.element_handle())
    photos_shown = all(img.evaluate("img => img.naturalWidth > 0") for img in photos.all())
    desk.evaluate("window.scrollTo(0, 0)")
    viewport_shot(desk, "change-09-detail-1440")
    changes.screenshot(path=str(OUTPUT / "change-10-differences-1440.png"))
    desk.get_by_role("button", name="审核通过").click()
    desk.get_by_text("审核结果已保存").wait_for()
    viewport_shot(desk, "change-11-approved-1440")
    assert desk.js_errors == []

    # The archive now reads as changed, with both entries in its history.
    phone.goto(f"{base}/chongqing/archive/")
    phone.get_by_role("heading", name="办理记录").wait_for()
    assert NEW_UNIT in phone.content() and OLD_UNIT not in phone.content()
    history = phone.locator(".card", has=phone.get_by_role("heading", name="办理记录")).inner_text()
    assert "信息采集" in history and "信息变更" in history
    assert history.count("审核通过") >= 2 and "现行档案" in history
    on_phone(phone, "change-12-archive-changed-360")
    phone.locator(".card", has=phone.get_by_role("heading", name="办理记录")).screenshot(
        path=str(OUTPUT / "change-13-history-360.png")
    )
    assert Record.objects.get().archive.snapshot["sections"]["work"]["unit_name"] == NEW_UNIT
    assert phone.js_errors == []
    assert photos_shown  # the old and new photo side by side, both loaded


def test_a_transfer_is_asked_for_on_a_phone_and_decided_by_the_receiving_department(
    reference_data, register, live_server, phone, desk, settings
):
    settings.STAFF_REQUIRE_OTP = True
    sending = create_staff("yuzhong", password=STAFF_PASSWORD, department_code="500103", role="reviewer")
    receiving = create_staff("dadukou", password=STAFF_PASSWORD, department_code="500104", role="reviewer")
    id_number = approved_person(register, sending)
    base = live_server.url

    person_signs_in(phone, base, id_number)
    phone.goto(f"{base}/chongqing/archive/")
    phone.get_by_role("link", name="申请调转").click()
    phone.get_by_role("heading", name="申请调转").wait_for()
    on_phone(phone, "transfer-01-form-360")
    phone.get_by_label("调入的会计管理部门").select_option("500104")
    phone.get_by_label("调转原因").fill("工作单位变动到大渡口区")
    phone.get_by_role("button", name="提交调转申请").click()
    phone.get_by_text("调转办理中").wait_for()
    on_phone(phone, "transfer-02-archive-pending-360")
    assert phone.js_errors == []

    # The sending department only reads it.
    staff_signs_in(desk, base, sending)
    desk.get_by_role("link", name="调出（只读）").click()
    rows = desk.locator("table.items tbody tr")
    assert rows.count() == 1 and "调往" in rows.first.inner_text()
    viewport_shot(desk, "transfer-03-outgoing-1440")
    desk.get_by_role("link", name="陈静").click()
    desk.get_by_text("本部门只能查看").wait_for()
    assert desk.get_by_role("button", name="审核通过").count() == 0
    viewport_shot(desk, "transfer-04-outgoing-detail-1440")

    # The receiving department decides, at another desk (a one-time password is used only once).
    other = desk.context.browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    incoming = other.new_page()
    errors: list[str] = []
    incoming.on("pageerror", lambda exc: errors.append(str(exc)))
    staff_signs_in(incoming, base, receiving)
    row = incoming.locator("table.items tbody tr", has_text="陈静")
    assert "调转" in row.inner_text() and "调自" in row.inner_text()
    viewport_shot(incoming, "transfer-05-incoming-1440")
    incoming.get_by_role("link", name="陈静").click()
    incoming.get_by_text("由渝中区").first.wait_for()
    viewport_shot(incoming, "transfer-06-incoming-detail-1440")
    incoming.get_by_role("button", name="审核通过").click()
    incoming.get_by_text("审核结果已保存").wait_for()
    other.close()
    assert errors == []

    # Gone from the sending department, in every tab.
    for status in ("pending", "approved", "returned"):
        desk.goto(f"{base}/review/?status={status}")
        assert desk.locator("table.items tbody tr", has_text="陈静").count() == 0
    desk.goto(f"{base}/review/?status=pending&outgoing=1")
    assert desk.locator("table.items tbody tr", has_text="陈静").count() == 0
    assert desk.js_errors == []

    phone.goto(f"{base}/chongqing/archive/")
    phone.get_by_role("heading", name="办理记录").wait_for()
    facts = phone.locator("dl.facts").first.inner_text()
    assert "大渡口区" in facts
    on_phone(phone, "transfer-07-archive-moved-360")
    assert phone.js_errors == []
