from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("", views.notification_list, name="notification_list"),
    path("open/", views.notification_open, name="notification_open"),
    path("read/", views.notifications_read, name="notifications_read"),
    path("settings/", views.notification_settings, name="notification_settings"),
]
