from datetime import datetime, timedelta

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


def _throttles_prune(now: datetime) -> str:
    from zhifa.core.throttling import throttles_prune

    return f"删除过期的频率限制计数{throttles_prune(now)}条"


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

        from zhifa.core.jobs import register_job

        register_job(
            "core.throttles-prune",
            every=timedelta(hours=1),
            run=_throttles_prune,
            label=_("清理频率限制计数"),
        )
