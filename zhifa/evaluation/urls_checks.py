"""checks pages of the evaluation app: the record checks and their override report per
template, and one case's 系统预评."""

from django.urls import URLPattern, URLResolver, path

from . import views_checks

urlpatterns: list[URLPattern | URLResolver] = [
    path("checks/", views_checks.checks_index, name="evaluation_checks"),
    path(
        "checks/cases/<int:case_id>/",
        views_checks.case_findings,
        name="evaluation_case_findings",
    ),
]
