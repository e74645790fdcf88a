from django.urls import path

from . import console_views

app_name = "claims"
urlpatterns = [
    path("", console_views.claim_list, name="list"),
    path("<int:claim_id>/", console_views.claim_detail_page, name="detail"),
    path("<int:claim_id>/photos/<slug:kind>/", console_views.photo, name="photo"),
]
