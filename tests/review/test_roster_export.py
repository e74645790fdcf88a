"""The official roster (issue 15, item 6): administrators, after stating a reason, export every
person of their subtree with the full ID number and mobile and every section; reviewers cannot,
and their exports stay masked. Each roster is audited (reason, rows, every download) and marked."""

import datetime
import io

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone
from openpyxl import load_workbook

from accreg.accounts.models import Person
from accreg.accounts.people import id_number_of, mobile_of
from accreg.accounts.services.tokens import issue_token
from accreg.audit.models import AuditEvent
from accreg.review.exports import delete_expired_exports
from accreg.review.models import Export
from tests.conftest import Api, CommittingClient

pytestmark = pytest.mark.django_db

REASON = "向省人社厅报送2026年度会计人员名册"


@pytest.fixture
def three_counties(submitted):  # type: ignore[no-untyped-def]
    return [submitted("410105", name="王芳"), submitted("410102", name="李强"), submitted("410202", name="赵丽")]


@pytest.fixture
def admin(make_staff):  # type: ignore[no-untyped-def]
    def make(department: str) -> Api:
        return Api(issue_token(staff=make_staff(f"admin-{department}", department, role="admin")))

    return make


def workbook(client, export_id):  # type: ignore[no-untyped-def]
    download = client.get(f"/api/v1/review/exports/{export_id}/file")
    assert download.status_code == 200
    assert "会计人员名册" in download["Content-Disposition"] or "filename*=" in download["Content-Disposition"]
    return load_workbook(io.BytesIO(b"".join(download.streaming_content)))


