"""Public pages under /public/inspections/ (no login): plans, draws, the inspection code page."""

from django.urls import include, path

from . import views_core

urlpatterns = [
    path("", views_core.public_home, name="inspections_public_home"),
    path("", include("zhifa.inspections.urls_public_directory")),
    path("", include("zhifa.inspections.urls_public_draws")),
    path("", include("zhifa.inspections.urls_public_rules")),
    path("", include("zhifa.inspections.urls_public_codes")),
]
