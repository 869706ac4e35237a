from django.urls import URLPattern, path

from . import views_tables

urlpatterns: list[URLPattern] = [
    path("catalogue/", views_tables.statistics_catalogue, name="statistics_catalogue"),
    path("tables/", views_tables.statistics_tables, name="statistics_tables"),
    path("tables/<slug:code>/", views_tables.statistics_table, name="statistics_table"),
    path(
        "tables/<slug:code>/columns/",
        views_tables.statistics_table_columns,
        name="statistics_table_columns",
    ),
    path(
        "tables/<slug:code>/active/",
        views_tables.statistics_table_active,
        name="statistics_table_active",
    ),
]
