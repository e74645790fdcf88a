"""URL map: the JSON API under /api/, Django admin for administrators, the portals' pages."""

from django.contrib import admin
from django.urls import include, path, re_path

from accreg.accounts.admin_login import StaffAdminLoginForm
from accreg.api.main import api, unknown_path

admin.site.site_header = "会计人员管理后台"
admin.site.site_title = "管理后台"
admin.site.index_title = "管理"
admin.site.login_form = StaffAdminLoginForm

urlpatterns = [
    path("api/", api.urls),
    re_path(r"^api/(?P<path>.*)$", unknown_path),  # after the API's own paths: JSON 404, not HTML
    path("admin/", admin.site.urls),
    path("review/id-claims/", include("accreg.claims.urls")),
    path("review/", include("accreg.review.urls")),  # before the portals: "review" is not a province
    path("review/", include("accreg.desk.urls")),  # the department's desk: people/, corrections/
    path("", include("accreg.portal.urls")),
]
