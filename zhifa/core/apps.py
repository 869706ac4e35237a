from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class CoreConfig(AppConfig):
    name = "zhifa.core"
    label = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        from zhifa.core.calendar import current_calendar_clear
        from zhifa.core.models import CalendarOverride, CalendarYear

        for model in (CalendarOverride, CalendarYear):
            post_save.connect(
                current_calendar_clear, sender=model, dispatch_uid=f"calendar-{model.__name__}-save"
            )
            post_delete.connect(
                current_calendar_clear,
                sender=model,
                dispatch_uid=f"calendar-{model.__name__}-delete",
            )
