"""The public portal before enforcement (事前公开), mounted at /public/: no login."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
