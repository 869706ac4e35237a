"""Public pages of the evaluation app (surveys, published reports)."""

from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("zhifa.evaluation.urls_public_efficiency")),
]
