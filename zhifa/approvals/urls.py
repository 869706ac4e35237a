from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("", views.approval_list, name="case_approvals"),
    path("case/<int:pk>/request/", views.approval_request, name="approval_request"),
    path("case/<int:pk>/return/", views.approval_return, name="approval_return"),
    path("case/<int:pk>/withdraw/", views.approval_withdraw, name="approval_withdraw"),
]
