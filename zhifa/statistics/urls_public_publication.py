"""年度数据公开 (mounted at /public/statistics/): no login."""

from django.urls import URLPattern, path

from . import views_publication as views

urlpatterns: list[URLPattern] = [
    path("annual/", views.public_index, name="statistics_public_index"),
    path(
        "annual/<int:year>/agency/<int:pk>/", views.public_agency, name="statistics_public_agency"
    ),
    path(
        "annual/<int:year>/agency/<int:pk>/download/<str:fmt>/",
        views.public_agency_download,
        name="statistics_public_agency_download",
    ),
    path(
        "annual/<int:year>/region/<str:code>/",
        views.public_region,
        name="statistics_public_region",
    ),
    path(
        "annual/<int:year>/region/<str:code>/download/<str:fmt>/",
        views.public_region_download,
        name="statistics_public_region_download",
    ),
]
