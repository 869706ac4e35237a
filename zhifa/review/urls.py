from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("", views.review_queue, name="review_queue"),
    path("submit/<int:case_id>/", views.review_submit, name="review_submit"),
    path("catalog/", views.catalog, name="review_catalog"),
    path("catalog/<int:rule_id>/retire/", views.catalog_retire, name="review_catalog_retire"),
    path("stats/", views.review_stats, name="review_stats"),
    path("flag/<int:case_id>/", views.major_flag, name="review_major_flag"),
    path("transfers/<int:pk>/", views.transfer_detail, name="review_transfer"),
    path("transfers/<int:pk>/steps/<str:name>/", views.transfer_step, name="review_transfer_step"),
    path("<int:pk>/", views.review_workspace, name="review_workspace"),
    path("<int:pk>/steps/<str:name>/", views.review_step, name="review_step"),
    path(
        "<int:pk>/opinion-document/",
        views.review_opinion_document,
        name="review_opinion_document",
    ),
]
