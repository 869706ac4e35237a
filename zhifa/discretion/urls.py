from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("case/<int:pk>/", views.discretion_page, name="discretion_apply"),
    path("case/<int:pk>/calculate/", views.discretion_calculate, name="discretion_calculate"),
    path("case/<int:pk>/approve/", views.deviation_approve, name="discretion_deviation_approve"),
]
