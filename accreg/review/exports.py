"""Excel export of a department subtree (导出): queued by a reviewer or administrator, written by
the background worker with xlsxwriter in constant-memory mode, rows streamed from the database
in chunks, progress saved as it goes; ID numbers and mobiles masked."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import xlsxwriter
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from accreg.accounts.models import Staff
from accreg.audit.services import log_event
from accreg.codelists.registry import code_list
from accreg.collection.models import RecordStatus
from accreg.errors import DomainError, NotFoundError
from accreg.provinces.loader import all_profiles

from .models import Export, ExportState
from .statistics import records_in, scoped_department

HEADER = (
    "姓名",
    "证件号码",
    "性别",
    "出生日期",
    "手机号码",
    "状态",
    "受理部门",
    "工作单位",
    "在岗状态",
    "全日制最高学历",
    "最高专业技术资格级别",
    "最近提交时间",
)
PROGRESS_EVERY = 5000


def start_export(staff: Staff, *, department: str = "", status: str = "", ip: str | None) -> Export:
    if status and status not in RecordStatus.values:
        msg = "状态只能是 draft、pending、approved 或 returned"
        raise DomainError("invalid", msg, fields={"status": [msg]})
    scope = scoped_department(staff, department)
    export = Export.objects.create(staff=staff, department=scope, status=status)
    log_event(
        f"staff:{staff.pk}",
        "review.exported",
        target=f"export:{export.pk}",
        ip=ip,
        department=scope.code if scope else "",
        status=status,
    )
    transaction.on_commit(lambda: write_export.enqueue(export.pk))
    return export


def export_of(staff: Staff, export_id: int) -> Export:
    export = Export.objects.filter(pk=export_id, staff=staff).first()
    if export is None:
        raise NotFoundError("not_found", "没有这个导出任务")
    return export


def export_out(export: Export) -> dict[str, Any]:
    out: dict[str, Any] = {"id": export.pk, "state": export.state, "rows": export.rows}
    if export.state == ExportState.DONE:
        out["url"] = f"/api/v1/review/exports/{export.pk}/file"
    if export.state == ExportState.FAILED:
        out["error"] = export.error
    return out


def _labels(name: str) -> dict[str, str]:
    return {item.code: item.label for item in code_list(name).items}


@task()
def write_export(export_id: int) -> None:
    export = Export.objects.select_related("staff", "department").get(pk=export_id)
    Export.objects.filter(pk=export.pk).update(state=ExportState.RUNNING)
    try:
        rows = _write(export)
    except Exception as exc:
        Export.objects.filter(pk=export.pk).update(state=ExportState.FAILED, error=type(exc).__name__)
        raise
    Export.objects.filter(pk=export.pk).update(state=ExportState.DONE, rows=rows, finished_at=timezone.now())


def _write(export: Export) -> int:
    records = records_in(export.staff, export.department)
    if export.status:
        records = records.filter(status=export.status)
    rows = records.order_by("pk").values_list(
        "person__name",
        "person__id_number_masked",
        "person__gender",
        "person__birth_date",
        "person__mobile_masked",
        "status",
        "department__name",
        "employment",
        "education_level",
        "qualification_level",
        "updated_at",
        "person__province",
        "sections__work__unit_name",
    )
    genders, education, levels = _labels("genders"), _labels("education_levels"), _labels("qualification_levels")
    statuses = dict(RecordStatus.choices)
    employment = {s.code: s.label for p in all_profiles().values() for s in p.employment_statuses}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"export-{export.pk}.xlsx"
        workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True, "tmpdir": folder})
        sheet = workbook.add_worksheet("会计人员")
        sheet.write_row(0, 0, HEADER)
        count = 0
        for row in rows.iterator(chunk_size=2000):
            name, masked, gender, birth, mobile, status, dept, emp, edu, level, updated, _province, unit = row
            count += 1
            sheet.write_row(
                count,
                0,
                (
                    name,
                    masked,
                    genders.get(gender, gender),
                    birth.isoformat() if birth else "",
                    mobile,
                    statuses.get(status, status),
                    dept or "",
                    unit or "",
                    employment.get(emp, emp),
                    education.get(edu, edu),
                    levels.get(level, level),
                    timezone.localtime(updated).strftime("%Y-%m-%d %H:%M"),
                ),
            )
            if count % PROGRESS_EVERY == 0:
                Export.objects.filter(pk=export.pk).update(rows=count)
        workbook.close()
        with path.open("rb") as handle:
            export.file.save(path.name, File(handle), save=False)
        Export.objects.filter(pk=export.pk).update(file=export.file.name)
    return count
