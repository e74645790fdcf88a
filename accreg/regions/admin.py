"""Departments in Django admin: administrators keep their subtree's contact details current."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from accreg.accounts.admin_scope import ScopedAdmin, is_administrator

from .models import Department, Region


@admin.register(Department)
class DepartmentAdmin(ScopedAdmin):
    scope_via = ""
    list_display = ("code", "name", "level", "address", "phone")
    list_filter = ("level",)
    search_fields = ("code", "name")
    fields = ("code", "name", "level", "parent", "directory_name", "address", "phone", "directory_source")
    readonly_fields = ("code", "name", "level", "parent")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # departments follow the divisions; see docs/adding-a-province.md


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_administrator(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_administrator(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
