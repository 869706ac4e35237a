from django.urls import URLPattern, path

from . import views_codes

urlpatterns: list[URLPattern] = [
    path("code/<str:code>/", views_codes.inspection_code, name="inspections_code"),
    path("code/<str:code>/rate/", views_codes.inspection_code_rate, name="inspections_code_rate"),
]
