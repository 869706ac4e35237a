from django.urls import path

from . import views

urlpatterns = [
    path("public/complaints/", views.complaint_public, name="complaint_public"),
    path("public/complaints/receipt/", views.complaint_receipt, name="complaint_receipt"),
    path("public/complaints/status/", views.complaint_status, name="complaint_status"),
    path("complaints/", views.complaint_list, name="complaint_list"),
    path("complaints/channels/", views.complaint_channels, name="complaint_channels"),
    path("complaints/import/", views.complaint_import, name="complaint_import"),
    path("complaints/monitors/", views.monitor_appointments, name="monitor_appointments"),
    path("complaints/monitors/invite/", views.monitor_invite, name="monitor_invite"),
    path("monitor/", views.monitor_home, name="monitor_home"),
    path("monitor/opinions/", views.monitor_opinion, name="monitor_opinion"),
    path("monitor/ratings/", views.monitor_rate, name="monitor_rate"),
    path("monitor/hearings/<int:case_id>/observe/", views.monitor_observe, name="monitor_observe"),
    path("complaints/<int:pk>/", views.complaint_detail, name="complaint_detail"),
    path(
        "complaints/<int:pk>/attachments/<str:sha256>/",
        views.complaint_attachment,
        name="complaint_attachment",
    ),
    path("complaints/<int:pk>/<str:action>/", views.complaint_act, name="complaint_act"),
]
