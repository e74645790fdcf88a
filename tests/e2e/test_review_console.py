"""A reviewer at a 1440 px desk signs in with the second factor, finds a submission, returns it
with a reason and a field to fix; the person sees the reason and the field on a 360 px phone."""

import datetime

import pyotp
import pytest
from django.utils import timezone

from accreg.accounts.people import id_number_of
from accreg.accounts.services.staff import create_staff
from tests.review.conftest import make_submission

from .conftest import OUTPUT, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_reviewer_returns_a_submission_and_the_person_sees_why(reference_data, live_server, desk, phone, settings):
    settings.STAFF_REQUIRE_OTP = True
    staff = create_staff("jinshui", password="Shenhe-Mima-2026", department_code="410105", role="reviewer")
    submission = make_submission("410105", name="李娜", unit="郑州某某商贸有限公司", password="kuaiji2026")
    make_submission("410105", name="王强", days_ago=20)
    id_number = id_number_of(submission.record.person)

    desk.goto(f"{live_server.url}/review/")
    desk.get_by_label("用户名").fill("jinshui")
    desk.get_by_label("密码").fill("Shenhe-Mima-2026")
    desk.get_by_label("动态口令").fill(pyotp.TOTP(staff.otp_secret).now())
    screenshot(desk, "review-login-1440")
    desk.get_by_role("button", name="登录").click()
    desk.get_by_text("待审核 2").wait_for()
    assert desk.locator("tr.overdue").count() == 1  # 王强, twenty days waiting
    screenshot(desk, "review-queue-1440")

    desk.get_by_label("搜索").fill(id_number)
    desk.get_by_role("button", name="搜索").click()
    assert desk.locator("table.items tbody tr").count() == 1
    desk.get_by_role("link", name="李娜").click()
    desk.locator("tr", has_text="工作单位全称").get_by_label("需修改").check()
    desk.get_by_label("工作单位全称的修改要求").fill("请按营业执照填写单位全称")
    desk.get_by_label("信息填写不完整").check()
    screenshot(desk, "review-detail-1440")
    desk.get_by_role("button", name="退回修改").click()
    desk.get_by_text("审核结果已保存").wait_for()
    screenshot(desk, "review-returned-1440")
    assert desk.js_errors == []

    phone.goto(f"{live_server.url}/henan/login/")
    phone.get_by_label("证件号码").fill(id_number)
    phone.get_by_label("密码").fill("kuaiji2026")
    phone.get_by_role("button", name="登录").click()
    phone.get_by_text("审核退回（金水区财政局）：信息填写不完整").wait_for()
    screenshot(phone, "person-returned-360")
    phone.get_by_role("link", name="工作单位、职务及相关证书信息：工作单位全称").click()
    phone.get_by_text("审核意见：请按营业执照填写单位全称").wait_for()
    screenshot(phone, "person-returned-field-360")
    assert phone.js_errors == []


