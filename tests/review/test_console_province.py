"""The console speaks the reviewer's province: its 在岗状态 choices and labels, and its own names
for the materials (issue 14, items 4 and 5)."""

import re

import pytest

from accreg.accounts.models import Person
from accreg.collection.models import Submission
from tests.conftest import CommittingClient

pytestmark = pytest.mark.django_db

PHOTO = {"kind": "photo", "item": 0, "file": "m/photo.jpg", "format": "jpeg", "width": 295, "height": 413, "bytes": 9}
ID_FRONT = {**PHOTO, "kind": "id_front", "file": "m/id.jpg"}


@pytest.fixture
def console(make_staff):  # type: ignore[no-untyped-def]
    def make(department: str, username: str = "reviewer") -> CommittingClient:
        browser = CommittingClient()
        browser.force_login(make_staff(username, department))
        return browser

    return make


def employment_choices(page: str) -> list[str]:
    select = page[page.index('name="employment"') :]
    select = select[: select.index("</select>")]
    return re.findall(r"<option value=\"[a-z_]+\"[^>]*>([^<]+)</option>", select)


def with_materials(submission: Submission, province: str) -> Submission:
    Person.objects.filter(pk=submission.record.person_id).update(province=province)
    Submission.objects.filter(pk=submission.pk).update(snapshot={**submission.snapshot, "materials": [PHOTO, ID_FRONT]})
    return submission


def test_the_employment_filter_lists_the_reviewers_province_only(console):
    henan = console("410105", "jinshui").get("/review/").content.decode()
    chongqing = console("500103", "yuzhong").get("/review/").content.decode()

    assert employment_choices(henan) == ["在会计岗工作", "不在会计岗工作", "全日制在校生", "待业"]
    assert employment_choices(chongqing) == ["是", "否-我是学生", "否-我是本省无业人员", "否-我是外省无业人员"]


def test_the_employment_filter_still_filters(submitted, console):
    submitted("410105", name="李娜")
    other = submitted("410105", name="王强")
    Submission.objects.filter(pk=other.pk).update(employment="job_seeking")

    page = console("410105").get("/review/?employment=job_seeking").content.decode()

    assert "王强" in page and "李娜" not in page
    assert '<option value="job_seeking" selected>待业</option>' in page


def test_materials_carry_the_province_files_names(submitted, console):
    henan = with_materials(submitted("410105", name="李娜"), "henan")
    chongqing = with_materials(submitted("500103", name="周敏"), "chongqing")

    hn = console("410105", "jinshui").get(f"/review/submissions/{henan.pk}/").content.decode()
    cq = console("500103", "yuzhong").get(f"/review/submissions/{chongqing.pk}/").content.decode()

    assert 'alt="近期白底电子证件照"' in hn and 'alt="身份证正面"' in hn
    assert 'alt="个人照片"' in cq and 'alt="证件正面照片"' in cq
    assert "近期1寸免冠照" not in hn + cq and "有效身份证件正面照片" not in hn + cq
