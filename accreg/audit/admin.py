"""The audit log in Django admin: read-only and searchable. Superusers see everything; a
department's administrators see what the staff of their subtree did (decisions, reveals, exports,
sign-ins)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.db.models import QuerySet
from django.http import HttpRequest

from accreg.accounts.models import Staff
from accreg.regions.jurisdiction import within_jurisdiction

from .labels import action_label, party_label, party_names
from .models import AuditEvent


class ActionFilter(admin.SimpleListFilter):
    title = "操作"
    parameter_name = "action"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        actions = model_admin.get_queryset(request).order_by().values_list("action", flat=True).distinct()
        return sorted(((a, action_label(a)) for a in actions), key=lambda pair: pair[1])

    def queryset(self, request: HttpRequest, queryset: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
        return queryset.filter(action=self.value()) if self.value() else queryset


class NamedChangeList(ChangeList):
    """Looks up the names of everyone on the page at once (two queries, not two per row)."""

    def get_results(self, request: HttpRequest) -> None:
        super().get_results(request)
        events = list(self.result_list)
        names = party_names([e.actor for e in events] + [e.target for e in events])
        for event in events:
            event.names = names  # type: ignore[attr-defined]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "who", "what", "on_what", "ip")
    list_filter = (ActionFilter,)
    search_fields = ("actor", "action", "target", "ip")
    date_hierarchy = "at"
    readonly_fields = ("at", "actor", "action", "target", "ip", "details")

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return NamedChangeList

    @admin.display(description="操作人", ordering="actor")
    def who(self, event: AuditEvent) -> str:
        return party_label(event.actor, getattr(event, "names", None) or party_names([event.actor]))

    @admin.display(description="操作", ordering="action")
    def what(self, event: AuditEvent) -> str:
        return action_label(event.action)

    @admin.display(description="对象", ordering="target")
    def on_what(self, event: AuditEvent) -> str:
        return party_label(event.target, getattr(event, "names", None) or party_names([event.target]))

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
