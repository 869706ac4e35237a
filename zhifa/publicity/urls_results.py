"""Public supervision results (执法监督结果公开, 条例第三十一条), mounted at
/public/supervision-results/; each result opens the same public page as a decision."""

from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("", views.supervision_result_list, name="supervision_result_list"),
]
