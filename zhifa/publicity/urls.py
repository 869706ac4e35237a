"""Public decision pages (事后公开), mounted at /public/decisions/."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
