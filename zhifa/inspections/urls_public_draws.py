from django.urls import path

from . import views_draws

urlpatterns = [
    path("draws/", views_draws.public_draw_list, name="inspections_public_draws"),
    path(
        "draws/algorithm/",
        views_draws.public_draw_algorithm,
        name="inspections_public_draw_algorithm",
    ),
    path("draws/<int:pk>/", views_draws.public_draw_detail, name="inspections_public_draw"),
    path("draws/<int:pk>.json", views_draws.public_draw_json, name="inspections_public_draw_json"),
    path(
        "draws/<int:pk>/pools/<int:position>.txt",
        views_draws.public_draw_pool,
        name="inspections_public_draw_pool",
    ),
]
