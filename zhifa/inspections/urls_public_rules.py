"""The rules part's public page: the caps and quiet periods in force, with their sources."""

from django.urls import URLPattern, path

from . import views_rules as v

urlpatterns: list[URLPattern] = [
    path("rules/", v.public_rules, name="inspections_public_rules"),
]
