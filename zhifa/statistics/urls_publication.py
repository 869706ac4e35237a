"""年度数据公开, the agency's side (mounted at /statistics/): publishing an annual report."""

from django.urls import URLPattern, path

from . import views_publication as views

urlpatterns: list[URLPattern] = [
    path(
        "publication/filings/<int:pk>/publish/",
        views.filing_publish_view,
        name="statistics_filing_publish",
    ),
]
