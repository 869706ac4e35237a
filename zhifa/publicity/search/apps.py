from django.apps import AppConfig


class PublicitySearchConfig(AppConfig):
    name = "zhifa.publicity.search"
    label = "publicity_search"
    verbose_name = "公示检索"
