"""The evaluation home page."""

from django.urls import URLPattern, URLResolver, path

from . import views_core as v

urlpatterns: list[URLPattern | URLResolver] = [
    path("", v.evaluation_home, name="evaluation_home"),
]
