from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("", views.case_list, name="case_list"),
    path("new/", views.case_new, name="case_new"),
    path("approvals/", views.case_approvals, name="case_approvals"),
    path("overdue/", views.case_overdue, name="case_overdue"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
    path("<int:pk>/actions/<str:service>/", views.case_action, name="case_action"),
]
