"""The statistics pages under /statistics/; each part keeps its module."""

from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("zhifa.statistics.urls_tables")),
    path("", include("zhifa.statistics.urls_filings")),
    path("", include("zhifa.statistics.urls_publication")),
]
