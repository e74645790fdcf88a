"""Staff accounts in Django admin: administrators manage reviewers and administrators below them."""

from __future__ import annotations

from typing import Any

import pyotp
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db.models import ForeignKey
from django.forms import ModelChoiceField
from django.http import HttpRequest

from accreg.regions.models import Department
from accreg.regions.selectors import department_subtree

from .admin_scope import ScopedAdmin
from .models import Staff


@admin.register(Staff)
class StaffAdmin(ScopedAdmin, UserAdmin):
    list_display = ("username", "role", "department", "is_active", "last_login")
    list_filter = ("role", "is_active")
    search_fields = ("username", "first_name", "last_name", "department__name")
    ordering = ("department__path", "username")
    autocomplete_fields = ()

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
