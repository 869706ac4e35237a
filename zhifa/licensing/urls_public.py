from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("<str:token>/", views.licence_verify, name="licence_verify"),
]
