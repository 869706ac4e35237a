from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("", views.filing_list, name="filing_list"),
    path("<int:pk>/", views.filing_detail, name="filing_detail"),
    path("<int:pk>/review/", views.filing_review, name="filing_review"),
    path("<int:pk>/close/", views.filing_close, name="filing_close"),
    path(
        "<int:pk>/documents/<int:doc_id>/<str:fmt>/",
        views.filing_document_file,
        name="filing_document_file",
    ),
    path("case/<int:pk>/submit/", views.filing_submit, name="filing_submit"),
]
