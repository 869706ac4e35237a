"""Supervisors', reviewers' and agencies' pages under /evaluation/; each part keeps its module."""

from django.urls import include, path

urlpatterns = [
    path("", include("zhifa.evaluation.urls_core")),
    path("", include("zhifa.evaluation.urls_templates")),
    path("", include("zhifa.evaluation.urls_checks")),
    path("", include("zhifa.evaluation.urls_campaigns")),
    path("", include("zhifa.evaluation.urls_outcomes")),
    path("", include("zhifa.evaluation.urls_efficiency")),
]
