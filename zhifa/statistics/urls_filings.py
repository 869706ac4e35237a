"""The filings' pages under /statistics/."""

from django.urls import URLPattern, URLResolver, path

from . import views_filings as v

urlpatterns: list[URLPattern | URLResolver] = [
    path("filings/", v.filing_list, name="statistics_filings"),
    path("filings/generate/", v.filing_generate, name="statistics_filing_generate"),
    path("filings/file/", v.filing_file, name="statistics_filing_file"),
    path("filings/template.xlsx", v.filing_template, name="statistics_filing_template"),
    path("filings/coverage/", v.filing_coverage, name="statistics_filing_coverage"),
    path("filings/<int:pk>/", v.filing_detail, name="statistics_filing"),
    path("filings/<int:pk>/json/", v.filing_export_json, name="statistics_filing_json"),
    path(
        "filings/<int:pk>/cases/<str:indicator>/",
        v.filing_cases,
        name="statistics_filing_cases",
    ),
    path(
        "filings/<int:pk>/<slug:action>/",
        v.filing_action,
        name="statistics_filing_action",
    ),
]
