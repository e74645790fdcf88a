from django.urls import path

from . import views

app_name = "review"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("login/", views.sign_in, name="login"),
    path("logout/", views.sign_out, name="logout"),
    path("submissions/<int:submission_id>/", views.detail, name="detail"),
    path("submissions/<int:submission_id>/materials/<slug:kind>/<int:item>/", views.material, name="material"),
]
