from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("matters/", views.matter_list, name="supervision_matters"),
    path("matters/new/", views.matter_new, name="supervision_matter_new"),
    path("matters/<int:pk>/", views.matter_workspace, name="supervision_matter"),
    path("matters/<int:pk>/steps/<str:name>/", views.matter_step, name="supervision_matter_step"),
    path(
        "matters/<int:pk>/files/<str:sha256>/",
        views.attachment_file,
        name="supervision_attachment",
    ),
    path("documents/<int:pk>/<str:fmt>/", views.document_file, name="supervision_document_file"),
    path("templates/", views.template_list, name="supervision_templates"),
    path("templates/<str:kind>/", views.template_edit, name="supervision_template"),
    path("inbox/", views.inbox, name="supervision_inbox"),
    path("inbox/<int:pk>/", views.inbox_matter, name="supervision_inbox_matter"),
    path("inbox/<int:pk>/steps/<str:name>/", views.inbox_step, name="supervision_inbox_step"),
]
