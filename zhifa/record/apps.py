from django.apps import AppConfig


class RecordConfig(AppConfig):
    name = "zhifa.record"
    label = "record"
    verbose_name = "全过程记录"
