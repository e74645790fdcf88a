"""The audit log in Django admin: read-only and searchable. Superusers see everything; a
department's administrators see what the staff of their subtree did (decisions, reveals, exports,
sign-ins)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from accreg.accounts.models import Staff
from accreg.regions.jurisdiction import within_jurisdiction

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "actor", "action", "target", "ip")
    list_filter = ("action",)
    search_fields = ("actor", "action", "target", "ip")
    date_hierarchy = "at"
    readonly_fields = ("at", "actor", "action", "target", "ip", "details")

    def has_module_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and (user.is_superuser or getattr(user, "is_admin", False)))

    def get_queryset(self, request: HttpRequest) -> QuerySet[AuditEvent]:
        events = super().get_queryset(request)
        user = request.user
        if user.is_superuser:
            return events
        staff = within_jurisdiction(Staff.objects.all(), user)  # type: ignore[arg-type]
        return events.filter(actor__in=[f"staff:{pk}" for pk in staff.values_list("pk", flat=True)])

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
