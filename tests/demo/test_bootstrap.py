"""`manage.py bootstrap` (what `make run` does first): prints the way in, and a second run changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from accreg.accounts.models import Person, Staff
from accreg.collection.models import Record, Submission
from accreg.notices.models import Notice
from accreg.regions.models import Department, Region

pytestmark = pytest.mark.django_db


def bootstrap() -> str:
    out = StringIO()
    call_command("bootstrap", stdout=out)
    return out.getvalue()


def counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Region, Department, Staff, Person))


def test_bootstrap_prints_the_url_and_demo_sign_ins():
    output = bootstrap()

    assert "http://127.0.0.1:8000/" in output
    assert "henan_admin" in output and "Demo-Kuaiji-2026" in output
    assert "河南省  张伟  证件号码 41010519850518001X" in output
    assert "辽宁原有用户（待激活）：赵云" in output
    assert "河南已审核通过（可试信息变更、调转）：陈静" in output
    chen = Record.objects.get(person__name="陈静")
    assert (chen.status, chen.archive.decided_by.username) == ("approved", "jinshui_reviewer")
    assert Submission.objects.filter(status="pending", department__code__startswith="41").count() == 3


def test_bootstrap_says_who_sees_each_waiting_submission_and_how_staff_sign_in():
    output = bootstrap()

    assert "王强  中原区财政局  可见：henan_admin、zhengzhou_reviewer、zhengzhou_leader" in output
    assert "李娜  金水区财政局  可见：henan_admin、zhengzhou_reviewer、zhengzhou_leader、jinshui_reviewer" in output
    assert "zhengzhou_leader     部门负责人" in output
    assert "开发环境中工作人员登录无需动态口令" in output


def test_no_two_demo_people_share_a_name():
    bootstrap()

    names = list(Person.objects.values_list("name", flat=True))
    assert len(names) == len(set(names)), sorted(names)


def test_a_second_bootstrap_changes_nothing():
    bootstrap()
    before = counts()

    output = bootstrap()

    assert counts() == before
    assert "行政区划：新增 0，更新 0" in output and "管理部门：新增 0，更新 0" in output


def test_demo_people_can_sign_in_and_legacy_ones_must_activate(client):
    bootstrap()

    signed = client.post(
        "/henan/login/",
        {"method": "id_password", "id_number": "41010519850518001X", "password": "kuaiji2026"},
    )
    legacy = client.post(
        "/liaoning/login/",
        {
            "method": "name_id_password",
            "name": "赵云",
            "id_number": "210103197503200035",
            "password": "anything1",
        },
    )

    assert signed["Location"] == "/henan/me/"
    assert legacy["Location"] == "/liaoning/activate/?legacy=1"


def test_every_portal_shows_demo_notices_marked_as_such(client):
    bootstrap()
    bootstrap()  # a second run adds none

    page = client.get("/henan/").content.decode()

    assert "暂无通知" not in page
    assert "【演示】关于开展河南省会计人员信息采集工作的通知" in page and "【演示】手机上传材料操作指南" in page
    assert Notice.objects.filter(province="henan").count() == 2
    assert all(n.title.startswith("【演示】") for n in Notice.objects.all())
    body = Notice.objects.get(province="henan", kind="notice").body
    assert "在我省报考会计专业技术中高级资格考试的人员必须提前完成信息采集" in body and "演示数据" in body