def _photo(name: str, colour: str, size: tuple[int, int]) -> dict:
    """A real image in storage and its snapshot entry, as a submission points at it."""
    import io

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from PIL import Image, ImageDraw

    picture = Image.new("RGB", size, colour)
    ImageDraw.Draw(picture).rectangle((10, 10, size[0] // 2, size[1] // 3), fill="white")
    data = io.BytesIO()
    picture.save(data, "JPEG")
    stored = default_storage.save(f"e2e-review/{name}.jpg", ContentFile(data.getvalue()))
    kind = {"photo": "photo", "id": "id_front"}[name.split("-")[0]]
    return {"kind": kind, "item": 0, "file": stored, "format": "jpeg", "width": size[0], "height": size[1], "bytes": 1}


def test_a_reviewer_works_the_queue_with_the_keyboard(reference_data, live_server, desk):
    from accreg.collection.models import Submission
    from tests.conftest import STAFF_PASSWORD

    create_staff("jinshui", password=STAFF_PASSWORD, department_code="410105", role="reviewer")
    made = [
        make_submission("410105", name=n, unit=u, days_ago=d)
        for n, u, d in (
            ("王芳", "河南恒信会计师事务所", 12),
            ("李娜", "郑州某某商贸有限公司", 9),
            ("王强", "恒信建设集团", 6),
        )
    ]
    for n, submission in enumerate(made):
        materials = [_photo(f"photo-{n}", "#c0d4e8", (295, 413)), _photo(f"id-{n}", "#e8d9c0", (640, 400))]
        Submission.objects.filter(pk=submission.pk).update(snapshot={**submission.snapshot, "materials": materials})
    Submission.objects.filter(pk=made[2].pk).update(status="returned")

    desk.goto(f"{live_server.url}/review/")
    desk.get_by_label("用户名").fill("jinshui")
    desk.get_by_label("密码").fill(STAFF_PASSWORD)
    desk.get_by_role("button", name="登录").click()
    desk.get_by_label("搜索").fill("恒信")
    desk.get_by_role("button", name="搜索").click()
    desk.get_by_text("全部 2").wait_for()
    assert desk.locator("table.items tbody tr").count() == 2  # 王芳 waiting, 王强 returned: every status
    screenshot(desk, "review-search-1440")
    desk.get_by_label("搜索").fill("王")
    desk.get_by_role("button", name="搜索").click()
    desk.get_by_role("link", name="待审核 1").click()
    desk.get_by_role("link", name="王芳").click()
    desk.get_by_text("快捷键").wait_for()

    photo = desk.locator("figure[data-image]").first.locator("img")
    desk.keyboard.press("o")
    desk.keyboard.press("+")
    assert photo.evaluate("img => img.style.transform") == "rotate(90deg) scale(1.25)"
    desk.keyboard.press("i")
    desk.keyboard.press("o")
    assert (
        desk.locator("figure[data-image]")
        .nth(1)
        .locator("img")
        .evaluate("i => i.style.transform")
        .startswith("rotate(90deg)")
    )
    desk.keyboard.press("f")
    assert desk.evaluate("document.activeElement.name") == "reason"
    desk.keyboard.type("照片背景不是白色")
    desk.keyboard.press("Escape")
    desk.evaluate("window.scrollTo(0, 0)")
    desk.screenshot(path=str(OUTPUT / "review-keys-1440.png"))  # the screen as the reviewer sees it
    desk.keyboard.press("r")
    desk.get_by_text("已退回：王芳（退回原因：照片背景不是白色）").wait_for()
    assert "当前队列已没有其他报送" in desk.content()  # the search held only her among the waiting
    screenshot(desk, "review-decided-1440")

    desk.goto(f"{live_server.url}/review/")
    desk.get_by_role("link", name="李娜").click()
    desk.get_by_text("快捷键").wait_for()
    desk.keyboard.press("a")
    desk.get_by_text("已审核通过：李娜").wait_for()
    assert desk.url.endswith(f"/review/?decided={made[1].pk}")
    assert Submission.objects.get(pk=made[1].pk).status == "approved"
    assert desk.js_errors == []


def test_the_city_leader_sees_escalated_items_and_the_workload(reference_data, live_server, desk):
    from accreg.review.decisions import Decision, decide
    from tests.conftest import STAFF_PASSWORD

    wang = create_staff("wang_jinshui", password=STAFF_PASSWORD, department_code="410105", role="reviewer")
    create_staff("li_erqi", password=STAFF_PASSWORD, department_code="410103", role="reviewer")
    create_staff("zhengzhou", password=STAFF_PASSWORD, department_code="410100", role="leader")
    decided = [make_submission("410105", name=n, days_ago=d) for n, d in (("赵敏", 4), ("钱进", 8), ("孙丽", 12))]
    for submission in decided[:2]:
        decide(wang, submission.pk, Decision("approve", version=1), ip=None)
    decide(wang, decided[2].pk, Decision("return", version=1, reason="照片不清晰"), ip=None)
    make_submission("410105", name="周杰", unit="郑州恒信商贸有限公司", days_ago=20)
    make_submission("410103", name="吴静", unit="二七区某某物流公司", days_ago=45)
    make_submission("410105", name="郑华", days_ago=2)

    desk.goto(f"{live_server.url}/review/")
    desk.get_by_label("用户名").fill("zhengzhou")
    desk.get_by_label("密码").fill(STAFF_PASSWORD)
    desk.get_by_role("button", name="登录").click()
    desk.get_by_role("link", name="超期督办").click()
    rows = desk.locator("table.items tbody tr")
    assert rows.count() == 2 and desk.locator("text=已上报郑州市财政局").count() == 1
    assert desk.locator("text=已上报河南省财政厅").count() == 1  # 吴静, a service period more: one level higher
    screenshot(desk, "review-escalated-1440")

    desk.get_by_role("link", name="统计与导出").click()
    workload = desk.locator("section.workload")
    assert "wang_jinshui" in workload.locator("tbody tr").first.inner_text()
    assert workload.locator("tbody tr").first.locator("td").nth(1).inner_text() == "3"
    assert desk.locator(".overdue-total").inner_text() == "2" and desk.locator(".escalated-total").inner_text() == "2"
    desk.get_by_label("日期").select_option(label="按审核时间")
    desk.get_by_label("自", exact=True).fill((timezone.localdate() - datetime.timedelta(days=6)).isoformat())
    desk.get_by_role("button", name="查看").click()
    desk.get_by_text("审核于").wait_for()
    screenshot(desk, "review-statistics-1440")
    assert desk.js_errors == []
