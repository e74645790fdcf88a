"""Excel export of a department subtree (导出): queued by a reviewer or administrator, written by
the background worker with xlsxwriter in constant-memory mode, rows streamed from the database
in chunks, progress saved as it goes; ID numbers and mobiles masked.

Each staff member may start EXPORTS_PER_HOUR exports an hour and have EXPORTS_AT_ONCE waiting;
a file is deleted EXPORT_RETENTION_DAYS after it was made. Every cell is written as text, so a
unit name such as `=HYPERLINK(…)` is never a live formula (docs/decisions/0019)."""

from __future__ import annotations

import datetime
import math
import tempfile
from pathlib import Path
from typing import Any

import xlsxwriter
from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import InterfaceError, OperationalError, transaction
from django.dispatch import receiver
from django.utils import timezone
from django_tasks import TaskResult, task
from django_tasks.signals import task_finished

from accreg.accounts.models import Staff, StaffRole
from accreg.accounts.sensitive import decrypt
from accreg.audit.services import log_event
from accreg.codelists.registry import code_list
from accreg.collection.models import RecordStatus
from accreg.errors import DomainError, ForbiddenError, NotFoundError, RateLimitedError
from accreg.provinces.loader import all_profiles

from . import roster as roster_columns
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
FOLDER = "exports"
WAITING = (ExportState.QUEUED, ExportState.RUNNING)
# Text cells only: xlsxwriter would otherwise turn "=…" into a formula and "http…" into a link.
WORKBOOK_OPTIONS = {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}


ROSTER_REASON_MIN = 5


def may_export_roster(staff: Staff) -> bool:
    """Only administrators (and superusers) export the roster with full ID numbers; reviewers' exports stay masked."""
    return staff.is_superuser or staff.role == StaffRole.ADMIN


@transaction.atomic
def start_export(
    staff: Staff,
    *,
    department: str = "",
    status: str = "",
    roster: bool = False,
    reason: str = "",
    ip: str | None,
) -> Export:
    """Queue an export of a department subtree (导出), within the staff member's limits (429 past
    them). `roster` asks for the official roster (正式名册: full ID numbers, every section), which
    only an administrator may ask for, with a reason of at least ROSTER_REASON_MIN characters; the
    reason is audited and printed on the file. Not safe to repeat: each call queues one more.
    Locks the staff row to count."""
    if status and status not in RecordStatus.values:
        msg = "状态只能是 draft、pending、approved 或 returned"
        raise DomainError("invalid", msg, fields={"status": [msg]})
    reason = " ".join(reason.split())
    if roster:
        if not may_export_roster(staff):
            raise ForbiddenError(
                "roster_admins_only", "只有管理员可以导出含完整证件号码的正式名册；审核人员导出的证件号码为脱敏显示"
            )
        if len(reason) < ROSTER_REASON_MIN:
            msg = f"请说明导出正式名册的事由（至少{ROSTER_REASON_MIN}个字），事由将记入审计日志并印在文件上"
            raise DomainError("invalid", msg, fields={"reason": [msg]})
        if len(reason) > 200:
            msg = "导出事由请不超过200个字"
            raise DomainError("invalid", msg, fields={"reason": [msg]})
    scope = scoped_department(staff, department)
    _check_export_limits(staff)
    export = Export.objects.create(
        staff=staff, department=scope, status=status, roster=roster, reason=reason if roster else ""
    )
    details: dict[str, Any] = {"department": scope.code if scope else "", "status": status}
    if roster:
        details["reason"] = reason
    log_event(
        f"staff:{staff.pk}",
        "review.roster_exported" if roster else "review.exported",
        target=f"export:{export.pk}",
        ip=ip,
        **details,
    )
    transaction.on_commit(lambda: write_export.enqueue(export.pk))
    return export


def _check_export_limits(staff: Staff) -> None:
    list(Staff.objects.select_for_update().filter(pk=staff.pk).values_list("pk"))  # one count at a time per person
    now = timezone.now()
    mine = Export.objects.filter(staff=staff)
    # An export stuck for a day (its task given up) no longer holds its author up.
    waiting = mine.filter(state__in=WAITING, created_at__gte=now - datetime.timedelta(days=1)).count()
    if waiting >= settings.EXPORTS_AT_ONCE:
        raise RateLimitedError(
            "too_many_exports", f"您已有 {waiting} 个导出正在生成，请等它们完成后再导出", retry_after=60
        )
    hour = datetime.timedelta(hours=1)
    recent = list(
        mine.filter(created_at__gte=now - hour)
        .order_by("-created_at")
        .values_list("created_at", flat=True)[: settings.EXPORTS_PER_HOUR]
    )
    if len(recent) >= settings.EXPORTS_PER_HOUR:
        wait = (recent[-1] + hour - now).total_seconds()
        raise RateLimitedError(
            "too_many_exports",
            f"导出过于频繁：每人每小时最多导出 {settings.EXPORTS_PER_HOUR} 次，请 {math.ceil(wait / 60)} 分钟后再试",
            retry_after=math.ceil(wait),
        )


