from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("dashboard/", views.dashboard, name="supervision_dashboard"),
    path("warnings/", views.warning_list, name="warning_list"),
    path("warnings/rules/", views.rule_list, name="warning_rules"),
    path("warnings/<int:pk>/", views.warning_detail, name="warning_detail"),
    path("warnings/<int:pk>/dismiss/", views.warning_dismiss, name="warning_dismiss"),
    path("warnings/<int:pk>/matter/", views.warning_open_matter, name="warning_open_matter"),
]
