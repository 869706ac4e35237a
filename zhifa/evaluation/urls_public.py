"""Public pages of the evaluation app (surveys, published reports)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
