"""The public's anonymous satisfaction survey (a survey's key or a printed token's code)."""

from django.urls import URLPattern, URLResolver, path

from . import views_efficiency as v

urlpatterns: list[URLPattern | URLResolver] = [
    path("surveys/<str:key>/", v.survey_public, name="evaluation_survey_public"),
    path("surveys/<str:key>/code/", v.survey_public_code, name="evaluation_survey_public_code"),
]
