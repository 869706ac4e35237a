"""outcomes pages of the evaluation app: reports, 复评, feedback, objections, the overall report
and 通报, consequences and the accountability register (责任追究)."""

from django.urls import URLPattern, URLResolver, path

from . import views_outcomes as views

urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "campaigns/<int:pk>/outcomes/",
        views.campaign_outcomes,
        name="evaluation_campaign_outcomes",
    ),
    path(
        "campaigns/<int:pk>/outcomes/team-report/",
        views.campaign_report_team,
        name="evaluation_campaign_report_team",
    ),
    path(
        "campaigns/<int:pk>/outcomes/feedback/",
        views.campaign_feedback,
        name="evaluation_campaign_feedback",
    ),
    path(
        "campaigns/<int:pk>/outcomes/close/",
        views.campaign_close,
        name="evaluation_campaign_close",
    ),
    path("files/<int:pk>/recheck/", views.file_recheck, name="evaluation_file_recheck"),
    path("files/<int:pk>/matter/", views.file_matter, name="evaluation_file_matter"),
    path("files/<int:pk>/objection/", views.objection_file, name="evaluation_objection_file"),
    path("objections/<int:pk>/answer/", views.objection_answer, name="evaluation_objection_answer"),
    path("reports/<int:pk>/publish/", views.report_publish, name="evaluation_report_publish"),
    path("reports/<int:pk>/<str:fmt>/", views.report_file, name="evaluation_report_file"),
    path("agency/", views.agency_files, name="evaluation_agency_files"),
    path("repeated-failures/", views.repeated_failures, name="evaluation_repeated_failures"),
    path("accountability/", views.accountability_list, name="evaluation_accountability_list"),
    path("accountability/new/", views.accountability_new, name="evaluation_accountability_new"),
    path(
        "accountability/<int:pk>/",
        views.accountability_detail,
        name="evaluation_accountability_detail",
    ),
]