def export_of(staff: Staff, export_id: int) -> Export:
    export = Export.objects.filter(pk=export_id, staff=staff).first()
    if export is None:
        raise NotFoundError("not_found", "没有这个导出任务")
    return export


def export_out(export: Export) -> dict[str, Any]:
    out: dict[str, Any] = {"id": export.pk, "state": export.state, "rows": export.rows, "roster": export.roster}
    if export.state == ExportState.DONE and export.file:
        out["url"] = f"/api/v1/review/exports/{export.pk}/file"
        out["expires_at"] = export.expires_at.isoformat() if export.expires_at else None
    if export.file_deleted_at:
        out["file_deleted_at"] = export.file_deleted_at.isoformat()
    if export.state == ExportState.FAILED:
        out["error"] = export.error
    return out


def _labels(name: str) -> dict[str, str]:
    return {item.code: item.label for item in code_list(name).items}


def expired_message() -> str:
    return f"导出文件只保留 {settings.EXPORT_RETENTION_DAYS} 天，已删除，请重新导出"


@task()
def write_export(export_id: int) -> None:
    """Write a queued export's file. Safe to run twice: a finished or failed export is left as it
    is, and a run after a killed one writes the file again under the same name (one file kept)."""
    if not Export.objects.filter(pk=export_id, state__in=WAITING).update(state=ExportState.RUNNING, rows=0):
        return
    export = Export.objects.select_related("staff", "department").get(pk=export_id)
    try:
        rows = _write(export)
    except (OperationalError, InterfaceError):
        raise  # the database went away: the worker runs the export again once it is back
    except Exception as exc:
        Export.objects.filter(pk=export.pk).update(state=ExportState.FAILED, error=type(exc).__name__)
        raise
    with transaction.atomic():
        finished = Export.objects.filter(pk=export.pk, state=ExportState.RUNNING).update(
            state=ExportState.DONE, rows=rows, finished_at=timezone.now()
        )
        if finished and export.roster:
            log_event(
                f"staff:{export.staff_id}",
                "review.roster_written",
                target=f"export:{export.pk}",
                ip=None,
                rows=rows,
                reason=export.reason,
            )


@receiver(task_finished)
def _fail_export_of_failed_task(sender: type, task_result: TaskResult, **kwargs: Any) -> None:
    """An export whose task the worker gave up on (its workers kept dying) shows as failed, not as running forever."""
    if task_result.status != "FAILED" or task_result.task.module_path != write_export.module_path:
        return
    error = task_result.errors[-1].exception_class_path.rsplit(".", 1)[-1] if task_result.errors else "TaskFailed"
    Export.objects.filter(pk=task_result.args[0], state__in=WAITING).update(state=ExportState.FAILED, error=error)


def delete_expired_exports() -> int:
    """Worker housekeeping: delete the files of exports made more than EXPORT_RETENTION_DAYS ago
    (the rows stay, for the audit), and any file in the exports folder no export points to that is
    as old (left by a killed run). Safe to run at any time, by any number of workers."""
    now = timezone.now()
    cutoff = now - datetime.timedelta(days=settings.EXPORT_RETENTION_DAYS)
    deleted = 0
    for export in Export.objects.filter(state=ExportState.DONE, finished_at__lt=cutoff).exclude(file=""):
        export.file.delete(save=False)
        deleted += Export.objects.filter(pk=export.pk).update(file="", file_deleted_at=now)
    try:
        _, names = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return deleted
    kept = set(Export.objects.exclude(file="").values_list("file", flat=True))
    for name in names:
        path = f"{FOLDER}/{name}"
        if path not in kept and default_storage.get_modified_time(path) < cutoff:
            default_storage.delete(path)
            deleted += 1
    return deleted


def download_name(export: Export) -> str:
    return f"会计人员名册-{export.pk}.xlsx" if export.roster else f"会计人员-{export.pk}.xlsx"


