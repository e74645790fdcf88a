"""Issue 17 items 4 and 5 on screen: the reviewer's duplicate box at a 1440 px desk, and the
person's self-check on the summary at 360 px."""

import pytest
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from accreg.accounts.identity import check_id_number
from accreg.accounts.models import Person
from accreg.accounts.people import set_identity, set_mobile
from accreg.accounts.services.staff import create_staff
from accreg.collection.models import Record
from accreg.collection.services import save_section
from accreg.reading.models import Reading
from accreg.uploads.services import confirm_material, upload_material
from tests.collection.answers import CHONGQING_EMPLOYED_WORK
from tests.conftest import STAFF_PASSWORD, valid_id_number
from tests.pictures import distinct_portrait_jpeg, portrait_jpeg
from tests.review.test_duplicates import submitted_with

from .conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_reviewer_sees_the_same_photo_and_number_in_other_records(reference_data, live_server, desk):
    create_staff("zhengzhou", password=STAFF_PASSWORD, department_code="410100", role="reviewer")
    picture = distinct_portrait_jpeg(41)
    first = submitted_with("410105", name="王芳", photo=picture, qualification_number="20124101000566")
    submitted_with("410102", name="李娜", photo=picture)
    submitted_with("210102", name="赵云", qualification_number="2012 4101 0005 66")

    desk.goto(f"{live_server.url}/review/login/")
    desk.get_by_label("用户名").fill("zhengzhou")
    desk.get_by_label("密码").fill(STAFF_PASSWORD)
    desk.get_by_role("button", name="登录").click()
    desk.goto(f"{live_server.url}/review/submissions/{first.pk}/")
    box = desk.locator("#duplicates")
    box.wait_for()
    screenshot(desk, "review-duplicates-1440")

    assert box.get_by_role("link", name="查看另一人的档案").count() == 1
    assert "该档案不在您的管辖范围内" in box.inner_text() and "赵云" not in desk.content()
    assert desk.js_errors == []


def test_the_summary_lists_what_would_likely_be_returned(reference_data, live_server, phone):
    person = Person(province="chongqing", name="陈静", password=make_password("kuaiji2026"))
    id_number = valid_id_number(region="500103", birth="19900307")
    set_identity(person, check_id_number("111", id_number))
    set_mobile(person, "13900001111")
    person.save()
    Record.objects.create(person=person)
    save_section(person, "work", {**CHONGQING_EMPLOYED_WORK, "accounting_start_date": "2004-07-01"})
    photo = upload_material(person, "photo", item=0, data=portrait_jpeg(900, 1200, background=(90, 120, 200)))
    confirm_material(person, "photo", item=0)
    Reading.objects.filter(file=photo.file.name).update(
        state="done", facts={"background": {"white": False, "rgb": [90, 120, 200]}}, read_at=timezone.now()
    )

    phone.goto(f"{live_server.url}/chongqing/login/")
    phone.get_by_label("证件号码").fill(id_number)
    phone.get_by_label("密码").fill("kuaiji2026")
    phone.get_by_role("button", name="登录").click()
    phone.wait_for_url("**/me/**")
    phone.goto(f"{live_server.url}/chongqing/record/commitment/")
    box = phone.locator("#self-check")
    box.wait_for()
    screenshot(phone, "summary-self-check-360")

    assert "照片背景不是白色" in box.inner_text() and "审核常见问题：照片不符合要求" in box.inner_text()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    assert phone.js_errors == []
