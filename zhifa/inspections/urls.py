"""Officers', heads' and supervisors' pages under /inspections/; each part keeps its own module."""

from django.urls import include, path

urlpatterns = [
    path("", include("zhifa.inspections.urls_core")),
    path("", include("zhifa.inspections.urls_directory")),
    path("", include("zhifa.inspections.urls_draws")),
    path("", include("zhifa.inspections.urls_rules")),
    path("", include("zhifa.inspections.urls_codes")),
]