def record_download(export: Export, *, ip: str | None) -> None:
    """Each download of a roster (full ID numbers) is audited, as its making was."""
    if export.roster:
        log_event(f"staff:{export.staff_id}", "review.roster_downloaded", target=f"export:{export.pk}", ip=ip)


def _records(export: Export) -> Any:
    records = records_in(export.staff, export.department)
    if export.status:
        records = records.filter(status=export.status)
    return records


def _store(export: Export, path: Path) -> None:
    # The same name every run: a file left by a run killed before it finished is replaced, not kept beside.
    for earlier in {export.file.name or "", f"{FOLDER}/{path.name}"} - {""}:
        default_storage.delete(earlier)
    with path.open("rb") as handle:
        export.file.save(path.name, File(handle), save=False)
    Export.objects.filter(pk=export.pk).update(file=export.file.name)


def _write(export: Export) -> int:
    if export.roster:
        return _write_roster(export)
    records = _records(export)
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
        workbook = xlsxwriter.Workbook(str(path), {**WORKBOOK_OPTIONS, "tmpdir": folder})
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
        _store(export, path)
    return count


def _roster_mark(export: Export) -> str:
    expires = timezone.localtime(timezone.now() + datetime.timedelta(days=settings.EXPORT_RETENTION_DAYS))
    return roster_columns.MARK.format(purpose=f"“{export.reason}”", expires=expires.strftime("%Y-%m-%d"))


def _write_roster(export: Export) -> int:
    """The official roster: full ID numbers and mobiles, every section's fields, marked on every
    sheet and printed page with who exported it, when and why."""
    rows = (
        _records(export)
        .order_by("pk")
        .values_list(
            "person__name",
            "person__id_type",
            "person__id_number_encrypted",
            "person__mobile_encrypted",
            "person__province",
            "status",
            "department__name",
            "updated_at",
            "sections",
            "archive__snapshot",
        )
    )
    shower = roster_columns.Shower()
    id_types = roster_columns.id_type_labels()
    statuses = dict(RecordStatus.choices)
    provinces = {code: p.name for code, p in all_profiles().items()}
    mark = _roster_mark(export)
    who = export.staff.get_full_name() or export.staff.username
    made = timezone.localtime(export.created_at).strftime("%Y-%m-%d %H:%M")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"export-{export.pk}.xlsx"
        workbook = xlsxwriter.Workbook(str(path), {**WORKBOOK_OPTIONS, "tmpdir": folder})
        workbook.set_properties(
            {"title": "会计人员正式名册", "subject": mark, "author": who, "comments": f"导出事由：{export.reason}"}
        )
        about = workbook.add_worksheet("说明")
        for i, line in enumerate(
            (
                "会计人员正式名册（含完整证件号码）",
                mark,
                f"导出人：{who}（{export.staff.username}）",
                f"导出时间：{made}",
                f"导出事由：{export.reason}",
                f"范围：{export.department.name if export.department else '全部部门'}（含下级）"
                + (f"，状态：{statuses.get(export.status, export.status)}" if export.status else ""),
            )
        ):
            about.write_string(i, 0, line)
        sheet = workbook.add_worksheet("会计人员名册")
        sheet.set_header(f"&L正式名册 仅限工作使用 不得外传&R导出人 {export.staff.username} {made}")
        sheet.set_footer("&L" + mark.replace("&", "&&") + "&R第 &P 页，共 &N 页")
        sheet.write_row(0, 0, roster_columns.HEADER)
        count = 0
        for row in rows.iterator(chunk_size=1000):
            name, id_type, id_enc, mobile_enc, province, status, dept, updated, sections, snapshot = row
            archived = isinstance(snapshot, dict) and isinstance(snapshot.get("sections"), dict)
            shown = snapshot["sections"] if archived else (sections or {})
            count += 1
            sheet.write_row(
                count,
                0,
                (
                    name,
                    id_types.get(id_type, id_type),
                    decrypt(id_enc),
                    decrypt(mobile_enc) if mobile_enc else "",
                    provinces.get(province, province),
                    statuses.get(status, status),
                    dept or "",
                    roster_columns.FROM_ARCHIVE if archived else roster_columns.FROM_RECORD,
                    timezone.localtime(updated).strftime("%Y-%m-%d %H:%M"),
                    *roster_columns.section_cells(shown, shower, province=province),
                ),
            )
            if count % PROGRESS_EVERY == 0:
                Export.objects.filter(pk=export.pk).update(rows=count)
        about.write_string(6, 0, f"人数：{count}")
        workbook.close()
        _store(export, path)
    return count
