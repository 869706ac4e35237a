from django.urls import path

from . import views_draws

urlpatterns = [
    path("draws/", views_draws.draw_task_list, name="inspections_draw_tasks"),
    path("draws/new/", views_draws.draw_task_create, name="inspections_draw_task_create"),
    path("draws/<int:pk>/", views_draws.draw_task_detail, name="inspections_draw_task"),
    path(
        "draws/<int:pk>/freeze/", views_draws.draw_task_freeze, name="inspections_draw_task_freeze"
    ),
    path("draws/<int:pk>/draw/", views_draws.draw_task_draw, name="inspections_draw_task_draw"),
    path(
        "draws/<int:pk>/request/",
        views_draws.draw_task_request,
        name="inspections_draw_task_request",
    ),
]
