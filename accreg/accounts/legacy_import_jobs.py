"""Legacy imports started from Django admin (原有人员导入, SPEC §7): the upload is kept in file
storage, the background worker loads it with `import_legacy_people` and keeps the report on a
`LegacyImport` row. A province's imports are run and read by its province-level administrators."""

from __future__ import annotations

import csv
import io
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import QuerySet
from django.dispatch import receiver
from django.utils import timezone
from django_tasks import TaskContext, TaskResult, task
from django_tasks.signals import task_finished

from accreg.audit.services import log_event
from accreg.errors import DomainError, ForbiddenError
from accreg.provinces.loader import profile_for_region, served_profile, served_profiles
from accreg.regions.models import Level

from .legacy_import import import_legacy_people
from .models import LegacyImport, LegacyImportState, Staff

SUFFIXES = (".csv", ".xlsx")
_REJECTED_LINE = re.compile(r"^第(\d+)行：(.*)$")


def import_province_of(staff: Staff) -> str:
    """The province an administrator may import for: their own, if they work at its province-level
    department ("" otherwise). People land anywhere in the province, so a city or county
    administrator, whose jurisdiction is smaller, does not import."""
    department = staff.department
    if not staff.is_active or not staff.is_admin or department is None or department.level != Level.PROVINCE:
        return ""
    profile = profile_for_region(department.code)
    return profile.code if profile else ""


def may_import(staff: Staff) -> bool:
    return bool(staff.is_active and (staff.is_superuser or import_province_of(staff)))


def visible_imports(staff: Staff) -> QuerySet[LegacyImport]:
    """The imports a staff member may read: a superuser's are all, an administrator's their province's."""
    imports = LegacyImport.objects.select_related("staff")
    if staff.is_superuser:
        return imports
    province = import_province_of(staff)
    return imports.filter(province=province) if province else imports.none()


@transaction.atomic
def start_legacy_import(staff: Staff, *, upload: UploadedFile, province: str, ip: str | None) -> LegacyImport:
    """Keep the uploaded file and queue its import. The file is read by the worker, not here, so a
    file of hundreds of thousands of rows never holds up the administrator's page."""
    if served_profile(province) is None:
        msg = f"未开通的省份：{province}（可用：{'、'.join(served_profiles())}）"
        raise DomainError("unknown_province", msg, fields={"province": [msg]})
    if not staff.is_superuser and province != import_province_of(staff):
        raise ForbiddenError(
            "forbidden", "只能导入本省的原有会计人员", fields={"province": ["只能导入本省的原有会计人员"]}
        )
    name = Path(upload.name or "").name
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        msg = "请上传 CSV 或 XLSX 文件（旧版 .xls 请先用 Excel 另存为 .xlsx）"
        raise DomainError("unreadable_file", msg, fields={"file": [msg]})
    job = LegacyImport.objects.create(staff=staff, province=province, file_name=name[:255])
    job.file.save(f"{job.pk}{suffix}", upload, save=True)
    log_event(
        f"staff:{staff.pk}",
        "people.import_queued",
        target=f"legacy_import:{job.pk}",
        ip=ip,
        province=province,
        file=name,
    )
    transaction.on_commit(lambda: run_legacy_import.enqueue(job.pk))
    return job


@task(takes_context=True)
def run_legacy_import(context: TaskContext, import_id: int) -> None:
    """Load one queued import and keep its report; a second delivery of the task does nothing,
    but a second run of the same task (its worker died, or the database went away: attempt > 1)
    takes the import over and loads the file again, which changes nothing already loaded.
    The uploaded file (ID numbers, mobiles) is deleted from storage when the import ends."""
    now = timezone.now()
    states = [LegacyImportState.QUEUED] + ([LegacyImportState.RUNNING] if context.attempt > 1 else [])
    if not LegacyImport.objects.filter(pk=import_id, state__in=states).update(
        state=LegacyImportState.RUNNING, started_at=now
    ):
        return
    job = LegacyImport.objects.get(pk=import_id)
    try:
        with tempfile.TemporaryDirectory() as folder:
            # The importer reads a local path and tells CSV from XLSX by its suffix.
            path = Path(folder) / f"{Path(job.file_name).stem or 'import'}{Path(job.file.name or '').suffix}"
            with job.file.open("rb") as source, path.open("wb") as copy:
                shutil.copyfileobj(source, copy, 1 << 20)
            report = import_legacy_people(path, province=job.province)
    except DomainError as exc:  # the file cannot be read at all: nothing was written
        _fail(job, exc.message)
        return
    except (OperationalError, InterfaceError):
        raise  # the database went away: the worker runs the import again once it is back
    except Exception as exc:
        _fail(job, f"导入时发生系统错误（{type(exc).__name__}），请联系运维人员")
        raise
    LegacyImport.objects.filter(pk=job.pk).update(
        state=LegacyImportState.DONE,
        created=report.created,
        updated=report.updated,
        unchanged=report.unchanged,
        rejected=len(report.rejected),
        rejected_rows="\n".join(f"第{number}行：{reason}" for number, reason in report.rejected),
        warnings="\n".join(report.warnings),
        finished_at=timezone.now(),
    )
    log_event(
        f"staff:{job.staff_id}",
        "people.import_finished",
        target=f"legacy_import:{job.pk}",
        province=job.province,
        created=report.created,
        updated=report.updated,
        unchanged=report.unchanged,
        rejected=len(report.rejected),
    )
    _forget_file(job)


@receiver(task_finished)
def _fail_import_of_failed_task(sender: type, task_result: TaskResult, **kwargs: Any) -> None:
    """An import whose task the worker gave up on (its workers kept dying) shows as failed."""
    if task_result.status != "FAILED" or task_result.task.module_path != run_legacy_import.module_path:
        return
    job = LegacyImport.objects.filter(
        pk=task_result.args[0], state__in=[LegacyImportState.QUEUED, LegacyImportState.RUNNING]
    ).first()
    if job is not None:
        _fail(job, "导入多次中断，未能完成，请联系运维人员")


def _fail(job: LegacyImport, message: str) -> None:
    LegacyImport.objects.filter(pk=job.pk).update(
        state=LegacyImportState.FAILED, error=message, finished_at=timezone.now()
    )
    log_event(f"staff:{job.staff_id}", "people.import_failed", target=f"legacy_import:{job.pk}", error=message)
    _forget_file(job)


def _forget_file(job: LegacyImport) -> None:
    if job.file:
        job.file.delete(save=False)
        LegacyImport.objects.filter(pk=job.pk).update(file="")


def rejected_rows(job: LegacyImport) -> list[tuple[int, str]]:
    """The rejected rows as (row number in the file, reason)."""
    rows = []
    for line in job.rejected_rows.splitlines():
        if found := _REJECTED_LINE.match(line):
            rows.append((int(found.group(1)), found.group(2)))
    return rows


def rejected_rows_csv(job: LegacyImport) -> bytes:
    """The rejected rows as a CSV that Excel opens in Chinese (UTF-8 with BOM)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["行号", "原因"])
    writer.writerows(rejected_rows(job))
    return out.getvalue().encode("utf-8-sig")
