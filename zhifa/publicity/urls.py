"""Public decision pages (事后公开), mounted at /public/decisions/."""

from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("", views.decision_list, name="decision_list"),
    path("verify/", views.decision_verify, name="decision_verify"),
    path("<int:pk>/", views.decision_detail, name="decision_detail"),
    path("<int:pk>/proof.json", views.decision_proof, name="decision_proof"),
]
