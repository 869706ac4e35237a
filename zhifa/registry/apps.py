from datetime import time

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "zhifa.registry"
    label = "registry"
    verbose_name = "执法主体与人员"

    def ready(self) -> None:
        from zhifa.core.jobs import register_job
        from zhifa.record.action_labels import register_action_labels
        from zhifa.record.verification import register_replay_checker

        from .logins import login_logs_prune
        from .replay import registry_replay_check
        from .services import ACTION_LABELS

        register_action_labels(ACTION_LABELS)

        # zhifa verify: every registry row equals what the latest entry that wrote it recorded.
        register_replay_checker(registry_replay_check)
        register_job(
            "registry.login-logs-prune",
            daily_at=time(3, 30),
            run=login_logs_prune,
            label=_("清理过期的登录日志"),
        )
