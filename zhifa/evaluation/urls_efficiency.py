"""efficiency pages of the evaluation app: 效能评价 schemes, results, reports, surveys, imports."""

from django.urls import URLPattern, URLResolver, path

from . import views_efficiency as v

urlpatterns: list[URLPattern | URLResolver] = [
    path("efficiency/", v.efficiency_home, name="evaluation_efficiency"),
    path("efficiency/<int:pk>/", v.efficiency_scheme, name="evaluation_efficiency_scheme"),
    path(
        "efficiency/<int:pk>/indicators/",
        v.efficiency_indicators,
        name="evaluation_efficiency_indicators",
    ),
    path(
        "efficiency/<int:pk>/compute/", v.efficiency_compute, name="evaluation_efficiency_compute"
    ),
    path(
        "efficiency/<int:pk>/publish/", v.efficiency_publish, name="evaluation_efficiency_publish"
    ),
    path(
        "efficiency/<int:pk>/report/<str:fmt>/",
        v.efficiency_report,
        name="evaluation_efficiency_report",
    ),
    path(
        "efficiency/results/<int:pk>/",
        v.efficiency_result,
        name="evaluation_efficiency_result",
    ),
    path(
        "efficiency/results/<int:pk>/report/<str:fmt>/",
        v.efficiency_result_report,
        name="evaluation_efficiency_result_report",
    ),
    path(
        "efficiency/results/<int:pk>/behind/<str:source>/",
        v.efficiency_behind,
        name="evaluation_efficiency_behind",
    ),
    path("efficiency/surveys/", v.efficiency_surveys, name="evaluation_efficiency_surveys"),
    path("efficiency/surveys/import/", v.efficiency_import, name="evaluation_efficiency_import"),
    path("efficiency/surveys/<int:pk>/", v.efficiency_survey, name="evaluation_efficiency_survey"),
    path(
        "efficiency/surveys/<int:pk>/tokens/<str:fmt>/",
        v.efficiency_survey_tokens,
        name="evaluation_efficiency_survey_tokens",
    ),
]
