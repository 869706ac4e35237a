from django.urls import URLPattern, path

from . import views, views_challenges, views_media

urlpatterns: list[URLPattern] = [
    path("", views.case_list, name="case_list"),
    path("new/", views.case_new, name="case_new"),
    path("simple/new/", views.case_simple_new, name="case_simple_new"),
    path("overdue/", views.case_overdue, name="case_overdue"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
    path("<int:pk>/actions/<str:service>/", views.case_action, name="case_action"),
    path("<int:pk>/documents/", views.case_document_generate, name="case_document_generate"),
    path(
        "<int:pk>/documents/<int:doc_id>/<str:fmt>/",
        views.case_document_file,
        name="case_document_file",
    ),
    path("<int:pk>/evidence/<str:sha256>/", views.case_evidence_file, name="case_evidence_file"),
    path(
        "<int:pk>/evidence/<str:sha256>/play/",
        views_media.case_media_play,
        name="case_media_play",
    ),
    path(
        "<int:pk>/evidence/<str:sha256>/stream/",
        views_media.case_media_stream,
        name="case_media_stream",
    ),
    path("<int:pk>/challenges/", views_challenges.case_challenge_add, name="case_challenge_add"),
    path(
        "<int:pk>/challenges/<int:challenge_id>/conclude/",
        views_challenges.case_challenge_conclude,
        name="case_challenge_conclude",
    ),
]
