"""Legacy import in Django admin (SPEC §7): a province administrator uploads the archive, the
worker loads it row by row, and the report names each rejected row and why. The same file again
changes nothing."""

import csv
import io
import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accreg.accounts.models import LegacyImport, Person
from accreg.accounts.people import person_by_id_number
from accreg.audit.models import AuditEvent
from tests.conftest import valid_id_number

pytestmark = pytest.mark.django_db

ADD = "/admin/accounts/legacyimport/add/"
GOOD = valid_id_number(region="210102", birth="19800101", seq=61)
BAD = GOOD[:17] + ("0" if GOOD[17] != "0" else "1")  # a wrong check digit


def archive(name: str = "辽宁原有人员.csv") -> SimpleUploadedFile:
    out = io.StringIO()
    csv.writer(out).writerows([["name", "id_number"], ["刘备", GOOD], ["关羽", BAD]])
    return SimpleUploadedFile(name, out.getvalue().encode("utf-8"), content_type="text/csv")


def upload(client: Client, province: str = "liaoning", file: SimpleUploadedFile | None = None):  # type: ignore[no-untyped-def]
    return client.post(ADD, {"province": province, "file": file or archive()}, follow=True)


def test_an_import_reports_the_rejected_row_with_its_reason(admin_client_for):
    client = admin_client_for("210000", username="liaoning_admin")

    response = upload(client)
    page = response.content.decode()

    job = LegacyImport.objects.get()
    assert response.redirect_chain[-1][0] == f"/admin/accounts/legacyimport/{job.pk}/change/"
    assert "正在后台导入" in page  # the upload message; the worker ran once the request committed
    assert "导入结果：辽宁原有人员.csv" in page and "已完成" in page
    assert "新增 1 人，更新 0 人，未变 0 人，拒绝 1 行。" in page
    assert re.search(r"<td>第3行</td><td>身份证号码校验位不正确，请核对后重新填写</td>", page)
    person = person_by_id_number(GOOD)
    assert person is not None and person.name == "刘备" and person.province == "liaoning"
    assert person.is_legacy and not person.password
    assert person_by_id_number(BAD) is None
    assert (job.state, job.created, job.rejected) == ("done", 1, 1)
    assert job.rejected_rows == "第3行：身份证号码校验位不正确，请核对后重新填写"
    assert not job.file and not default_storage.exists(f"legacy-imports/{job.pk}.csv")  # ID numbers not kept
    actor = f"staff:{job.staff_id}"
    assert AuditEvent.objects.filter(
        actor=actor, action="people.import_queued", target=f"legacy_import:{job.pk}"
    ).exists()
    assert AuditEvent.objects.filter(actor=actor, action="people.import_finished").exists()


def test_the_same_file_again_changes_nothing(admin_client_for):
    client = admin_client_for("210000", username="liaoning_admin")
    upload(client)
    before = list(Person.objects.order_by("pk").values_list("pk", "name", "id_number_hash", "legacy_data"))

    page = upload(client).content.decode()

    assert "新增 0 人，更新 0 人，未变 1 人，拒绝 1 行。" in page
    assert "第3行" in page
    assert list(Person.objects.order_by("pk").values_list("pk", "name", "id_number_hash", "legacy_data")) == before


def test_rejected_rows_download_as_csv(admin_client_for):
    client = admin_client_for("210000", username="liaoning_admin")
    upload(client)
    job = LegacyImport.objects.get()

    response = client.get(f"/admin/accounts/legacyimport/{job.pk}/rejected.csv")

    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [["行号", "原因"], ["3", "身份证号码校验位不正确，请核对后重新填写"]]


def test_an_unreadable_file_fails_with_its_reason_and_writes_nothing(admin_client_for):
    client = admin_client_for("210000", username="liaoning_admin")
    file = SimpleUploadedFile("名单.csv", "姓名,身份证\n刘备,1\n".encode(), content_type="text/csv")

    page = upload(client, file=file).content.decode()

    assert "导入失败：缺少必需的列：name、id_number" in page
    assert LegacyImport.objects.get().state == "failed"
    assert not Person.objects.exists()


def test_an_old_excel_file_is_refused_at_upload(admin_client_for):
    client = admin_client_for("210000", username="liaoning_admin")
    file = SimpleUploadedFile("名单.xls", b"\xd0\xcf\x11\xe0", content_type="application/vnd.ms-excel")

    page = upload(client, file=file).content.decode()

    assert "请上传 CSV 或 XLSX 文件" in page
    assert not LegacyImport.objects.exists()


def test_an_administrator_sees_and_imports_only_their_own_province(admin_client_for):
    liaoning = admin_client_for("210000", username="liaoning_admin")
    upload(liaoning)
    job = LegacyImport.objects.get()
    henan = admin_client_for("410000", username="henan_admin")

    listing = henan.get("/admin/accounts/legacyimport/").content.decode()
    report = henan.get(f"/admin/accounts/legacyimport/{job.pk}/change/")
    download = henan.get(f"/admin/accounts/legacyimport/{job.pk}/rejected.csv")
    form = henan.get(ADD).content.decode()
    posted = upload(henan, province="liaoning").content.decode()

    assert "辽宁原有人员.csv" not in listing
    assert report.status_code == 404 and download.status_code == 404
    assert "河南省" in form and "辽宁省" not in form
    assert "选择一个有效的选项" in posted
    assert LegacyImport.objects.count() == 1


def test_county_administrators_and_reviewers_do_not_import(admin_client_for, make_staff):
    county = admin_client_for("210102", username="heping_admin")
    reviewer = Client()
    reviewer.force_login(make_staff("shenyang_r", "210000"))

    assert county.get("/admin/accounts/legacyimport/").status_code == 403
    assert county.get(ADD).status_code == 404
    assert "原有人员导入" not in county.get("/admin/").content.decode()
    assert reviewer.get(ADD).status_code == 302  # to the admin sign-in page
