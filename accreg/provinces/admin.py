"""Adds the read-only page of the rules in force (/admin/rules/) to Django admin, with a link on
the index and in the side bar. The province rules have no model: they are files (provinces/*.toml)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import URLPattern, URLResolver, path, reverse

from accreg.accounts.admin_scope import is_administrator

from .admin_views import rules_in_force

_site_urls = admin.site.get_urls
_site_app_list = admin.site.get_app_list


def _get_urls() -> list[URLPattern | URLResolver]:
    return [path("rules/", admin.site.admin_view(rules_in_force), name="province_rules"), *_site_urls()]


def _get_app_list(request: HttpRequest, app_label: str | None = None) -> list[dict[str, Any]]:
    apps = _site_app_list(request, app_label)
    if app_label is None and is_administrator(request):
        url = reverse("admin:province_rules", current_app=admin.site.name)
        page = {
            "name": "各省现行规则（只读）",
            "object_name": "ProvinceRules",
            "admin_url": url,
            "add_url": None,
            "view_only": True,
            "perms": {"add": False, "change": False, "delete": False, "view": True},
        }
        apps.append(
            {"name": "省份规则", "app_label": "provinces", "app_url": url, "has_module_perms": True, "models": [page]}
        )
    return apps


admin.site.get_urls = _get_urls  # type: ignore[method-assign]
admin.site.get_app_list = _get_app_list  # type: ignore[method-assign]
