"""templates pages of the evaluation app: the supervisors' scoring templates (评查标准)."""

from django.urls import URLPattern, URLResolver, path

from . import views_templates as v

urlpatterns: list[URLPattern | URLResolver] = [
    path("templates/", v.template_list, name="evaluation_templates"),
    path("templates/new/", v.template_new, name="evaluation_template_new"),
    path("templates/import/", v.template_import, name="evaluation_template_import"),
    path("templates/<int:pk>/", v.template_view, name="evaluation_template"),
    path("templates/<int:pk>/edit/", v.template_edit, name="evaluation_template_edit"),
    path("templates/<int:pk>/publish/", v.template_publish, name="evaluation_template_publish"),
    path(
        "templates/<int:pk>/new-version/",
        v.template_new_version,
        name="evaluation_template_new_version",
    ),
    path("templates/<int:pk>/retire/", v.template_retire, name="evaluation_template_retire"),
    path(
        "templates/<int:pk>/export/<str:fmt>/",
        v.template_export,
        name="evaluation_template_export",
    ),
    path("templates/<int:pk>/preview/", v.template_preview, name="evaluation_template_preview"),
]
