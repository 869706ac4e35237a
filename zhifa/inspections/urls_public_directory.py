"""Public pages of the directory part under /public/inspections/: the published plans."""

from django.urls import URLPattern, path

from . import views_directory as v

urlpatterns: list[URLPattern] = [
    path("plans/", v.public_plan_list, name="inspections_public_plan_list"),
    path("plans/<int:pk>/", v.public_plan_detail, name="inspections_public_plan_detail"),
]
