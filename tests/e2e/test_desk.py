"""The department's desk at 1440 px (issue 15): a staff member finds a locked accountant, unlocks
the account and asks to correct the ID number; a colleague approves it on the corrections page;
the person then signs in with the new number."""

import pytest
from django.contrib.auth.hashers import make_password

from accreg.accounts.identity import check_id_number
from accreg.accounts.models import Person
from accreg.accounts.people import set_identity, set_mobile
from accreg.accounts.services.staff import create_staff
from accreg.regions.models import Department
from tests.conftest import STAFF_PASSWORD, CommittingClient, valid_id_number

from .conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_in_api(id_number: str) -> int:
    body = {"method": "id_password", "id_number": id_number, "password": "kuaiji2026"}
    return CommittingClient().post("/api/v1/sessions", body, content_type="application/json").status_code


def _console_sign_in(desk, live_server, username: str) -> None:  # type: ignore[no-untyped-def]
    desk.goto(f"{live_server.url}/review/login/")
    desk.get_by_label("用户名").fill(username)
    desk.get_by_label("密码").fill(STAFF_PASSWORD)
    desk.get_by_role("button", name="登录").click()
    desk.get_by_role("link", name="人员查询").wait_for()


def test_find_unlock_correct_and_approve_at_the_desk(reference_data, live_server, desk):
    for username in ("jinshui_a", "jinshui_b"):
        create_staff(username, password=STAFF_PASSWORD, department_code="410105", role="reviewer")
    old_number, new_number = valid_id_number(seq=61), valid_id_number(seq=62)
    person = Person(province="henan", name="钱多多", password=make_password("kuaiji2026"))
    person.department = Department.objects.get(code="410105")
    set_identity(person, check_id_number("111", old_number))
    set_mobile(person, "13912346161")
    person.save()
    for _ in range(5):
        body = {"method": "id_password", "id_number": old_number, "password": "wrong-2026"}
        CommittingClient().post("/api/v1/sessions", body, content_type="application/json")
    assert _sign_in_api(old_number) == 429

    _console_sign_in(desk, live_server, "jinshui_a")
    desk.get_by_role("link", name="人员查询").click()
    desk.get_by_label("查找").fill("钱")
    desk.get_by_role("button", name="查找").click()
    row = desk.locator("table.items tbody tr", has_text="钱多多")
    assert row.get_by_text("已锁定").is_visible()
    assert old_number not in desk.content()
    screenshot(desk, "desk-find-1440")

    row.get_by_role("link", name="办理").click()
    desk.locator("#unlock").get_by_label("原因").fill("本人来电，已核实身份")
    desk.get_by_role("button", name="解除锁定").click()
    desk.get_by_text("已解除登录锁定，本人现在可以重新登录。").wait_for()
    assert _sign_in_api(old_number) == 201

    desk.locator("#correct").get_by_label("更正项目").select_option(label="证件号码")
    desk.locator("#correct").get_by_label("更正为").fill(new_number)
    desk.locator("#correct").get_by_label("原因及依据").fill("本人持身份证原件到窗口，注册时证件号码录入错误")
    desk.get_by_role("button", name="提交更正").click()
    desk.get_by_text("更正申请已提交，须由本部门或上级部门的另一位工作人员审批后生效。").wait_for()
    assert desk.get_by_text("不能审批自己提出的更正申请").first.is_visible()
    screenshot(desk, "desk-person-1440")
    desk.get_by_role("button", name="退出").click()

    _console_sign_in(desk, live_server, "jinshui_b")
    desk.get_by_role("link", name="更正审批").click()
    pending = desk.locator("table.items tbody tr", has_text="钱多多")
    assert pending.get_by_text(new_number[:3] + "*" * 11 + new_number[-4:]).is_visible()
    screenshot(desk, "desk-corrections-1440")
    pending.get_by_role("button", name="批准", exact=True).click()
    desk.get_by_text("已批准，更正已生效，已短信通知本人。").wait_for()
    screenshot(desk, "desk-approved-1440")
    assert desk.js_errors == []

    assert _sign_in_api(new_number) == 201
    assert _sign_in_api(old_number) == 400
