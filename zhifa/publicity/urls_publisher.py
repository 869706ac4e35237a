"""The publisher's pages (公示管理), mounted at /publish/."""

from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("", views.publish_home, name="publish_home"),
    path("statistics/", views.publish_statistics, name="publish_statistics"),
    path("reports/<int:pk>/answer/", views.report_answer, name="publication_report_answer"),
    path("<int:pk>/", views.publication_review, name="publication_review"),
    path("<int:pk>/steps/<str:name>/", views.publication_step, name="publication_step"),
]
