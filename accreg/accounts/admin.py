"""Staff accounts in Django admin: administrators manage reviewers and administrators below them."""

from __future__ import annotations

from typing import Any

import pyotp
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.db.models import ForeignKey, QuerySet
from django.forms import ModelChoiceField
from django.http import HttpRequest
from django.template.response import TemplateResponse

from accreg.audit.services import client_ip
from accreg.regions.models import Department
from accreg.regions.selectors import department_subtree

from . import import_admin  # noqa: F401  (registers the legacy import pages)
from .admin_scope import ScopedAdmin
from .models import Staff
from .services.staff_access import AccessChange, disable_staff, enable_staff, reset_staff_otp


def _report(admin_: admin.ModelAdmin, request: HttpRequest, change: AccessChange, done: str) -> None:
    if change.changed:
        names = "、".join(member.username for member in change.changed)
        admin_.message_user(request, f"已{done} {len(change.changed)} 个账号：{names}", messages.SUCCESS)
    for member, why in change.skipped:
        admin_.message_user(request, f"账号 {member.username}：{why}", messages.WARNING)


@admin.register(Staff)
class StaffAdmin(ScopedAdmin, UserAdmin):
    list_display = ("username", "role", "department", "is_active", "last_login")
    list_filter = ("role", "is_active")
    search_fields = ("username", "first_name", "last_name", "department__name")
    ordering = ("department__path", "username")
    autocomplete_fields = ()
    actions = ("disable_selected", "enable_selected", "reset_otp_of_selected")

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ((None, {"fields": ("username", "password1", "password2", "role", "department")}),)
        fieldsets: list[Any] = [
            (None, {"fields": ("username", "password")}),
            ("个人信息", {"fields": ("last_name", "first_name", "email")}),
            ("岗位", {"fields": ("role", "department", "is_active")}),
            ("时间", {"fields": ("last_login", "date_joined")}),
        ]
        if request.user.is_superuser:
            fieldsets.append(("超级管理员", {"fields": ("is_staff", "is_superuser")}))
        return fieldsets

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and obj.pk == request.user.pk:  # nobody locks themself out, nor changes their own scope
            return ("last_login", "date_joined", "is_active", "role", "department")
        return ("last_login", "date_joined")

    def formfield_for_foreignkey(
        self, db_field: ForeignKey, request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField | None:
        if db_field.name == "department" and not request.user.is_superuser:
            own = request.user.department  # type: ignore[union-attr]
            kwargs["queryset"] = department_subtree(own) if own else Department.objects.none()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Staff, form: Any, change: bool) -> None:
        obj.is_staff = obj.is_admin or obj.is_superuser  # only administrators reach this admin
        if not obj.otp_secret:
            obj.otp_secret = pyotp.random_base32()
        super().save_model(request, obj, form, change)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # staff are disabled, never deleted: the audit log names them
        return actions

    @admin.action(description="停用所选账号")
    def disable_selected(self, request: HttpRequest, queryset: QuerySet[Staff]) -> None:
        change = disable_staff(request.user, staff=queryset, ip=client_ip(request))  # type: ignore[arg-type]
        _report(self, request, change, "停用")

    @admin.action(description="启用所选账号")
    def enable_selected(self, request: HttpRequest, queryset: QuerySet[Staff]) -> None:
        change = enable_staff(request.user, staff=queryset, ip=client_ip(request))  # type: ignore[arg-type]
        _report(self, request, change, "启用")

    @admin.action(description="重置所选账号的动态口令")
    def reset_otp_of_selected(self, request: HttpRequest, queryset: QuerySet[Staff]) -> TemplateResponse:
        """The new secrets are shown on this one page (not in a message, which would be kept in the
        session) for the administrator to pass on; sign-in has no enrollment step of its own."""
        secrets = reset_staff_otp(request.user, staff=queryset, ip=client_ip(request))  # type: ignore[arg-type]
        context = {
            **self.admin_site.each_context(request),
            "title": "动态口令已重置",
            "opts": self.opts,
            "secrets": secrets,
        }
        response = TemplateResponse(request, "accounts/admin/otp_reset.html", context)
        response["Cache-Control"] = "no-store"
        return response
