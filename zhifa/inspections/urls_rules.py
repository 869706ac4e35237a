"""The rules part's pages: caps and quiet periods, and the supervisor's pages."""

from django.urls import URLPattern, path

from . import views_rules as v

urlpatterns: list[URLPattern] = [
    path("rules/caps/", v.cap_list, name="inspections_caps"),
    path("rules/caps/new/", v.cap_new, name="inspections_cap_new"),
    path("rules/caps/end/", v.cap_end, name="inspections_cap_end"),
    path("rules/quiet-periods/", v.quiet_list, name="inspections_quiet_periods"),
    path("rules/quiet-periods/new/", v.quiet_new, name="inspections_quiet_period_new"),
    path("rules/quiet-periods/end/", v.quiet_end, name="inspections_quiet_period_end"),
    path("supervision/caps/", v.supervision_caps, name="inspections_supervision_caps"),
    path(
        "supervision/quiet-exceptions/", v.supervision_quiet, name="inspections_supervision_quiet"
    ),
    path("supervision/warnings/", v.supervision_warnings, name="inspections_supervision_warnings"),
]
