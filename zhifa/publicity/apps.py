from datetime import time

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicityConfig(AppConfig):
    name = "zhifa.publicity"
    label = "publicity"
    verbose_name = "行政执法公示"

    def ready(self) -> None:
        # publicity reads the apps below it and never the other way round: cases tells the
        # registered listeners, inside its own transaction, that a publishable decision was
        # made (see ``cases.services.register_decision_listener``).
        from zhifa.cases.services import register_decision_listener
        from zhifa.core.jobs import register_job
        from zhifa.record.action_labels import register_action_labels

        from .jobs import publications_expire_job
        from .services import ACTION_LABELS, draft_on_decision

        register_action_labels(ACTION_LABELS)

        register_decision_listener(draft_on_decision)

        from zhifa.registry.models import Account
        from zhifa.todos.items import register_todo_source

        from .todo_source import publisher_todos

        register_todo_source((Account.Role.PUBLISHER,), publisher_todos)
        register_job(
            "publicity.expire",
            daily_at=time(0, 5),
            run=publications_expire_job,
            label=_("公示到期下线"),
        )
