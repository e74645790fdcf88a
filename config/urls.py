"""URL map: the JSON API under /api/, Django admin for administrators, the portals' pages."""

from django.contrib import admin
from django.urls import include, path

from accreg.api.main import api

admin.site.site_header = "会计人员信息采集与管理平台 · 管理后台"
admin.site.site_title = "管理后台"
admin.site.index_title = "管理"

urlpatterns = [
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    path("", include("accreg.portal.urls")),
]
