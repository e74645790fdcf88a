"""Notices in Django admin: a province's administrators write their province's; superusers any,
including national ones (province left empty)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from accreg.audit.services import client_ip, log_event
from accreg.provinces.loader import all_profiles

from .models import Notice


def province_of(user: Any) -> str:
    """The province whose portal a staff member's department belongs to ("" for none)."""
    department = getattr(user, "department", None)
    if department is None:
        return ""
    return next((p.code for p in all_profiles().values() if p.region[:2] == department.region_id[:2]), "")


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ("title", "province", "kind", "published_at", "author")
    list_filter = ("kind", "province")
    search_fields = ("title", "body")
    date_hierarchy = "published_at"

    def has_module_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and (user.is_superuser or getattr(user, "is_admin", False)))

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Notice]:
        notices = super().get_queryset(request)
        return notices if request.user.is_superuser else notices.filter(province=province_of(request.user))

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        choices = [(p.code, p.name) for p in all_profiles().values()]
        if request.user.is_superuser:
            choices = [("", "全国（各门户共同显示）"), *choices]
        else:
            mine = province_of(request.user)
            choices = [c for c in choices if c[0] == mine]
        form.base_fields["province"] = forms.ChoiceField(label="省份", choices=choices)
        return form

    def save_model(self, request: HttpRequest, obj: Notice, form: Any, change: bool) -> None:
        if not request.user.is_superuser:
            obj.province = province_of(request.user)  # never another province's, whatever was posted
        if not change:
            obj.author = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)
        log_event(f"staff:{request.user.pk}", "notice.saved", target=f"notice:{obj.pk}", ip=client_ip(request))
