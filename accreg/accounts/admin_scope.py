"""Django admin for administrators (管理员), limited to their department's subtree.

Permissions come from the staff role, not Django's per-model permission table: an administrator
manages what lies under their department and nothing else; a reviewer has no admin access.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from accreg.regions.jurisdiction import within_jurisdiction


def is_administrator(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and (user.is_superuser or getattr(user, "is_admin", False)))


class ScopedAdmin(admin.ModelAdmin):
    """A ModelAdmin whose rows are filtered by the jurisdiction helper (`scope_via` names the path
    to the department; "" when the model is the department itself)."""

    scope_via = "department"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return within_jurisdiction(super().get_queryset(request), request.user, via=self.scope_via)  # type: ignore[arg-type]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_administrator(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_administrator(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_administrator(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_administrator(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)
