from django.urls import path

from . import views

app_name = "desk"
urlpatterns = [
    path("people/", views.people, name="people"),
    path("people/<int:person_id>/", views.person, name="person"),
    path("corrections/", views.corrections, name="corrections"),
]
