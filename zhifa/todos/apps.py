from datetime import time

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TodosConfig(AppConfig):
    name = "zhifa.todos"
    label = "todos"
    verbose_name = "待办事项"

    def ready(self) -> None:
        from zhifa.core.jobs import register_job

        from .jobs import reminders_job

        register_job(
            "todos.reminders",
            daily_at=time(7, 0),
            run=reminders_job,
            label=_("期限提醒（前3个工作日、当日、逾期）"),
        )
