from django.urls import URLPattern, path

from . import views_codes

urlpatterns: list[URLPattern] = [
    path(
        "code/<str:code>/visit/",
        views_codes.inspection_code_visit,
        name="inspections_code_visit",
    ),
    path("ratings/", views_codes.ratings_agency, name="inspections_ratings"),
    path("ratings/region/", views_codes.ratings_region, name="inspections_ratings_region"),
]
