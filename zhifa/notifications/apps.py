from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "zhifa.notifications"
    label = "notifications"
    verbose_name = "通知"
