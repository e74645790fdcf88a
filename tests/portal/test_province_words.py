"""Each province's own words (issue 14, items 23 and 24): Yunnan's status words (YN 11), the
commitment letter Liaoning asks to read before ticking (LN 10), the labels a manual gives a field
(CQ 2.2: 最高学历(学位)取得时间), and Liaoning's navigation bar (LN 1, 12)."""

from __future__ import annotations

import re

import pytest

from accreg.accounts.models import Person
from accreg.accounts.services.tokens import issue_token
from accreg.notices.models import Notice
from tests.collection.test_submission import complete_chongqing_record, put, upload
from tests.conftest import Api, CommittingClient, outbox_messages, valid_id_number
from tests.review.test_return_and_resubmit import browser_of

pytestmark = pytest.mark.django_db


def text(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def complete_yunnan_record(client: Api) -> None:
    """A Yunnan student (YN 1.3: collected where the school is) with everything asked."""
    assert put(client, "personal", {"ethnicity": "01", "political_status": "13"}).status_code == 200
    work = {"employment": "student", "school_region": "530102", "school_name": "云南财经大学"}
    assert put(client, "work", work).status_code == 200
    assert put(client, "education", {"full_time": {"level": "61", "degree": "0"}}).status_code == 200
    steps = client.get("/api/v1/me/record").json()["steps"]
    for kind in next(s for s in steps if s["key"] == "attachments")["missing"]:
        upload(client, kind.removeprefix("material:"))


@pytest.fixture
def yunnan_submitted(register):  # type: ignore[no-untyped-def]
    registered = register(province="yunnan", id_number=valid_id_number(region="530102"), mobile="13912340053")
    client = Api(registered["token"])
    complete_yunnan_record(client)
    submitted = client.post("/api/v1/me/record/submission", {"accept_commitment": True})
    assert submitted.status_code == 201, submitted.json()
    return client, Person.objects.get(pk=registered["id"]), submitted.json()


@pytest.fixture
def reviewer(make_staff):  # type: ignore[no-untyped-def]
    """An API client signed in as a reviewer of the department."""
    return lambda department: Api(issue_token(staff=make_staff(f"reviewer-{department}", department)))


def status_line(page: str) -> str:
    return re.search(r'id="review-status">([^<]*)<', page).group(1)


# Status words ---------------------------------------------------------------------------------


def test_a_yunnan_person_reads_shenhezhong_after_submitting(yunnan_submitted):
    client, person, _ = yunnan_submitted
    browser = browser_of(person)

    me = text(browser.get("/yunnan/me/"))
    summary = text(browser.get("/yunnan/record/commitment/"))
    archive = text(browser.get("/yunnan/archive/"))
    record = client.get("/api/v1/me/record").json()

    assert status_line(me) == "审核中"  # YN 11
    assert ">待审核<" not in me  # (提交成功！请等待审核 is a sentence, not the status)
    assert "审核状态：审核中" in summary
    assert "<dt>档案状态</dt><dd>审核中</dd>" in archive and '<span class="state">审核中</span>' in archive
    assert ">待审核<" not in archive
    assert client.get("/api/v1/me/record/status").json()["status"] == "pending"  # the API's value stays
    assert record["status"] == "pending"
    assert record["rules"]["status_words"] == {
        "draft": "未提交",
        "pending": "审核中",
        "approved": "审核成功",
        "returned": "审核失败",
    }


def test_a_yunnan_person_reads_shenheshibai_after_a_return_on_every_page_and_in_the_text(yunnan_submitted, reviewer):
    client, person, submitted = yunnan_submitted
    staff = reviewer("530102")
    version = staff.get(f"/api/v1/review/submissions/{submitted['id']}").json()["version"]
    body = {
        "decision": "return",
        "version": version,
        "reason": "学校名称有误",
        "fields": [{"field": "work.school_name", "reason": "请填写学校全称"}],
    }
    assert staff.post(f"/api/v1/review/submissions/{submitted['id']}/decision", body).status_code == 200
    browser = browser_of(person)

    me = text(browser.get("/yunnan/me/"))
    work = text(browser.get("/yunnan/record/work/"))
    summary = text(browser.get("/yunnan/record/commitment/"))
    archive = text(browser.get("/yunnan/archive/"))
    [sms] = outbox_messages("13912340053")[-1:]

    assert status_line(me) == "审核失败"
    assert "审核失败（五华区财政局）：学校名称有误" in me
    assert "审核失败，请修改以下内容：" in work
    assert "<p>审核失败：学校名称有误</p>" in summary
    assert "<dt>档案状态</dt><dd>审核失败</dd>" in archive and '<span class="state">审核失败</span>' in archive
    assert sms == (
        "【云南省会计人员管理系统】您的会计人员信息审核失败（五华区财政局），原因：学校名称有误。请登录修改后重新提交。"
    )
    assert not any("退回" in page for page in (me, work, summary, archive))
    assert client.get("/api/v1/me/record/status").json()["status"] == "returned"


def test_a_yunnan_approval_is_texted_as_shenhechenggong(yunnan_submitted, reviewer):
    _, person, submitted = yunnan_submitted
    staff = reviewer("530102")
    version = staff.get(f"/api/v1/review/submissions/{submitted['id']}").json()["version"]

    staff.post(f"/api/v1/review/submissions/{submitted['id']}/decision", {"decision": "approve", "version": version})

    assert outbox_messages("13912340053")[-1] == "【云南省会计人员管理系统】您的会计人员信息已由五华区财政局审核成功。"
    assert status_line(text(browser_of(person).get("/yunnan/me/"))) == "审核成功"


def test_other_provinces_keep_the_words_they_had(page):
    browser = page()  # Chongqing, nothing submitted

    assert status_line(text(browser.get("/chongqing/me/"))) == "未提交"


# The commitment ----------------------------------------------------------------------------------


def test_liaoning_shows_the_commitment_letter_to_read_before_the_tick_box(page):
    browser = page("liaoning", region="210102")

    summary = text(browser.get("/liaoning/record/commitment/"))
    refused = browser.post("/liaoning/record/commitment/", {})

    letter = summary.index('<section class="letter" id="commitment-letter"')
    title = summary.index('<h2 id="commitment-title">关于本人信息真实准确承诺函</h2>')
    tick = summary.index('name="accept_commitment"')
    assert letter < title < tick
    assert "五、如有隐瞒或虚假，本人愿意承担由此产生的一切后果和相应的法律责任。" in summary[title:tick]
    assert "我已阅读并同意《关于本人信息真实准确承诺函》</label>" in summary
    assert "请阅读并勾选“我已阅读并同意《关于本人信息真实准确承诺函》”" in refused.content.decode()


def test_other_provinces_keep_their_one_sentence(page):
    summary = text(page().get("/chongqing/record/commitment/"))

    assert '<h2 id="commitment-title">本人承诺</h2>' in summary
    assert "本人承诺：所填信息及上传材料真实、准确、完整，如有虚假，愿承担相应责任。" in summary
    assert "承诺函" not in summary


# Field labels --------------------------------------------------------------------------------------


def test_chongqing_names_the_education_date_as_its_manual_does(page):
    browser = page()

    form = text(browser.get("/chongqing/record/education/"))
    refused = browser.post(
        "/chongqing/record/education/",
        {"full_time.level": "21", "full_time.degree": "4", "full_time.graduation_date": "1980-07-01", "action": "save"},
    )

    label = re.search(r'<label for="f-full_time.graduation_date">([^<]*)', form).group(1)
    assert label == "最高学历(学位)取得时间"  # CQ 2.2, shown under the heading 全日制
    assert ">毕业时间<" not in form
    assert "全日制最高学历(学位)取得时间不能早于出生日期" in refused.content.decode()


def test_chongqing_label_is_on_the_summary_and_in_the_reviewers_detail(register, make_staff):
    registered = register(province="chongqing", id_number=valid_id_number(region="500103"))
    client = Api(registered["token"])
    complete_chongqing_record(client)
    submitted = client.post("/api/v1/me/record/submission", {"accept_commitment": True}).json()
    console = CommittingClient()
    console.force_login(make_staff("cq-reviewer", "500103"))

    summary = text(browser_of(Person.objects.get(pk=registered["id"])).get("/chongqing/record/commitment/"))
    detail = text(console.get(f"/review/submissions/{submitted['id']}/"))

    assert "<dt>全日制最高学历(学位)取得时间</dt><dd>2012-07-01</dd>" in summary
    assert "<th>全日制最高学历(学位)取得时间</th><td>2012-07-01</td>" in detail
    assert "全日制毕业时间" not in summary and "全日制毕业时间" not in detail
    assert "<th>工作单位经济类型</th>" in detail  # CQ 2.3


def test_other_provinces_keep_graduation_time(page):
    form = text(page("henan", region="410105").get("/henan/record/education/"))

    assert '<label for="f-full_time.graduation_date">毕业时间' in form


# Liaoning's navigation bar ---------------------------------------------------------------------------


def nav_of(page: str) -> list[tuple[str, str, bool]]:
    bar = re.search(r'<nav class="portal-nav"[^>]*>(.*?)</nav>', page, re.S)
    assert bar, "no navigation bar"
    return [
        (href, label, bool(current))
        for href, current, label in re.findall(r'<a href="([^"]+)"( aria-current="page")?>([^<]+)</a>', bar.group(1))
    ]


def current_of(page: str) -> list[str]:
    return [label for _, label, current in nav_of(page) if current]


def test_liaoning_has_its_navigation_bar_on_every_portal_page(page):
    guide = Notice.objects.create(province="liaoning", kind="guide", title="操作指南一", body="第一步")
    notice = Notice.objects.create(province="liaoning", kind="notice", title="通知一", body="内容")
    Notice.objects.filter(pk__in=[guide.pk, notice.pk]).update(published_at="2026-01-05T08:00:00+08:00")
    anonymous = CommittingClient()
    signed_in = page("liaoning", region="210102")

    home = text(anonymous.get("/liaoning/"))

    assert nav_of(home) == [
        ("/liaoning/", "首页", True),
        ("/liaoning/notices/?kind=notice", "通知公告", False),
        ("/liaoning/notices/?kind=guide", "操作指南", False),
        ("/liaoning/directory/", "咨询电话", False),
    ]
    assert current_of(text(anonymous.get("/liaoning/notices/?kind=notice"))) == ["通知公告"]
    assert current_of(text(anonymous.get("/liaoning/notices/?kind=guide"))) == ["操作指南"]
    assert current_of(text(anonymous.get(f"/liaoning/notices/{guide.pk}/"))) == ["操作指南"]
    assert current_of(text(anonymous.get(f"/liaoning/notices/{notice.pk}/"))) == ["通知公告"]
    assert current_of(text(anonymous.get("/liaoning/directory/"))) == ["咨询电话"]
    for path in ("/liaoning/login/", "/liaoning/register/", "/liaoning/activate/"):
        assert len(nav_of(text(anonymous.get(path)))) == 4, path
        assert current_of(text(anonymous.get(path))) == [], path
    for path in ("/liaoning/me/", "/liaoning/record/notice/", "/liaoning/record/commitment/", "/liaoning/archive/"):
        assert len(nav_of(text(signed_in.get(path)))) == 4, path


def test_provinces_whose_manual_names_no_bar_have_none(client):
    for code in ("chongqing", "yunnan", "henan"):
        assert 'class="portal-nav"' not in text(client.get(f"/{code}/"))
    assert 'class="portal-nav"' not in text(client.get("/"))
