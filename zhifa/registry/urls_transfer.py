"""导入导出, mounted at /registry/transfer/ by config/urls.py."""

from django.urls import URLPattern, path

from . import views_transfer

urlpatterns: list[URLPattern] = [
    path("", views_transfer.transfer, name="registry_transfer"),
    path(
        "template/<slug:kind>/<slug:fmt>/",
        views_transfer.template_download,
        name="registry_template",
    ),
    path("export/<slug:kind>/<slug:fmt>/", views_transfer.export, name="registry_export"),
    path("import/", views_transfer.import_upload, name="registry_import"),
]
