from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "zhifa.alerts"
    label = "alerts"
    verbose_name = "执法监督预警"

    def ready(self) -> None:
        # alerts reads the apps below it; apps beside it (filings, complaints) add their own
        # rules with ``rules.register_rule`` and their facts' pages with
        # ``selectors.register_fact_url``.
        from datetime import time

        from django.utils.translation import gettext_lazy as _

        from zhifa.core.jobs import register_job
        from zhifa.record.action_labels import register_action_labels
        from zhifa.record.verification import register_replay_checker

        from .jobs import refresh
        from .rules import load_builtin_rules
        from .selectors import warnings_replay_check
        from .services import ACTION_LABELS

        load_builtin_rules()
        register_action_labels(ACTION_LABELS)
        register_replay_checker(warnings_replay_check)
        register_job("alerts.refresh", daily_at=time(3, 0), run=refresh, label=_("执法监督预警"))
