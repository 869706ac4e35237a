"""The publisher's pages (公示管理), mounted at /publish/."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
