from django.urls import path

from . import views

app_name = "review"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("login/", views.sign_in, name="login"),
    path("logout/", views.sign_out, name="logout"),
    path("submissions/<int:submission_id>/", views.detail, name="detail"),
    path("statistics/", views.statistics_page, name="statistics"),
    path("exports/", views.export_page, name="export_start"),
    path("exports/<int:export_id>/", views.export_page, name="export"),
    path("exports/<int:export_id>/file", views.export_file, name="export_file"),
    path("submissions/<int:submission_id>/materials/<slug:kind>/<int:item>/", views.material, name="material"),
]
