"""The public portal before enforcement (事前公开), mounted at /public/: no login."""

from django.urls import URLPattern, path

from . import public_views as views

urlpatterns: list[URLPattern] = [
    path("", views.portal_home, name="public_home"),
    path("agencies/", views.agency_list, name="public_agency_list"),
    path("agencies/<int:pk>/", views.agency_detail, name="public_agency_detail"),
    path("officers/", views.officer_list, name="public_officer_list"),
    path("powers/", views.power_list, name="public_power_list"),
    path("powers/<int:pk>/", views.power_detail, name="public_power_detail"),
    path("inspection-items/", views.inspection_items, name="public_inspection_items"),
    path("discretion/", views.discretion, name="public_discretion"),
    path("lenient-lists/", views.lenient_lists, name="public_lenient_lists"),
]
