"""Legacy imports in Django admin (原有人员导入): upload a province's archive, then read the report
with each rejected row and why, or download the rejected rows as CSV."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse

from accreg.audit.services import client_ip, log_event
from accreg.errors import DomainError
from accreg.provinces.loader import all_profiles, served_profiles

from .legacy_import import OPTIONAL_COLUMNS, REQUIRED_COLUMNS
from .legacy_import_jobs import (
    import_province_of,
    may_import,
    rejected_rows,
    rejected_rows_csv,
    start_legacy_import,
    visible_imports,
)
from .models import LegacyImport, LegacyImportState

REPORT_ROWS_SHOWN = 500


class LegacyImportForm(forms.Form):
    province = forms.ChoiceField(label="省份")
    file = forms.FileField(
        label="文件",
        help_text=(
            "CSV（UTF-8 或 GB18030 编码）或 XLSX，第1行为表头。必需的列："
            + "、".join(REQUIRED_COLUMNS)
            + "；可选的列："
            + "、".join(OPTIONAL_COLUMNS)
            + "。同一文件可重复导入，已导入的人员不会重复新增。"
        ),
    )

    def __init__(self, *args: Any, provinces: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = provinces  # type: ignore[attr-defined]


@admin.register(LegacyImport)
class LegacyImportAdmin(admin.ModelAdmin):
    list_display = (
        "file_name",
        "province_name",
        "state",
        "created",
        "updated",
        "unchanged",
        "rejected",
        "staff",
        "uploaded_at",
    )
    list_filter = ("state",)
    search_fields = ("file_name",)
    date_hierarchy = "uploaded_at"

    @admin.display(description="省份")
    def province_name(self, job: LegacyImport) -> str:
        profile = all_profiles().get(job.province)
        return profile.name if profile else job.province

    # Who may do what: province-level administrators for their province, superusers for all.

    def has_module_permission(self, request: HttpRequest) -> bool:
        return may_import(request.user)  # type: ignore[arg-type]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may_import(request.user)  # type: ignore[arg-type]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return may_import(request.user)  # type: ignore[arg-type]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a report is what happened; it is never edited

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> Any:
        return visible_imports(request.user)  # type: ignore[arg-type]

    def get_urls(self) -> list[URLPattern]:
        download = path(
            "<path:object_id>/rejected.csv",
            self.admin_site.admin_view(self.rejected_csv_view),
            name="accounts_legacyimport_rejected_csv",
        )
        return [download, *super().get_urls()]

    # Pages.

    def _provinces(self, request: HttpRequest) -> list[tuple[str, str]]:
        if request.user.is_superuser:
            return [(p.code, p.name) for p in served_profiles().values()]
        mine = import_province_of(request.user)  # type: ignore[arg-type]
        return [(p.code, p.name) for p in served_profiles().values() if p.code == mine]

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context: Any = None) -> HttpResponse:
        if not self.has_add_permission(request):
            raise Http404
        provinces = self._provinces(request)
        form = LegacyImportForm(request.POST or None, request.FILES or None, provinces=provinces)
        if request.method == "POST" and form.is_valid():
            try:
                job = start_legacy_import(
                    request.user,  # type: ignore[arg-type]
                    upload=form.cleaned_data["file"],
                    province=form.cleaned_data["province"],
                    ip=client_ip(request),
                )
            except DomainError as exc:
                for field, problems in (exc.fields or {"file": [exc.message]}).items():
                    for problem in problems:
                        form.add_error(field if field in form.fields else None, problem)
            else:
                self.message_user(
                    request, f"文件“{job.file_name}”已上传，正在后台导入，完成后本页显示结果。", messages.SUCCESS
                )
                return HttpResponseRedirect(reverse("admin:accounts_legacyimport_change", args=[job.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": "导入原有会计人员",
            "opts": self.opts,
            "form": form,
        }
        return TemplateResponse(request, "accounts/admin/legacy_import_form.html", context)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        job = self.get_object(request, unquote(object_id))
        if job is None or not self.has_view_permission(request, job):
            raise Http404
        rows = rejected_rows(job)
        context = {
            **self.admin_site.each_context(request),
            "title": f"导入结果：{job.file_name}",
            "opts": self.opts,
            "job": job,
            "province_name": self.province_name(job),
            "in_progress": job.state in (LegacyImportState.QUEUED, LegacyImportState.RUNNING),
            "rows_shown": rows[:REPORT_ROWS_SHOWN],
            "rows_hidden": max(0, len(rows) - REPORT_ROWS_SHOWN),
            "warnings": job.warnings.splitlines(),
        }
        return TemplateResponse(request, "accounts/admin/legacy_import_report.html", context)

    def rejected_csv_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        job = self.get_object(request, unquote(object_id))
        if job is None or not self.has_view_permission(request, job):
            raise Http404
        log_event(
            f"staff:{request.user.pk}",
            "people.import_rejected_downloaded",
            target=f"legacy_import:{job.pk}",
            ip=client_ip(request),
        )
        response = HttpResponse(rejected_rows_csv(job), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="rejected-rows-{job.pk}.csv"'
        response["Cache-Control"] = "no-store"
        return response
