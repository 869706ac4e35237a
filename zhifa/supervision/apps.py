from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "zhifa.supervision"
    label = "supervision"
    verbose_name = "执法监督事项"

    def ready(self) -> None:
        # supervision sits on top: it reads the other apps through their selectors and
        # registers its labels, replay check, time limits and to-dos with the lower ones.
        from zhifa.core.time_limits import register_time_limits
        from zhifa.record.action_labels import register_action_labels
        from zhifa.record.verification import register_replay_checker
        from zhifa.registry.models import Account
        from zhifa.todos.items import register_todo_source

        from .selectors import head_todos, supervision_replay_check, supervisor_todos
        from .services import ACTION_LABELS
        from .time_limits import ROWS

        register_time_limits(ROWS)
        register_action_labels(ACTION_LABELS)
        register_replay_checker(supervision_replay_check)
        register_todo_source((Account.Role.SUPERVISOR,), supervisor_todos)
        register_todo_source((Account.Role.HEAD,), head_todos)
        # Overdue rectifications escalated once a day (services.rectifications_escalate).
        from datetime import time

        from django.utils.translation import gettext_lazy as _

        from zhifa.core.jobs import register_job

        from .jobs import escalate

        register_job(
            "supervision.escalate", daily_at=time(1, 30), run=escalate, label=_("逾期整改升级")
        )
