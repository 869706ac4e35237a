"""Public pages of the search index, to be mounted at /public/ (before the registry's)."""

from django.urls import path

from zhifa.registry.web import public_cache

from . import views
from .feeds import AgencyDecisionsFeed

urlpatterns = [
    path("search/", views.search, name="public_search"),
    path("search.csv", views.search_csv, name="public_search_csv"),
    path("statistics/", views.statistics, name="public_statistics"),
    path(
        "agencies/<int:agency_id>/decisions.atom",
        public_cache(AgencyDecisionsFeed()),
        name="public_agency_feed",
    ),
]
