from django.urls import path

from . import views

app_name = "devidp"
urlpatterns = [
    path(".well-known/openid-configuration", views.configuration, name="configuration"),
    path("authorize", views.authorize, name="authorize"),
    path("token", views.token, name="token"),
    path("jwks", views.jwks, name="jwks"),
]