def test_an_administrator_exports_full_id_numbers_and_every_section(three_counties, admin):
    client = admin("410100")

    started = client.post("/api/v1/review/exports", {"roster": True, "reason": REASON})
    progress = client.get(f"/api/v1/review/exports/{started.json()['id']}").json()
    book = workbook(client, started.json()["id"])
    rows = list(book["会计人员名册"].iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    people = {p.name: p for p in Person.objects.all()}

    assert started.status_code == 202 and progress["state"] == "done" and progress["rows"] == 2
    assert progress["roster"] is True
    assert {row[0] for row in body} == {"王芳", "李强"}  # 龙亭区 is outside 郑州市
    for row in body:
        person = people[row[0]]
        assert row[header.index("证件号码")] == id_number_of(person) and "*" not in row[2]
        assert row[header.index("手机号码")] == mobile_of(person)
        assert row[header.index("民族")] == "汉族"  # codes as their labels
        assert row[header.index("在岗状态")] == "在会计岗工作"  # Henan's words (HN)
        assert row[header.index("会计管理部门")] in {"金水区财政局", "中原区财政局"}
    for column in ("全日制最高学历", "工作单位全称", "专业技术资格：证书编号或批文号", "备注"):
        assert column in header
    about = [r[0] for r in book["说明"].iter_rows(values_only=True)]
    assert book.sheetnames[0] == "说明" and f"导出事由：{REASON}" in about and "人数：2" in about
    assert any("仅限" in line and REASON in line and "不得外传" in line for line in about)


def test_the_roster_is_audited_with_the_reason_the_rows_and_each_download(three_counties, admin):
    client = admin("410000")
    export_id = client.post("/api/v1/review/exports", {"roster": True, "reason": REASON}).json()["id"]

    workbook(client, export_id)
    workbook(client, export_id)

    asked = AuditEvent.objects.get(action="review.roster_exported")
    written = AuditEvent.objects.get(action="review.roster_written")
    assert asked.details["reason"] == REASON and asked.target == f"export:{export_id}"
    assert written.details == {"rows": 3, "reason": REASON}
    assert AuditEvent.objects.filter(action="review.roster_downloaded", target=f"export:{export_id}").count() == 2


def test_a_reviewer_cannot_export_the_roster(three_counties, reviewer):
    answer = reviewer("410000").post("/api/v1/review/exports", {"roster": True, "reason": REASON})

    assert answer.status_code == 403 and answer.json()["error"]["code"] == "roster_admins_only"
    assert not Export.objects.exists() and not AuditEvent.objects.filter(action__startswith="review.roster").exists()


@pytest.mark.parametrize("reason", ["", "   ", "报送"])
def test_the_roster_needs_a_reason(three_counties, admin, reason):
    answer = admin("410000").post("/api/v1/review/exports", {"roster": True, "reason": reason})

    assert answer.status_code == 400
    assert "请说明导出正式名册的事由" in answer.json()["error"]["fields"]["reason"][0]
    assert not Export.objects.exists()


def test_another_provinces_administrator_finds_no_one_and_no_department(three_counties, admin):
    client = admin("210000")

    outside = client.post("/api/v1/review/exports", {"roster": True, "reason": REASON, "department": "410100"})
    mine = client.post("/api/v1/review/exports", {"roster": True, "reason": REASON}).json()

    assert outside.status_code == 404
    assert client.get(f"/api/v1/review/exports/{mine['id']}").json()["rows"] == 0


def test_an_approved_person_is_exported_from_the_archive(approved, make_staff):
    _person_api, _reviewer, person = approved
    client = Api(issue_token(staff=make_staff("cq-admin", "500000", role="admin")))

    export_id = client.post("/api/v1/review/exports", {"roster": True, "reason": REASON}).json()["id"]
    header, row = list(workbook(client, export_id)["会计人员名册"].iter_rows(values_only=True))

    assert row[0] == person.name and row[header.index("状态")] == "审核通过"
    assert row[header.index("数据来源")] == "人员档案（已审核）"
    assert row[header.index("证件号码")] == id_number_of(person)


def test_a_roster_file_is_deleted_on_the_same_retention(three_counties, admin, settings):
    settings.EXPORT_RETENTION_DAYS = 7
    client = admin("410000")
    export_id = client.post("/api/v1/review/exports", {"roster": True, "reason": REASON}).json()["id"]
    Export.objects.filter(pk=export_id).update(finished_at=timezone.now() - datetime.timedelta(days=8))
    name = Export.objects.get(pk=export_id).file.name

    assert delete_expired_exports() == 1 and not default_storage.exists(name)
    assert client.get(f"/api/v1/review/exports/{export_id}/file").json()["error"]["code"] == "export_expired"


def test_the_page_asks_an_administrator_for_the_reason_and_keeps_the_choice(three_counties, make_staff):
    browser = CommittingClient()
    browser.force_login(make_staff("henan-admin", "410000", role="admin"))

    statistics = browser.get("/review/statistics/").content.decode()
    form = browser.get("/review/exports/?department=410100").content.decode()
    refused = browser.post(
        "/review/exports/", {"roster": "1", "department": "410100", "status": "pending", "reason": ""}
    )
    started = browser.post("/review/exports/", {"roster": "1", "department": "410100", "status": "", "reason": REASON})
    done = browser.get(started["Location"]).content.decode()

    assert "导出正式名册（含完整证件号码）" in statistics
    assert "导出事由（必填）" in form and 'value="410100"' in form
    page = refused.content.decode()
    assert refused.status_code == 400 and "请说明导出正式名册的事由" in page
    assert '<option value="pending" selected>' in page and 'value="410100"' in page
    assert started.status_code == 302 and f"事由：{REASON}" in done and "正式名册 #" in done


def test_a_reviewer_sees_no_roster_link_and_no_roster_form(three_counties, make_staff):
    browser = CommittingClient()
    browser.force_login(make_staff("zhang", "410100"))

    assert "正式名册" not in browser.get("/review/statistics/").content.decode()
    assert browser.get("/review/exports/").status_code == 404
    refused = browser.post("/review/exports/", {"roster": "1", "reason": REASON})
    assert refused.status_code == 403 and "只有管理员可以导出" in refused.content.decode()
