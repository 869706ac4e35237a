"""Public pages of the statistics app (mounted at /public/statistics/): each part's module."""

from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("zhifa.statistics.urls_public_publication")),
]
