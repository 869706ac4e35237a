from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "zhifa.demo"
    label = "demo"
    verbose_name = "示范数据"
