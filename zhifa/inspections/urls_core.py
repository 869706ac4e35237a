from django.urls import URLPattern, path

from . import views_core as v

urlpatterns: list[URLPattern] = [
    path("", v.inspection_list, name="inspections_home"),
    path("new/", v.inspection_new, name="inspections_new"),
    path("<int:pk>/", v.inspection_detail, name="inspections_detail"),
    path("<int:pk>/approve/", v.inspection_approve, name="inspections_approve"),
    path("<int:pk>/refuse/", v.inspection_refuse, name="inspections_refuse"),
    path("<int:pk>/cancel/", v.inspection_cancel, name="inspections_cancel"),
    path("<int:pk>/emergency/", v.inspection_emergency, name="inspections_emergency"),
]
